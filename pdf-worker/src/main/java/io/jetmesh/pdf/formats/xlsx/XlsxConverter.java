package io.jetmesh.pdf.formats.xlsx;

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
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.w3c.dom.Element;

/**
 * XLSX/XLSM workbooks as docling's Excel backend reads them: one page and one {@code sheet} group per sheet (hidden
 * sheets in the invisible layer), each connected region of non-empty cells one table (a flood fill over the cells,
 * merged ranges counting as content; the region's bounding box with its gaps as empty cells; merged ranges as
 * spans; the first row as header), a merged label above a table split off as text, pictures and charts (kind, title
 * and cached data) at their anchors, items ordered by top row, cell comments and threaded comments in the notes
 * layer. Values are the cached results, as docling shows them ({@link CellValues}). Chart sheets hold only charts.
 *
 * <p>Sheets are read with a streaming parser and every cell counts against {@code max_cells}, so a sheet of a
 * million rows stops with {@code TOO_LARGE} instead of filling the heap.
 */
public final class XlsxConverter {
  private static final Pattern AFTER_DIGITS = Pattern.compile("[^0-9].*$");
  private final OoxmlPackage pkg;
  private final ConversionContext cx;
  private final DocTree tree;
  private final List<String> shared = new ArrayList<>();
  private final List<Boolean> dateStyles = new ArrayList<>();
  private final Map<String, String> persons = new HashMap<>();
  private boolean date1904;
  private long cellsSeen;

  private XlsxConverter(OoxmlPackage pkg, ConversionContext cx, DocTree tree) {
    this.pkg = pkg;
    this.cx = cx;
    this.tree = tree;
  }

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    try (OoxmlPackage pkg = OoxmlPackage.open(file, cx.limits())) {
      new XlsxConverter(pkg, cx, tree).workbook();
    }
  }

  private record SheetRef(String name, String part, boolean hidden, boolean chartsheet) {}

  private void workbook() throws IOException, JobException {
    String wb = pkg.mainPart();
    if (wb == null) {
      wb = pkg.exists("xl/workbook.xml") ? "xl/workbook.xml" : null;
    }
    if (wb == null) {
      throw new IOException("no workbook part");
    }
    Element root = Xml.root(pkg.dom(wb));
    Element pr = Xml.child(root, "workbookPr");
    date1904 = pr != null && ("1".equals(Xml.attr(pr, "date1904")) || "true".equals(Xml.attr(pr, "date1904")));
    Map<String, OoxmlPackage.Rel> rels = pkg.rels(wb);
    List<SheetRef> sheets = new ArrayList<>();
    for (Element s : Xml.children(Xml.child(root, "sheets"), "sheet")) {
      OoxmlPackage.Rel r = rels.get(Xml.rid(s, "id"));
      if (r == null || r.external()) {
        continue;
      }
      String state = Xml.attr(s, "state");
      sheets.add(new SheetRef(Xml.attr(s, "name"), r.target(), "hidden".equals(state) || "veryHidden".equals(state),
          r.kind().equals("chartsheet")));
    }
    for (OoxmlPackage.Rel r : rels.values()) {
      switch (r.kind()) {
        case "sharedStrings" -> sharedStrings(r.target());
        case "styles" -> styles(r.target());
        case "person" -> persons(r.target());
        default -> { }
      }
    }
    int page = 0;
    for (SheetRef s : sheets) {
      cx.checkCancelled();
      page++;
      sheet(s, page);
    }
  }

  // ------------------------------------------------------------------ workbook parts

  private void sharedStrings(String part) throws IOException {
    if (!pkg.exists(part)) {
      return;
    }
    try (InputStream in = pkg.open(part)) {
      XMLStreamReader r = Xml.stream(in);
      StringBuilder cur = null;
      int skip = 0;
      boolean inT = false;
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String n = r.getLocalName();
          if (n.equals("si")) {
            cur = new StringBuilder();
          } else if (n.equals("rPh") || n.equals("phoneticPr")) {
            skip++;
          } else if (n.equals("t") && skip == 0) {
            inT = true;
          }
        } else if (ev == XMLStreamConstants.CHARACTERS && inT && cur != null) {
          cur.append(r.getText());
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          String n = r.getLocalName();
          if (n.equals("si") && cur != null) {
            shared.add(cur.toString());
            cur = null;
          } else if (n.equals("rPh") || n.equals("phoneticPr")) {
            skip--;
          } else if (n.equals("t")) {
            inT = false;
          }
        }
      }
    } catch (XMLStreamException e) {
      throw new IOException("malformed shared strings: " + e.getMessage(), e);
    }
  }

  private void styles(String part) throws IOException {
    if (!pkg.exists(part)) {
      return;
    }
    Element root = Xml.root(pkg.dom(part));
    Map<Integer, String> codes = new HashMap<>();
    for (Element f : Xml.children(Xml.child(root, "numFmts"), "numFmt")) {
      try {
        codes.put(Integer.parseInt(Xml.attr(f, "numFmtId")), Xml.attr(f, "formatCode"));
      } catch (NumberFormatException e) {
        // an unusable format id cannot be referenced
      }
    }
    for (Element xf : Xml.children(Xml.child(root, "cellXfs"), "xf")) {
      int id;
      try {
        id = Integer.parseInt(Xml.attr(xf, "numFmtId") == null ? "0" : Xml.attr(xf, "numFmtId"));
      } catch (NumberFormatException e) {
        id = 0;
      }
      dateStyles.add(CellValues.isDateFormat(id, codes.get(id)));
    }
  }

  private void persons(String part) throws IOException {
    if (!pkg.exists(part)) {
      return;
    }
    for (Element p : Xml.children(Xml.root(pkg.dom(part)), "person")) {
      persons.put(Xml.attr(p, "id"), Xml.attr(p, "displayName"));
    }
  }

  // ------------------------------------------------------------------ sheets

  /** A sheet's content: non-empty cells by position, merged ranges, and its drawing/comment parts. */
  private static final class SheetData {
    final Map<Long, String> cells = new HashMap<>();
    final Map<Long, int[]> merges = new LinkedHashMap<>(); // anchor -> {rowSpan, colSpan}
    final Set<Long> shadows = new HashSet<>();
    int maxRow = -1;
    int maxCol = -1;
  }

  private static long key(int r, int c) {
    return ((long) r << 20) | c;
  }

  private void sheet(SheetRef s, int page) throws IOException, JobException {
    tree.page(page, 0, 0);
    String layer = s.hidden() ? "invisible" : "body";
    tree.layer(layer);
    DocNode group = tree.open(s.name() == null ? "Sheet" + page : s.name(), "sheet");
    List<Positioned> items = new ArrayList<>();
    SheetData data = new SheetData();
    if (!s.chartsheet() && pkg.exists(s.part())) {
      readSheet(s.part(), data);
      tables(data, items);
    }
    Map<String, OoxmlPackage.Rel> rels = pkg.exists(s.part()) ? pkg.rels(s.part()) : Map.of();
    for (OoxmlPackage.Rel r : rels.values()) {
      if (!r.external() && r.kind().equals("drawing") && pkg.exists(r.target())) {
        drawing(r.target(), items);
      }
    }
    // docling orders a sheet's items by their top row (a picture above a table comes first)
    items.sort(Comparator.comparingInt(Positioned::top));
    float w = 0;
    float h = 0;
    for (Positioned p : items) {
      p.emit.run();
      w = Math.max(w, p.right);
      h = Math.max(h, p.bottom);
    }
    tree.close();
    tree.page(page, w, h);
    if (group.children().isEmpty() && s.chartsheet()) {
      cx.warn("sheet '" + s.name() + "' is a chart sheet without readable charts");
    }
    comments(s, rels, data);
    tree.layer("body");
  }

  private record Positioned(int top, float right, float bottom, Runnable emit) {}

  private void readSheet(String part, SheetData data) throws IOException, JobException {
    try (InputStream in = pkg.open(part)) {
      XMLStreamReader r = Xml.stream(in);
      int row = -1;
      int col = -1;
      int nextCol = 0;
      String type = null;
      int style = 0;
      StringBuilder value = null;
      StringBuilder inline = null;
      boolean inV = false;
      boolean inT = false;
      int skip = 0;
      int rowNo = -1;
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          switch (r.getLocalName()) {
            case "row" -> {
              String rr = r.getAttributeValue(null, "r");
              rowNo = rr == null ? rowNo + 1 : parseInt(rr, rowNo + 2) - 1;
              nextCol = 0;
              if ((rowNo & 4095) == 0) {
                cx.checkCancelled();
              }
            }
            case "c" -> {
              String ref = r.getAttributeValue(null, "r");
              int[] rc = ref == null ? null : ref(ref);
              row = rc == null ? Math.max(rowNo, 0) : rc[0];
              col = rc == null ? nextCol : rc[1];
              nextCol = col + 1;
              type = r.getAttributeValue(null, "t");
              style = parseInt(r.getAttributeValue(null, "s"), 0);
              value = null;
              inline = null;
            }
            case "v" -> {
              inV = true;
              value = new StringBuilder();
            }
            case "is" -> inline = new StringBuilder();
            case "t" -> inT = inline != null && skip == 0;
            case "rPh" -> skip++;
            case "mergeCell" -> merge(r.getAttributeValue(null, "ref"), data);
            default -> { }
          }
        } else if (ev == XMLStreamConstants.CHARACTERS) {
          if (inV && value != null) {
            value.append(r.getText());
          } else if (inT && inline != null) {
            inline.append(r.getText());
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          switch (r.getLocalName()) {
            case "v" -> inV = false;
            case "t" -> inT = false;
            case "rPh" -> skip--;
            case "c" -> {
              String text = cellText(type, style, value, inline);
              if (text != null && row >= 0 && col >= 0 && col < (1 << 20)) {
                if (++cellsSeen > cx.limits().maxCells()) {
                  throw new LimitExceededException("the workbook has more than " + cx.limits().maxCells()
                      + " cells (max_cells)");
                }
                data.cells.put(key(row, col), text);
                data.maxRow = Math.max(data.maxRow, row);
                data.maxCol = Math.max(data.maxCol, col);
              }
            }
            default -> { }
          }
        }
      }
    } catch (XMLStreamException e) {
      throw new IOException("malformed sheet " + part + ": " + e.getMessage(), e);
    }
  }

  private String cellText(String type, int style, StringBuilder value, StringBuilder inline) {
    String t = type == null ? "n" : type;
    switch (t) {
      case "s" -> {
        if (value == null) {
          return null;
        }
        int i = parseInt(value.toString().strip(), -1);
        return i >= 0 && i < shared.size() ? shared.get(i) : null;
      }
      case "inlineStr" -> {
        return inline == null ? null : inline.toString();
      }
      case "b" -> {
        return value == null ? null : "1".equals(value.toString().strip()) ? "True" : "False";
      }
      case "str", "e" -> {
        return value == null ? null : value.toString();
      }
      case "d" -> {
        return value == null ? null : value.toString().replace('T', ' ');
      }
      default -> {
        if (value == null || value.toString().isBlank()) {
          return null;
        }
        boolean date = style >= 0 && style < dateStyles.size() && dateStyles.get(style);
        return CellValues.number(value.toString(), date, date1904);
      }
    }
  }

  private void merge(String ref, SheetData data) {
    if (ref == null) {
      return;
    }
    String[] parts = ref.split(":");
    int[] a = ref(parts[0]);
    int[] b = parts.length > 1 ? ref(parts[1]) : a;
    if (a == null || b == null) {
      return;
    }
    int r0 = Math.min(a[0], b[0]);
    int c0 = Math.min(a[1], b[1]);
    int r1 = Math.max(a[0], b[0]);
    int c1 = Math.max(a[1], b[1]);
    long area = (long) (r1 - r0 + 1) * (c1 - c0 + 1);
    if (area > cx.limits().maxCells()) {
      return; // a merge larger than the cell limit cannot be laid out; its anchor still shows
    }
    data.merges.putIfAbsent(key(r0, c0), new int[] {r1 - r0 + 1, c1 - c0 + 1});
    for (int r = r0; r <= r1; r++) {
      for (int c = c0; c <= c1; c++) {
        if (r != r0 || c != c0) {
          data.shadows.add(key(r, c));
        }
      }
    }
    data.maxRow = Math.max(data.maxRow, r1);
    data.maxCol = Math.max(data.maxCol, c1);
  }

  private static boolean content(SheetData d, int r, int c) {
    long k = key(r, c);
    return d.cells.containsKey(k) || d.merges.containsKey(k) || d.shadows.contains(k);
  }

  /** docling's table detection: a flood fill from each unvisited non-empty cell, row by row. */
  private void tables(SheetData d, List<Positioned> items) throws JobException {
    List<Long> starts = new ArrayList<>(d.cells.keySet());
    starts.sort(Long::compare);
    Set<Long> visited = new HashSet<>();
    for (long start : starts) {
      if (visited.contains(start)) {
        continue;
      }
      int sr = (int) (start >> 20);
      int sc = (int) (start & 0xFFFFF);
      ArrayDeque<long[]> queue = new ArrayDeque<>();
      Set<Long> region = new HashSet<>();
      queue.add(new long[] {sr, sc});
      region.add(start);
      int minR = sr;
      int maxR = sr;
      int minC = sc;
      int maxC = sc;
      while (!queue.isEmpty()) {
        long[] cur = queue.poll();
        int r = (int) cur[0];
        int c = (int) cur[1];
        minR = Math.min(minR, r);
        maxR = Math.max(maxR, r);
        minC = Math.min(minC, c);
        maxC = Math.max(maxC, c);
        int[][] dirs = {{0, 1}, {0, -1}, {1, 0}, {-1, 0}};
        for (int[] dir : dirs) {
          int nr = r + dir[0];
          int nc = c + dir[1];
          if (nr < 0 || nc < 0 || nr > d.maxRow || nc > d.maxCol) {
            continue;
          }
          long k = key(nr, nc);
          if (!region.contains(k) && content(d, nr, nc)) {
            region.add(k);
            queue.add(new long[] {nr, nc});
          }
        }
      }
      long area = (long) (maxR - minR + 1) * (maxC - minC + 1);
      tree.count(area);
      for (int r = minR; r <= maxR; r++) {
        for (int c = minC; c <= maxC; c++) {
          visited.add(key(r, c));
        }
      }
      cx.checkCancelled();
      addTable(d, minR, maxR, minC, maxC, items);
    }
  }

  private void addTable(SheetData d, int minR, int maxR, int minC, int maxC, List<Positioned> items) {
    List<TableCell> cells = new ArrayList<>();
    for (int r = minR; r <= maxR; r++) {
      for (int c = minC; c <= maxC; c++) {
        long k = key(r, c);
        if (d.shadows.contains(k)) {
          continue;
        }
        int[] span = d.merges.getOrDefault(k, new int[] {1, 1});
        int rs = Math.min(span[0], maxR - r + 1);
        int cs = Math.min(span[1], maxC - c + 1);
        cells.add(new TableCell(r - minR, c - minC, rs, cs, d.cells.getOrDefault(k, ""), r == minR, false, 0, 0, 0, 0));
      }
    }
    int rows = maxR - minR + 1;
    int cols = maxC - minC + 1;
    // a merged label across the first row above a header row: docling keeps it as text above the table
    List<TableCell> first = cells.stream().filter(c -> c.row() == 0 && !c.text().isBlank()).toList();
    if (rows >= 2 && cols >= 2 && first.size() == 1 && first.get(0).col() == 0 && first.get(0).rowSpan() == 1
        && first.get(0).colSpan() > 1 && cells.stream().filter(c -> c.row() == 1 && !c.text().isBlank()
        && c.colSpan() == 1).count() >= 2) {
      TableCell title = first.get(0);
      int top = minR;
      items.add(new Positioned(top, minC + title.colSpan(), top + 1, () -> {
        DocNode t = tree.text("text", title.text());
        tree.box(t, minC, top, minC + title.colSpan(), top + 1);
        tree.topLeft(t);
      }));
      List<TableCell> rest = new ArrayList<>();
      for (TableCell c : cells) {
        if (c.row() > 0) {
          rest.add(new TableCell(c.row() - 1, c.col(), c.rowSpan(), c.colSpan(), c.text(), c.row() == 1, false,
              0, 0, 0, 0));
        }
      }
      addTable(minR + 1, rows - 1, minC, cols, rest, items);
      return;
    }
    addTable(minR, rows, minC, cols, cells, items);
  }

  private void addTable(int top, int rows, int left, int cols, List<TableCell> cells, List<Positioned> items) {
    items.add(new Positioned(top, left + cols, top + rows, () -> {
      DocNode t = tree.table(new Table(0, left, top, left + cols, top + rows, rows, cols, cells, "xlsx"));
      tree.box(t, left, top, left + cols, top + rows);
      tree.topLeft(t);
    }));
  }

  // ------------------------------------------------------------------ drawings

  private void drawing(String part, List<Positioned> items) throws IOException {
    Element root = Xml.root(pkg.dom(part));
    Map<String, OoxmlPackage.Rel> rels = pkg.rels(part);
    for (Element anchor : Xml.children(root)) {
      String n = Xml.name(anchor);
      if (!n.endsWith("Anchor")) {
        continue;
      }
      int[] box = anchorBox(anchor);
      anchorContent(anchor, rels, box, items);
    }
  }

  private void anchorContent(Element container, Map<String, OoxmlPackage.Rel> rels, int[] box,
                             List<Positioned> items) throws IOException {
    for (Element c : Xml.children(container)) {
      switch (Xml.name(c)) {
        case "pic" -> items.add(new Positioned(box[1], box[2], box[3], () -> {
          DocNode p = tree.picture();
          tree.box(p, box[0], box[1], box[2], box[3]);
          tree.topLeft(p);
        }));
        case "graphicFrame" -> {
          Element chartRef = Xml.descendant(c, "chart");
          OoxmlPackage.Rel r = chartRef == null ? null : rels.get(Xml.rid(chartRef, "id"));
          if (r != null && !r.external() && pkg.exists(r.target())) {
            Charts.Chart chart;
            try {
              chart = Charts.read(Xml.root(pkg.dom(r.target())));
            } catch (IOException e) {
              if (LimitExceededException.find(e) != null) {
                throw e;
              }
              cx.warn("a chart could not be read: " + e.getMessage());
              continue;
            }
            items.add(new Positioned(box[1], box[2], box[3], () -> {
              DocNode caption = chart.title() == null ? null : tree.text("caption", chart.title());
              DocNode p = tree.chart(chart.kind(), chart.data());
              tree.box(p, box[0], box[1], box[2], box[3]);
              tree.topLeft(p);
              if (caption != null) {
                tree.caption(p, caption);
              }
            }));
          }
        }
        case "grpSp" -> anchorContent(c, rels, box, items);
        default -> { }
      }
    }
  }

  /** An anchor's cell box {left col, top row, right col, bottom row}, as docling computes it. */
  private static int[] anchorBox(Element anchor) {
    Element from = Xml.child(anchor, "from");
    Element to = Xml.child(anchor, "to");
    int fc = num(Xml.child(from, "col"));
    int fr = num(Xml.child(from, "row"));
    if (to != null) {
      return new int[] {fc, fr, num(Xml.child(to, "col")) + 1, num(Xml.child(to, "row")) + 1};
    }
    return new int[] {fc, fr, fc + 1, fr + 1};
  }

  private static int num(Element e) {
    return e == null ? 0 : parseInt(e.getTextContent().strip(), 0);
  }

  // ------------------------------------------------------------------ comments

  private record Comment(int row, int col, String text) {}

  private void comments(SheetRef s, Map<String, OoxmlPackage.Rel> rels, SheetData data) throws IOException {
    Map<Long, List<String>> threaded = new HashMap<>();
    List<Comment> out = new ArrayList<>();
    for (OoxmlPackage.Rel r : rels.values()) {
      if (!r.external() && r.kind().equals("threadedComment") && pkg.exists(r.target())) {
        for (Element tc : Xml.children(Xml.root(pkg.dom(r.target())), "threadedComment")) {
          int[] rc = ref(Xml.attr(tc, "ref"));
          Element text = Xml.child(tc, "text");
          if (rc == null || text == null) {
            continue;
          }
          String author = persons.getOrDefault(Xml.attr(tc, "personId"), "Unknown");
          String time = isoMillis(Xml.attr(tc, "dT"));
          String meta = "author: " + author + (time == null ? "" : ", time: " + time);
          // docling keeps one entry per cell, the last of its thread
          threaded.put(key(rc[0], rc[1]), List.of("[" + meta + "]: " + text.getTextContent().strip()));
        }
      }
    }
    for (OoxmlPackage.Rel r : rels.values()) {
      if (!r.external() && r.kind().equals("comments") && pkg.exists(r.target())) {
        Element root = Xml.root(pkg.dom(r.target()));
        List<String> authors = new ArrayList<>();
        for (Element a : Xml.children(Xml.child(root, "authors"), "author")) {
          authors.add(a.getTextContent());
        }
        for (Element c : Xml.children(Xml.child(root, "commentList"), "comment")) {
          int[] rc = ref(Xml.attr(c, "ref"));
          if (rc == null) {
            continue;
          }
          List<String> t = threaded.remove(key(rc[0], rc[1]));
          if (t != null) {
            t.forEach(x -> out.add(new Comment(rc[0], rc[1], x)));
            continue;
          }
          StringBuilder sb = new StringBuilder();
          for (Element te : Xml.descendants(c, "t")) {
            if (!Xml.hasAncestor(te, "rPh", c)) {
              sb.append(te.getTextContent());
            }
          }
          String text = sb.toString().strip();
          if (text.isEmpty()) {
            continue;
          }
          int ai = parseInt(Xml.attr(c, "authorId"), -1);
          String author = ai >= 0 && ai < authors.size() ? authors.get(ai) : "";
          out.add(new Comment(rc[0], rc[1], author.isEmpty() ? text : "[author: " + author + "]: " + text));
        }
      }
    }
    threaded.forEach((k, v) -> v.forEach(x -> out.add(new Comment((int) (k >> 20), (int) (k & 0xFFFFF), x))));
    out.sort(Comparator.comparingInt(Comment::row).thenComparingInt(Comment::col));
    String layer = tree.layer();
    tree.layer("notes");
    for (Comment c : out) {
      tree.open("comment-" + s.name() + "-" + colName(c.col) + (c.row + 1), "comment_section");
      tree.text("text", c.text);
      tree.close();
    }
    tree.layer(layer);
  }

  private static String isoMillis(String dt) {
    if (dt == null || dt.isBlank()) {
      return null;
    }
    String s = dt.strip().replace("Z", "");
    int dot = s.indexOf('.');
    String base = dot < 0 ? s : s.substring(0, dot);
    String frac = dot < 0 ? "" : AFTER_DIGITS.matcher(s.substring(dot + 1)).replaceAll("");
    frac = (frac + "000").substring(0, 3);
    return base + "." + frac;
  }

  // ------------------------------------------------------------------ references

  /** {@code B12} -> {row 11, col 1}; null when malformed. */
  static int[] ref(String ref) {
    if (ref == null) {
      return null;
    }
    int i = 0;
    int col = 0;
    String s = ref.replace("$", "");
    while (i < s.length() && Character.isLetter(s.charAt(i))) {
      col = col * 26 + (Character.toUpperCase(s.charAt(i)) - 'A' + 1);
      i++;
      if (col > (1 << 20)) {
        return null;
      }
    }
    if (i == 0 || i == s.length()) {
      return null;
    }
    int row = parseInt(s.substring(i), -1);
    return row < 1 ? null : new int[] {row - 1, col - 1};
  }

  static String colName(int col) {
    StringBuilder sb = new StringBuilder();
    int c = col + 1;
    while (c > 0) {
      int m = (c - 1) % 26;
      sb.insert(0, (char) ('A' + m));
      c = (c - 1) / 26;
    }
    return sb.toString();
  }

  private static int parseInt(String s, int dflt) {
    if (s == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
