package io.jetmesh.pdf.formats.html;

import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.docling.Formatting;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.Inline;
import io.jetmesh.pdf.formats.TextInput;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.parser.Parser;

/**
 * HTML (jsoup, the WHATWG parser: broken markup is repaired as browsers do) as docling's HTML backend reads it: the
 * {@code <title>} as furniture, everything before the first heading outside a table as furniture, {@code h1} as
 * title and {@code h2..h6} as section headers, paragraphs with inline formatting, links and code, nested ordered and
 * bulleted lists (with {@code start}), description lists as a term list with the descriptions nested, tables with
 * row and column spans and rich cells (lists, code, formatting, nested tables inside a cell), {@code <pre>} as code,
 * images and figures as pictures with captions. Scripts, styles, templates, forms and hidden elements are dropped.
 * Nothing is ever fetched: images are placeholders and links stay text.
 */
public final class HtmlConverter {
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Set<String> SKIP = Set.of("script", "style", "noscript", "template", "head", "title", "meta",
      "link", "svg", "canvas", "video", "audio", "iframe", "object", "embed", "map", "input", "select", "textarea",
      "button", "option", "datalist", "source", "track", "math");
  private static final Set<String> BLOCK = Set.of("address", "article", "aside", "blockquote", "body", "center",
      "details", "dialog", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
      "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "img", "li", "main", "menu", "nav", "ol", "p", "pre",
      "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "ul", "br", "legend");
  private static final Set<String> LIST_BLOCKS = Set.of("ul", "ol", "dl", "table", "pre", "img", "figure");

  private final DocTree tree;
  private final ConversionContext cx;
  private Element firstHeading;
  private Inline pending = new Inline();
  private int tables;

  private HtmlConverter(DocTree tree, ConversionContext cx) {
    this.tree = tree;
    this.cx = cx;
  }

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    String html = TextInput.read(file, cx.limits());
    Document doc = Jsoup.parse(html, "", Parser.htmlParser());
    new HtmlConverter(tree, cx).document(doc, true);
  }

  /** Converts an HTML fragment (a Markdown HTML block) into the tree at the current position. */
  public static void convertFragment(String html, ConversionContext cx, DocTree tree) throws JobException {
    Document doc = Jsoup.parseBodyFragment(html);
    HtmlConverter c = new HtmlConverter(tree, cx);
    c.walk(doc.body());
    c.flush();
  }

  private void document(Document doc, boolean furnitureBeforeHeading) throws JobException {
    String layer = tree.layer();
    Element title = doc.head() == null ? null : doc.head().selectFirst("title");
    if (title != null && !title.text().isBlank()) {
      tree.layer("furniture");
      tree.title(title.text().strip());
      tree.layer(layer);
    }
    Element body = doc.body() != null ? doc.body() : doc;
    if (furnitureBeforeHeading) {
      for (Element h : body.select("h1, h2, h3, h4, h5, h6")) {
        if (h.closest("table") == null && !hidden(h)) {
          firstHeading = h;
          break;
        }
      }
      if (firstHeading != null) {
        tree.layer("furniture");
      }
    }
    walk(body);
    flush();
    tree.layer(layer);
  }

  // ------------------------------------------------------------------ block flow

  private void walk(Element container) throws JobException {
    for (Node n : container.childNodes()) {
      node(n);
    }
  }

  private void node(Node n) throws JobException {
    if (n instanceof TextNode t) {
      pending.add(t.getWholeText(), null, null, false);
      return;
    }
    if (!(n instanceof Element e)) {
      return;
    }
    String tag = e.normalName();
    if (SKIP.contains(tag) || hidden(e)) {
      return;
    }
    if (e == firstHeading) {
      flush();
      tree.layer("body");
    }
    switch (tag) {
      case "h1", "h2", "h3", "h4", "h5", "h6" -> {
        flush();
        heading(e, tag.charAt(1) - '0');
      }
      case "p", "summary", "legend", "figcaption", "caption", "address", "dt", "dd" -> {
        flush();
        if (hasBlock(e)) {
          walk(e);
          flush();
        } else {
          Inline in = new Inline();
          inline(e, in, null, null);
          in.emit(tree, "text");
        }
      }
      case "br", "hr" -> flush();
      case "ul", "ol" -> {
        flush();
        list(e);
      }
      case "dl" -> {
        flush();
        descriptionList(e, false);
      }
      case "table" -> {
        flush();
        table(e);
      }
      case "pre" -> {
        flush();
        code(e);
      }
      case "img" -> {
        flush();
        tree.picture();
      }
      case "figure" -> {
        flush();
        figure(e);
      }
      default -> {
        if (BLOCK.contains(tag) || hasBlock(e)) {
          flush();
          walk(e);
          flush();
        } else {
          inline(e, pending, null, null);
        }
      }
    }
  }

  /** Emits the inline content gathered so far as a paragraph. */
  private void flush() {
    if (!pending.isEmpty()) {
      pending.emit(tree, "text");
    }
    pending = new Inline();
  }

  private void heading(Element e, int level) {
    Inline in = new Inline();
    inline(e, in, null, null);
    if (in.isEmpty()) {
      return;
    }
    if (in.runs().size() == 1) {
      Inline.Run r = in.runs().get(0);
      DocNode h = level == 1 ? tree.title(r.text()) : tree.heading(r.text(), level - 1);
      tree.style(h, r.formatting(), r.hyperlink());
    } else {
      DocNode h = level == 1 ? tree.title("") : tree.heading("", level - 1);
      tree.enter(h);
      in.emit(tree, "text");
      tree.close();
    }
  }

  private void code(Element pre) {
    String text = pre.wholeText();
    if (text.startsWith("\n")) {
      text = text.substring(1);
    }
    text = text.stripTrailing();
    if (text.isBlank()) {
      return;
    }
    tree.code(text, language(pre));
  }

  private static String language(Element pre) {
    for (Element e : List.of(pre, pre.selectFirst("code") == null ? pre : pre.selectFirst("code"))) {
      for (String c : e.classNames()) {
        if (c.startsWith("language-") || c.startsWith("lang-")) {
          return c.substring(c.indexOf('-') + 1);
        }
      }
    }
    return null;
  }

  private void figure(Element fig) throws JobException {
    List<DocNode> pics = new ArrayList<>();
    for (Element c : fig.children()) {
      String t = c.normalName();
      if (t.equals("figcaption")) {
        continue;
      }
      if (t.equals("img") || c.selectFirst("img") != null && !hasText(c)) {
        for (Element ignored : t.equals("img") ? List.of(c) : c.select("img")) {
          pics.add(tree.picture());
        }
      } else {
        node(c);
        flush();
      }
    }
    Element cap = fig.selectFirst("figcaption");
    if (cap != null) {
      String text = cap.text().strip();
      if (!text.isEmpty()) {
        DocNode caption = tree.text("caption", text);
        if (!pics.isEmpty()) {
          tree.caption(pics.get(0), caption);
        }
      }
    }
    if (pics.isEmpty() && cap == null) {
      walk(fig);
    }
  }

  // ------------------------------------------------------------------ lists

  private void list(Element listEl) throws JobException {
    boolean ordered = listEl.normalName().equals("ol");
    int start = 1;
    if (ordered && listEl.hasAttr("start")) {
      try {
        start = Integer.parseInt(listEl.attr("start").strip());
      } catch (NumberFormatException e) {
        start = 1;
      }
    }
    tree.openList();
    int index = 0;
    for (Element li : listEl.children()) {
      String tag = li.normalName();
      if (tag.equals("ul") || tag.equals("ol")) {
        // a list directly inside a list: nest it under the previous item
        List<DocNode> sib = tree.siblings();
        if (!sib.isEmpty()) {
          tree.enter(sib.get(sib.size() - 1));
          list(li);
          tree.close();
        } else {
          list(li);
        }
        continue;
      }
      if (!tag.equals("li") || hidden(li)) {
        continue;
      }
      cx.checkCancelled();
      Inline in = new Inline();
      List<Element> blocks = new ArrayList<>();
      itemContent(li, in, blocks);
      if (in.isEmpty() && blocks.isEmpty()) {
        continue;
      }
      DocNode item = in.emitListItem(tree, ordered, ordered ? (start + index) + "." : "");
      index++;
      if (!blocks.isEmpty()) {
        tree.enter(item);
        for (Element b : blocks) {
          node(b);
          flush();
        }
        tree.close();
      }
    }
    tree.close();
  }

  /** A list item's own text (paragraphs inside it included) and the blocks nested in it (lists, tables, images). */
  private void itemContent(Element li, Inline in, List<Element> blocks) {
    for (Node n : li.childNodes()) {
      if (n instanceof TextNode t) {
        in.add(t.getWholeText(), null, null, false);
      } else if (n instanceof Element e && !SKIP.contains(e.normalName()) && !hidden(e)) {
        String tag = e.normalName();
        if (LIST_BLOCKS.contains(tag)) {
          blocks.add(e);
        } else if (BLOCK.contains(tag) && containsAny(e, LIST_BLOCKS)) {
          itemContent(e, in, blocks);
        } else if (tag.equals("br")) {
          in.add(" ", null, null, false);
        } else {
          in.add(" ", null, null, false);
          inline(e, in, null, null);
          in.add(" ", null, null, false);
        }
      }
    }
  }

  /** {@code <dl>}: each term a list item, its descriptions a list nested under it. */
  private void descriptionList(Element dl, boolean inOpenList) throws JobException {
    if (!inOpenList) {
      tree.openList();
    }
    DocNode term = null;
    int subDepth = -1;
    for (Element c : dl.children()) {
      String tag = c.normalName();
      if (tag.equals("div")) {
        // <div> groups of dt/dd are allowed in a dl
        descriptionList(c, true);
        continue;
      }
      if (tag.equals("dt")) {
        if (subDepth >= 0) {
          tree.closeTo(subDepth);
          subDepth = -1;
        }
        Inline in = new Inline();
        inline(c, in, Formatting.PLAIN.withBold(true), null);
        if (!in.isEmpty()) {
          term = in.emitListItem(tree, false, "");
        }
      } else if (tag.equals("dd")) {
        if (subDepth < 0) {
          subDepth = tree.depth();
          if (term != null) {
            tree.enter(term);
          }
          tree.openList();
        }
        ddContent(c);
      }
    }
    if (subDepth >= 0) {
      tree.closeTo(subDepth);
    }
    if (!inOpenList) {
      tree.close();
    }
  }

  /** A description's content inside the open sub-list: text runs as items, nested terms as items with sub-lists. */
  private void ddContent(Element dd) throws JobException {
    Inline in = new Inline();
    for (Node n : dd.childNodes()) {
      if (n instanceof TextNode t) {
        in.add(t.getWholeText(), null, null, false);
      } else if (n instanceof Element e && !SKIP.contains(e.normalName()) && !hidden(e)) {
        String tag = e.normalName();
        if (tag.equals("dl")) {
          if (!in.isEmpty()) {
            in.emitListItem(tree, false, "");
            in = new Inline();
          }
          descriptionList(e, true);
        } else if (tag.equals("ul") || tag.equals("ol") || tag.equals("table") || tag.equals("pre")) {
          if (!in.isEmpty()) {
            in.emitListItem(tree, false, "");
            in = new Inline();
          }
          node(e);
        } else if (tag.equals("p") || tag.equals("div") || tag.equals("br")) {
          if (!in.isEmpty()) {
            in.emitListItem(tree, false, "");
            in = new Inline();
          }
          if (!tag.equals("br")) {
            ddContent(e);
          }
        } else {
          inline(e, in, null, null);
        }
      }
    }
    if (!in.isEmpty()) {
      in.emitListItem(tree, false, "");
    }
  }

  // ------------------------------------------------------------------ tables

  private void table(Element table) throws JobException {
    List<Element> rows = new ArrayList<>();
    for (Element tr : table.select("tr")) {
      if (tr.closest("table") == table) {
        rows.add(tr);
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    int tableIndex = ++tables;
    Map<Long, Boolean> taken = new HashMap<>();
    List<TableCell> cells = new ArrayList<>();
    List<Element> cellEls = new ArrayList<>();
    int width = 0;
    int height = rows.size();
    for (int r = 0; r < rows.size(); r++) {
      int c = 0;
      boolean headRow = "thead".equals(rows.get(r).parent() == null ? "" : rows.get(r).parent().normalName());
      for (Element td : rows.get(r).children()) {
        String tag = td.normalName();
        if (!tag.equals("td") && !tag.equals("th")) {
          continue;
        }
        while (taken.containsKey(key(r, c))) {
          c++;
        }
        int rs = span(td.attr("rowspan"));
        int cs = span(td.attr("colspan"));
        rs = Math.min(rs, rows.size() - r);
        for (int i = 0; i < rs; i++) {
          for (int k = 0; k < cs; k++) {
            taken.put(key(r + i, c + k), Boolean.TRUE);
          }
        }
        tree.count(1);
        cells.add(new TableCell(r, c, rs, cs, cellText(td), tag.equals("th") || headRow, false, 0, 0, 0, 0));
        cellEls.add(td);
        c += cs;
        width = Math.max(width, c);
      }
    }
    if (cells.size() > cx.limits().maxCells()) {
      throw new JobException(io.jetmesh.protocol.ErrorCode.TOO_LARGE,
          "a table has more than " + cx.limits().maxCells() + " cells (max_cells)");
    }
    if (width == 0) {
      return;
    }
    DocNode node = tree.table(new Table(0, 0, 0, 0, 0, height, width, cells, "html"));
    for (int i = 0; i < cells.size(); i++) {
      Element td = cellEls.get(i);
      if (isRich(td)) {
        TableCell cell = cells.get(i);
        int depth = tree.depth();
        String layer = tree.layer();
        tree.openRichCell(node, cell, "rich_cell_group_" + tableIndex + "_" + cell.col() + "_" + cell.row());
        HtmlConverter inner = new HtmlConverter(tree, cx);
        inner.tables = tables;
        inner.walk(td);
        inner.flush();
        tables = inner.tables;
        tree.closeTo(depth);
        tree.layer(layer);
      }
    }
  }

  private static long key(int r, int c) {
    return ((long) r << 32) | (c & 0xffffffffL);
  }

  private static int span(String v) {
    try {
      int n = Integer.parseInt(v.strip());
      return Math.max(1, Math.min(n, 1000));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static String cellText(Element td) {
    StringBuilder sb = new StringBuilder();
    textOf(td, sb);
    return SPACES.matcher(sb).replaceAll(" ").strip();
  }

  private static void textOf(Element e, StringBuilder sb) {
    for (Node n : e.childNodes()) {
      if (n instanceof TextNode t) {
        sb.append(t.getWholeText());
      } else if (n instanceof Element c && !SKIP.contains(c.normalName()) && !hidden(c)) {
        boolean block = BLOCK.contains(c.normalName());
        if (block) {
          sb.append(' ');
        }
        textOf(c, sb);
        if (block) {
          sb.append(' ');
        }
      }
    }
  }

  /** A cell with more than plain text: blocks, several paragraphs, formatting, links, code or images. */
  private static boolean isRich(Element td) {
    for (Element e : td.getAllElements()) {
      if (e == td || SKIP.contains(e.normalName())) {
        continue;
      }
      switch (e.normalName()) {
        case "ul", "ol", "dl", "table", "pre", "img", "figure", "p", "div", "a", "b", "strong", "i", "em", "code",
            "kbd", "samp", "s", "del", "strike", "u", "ins", "sub", "sup", "h1", "h2", "h3", "h4", "h5", "h6", "br" -> {
          return true;
        }
        default -> { }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ inline

  /** Gathers the inline content of {@code e} with the formatting and link in force. */
  private void inline(Element e, Inline in, Formatting f, String href) {
    for (Node n : e.childNodes()) {
      if (n instanceof TextNode t) {
        in.add(t.getWholeText(), f, href, false);
        continue;
      }
      if (!(n instanceof Element c)) {
        continue;
      }
      String tag = c.normalName();
      if (SKIP.contains(tag) || hidden(c)) {
        continue;
      }
      Formatting g = f == null ? Formatting.PLAIN : f;
      switch (tag) {
        case "b", "strong" -> inline(c, in, g.withBold(true), href);
        case "i", "em", "var", "cite", "dfn" -> inline(c, in, g.withItalic(true), href);
        case "s", "del", "strike" -> inline(c, in, g.withStrikethrough(true), href);
        case "u", "ins" -> inline(c, in, g.withUnderline(true), href);
        case "sub" -> inline(c, in, g.withScript("sub"), href);
        case "sup" -> inline(c, in, g.withScript("super"), href);
        case "code", "kbd", "samp", "tt" -> in.add(SPACES.matcher(c.wholeText()).replaceAll(" "), f, href, true);
        case "a" -> inline(c, in, f, c.hasAttr("href") && !c.attr("href").isBlank() ? c.attr("href").strip() : href);
        case "br" -> in.add(" ", f, href, false);
        case "img" -> { }
        default -> {
          if (BLOCK.contains(tag)) {
            in.add(" ", f, href, false);
            inline(c, in, f, href);
            in.add(" ", f, href, false);
          } else {
            inline(c, in, f, href);
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static boolean hidden(Element e) {
    if (e.hasAttr("hidden")) {
      return true;
    }
    String style = e.attr("style");
    if (!style.isEmpty()) {
      String s = style.toLowerCase(Locale.ROOT).replace(" ", "");
      return s.contains("display:none") || s.contains("visibility:hidden");
    }
    return false;
  }

  private static boolean hasBlock(Element e) {
    for (Element c : e.getAllElements()) {
      if (c != e && BLOCK.contains(c.normalName()) && !c.normalName().equals("br")) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsAny(Element e, Set<String> tags) {
    for (Element c : e.getAllElements()) {
      if (c != e && tags.contains(c.normalName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasText(Element e) {
    return !e.text().isBlank();
  }

}
