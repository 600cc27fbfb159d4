package io.jetmesh.pdf.formats.pptx;

import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * PowerPoint presentations (PPTX/PPTM/PPSX/POTX) as docling's PowerPoint backend reads them: one page and one
 * {@code chapter} group per slide in presentation order, shapes in the slide's order (groups opened), title
 * placeholders as titles, text frames paragraph by paragraph (bulleted and numbered paragraphs, explicit or from a
 * body placeholder, as nested lists by level), tables with spans, pictures, charts with their data; speaker notes in
 * the notes layer (kept in the JSON, left out of Markdown as docling does) and slide comments as comment sections.
 * Boxes are the shapes' positions in EMU on a page of the slide size.
 */
public final class PptxConverter {
  private static final Pattern LINE_BREAK = Pattern.compile("\\s*\n\\s*");
  private final OoxmlPackage pkg;
  private final ConversionContext cx;
  private final DocTree tree;
  private final Map<String, String[]> authors = new HashMap<>();
  private float slideHeight;

  private PptxConverter(OoxmlPackage pkg, ConversionContext cx, DocTree tree) {
    this.pkg = pkg;
    this.cx = cx;
    this.tree = tree;
  }

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    try (OoxmlPackage pkg = OoxmlPackage.open(file, cx.limits())) {
      new PptxConverter(pkg, cx, tree).presentation();
    }
  }

  private void presentation() throws IOException, JobException {
    String main = pkg.mainPart();
    if (main == null) {
      main = pkg.exists("ppt/presentation.xml") ? "ppt/presentation.xml" : null;
    }
    if (main == null) {
      throw new IOException("no presentation part");
    }
    Element root = Xml.root(pkg.dom(main));
    Element size = Xml.child(root, "sldSz");
    float w = size == null ? 9144000 : num(Xml.attr(size, "cx"), 9144000);
    float h = size == null ? 6858000 : num(Xml.attr(size, "cy"), 6858000);
    slideHeight = h;
    Map<String, OoxmlPackage.Rel> rels = pkg.rels(main);
    for (OoxmlPackage.Rel r : rels.values()) {
      if (!r.external() && r.kind().equals("commentAuthors") && pkg.exists(r.target())) {
        for (Element a : Xml.children(Xml.root(pkg.dom(r.target())), "cmAuthor")) {
          authors.put(Xml.attr(a, "id"), new String[] {Xml.attr(a, "name"), Xml.attr(a, "initials")});
        }
      }
    }
    int index = 0;
    for (Element id : Xml.children(Xml.child(root, "sldIdLst"), "sldId")) {
      OoxmlPackage.Rel r = rels.get(Xml.rid(id, "id"));
      if (r == null || r.external() || !pkg.exists(r.target())) {
        continue;
      }
      cx.checkCancelled();
      tree.page(index + 1, w, h);
      slide(r.target(), index);
      index++;
    }
  }

  private void slide(String part, int index) throws IOException, JobException {
    Element root = Xml.root(pkg.dom(part));
    Map<String, OoxmlPackage.Rel> rels = pkg.rels(part);
    int depth = tree.depth();
    tree.open("slide-" + index, "chapter");
    Element spTree = Xml.path(root, "cSld", "spTree");
    if (spTree != null) {
      shapes(spTree, rels);
    }
    for (OoxmlPackage.Rel r : rels.values()) {
      if (!r.external() && r.kind().equals("notesSlide") && pkg.exists(r.target())) {
        notes(r.target());
      }
    }
    tree.closeTo(depth);
    for (OoxmlPackage.Rel r : rels.values()) {
      if (!r.external() && r.kind().equals("comments") && pkg.exists(r.target())) {
        comments(r.target(), index);
      }
    }
  }

  private void shapes(Element container, Map<String, OoxmlPackage.Rel> rels) throws IOException, JobException {
    // docling reads a slide top to bottom: shapes by their top edge; a shape placed by its layout (no position of
    // its own) keeps its place after the shape before it, a title goes first
    List<Element> children = Xml.children(container);
    List<float[]> keys = new ArrayList<>();
    float last = -1;
    for (int i = 0; i < children.size(); i++) {
      Element c = children.get(i);
      Float y = top(c);
      Element ph = Xml.descendant(c, "ph");
      String type = ph == null ? null : Xml.attr(ph, "type");
      float key = y != null ? y : "title".equals(type) || "ctrTitle".equals(type) ? -1 : last;
      last = Math.max(last, key);
      keys.add(new float[] {key, i});
    }
    keys.sort((a, b) -> a[0] != b[0] ? Float.compare(a[0], b[0]) : Float.compare(a[1], b[1]));
    List<Element> ordered = new ArrayList<>();
    for (float[] k : keys) {
      ordered.add(children.get((int) k[1]));
    }
    for (Element s : ordered) {
      switch (Xml.name(s)) {
        case "sp" -> shape(s, rels);
        case "pic" -> {
          if (embeddedImage(s, rels)) {
            box(tree.picture(), s);
          }
        }
        case "graphicFrame" -> frame(s, rels);
        case "grpSp" -> shapes(s, rels);
        case "AlternateContent" -> {
          Element choice = Xml.child(s, "Choice");
          if (choice != null) {
            shapes(choice, rels);
          }
        }
        default -> { }
      }
    }
  }

  /** A picture whose image is in the package (docling drops linked, dangling and non-image pictures). */
  private boolean embeddedImage(Element pic, Map<String, OoxmlPackage.Rel> rels) {
    Element blip = Xml.descendant(pic, "blip");
    OoxmlPackage.Rel r = blip == null ? null : rels.get(Xml.rid(blip, "embed"));
    if (r == null || r.external() || !pkg.exists(r.target())) {
      return false;
    }
    String type = pkg.contentType(r.target());
    return type != null && type.startsWith("image/");
  }

  private static Float top(Element shape) {
    Element xfrm = Xml.descendant(shape, "xfrm");
    Element off = Xml.child(xfrm, "off");
    if (off == null) {
      return null;
    }
    try {
      return Float.parseFloat(Xml.attr(off, "y"));
    } catch (NumberFormatException | NullPointerException e) {
      return null;
    }
  }

  private void box(DocNode n, Element shape) {
    Element xfrm = Xml.descendant(Xml.child(shape, "spPr") != null ? Xml.child(shape, "spPr") : shape, "xfrm");
    if (xfrm == null) {
      xfrm = Xml.child(shape, "xfrm");
    }
    Element off = Xml.child(xfrm, "off");
    Element ext = Xml.child(xfrm, "ext");
    if (off != null && ext != null) {
      float x = num(Xml.attr(off, "x"), 0);
      float y = num(Xml.attr(off, "y"), 0);
      tree.box(n, x, y, x + num(Xml.attr(ext, "cx"), 0), y + num(Xml.attr(ext, "cy"), 0));
    }
  }

  private void shape(Element sp, Map<String, OoxmlPackage.Rel> rels) {
    Element ph = Xml.descendant(Xml.child(sp, "nvSpPr"), "ph");
    String type = ph == null ? null : Xml.attr(ph, "type");
    Element body = Xml.child(sp, "txBody");
    if (body == null) {
      return;
    }
    List<Element> paras = Xml.children(body, "p");
    if ("title".equals(type) || "ctrTitle".equals(type)) {
      StringBuilder sb = new StringBuilder();
      for (Element p : paras) {
        String t = text(p);
        if (!t.isBlank()) {
          sb.append(sb.length() > 0 ? " " : "").append(t.strip());
        }
      }
      if (sb.length() > 0) {
        box(tree.title(LINE_BREAK.matcher(sb).replaceAll(" ")), sp);
      }
      return;
    }
    boolean bodyPlaceholder = ph != null && (type == null || "body".equals(type) || "obj".equals(type));
    int listDepth = -1;
    List<Integer> levelDepths = new ArrayList<>();
    List<DocNode> lastItems = new ArrayList<>();
    for (Element p : paras) {
      String t = text(p);
      if (t.isBlank()) {
        continue;
      }
      Element ppr = Xml.child(p, "pPr");
      int lvl = (int) num(Xml.attr(ppr, "lvl"), 0);
      boolean none = Xml.child(ppr, "buNone") != null;
      boolean auto = Xml.child(ppr, "buAutoNum") != null;
      boolean bullet = !none && (auto || Xml.child(ppr, "buChar") != null || Xml.child(ppr, "buBlip") != null
          || bodyPlaceholder);
      if (!bullet) {
        if (listDepth >= 0) {
          tree.closeTo(listDepth);
          listDepth = -1;
          levelDepths.clear();
          lastItems.clear();
        }
        DocNode n = tree.text("paragraph", t.strip());
        box(n, sp);
        continue;
      }
      if (listDepth < 0) {
        listDepth = tree.depth();
        tree.openList();
        levelDepths.add(tree.depth());
        lastItems.add(null);
      }
      while (levelDepths.size() - 1 > lvl) {
        levelDepths.remove(levelDepths.size() - 1);
        lastItems.remove(lastItems.size() - 1);
      }
      tree.closeTo(levelDepths.get(levelDepths.size() - 1));
      while (levelDepths.size() - 1 < lvl && lastItems.get(lastItems.size() - 1) != null) {
        tree.enter(lastItems.get(lastItems.size() - 1));
        tree.openList();
        levelDepths.add(tree.depth());
        lastItems.add(null);
      }
      DocNode item = tree.listItem(t.strip(), auto, auto ? "" : "", null, null);
      box(item, sp);
      lastItems.set(lastItems.size() - 1, item);
    }
    if (listDepth >= 0) {
      tree.closeTo(listDepth);
    }
  }

  private static String text(Element p) {
    StringBuilder sb = new StringBuilder();
    for (Element c : Xml.children(p)) {
      switch (Xml.name(c)) {
        case "r", "fld" -> {
          Element t = Xml.child(c, "t");
          if (t != null) {
            sb.append(t.getTextContent());
          }
        }
        case "br" -> sb.append('\n');
        default -> { }
      }
    }
    return sb.toString().replace('\u000b', '\n');
  }

  private void frame(Element gf, Map<String, OoxmlPackage.Rel> rels) throws IOException {
    Element data = Xml.descendant(gf, "graphicData");
    if (data == null) {
      return;
    }
    Element tbl = Xml.child(data, "tbl");
    if (tbl != null) {
      table(tbl, gf);
      return;
    }
    Element chartRef = Xml.child(data, "chart");
    OoxmlPackage.Rel r = chartRef == null ? null : rels.get(Xml.rid(chartRef, "id"));
    if (r != null && !r.external() && pkg.exists(r.target())) {
      try {
        Charts.Chart c = Charts.read(Xml.root(pkg.dom(r.target())));
        DocNode caption = c.title() == null ? null : tree.text("caption", c.title());
        DocNode pic = tree.chart(c.kind(), c.data());
        box(pic, gf);
        if (caption != null) {
          tree.caption(pic, caption);
        }
      } catch (IOException e) {
        if (LimitExceededException.find(e) != null) {
          throw e;
        }
        cx.warn("a chart could not be read: " + e.getMessage());
        box(tree.picture(), gf);
      }
      return;
    }
    box(tree.picture(), gf);
  }

  private void table(Element tbl, Element frame) {
    int cols = Xml.children(Xml.child(tbl, "tblGrid"), "gridCol").size();
    List<Element> rows = Xml.children(tbl, "tr");
    List<TableCell> cells = new ArrayList<>();
    int width = cols;
    for (int r = 0; r < rows.size(); r++) {
      int c = 0;
      for (Element tc : Xml.children(rows.get(r), "tc")) {
        boolean merged = "1".equals(Xml.attr(tc, "hMerge")) || "1".equals(Xml.attr(tc, "vMerge"));
        int cs = Math.max(1, (int) num(Xml.attr(tc, "gridSpan"), 1));
        int rs = Math.max(1, (int) num(Xml.attr(tc, "rowSpan"), 1));
        if (!merged) {
          StringBuilder sb = new StringBuilder();
          for (Element p : Xml.descendants(tc, "p")) {
            String t = text(p).strip();
            if (!t.isEmpty()) {
              sb.append(sb.length() > 0 ? "\n" : "").append(t);
            }
          }
          cells.add(new TableCell(r, c, Math.min(rs, rows.size() - r), cs, sb.toString(), r == 0, false, 0, 0, 0, 0));
        }
        c++;
      }
      width = Math.max(width, c);
    }
    if (rows.isEmpty() || width == 0) {
      return;
    }
    int w = width;
    List<TableCell> fitted = cells.stream().map(x -> new TableCell(x.row(), x.col(), x.rowSpan(),
        Math.min(x.colSpan(), w - x.col()), x.text(), x.columnHeader(), false, 0, 0, 0, 0)).toList();
    box(tree.table(new Table(0, 0, 0, 0, 0, rows.size(), width, fitted, "pptx")), frame);
  }

  private void notes(String part) throws IOException {
    Element root = Xml.root(pkg.dom(part));
    String layer = tree.layer();
    tree.layer("notes");
    for (Element sp : Xml.descendants(root, "sp")) {
      Element ph = Xml.descendant(Xml.child(sp, "nvSpPr"), "ph");
      if (ph == null || !"body".equals(Xml.attr(ph, "type"))) {
        continue;
      }
      StringBuilder sb = new StringBuilder();
      for (Element p : Xml.descendants(sp, "p")) {
        String t = text(p).strip();
        if (!t.isEmpty()) {
          sb.append(sb.length() > 0 ? "\n" : "").append(t);
        }
      }
      if (sb.length() > 0) {
        tree.text("text", sb.toString());
      }
    }
    tree.layer(layer);
  }

  private void comments(String part, int slide) throws IOException {
    String layer = tree.layer();
    tree.layer("notes");
    for (Element cm : Xml.children(Xml.root(pkg.dom(part)), "cm")) {
      Element textEl = Xml.child(cm, "text");
      String text = textEl == null ? "" : textEl.getTextContent().strip();
      if (text.isEmpty()) {
        continue;
      }
      String[] a = authors.get(Xml.attr(cm, "authorId"));
      List<String> meta = new ArrayList<>();
      if (a != null && a[0] != null) {
        meta.add("author: " + a[0] + (a[1] == null || a[1].isBlank() ? "" : " (" + a[1] + ")"));
      }
      String dt = Xml.attr(cm, "dt");
      if (dt != null && !dt.isBlank()) {
        meta.add("time: " + dt.replace("Z", ""));
      }
      tree.open("comment-slide" + (slide + 1) + "-" + Xml.attr(cm, "idx"), "comment_section");
      tree.text("text", meta.isEmpty() ? text : "[" + String.join(", ", meta) + "]: " + text);
      tree.close();
    }
    tree.layer(layer);
  }

  private static float num(String s, float d) {
    try {
      return s == null ? d : Float.parseFloat(s.strip());
    } catch (NumberFormatException e) {
      return d;
    }
  }
}
