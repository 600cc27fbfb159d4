package io.jetmesh.pdf.formats.docx;

import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.docling.Formatting;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.LimitExceededException;
import io.jetmesh.pdf.formats.ooxml.Charts;
import io.jetmesh.pdf.formats.ooxml.OoxmlPackage;
import io.jetmesh.pdf.formats.ooxml.Xml;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Word documents (DOCX/DOCM/DOTX, Transitional and Strict) as docling's Word backend reads them, straight from the
 * package XML: the {@code Title} style as title, {@code Heading N} styles (and styles based on them) as section
 * headers at the style's outline level, paragraphs split into runs of one formatting and link (an inline group when
 * there are several), numbered and bulleted lists from {@code w:numPr} (direct or from the style) with docling's
 * markers ({@code 2.}, {@code 1.3.}) and nesting by level, tables with column and row spans and rich cells (lists,
 * pictures, nested tables in a cell), pictures and charts (with their data) as pictures, text boxes, content
 * controls, check boxes, Office Math as LaTeX formulas, code paragraphs (code styles, or monospace runs that read as
 * code), headers, footers and footnotes as furniture, and comments in the notes layer.
 */
public final class DocxConverter {
  private static final Pattern DIGITS = Pattern.compile("(\\d+)");
  private static final Pattern CODE_STYLE = Pattern.compile(
      ".*\\b(source ?code|code|html ?code|code ?block|preformatted|html ?preformatted|macro ?text)\\b.*");
  private static final Set<String> MONO = Set.of("courier", "courier new", "consolas", "menlo", "monaco",
      "lucida console", "source code pro", "dejavu sans mono", "liberation mono", "inconsolata", "fira code",
      "fira mono", "roboto mono", "ubuntu mono", "cascadia code", "cascadia mono", "jetbrains mono", "andale mono",
      "sf mono", "noto mono", "courier std");
  private static final Pattern CODE_CHARS = Pattern.compile("[(){}\\[\\];=<>#_]|::|->|\\b(def|import|return|print|"
      + "select|from|where|class|function|var|let|const|public|void|int)\\b", Pattern.CASE_INSENSITIVE);
  private static final String CHECKBOX_SYMBOLS = "\u2610\u2611\u2612\u25a1\u25a0\u25aa\u25ab";

  private final OoxmlPackage pkg;
  private final ConversionContext cx;
  private final DocTree tree;
  private WordStyles styles = WordStyles.empty();
  private WordNumbering numbering = WordNumbering.read(null);
  private Map<String, OoxmlPackage.Rel> rels = Map.of();
  private ListState list;
  private final List<String> code = new ArrayList<>();
  private final int[] headingCounters = new int[10];
  private int tables;

  /** An open list: the tree depth it opened at, its numbering instance, and one tree depth per open level. */
  private static final class ListState {
    final int depth;
    final String numId;
    final int baseIlvl;
    final List<Integer> levelDepths = new ArrayList<>();
    final List<DocNode> lastItems = new ArrayList<>();

    ListState(int depth, String numId, int baseIlvl) {
      this.depth = depth;
      this.numId = numId;
      this.baseIlvl = baseIlvl;
    }
  }

  private DocxConverter(OoxmlPackage pkg, ConversionContext cx, DocTree tree) {
    this.pkg = pkg;
    this.cx = cx;
    this.tree = tree;
  }

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    try (OoxmlPackage pkg = OoxmlPackage.open(file, cx.limits())) {
      new DocxConverter(pkg, cx, tree).document();
    }
  }

  private void document() throws IOException, JobException {
    String main = pkg.mainPart();
    if (main == null) {
      main = pkg.exists("word/document.xml") ? "word/document.xml" : pkg.partOfType("wordprocessingml.document.main");
    }
    if (main == null) {
      throw new IOException("no main document part");
    }
    Map<String, OoxmlPackage.Rel> mainRels = pkg.rels(main);
    for (OoxmlPackage.Rel r : mainRels.values()) {
      if (r.external() || !pkg.exists(r.target())) {
        continue;
      }
      switch (r.kind()) {
        case "styles" -> {
          try (InputStream in = pkg.open(r.target())) {
            styles = WordStyles.read(in);
          }
        }
        case "numbering" -> numbering = WordNumbering.read(pkg.dom(r.target()));
        default -> { }
      }
    }
    Element body = Xml.child(Xml.root(pkg.dom(main)), "body");
    if (body == null) {
      throw new IOException("the main document part has no body");
    }
    rels = mainRels;
    walk(body);
    endBlock();
    headersAndFooters(body, mainRels);
    notes(mainRels);
  }

  // ------------------------------------------------------------------ block flow

  private void walk(Element container) throws IOException, JobException {
    for (Element e : Xml.children(container)) {
      cx.checkCancelled();
      switch (Xml.name(e)) {
        case "p" -> paragraph(e);
        case "tbl" -> {
          endBlock();
          table(e);
        }
        case "sdt" -> walk(Xml.child(e, "sdtContent") == null ? e : Xml.child(e, "sdtContent"));
        case "customXml", "smartTag", "ins", "moveTo" -> walk(e);
        case "AlternateContent" -> {
          Element choice = Xml.child(e, "Choice");
          walk(choice != null ? choice : Xml.child(e, "Fallback") == null ? e : Xml.child(e, "Fallback"));
        }
        default -> { }
      }
    }
  }

  /** Ends an open list and a pending code block. */
  private void endBlock() {
    closeList();
    flushCode();
  }

  private void closeList() {
    if (list != null) {
      tree.closeTo(list.depth);
      list = null;
    }
  }

  private void flushCode() {
    if (!code.isEmpty()) {
      tree.code(String.join("\n", code), null);
      code.clear();
    }
  }

  // ------------------------------------------------------------------ paragraphs

  private void paragraph(Element p) throws IOException, JobException {
    Element ppr = Xml.child(p, "pPr");
    WordStyles.Style style = styles.get(Xml.val(ppr, "pStyle"));
    // text boxes and shapes first (docling's order), then pictures, then the paragraph's own text
    List<Element> boxes = new ArrayList<>();
    List<Element> drawings = new ArrayList<>();
    scanDrawings(p, boxes, drawings);
    if (!boxes.isEmpty()) {
      endBlock();
      for (Element box : boxes) {
        int depth = tree.depth();
        tree.open("textbox", "section");
        walk(box);
        endBlock();
        tree.closeTo(depth);
      }
    }
    if (!drawings.isEmpty()) {
      endBlock();
      drawings(drawings);
    }
    List<Inline> runs = new ArrayList<>();
    collect(p, Formatting.PLAIN.withBold(styleBold(style)).withItalic(styleItalic(style)), null, runs, p);
    String plain = text(runs);
    boolean hasMath = runs.stream().anyMatch(r -> r.math);
    String label = label(style);
    String numId = Xml.val(Xml.child(ppr, "numPr"), "numId");
    String ilvl = Xml.val(Xml.child(ppr, "numPr"), "ilvl");
    if (numId == null && style != null) {
      numId = styles.inherited(style, WordStyles.Style::numId);
      if (numId != null && ilvl == null) {
        ilvl = styles.inherited(style, WordStyles.Style::ilvl);
      }
    }
    boolean isList = numbering.exists(numId) && !"title".equals(label) && !"heading".equals(label);
    if (!isList && isCode(style, runs, plain)) {
      closeList();
      code.add(plain);
      return;
    }
    flushCode();
    if (isList) {
      if (plain.isBlank() && !hasMath) {
        return;
      }
      listItem(numId, parse(ilvl, 0), runs);
      return;
    }
    if (plain.isBlank() && !hasMath) {
      // an empty paragraph closes a list, as in docling
      closeList();
      return;
    }
    closeList();
    switch (label) {
      case "title" -> tree.title(plain.strip());
      case "heading" -> heading(p, style, plain.strip());
      default -> {
        String checkbox = checkbox(p);
        if (hasMath && runs.stream().noneMatch(r -> !r.math && !r.text.isBlank())) {
          for (Inline r : runs) {
            if (r.math && !r.text.isBlank()) {
              tree.formula(r.text);
            }
          }
          return;
        }
        List<Inline> elements = group(runs);
        if (checkbox != null) {
          elements = elements.stream().map(e -> e.withText(cleanCheckbox(e.text))).filter(e -> !e.text.isEmpty()).toList();
        }
        emit(elements, checkbox != null ? checkbox : "text");
      }
    }
  }

  private void heading(Element p, WordStyles.Style style, String text) {
    Integer level = styles.inherited(style, s -> s.outlineLevel() == null ? null : s.outlineLevel() + 1);
    if (style != null && style.outlineLevel() != null) {
      level = style.outlineLevel() + 1;
    }
    if (level == null) {
      level = digits(style == null ? null : style.name());
      if (level == null && style != null) {
        level = digits(style.id());
      }
    }
    int lv = level == null ? 1 : Math.max(1, level);
    String t = text;
    Element ppr = Xml.child(p, "pPr");
    String numId = Xml.val(Xml.child(ppr, "numPr"), "numId");
    if (numId == null && style != null) {
      numId = styles.inherited(style, WordStyles.Style::numId);
    }
    String ilvl = Xml.val(Xml.child(ppr, "numPr"), "ilvl");
    if (numbering.exists(numId) && numbering.numbered(numId, parse(ilvl, 0))) {
      // docling numbers numbered heading styles itself: 1, 1.1, 2 ...
      int k = Math.min(lv, 9);
      headingCounters[k]++;
      for (int i = k + 1; i < headingCounters.length; i++) {
        headingCounters[i] = 0;
      }
      StringBuilder num = new StringBuilder();
      for (int i = 1; i <= k; i++) {
        if (headingCounters[i] == 0) {
          headingCounters[i] = 1;
        }
        num.append(i > 1 ? "." : "").append(headingCounters[i]);
      }
      t = num + " " + text;
    }
    tree.heading(t, lv);
  }

  private static Integer digits(String s) {
    if (s == null) {
      return null;
    }
    java.util.regex.Matcher m = DIGITS.matcher(s);
    return m.find() ? Integer.parseInt(m.group(1)) : null;
  }

  private String label(WordStyles.Style style) {
    if (style == null) {
      return "text";
    }
    String id = WordStyles.lower(style.id());
    String name = WordStyles.lower(style.name());
    if (id.equals("title") || name.equals("title")) {
      return "title";
    }
    WordStyles.Style base = styles.base(style);
    if (id.contains("heading") || name.contains("heading") || base != null
        && (WordStyles.lower(base.id()).contains("heading") || WordStyles.lower(base.name()).contains("heading"))) {
      return "heading";
    }
    return "text";
  }

  private boolean styleBold(WordStyles.Style s) {
    return Boolean.TRUE.equals(styles.inherited(s, st -> st.bold() ? Boolean.TRUE : null));
  }

  private boolean styleItalic(WordStyles.Style s) {
    return Boolean.TRUE.equals(styles.inherited(s, st -> st.italic() ? Boolean.TRUE : null));
  }

  /** A code paragraph: a code style ("Code", "Source Code", "HTML Code"), or monospace runs that read as code. */
  private boolean isCode(WordStyles.Style style, List<Inline> runs, String plain) {
    if (plain.isBlank()) {
      return false;
    }
    String name = style == null ? "" : WordStyles.lower(style.name()) + " " + WordStyles.lower(style.id());
    if (CODE_STYLE.matcher(name).matches()
        && !name.contains("reference")) {
      return true;
    }
    boolean allMono = runs.stream().filter(r -> !r.text.isBlank()).allMatch(r -> r.mono);
    return allMono && runs.stream().anyMatch(r -> !r.text.isBlank()) && CODE_CHARS.matcher(plain).find();
  }

  private static String checkbox(Element p) {
    for (Element cb : Xml.descendants(p, "checkbox")) {
      if (!"http://schemas.microsoft.com/office/word/2010/wordml".equals(cb.getNamespaceURI())) {
        continue;
      }
      Element checked = Xml.child(cb, "checked");
      return checked != null && "1".equals(Xml.attr(checked, "val")) ? "checkbox_selected" : "checkbox_unselected";
    }
    return null;
  }

  private static String cleanCheckbox(String t) {
    String s = t.strip();
    while (!s.isEmpty() && CHECKBOX_SYMBOLS.indexOf(s.charAt(0)) >= 0) {
      s = s.substring(1).strip();
    }
    return s;
  }

  // ------------------------------------------------------------------ runs

  /** A piece of paragraph content: text with one formatting and link, or a formula. */
  private record Inline(String text, Formatting formatting, String hyperlink, boolean math, boolean mono) {
    Inline withText(String t) {
      return new Inline(t, formatting, hyperlink, math, mono);
    }
  }

  private void collect(Element e, Formatting base, String href, List<Inline> out, Element para) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() != Node.ELEMENT_NODE) {
        continue;
      }
      Element c = (Element) n;
      switch (Xml.name(c)) {
        case "r" -> run(c, base, href, out);
        case "hyperlink" -> collect(c, base, link(c), out, para);
        case "ins", "smartTag", "customXml", "fldSimple", "moveTo", "bdo", "dir" -> collect(c, base, href, out, para);
        case "sdt" -> {
          Element content = Xml.child(c, "sdtContent");
          if (content != null) {
            collect(content, base, href, out, para);
          }
        }
        case "oMath" -> out.add(new Inline(OmmlToLatex.convert(c), null, null, true, false));
        case "oMathPara" -> {
          for (Element m : Xml.descendants(c, "oMath")) {
            if (!Xml.hasAncestor(m, "oMath", c)) {
              out.add(new Inline(OmmlToLatex.convert(m), null, null, true, false));
            }
          }
        }
        case "AlternateContent" -> {
          Element choice = Xml.child(c, "Choice");
          if (choice != null) {
            collect(choice, base, href, out, para);
          }
        }
        default -> { }
      }
    }
  }

  private String link(Element hyperlink) {
    String id = Xml.rid(hyperlink, "id");
    OoxmlPackage.Rel r = id == null ? null : rels.get(id);
    if (r != null) {
      return r.target();
    }
    String anchor = Xml.attr(hyperlink, "anchor");
    return anchor == null ? null : "#" + anchor;
  }

  private void run(Element r, Formatting base, String href, List<Inline> out) {
    Element rpr = Xml.child(r, "rPr");
    Formatting f = base;
    if (rpr != null) {
      if (Xml.child(rpr, "b") != null || Xml.child(rpr, "bCs") != null) {
        f = f.withBold(Xml.on(rpr, "b") || Xml.child(rpr, "b") == null && Xml.on(rpr, "bCs"));
      }
      if (Xml.child(rpr, "i") != null) {
        f = f.withItalic(Xml.on(rpr, "i"));
      }
      if (Xml.on(rpr, "strike") || Xml.on(rpr, "dstrike")) {
        f = f.withStrikethrough(true);
      }
      String u = Xml.val(rpr, "u");
      if (Xml.child(rpr, "u") != null && !"none".equals(u)) {
        f = f.withUnderline(true);
      }
      String va = Xml.val(rpr, "vertAlign");
      if ("subscript".equals(va)) {
        f = f.withScript("sub");
      } else if ("superscript".equals(va)) {
        f = f.withScript("super");
      }
    }
    Element fonts = Xml.child(rpr, "rFonts");
    String font = fonts == null ? null : Xml.attr(fonts, "ascii");
    boolean mono = font != null && MONO.contains(WordStyles.lower(font));
    StringBuilder sb = new StringBuilder();
    for (Element c : Xml.children(r)) {
      switch (Xml.name(c)) {
        case "t" -> sb.append(c.getTextContent());
        case "tab", "ptab" -> sb.append('\t');
        case "br", "cr" -> sb.append('\n');
        case "noBreakHyphen" -> sb.append('-');
        case "sym" -> {
          String ch = Xml.attr(c, "char");
          if (ch != null) {
            try {
              int cp = Integer.parseInt(ch, 16);
              sb.appendCodePoint(cp >= 0xF000 && cp <= 0xF0FF ? cp - 0xF000 : cp);
            } catch (IllegalArgumentException e) {
              // an unreadable symbol is left out
            }
          }
        }
        default -> { }
      }
    }
    if (sb.length() > 0) {
      out.add(new Inline(sb.toString(), f, href, false, mono));
    }
  }

  private static String text(List<Inline> runs) {
    StringBuilder sb = new StringBuilder();
    for (Inline r : runs) {
      sb.append(r.math ? (sb.length() > 0 && !Character.isWhitespace(sb.charAt(sb.length() - 1)) ? " " : "") + r.text : r.text);
    }
    return sb.toString();
  }

  /** docling's run grouping: consecutive runs of one formatting form one item; each link is an item of its own. */
  private static List<Inline> group(List<Inline> runs) {
    List<Inline> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Formatting prev = null;
    boolean first = true;
    for (Inline r : runs) {
      if (r.math) {
        if (!text.toString().isBlank()) {
          out.add(new Inline(text.toString().strip(), prev, null, false, false));
        }
        text.setLength(0);
        out.add(r);
        continue;
      }
      boolean styleChange = !r.text.isBlank() && (first || !Objects.equals(r.formatting, prev));
      if (styleChange || r.hyperlink != null) {
        if (!text.toString().isBlank()) {
          out.add(new Inline(text.toString().strip(), prev, null, false, false));
        }
        text.setLength(0);
        if (r.hyperlink != null) {
          // adjacent runs of one link are one item
          Inline last = out.isEmpty() ? null : out.get(out.size() - 1);
          if (last != null && Objects.equals(last.hyperlink, r.hyperlink) && !last.math) {
            out.set(out.size() - 1, last.withText((last.text + r.text).strip()));
          } else if (!r.text.isBlank()) {
            out.add(new Inline(r.text.strip(), r.formatting, r.hyperlink, false, false));
          }
          continue;
        }
        prev = r.formatting;
        first = false;
      }
      text.append(r.text);
    }
    if (!text.toString().isBlank()) {
      out.add(new Inline(text.toString().strip(), prev, null, false, false));
    }
    return out;
  }

  private void emit(List<Inline> elements, String label) {
    if (elements.isEmpty()) {
      return;
    }
    if (elements.size() == 1) {
      Inline e = elements.get(0);
      if (e.math) {
        tree.formula(e.text);
      } else {
        tree.text(label, e.text, fmt(e.formatting), e.hyperlink);
      }
      return;
    }
    tree.openInline();
    for (Inline e : elements) {
      if (e.math) {
        tree.formula(e.text);
      } else {
        tree.text("text".equals(label) ? "text" : label, e.text, fmt(e.formatting), e.hyperlink);
      }
    }
    tree.close();
  }

  private static Formatting fmt(Formatting f) {
    return f == null ? Formatting.PLAIN : f;
  }

  // ------------------------------------------------------------------ lists

  private void listItem(String numId, int ilvl, List<Inline> runs) {
    boolean numbered = numbering.numbered(numId, ilvl);
    if (list != null && !list.numId.equals(numId) && ilvl <= list.baseIlvl) {
      closeList();
    }
    if (list == null) {
      list = new ListState(tree.depth(), numId, ilvl);
      tree.openList();
      list.levelDepths.add(tree.depth());
      list.lastItems.add(null);
    }
    int rel = Math.max(0, ilvl - list.baseIlvl);
    while (list.levelDepths.size() - 1 > rel) {
      list.levelDepths.remove(list.levelDepths.size() - 1);
      list.lastItems.remove(list.lastItems.size() - 1);
    }
    tree.closeTo(list.levelDepths.get(list.levelDepths.size() - 1));
    while (list.levelDepths.size() - 1 < rel) {
      DocNode parent = list.lastItems.get(list.lastItems.size() - 1);
      if (parent == null) {
        break;
      }
      tree.enter(parent);
      tree.openList();
      list.levelDepths.add(tree.depth());
      list.lastItems.add(null);
    }
    String marker = numbered ? numbering.next(numId, ilvl) : "";
    List<Inline> elements = group(runs);
    DocNode item;
    if (elements.size() == 1 && !elements.get(0).math) {
      Inline e = elements.get(0);
      item = tree.listItem(e.text, numbered, marker, fmt(e.formatting), e.hyperlink);
    } else {
      item = tree.listItem("", numbered, marker, null, null);
      tree.enter(item);
      tree.openInline();
      for (Inline e : elements) {
        if (e.math) {
          tree.formula(e.text);
        } else {
          tree.text("text", e.text, fmt(e.formatting), e.hyperlink);
        }
      }
      tree.closeTo(list.levelDepths.get(list.levelDepths.size() - 1));
    }
    list.lastItems.set(list.lastItems.size() - 1, item);
  }

  // ------------------------------------------------------------------ tables

  private void table(Element tbl) throws IOException, JobException {
    List<Element> rows = Xml.children(tbl, "tr");
    int gridCols = Xml.children(Xml.child(tbl, "tblGrid"), "gridCol").size();
    if (rows.isEmpty()) {
      return;
    }
    record Cell(int row, int col, int colSpan, Element tc) {}
    List<Cell> starts = new ArrayList<>();
    Map<Integer, Cell> openMerge = new HashMap<>();
    Map<Cell, Integer> rowSpans = new HashMap<>();
    int width = gridCols;
    for (int r = 0; r < rows.size(); r++) {
      Element tr = rows.get(r);
      int col = parse(Xml.val(Xml.child(tr, "trPr"), "gridBefore"), 0);
      for (Element tc : cells(tr)) {
        Element tcPr = Xml.child(tc, "tcPr");
        int span = Math.max(1, Math.min(1000, parse(Xml.val(tcPr, "gridSpan"), 1)));
        Element vMerge = Xml.child(tcPr, "vMerge");
        String vm = vMerge == null ? null : Xml.attr(vMerge, "val");
        if (vMerge != null && !"restart".equals(vm) && openMerge.containsKey(col)) {
          Cell top = openMerge.get(col);
          rowSpans.merge(top, 1, Integer::sum);
        } else {
          Cell c = new Cell(r, col, span, tc);
          starts.add(c);
          rowSpans.put(c, 1);
          for (int k = col; k < col + span; k++) {
            if (vMerge != null) {
              openMerge.put(k, c);
            } else {
              openMerge.remove(k);
            }
          }
        }
        col += span;
      }
      width = Math.max(width, col);
    }
    tree.count(starts.size());
    if (rows.size() == 1 && width == 1 && starts.size() == 1) {
      // a one-cell table is a frame: docling reads its content as body text
      walk(starts.get(0).tc());
      endBlock();
      return;
    }
    int tableIndex = tables++;
    List<TableCell> cells = new ArrayList<>();
    for (Cell c : starts) {
      int rs = Math.min(rowSpans.get(c), rows.size() - c.row());
      cells.add(new TableCell(c.row(), c.col(), rs, Math.min(c.colSpan(), width - c.col()), cellText(c.tc()),
          c.row() == 0, false, 0, 0, 0, 0));
    }
    DocNode node = tree.table(new Table(0, 0, 0, 0, 0, rows.size(), width, cells, "docx"));
    for (int i = 0; i < starts.size(); i++) {
      Cell c = starts.get(i);
      if (!isRich(c.tc())) {
        continue;
      }
      ListState savedList = list;
      List<String> savedCode = new ArrayList<>(code);
      list = null;
      code.clear();
      int depth = tree.depth();
      TableCell cell = cells.get(i);
      tree.openRichCell(node, cell, "rich_cell_group_" + (tableIndex + 1) + "_" + c.col() + "_" + c.row());
      walk(c.tc());
      endBlock();
      tree.closeTo(depth);
      list = savedList;
      code.addAll(savedCode);
    }
  }

  private static List<Element> cells(Element tr) {
    List<Element> out = new ArrayList<>();
    for (Element c : Xml.children(tr)) {
      switch (Xml.name(c)) {
        case "tc" -> out.add(c);
        case "sdt", "customXml" -> {
          Element content = Xml.child(c, "sdtContent") != null ? Xml.child(c, "sdtContent") : c;
          out.addAll(Xml.children(content, "tc"));
        }
        default -> { }
      }
    }
    return out;
  }

  /** python-docx's cell text: the cell's own paragraphs, one per line, formulas as {@code $tex$}. */
  private String cellText(Element tc) {
    List<String> lines = new ArrayList<>();
    for (Element p : Xml.children(tc, "p")) {
      List<Inline> runs = new ArrayList<>();
      collect(p, Formatting.PLAIN, null, runs, p);
      StringBuilder sb = new StringBuilder();
      for (Inline r : runs) {
        sb.append(r.math ? "$" + r.text + "$" : r.text);
      }
      lines.add(sb.toString());
    }
    return String.join("\n", lines).strip();
  }

  private boolean isRich(Element tc) {
    List<Element> ps = Xml.children(tc, "p");
    if (ps.size() > 1) {
      return true;
    }
    for (Element c : Xml.children(tc)) {
      String n = Xml.name(c);
      if (!n.equals("p") && !n.equals("tcPr")) {
        return true;
      }
    }
    if (!Xml.descendants(tc, "blip").isEmpty() || !Xml.descendants(tc, "drawing").isEmpty()) {
      return true;
    }
    for (Element p : ps) {
      for (Element r : Xml.children(p, "r")) {
        Element rpr = Xml.child(r, "rPr");
        if (Xml.on(rpr, "b") || Xml.on(rpr, "i") || Xml.on(rpr, "strike") || Xml.child(rpr, "u") != null
            && !"none".equals(Xml.val(rpr, "u")) || Xml.child(rpr, "vertAlign") != null) {
          return true;
        }
      }
      if (!Xml.children(p, "hyperlink").isEmpty()) {
        return true;
      }
      if (numbering.exists(Xml.val(Xml.child(Xml.child(p, "pPr"), "numPr"), "numId"))) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ drawings

  /** Text boxes and pictures of a paragraph, outside nested text boxes and outside {@code mc:Fallback}. */
  private void scanDrawings(Element p, List<Element> boxes, List<Element> drawings) {
    scan(p, p, boxes, drawings);
  }

  private void scan(Element e, Element para, List<Element> boxes, List<Element> drawings) {
    for (Element c : Xml.children(e)) {
      String n = Xml.name(c);
      if (n.equals("Fallback")) {
        continue;
      }
      if (n.equals("txbxContent")) {
        boxes.add(c);
        continue;
      }
      if (n.equals("drawing") || n.equals("pict") || n.equals("object")) {
        drawings.add(c);
        // text boxes inside the drawing are read as boxes, not as pictures
        for (Element t : Xml.descendants(c, "txbxContent")) {
          if (!Xml.hasAncestor(t, "Fallback", c) && !Xml.hasAncestor(t, "txbxContent", c)) {
            boxes.add(t);
          }
        }
        continue;
      }
      scan(c, para, boxes, drawings);
    }
  }

  private void drawings(List<Element> drawings) throws IOException {
    for (Element d : drawings) {
      List<Element> blips = new ArrayList<>();
      for (Element b : Xml.descendants(d, "blip")) {
        if (!Xml.hasAncestor(b, "txbxContent", d) && !Xml.hasAncestor(b, "Fallback", d)) {
          blips.add(b);
        }
      }
      for (Element im : Xml.descendants(d, "imagedata")) {
        if (!Xml.hasAncestor(im, "txbxContent", d)) {
          blips.add(im);
        }
      }
      Element chart = Xml.descendant(d, "chart");
      if (!blips.isEmpty()) {
        if (blips.size() > 1) {
          int depth = tree.depth();
          tree.open("group", "picture_area");
          blips.forEach(b -> tree.picture());
          tree.closeTo(depth);
        } else {
          tree.picture();
        }
      } else if (chart != null && rels.get(Xml.rid(chart, "id")) != null) {
        OoxmlPackage.Rel r = rels.get(Xml.rid(chart, "id"));
        if (!r.external() && pkg.exists(r.target())) {
          try {
            Charts.Chart c = Charts.read(Xml.root(pkg.dom(r.target())));
            DocNode caption = c.title() == null ? null : tree.text("caption", c.title());
            DocNode pic = tree.chart(c.kind(), c.data());
            if (caption != null) {
              tree.caption(pic, caption);
            }
          } catch (IOException e) {
            if (LimitExceededException.find(e) != null) {
              throw e;
            }
            cx.warn("a chart could not be read: " + e.getMessage());
            tree.picture();
          }
        }
      } else if (Xml.descendants(d, "txbxContent").isEmpty()) {
        String shapeText = shapeText(d);
        if (!shapeText.isEmpty()) {
          int depth = tree.depth();
          tree.open("shape-text", "section");
          tree.text("text", shapeText);
          tree.closeTo(depth);
        } else if (!Xml.descendants(d, "graphicData").isEmpty()) {
          tree.picture();
        }
      }
    }
  }

  private static String shapeText(Element d) {
    StringBuilder sb = new StringBuilder();
    for (Element t : Xml.descendants(d, "t")) {
      if ("http://schemas.openxmlformats.org/drawingml/2006/main".equals(t.getNamespaceURI())
          || t.getNamespaceURI() != null && t.getNamespaceURI().contains("drawingml")) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(t.getTextContent());
      }
    }
    return sb.toString().strip();
  }

  // ------------------------------------------------------------------ furniture and notes

  private void headersAndFooters(Element body, Map<String, OoxmlPackage.Rel> mainRels) throws IOException, JobException {
    Element sect = Xml.child(body, "sectPr");
    if (sect == null) {
      return;
    }
    boolean titlePg = Xml.on(sect, "titlePg");
    String layer = tree.layer();
    tree.layer("furniture");
    for (String kind : List.of("headerReference", "footerReference")) {
      Element chosen = null;
      for (Element ref : Xml.children(sect, kind)) {
        String type = Xml.attr(ref, "type");
        if (titlePg ? "first".equals(type) : type == null || "default".equals(type)) {
          chosen = ref;
        }
      }
      OoxmlPackage.Rel r = chosen == null ? null : mainRels.get(Xml.rid(chosen, "id"));
      if (r == null || r.external() || !pkg.exists(r.target())) {
        continue;
      }
      Document part = pkg.dom(r.target());
      Map<String, OoxmlPackage.Rel> saved = rels;
      rels = pkg.rels(r.target());
      int depth = tree.depth();
      tree.open(kind.startsWith("header") ? "page header" : "page footer", "section");
      walk(Xml.root(part));
      endBlock();
      tree.closeTo(depth);
      rels = saved;
    }
    for (OoxmlPackage.Rel r : mainRels.values()) {
      if (!r.external() && (r.kind().equals("footnotes") || r.kind().equals("endnotes")) && pkg.exists(r.target())) {
        Map<String, OoxmlPackage.Rel> saved = rels;
        rels = pkg.rels(r.target());
        for (Element fn : Xml.children(Xml.root(pkg.dom(r.target())))) {
          String type = Xml.attr(fn, "type");
          if (type != null && !type.equals("normal")) {
            continue; // separators
          }
          for (Element p : Xml.children(fn, "p")) {
            List<Inline> runs = new ArrayList<>();
            collect(p, Formatting.PLAIN, null, runs, p);
            String t = text(runs).strip();
            if (!t.isEmpty()) {
              tree.text("footnote", t);
            }
          }
        }
        rels = saved;
      }
    }
    tree.layer(layer);
  }

  private void notes(Map<String, OoxmlPackage.Rel> mainRels) throws IOException {
    for (OoxmlPackage.Rel r : mainRels.values()) {
      if (r.external() || !r.kind().equals("comments") || !pkg.exists(r.target())) {
        continue;
      }
      String layer = tree.layer();
      tree.layer("notes");
      for (Element c : Xml.children(Xml.root(pkg.dom(r.target())), "comment")) {
        StringBuilder sb = new StringBuilder();
        for (Element p : Xml.children(c, "p")) {
          List<Inline> runs = new ArrayList<>();
          collect(p, Formatting.PLAIN, null, runs, p);
          String t = text(runs).strip();
          if (!t.isEmpty()) {
            sb.append(sb.length() > 0 ? " " : "").append(t);
          }
        }
        if (sb.length() == 0) {
          continue;
        }
        String author = Xml.attr(c, "author");
        String initials = Xml.attr(c, "initials");
        String date = Xml.attr(c, "date");
        List<String> meta = new ArrayList<>();
        if (author != null && !author.isBlank()) {
          meta.add("author: " + author + (initials == null || initials.isBlank() ? "" : " (" + initials + ")"));
        }
        if (date != null && !date.isBlank()) {
          meta.add("time: " + date);
        }
        tree.open("comment-" + Xml.attr(c, "id"), "comment_section");
        tree.text("text", meta.isEmpty() ? sb.toString() : "[" + String.join(", ", meta) + "]: " + sb);
        tree.close();
      }
      tree.layer(layer);
    }
  }

  private static int parse(String s, int d) {
    try {
      return s == null ? d : Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return d;
    }
  }
}
