package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import java.util.Map;

/**
 * docling's {@code html} export: a standalone page ({@code <!DOCTYPE html>}, UTF-8, the document name as title)
 * with the title as {@code h1} and section headers as {@code h2..h6} by level, paragraphs, nested {@code ul}/{@code ol}
 * lists (ordered lists keep their first number), tables with {@code th} header cells and row/column spans, figures
 * with captions, code as {@code pre/code}, formulas as TeX in a {@code div.formula}, inline formatting and links.
 * Furniture and invisible items are left out, as in the Markdown export. Text is escaped; nothing is fetched.
 */
public final class HtmlExporter {
  private HtmlExporter() {}

  public static String html(DocumentModel doc) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\">\n<title>").append(esc(doc.name()))
        .append("</title>\n<style>\nhtml{background-color:#f5f5f5;font-family:Arial,sans-serif;line-height:1.6}\n"
            + "body{max-width:800px;margin:0 auto;padding:20px;background-color:white;color:#333}\n"
            + "table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ddd;padding:8px;"
            + "text-align:left}th{background-color:#f2f2f2;font-weight:bold}figure{margin:1.5em 0;text-align:center}"
            + "figcaption{color:#666;font-style:italic;margin-top:.5em}pre{background-color:#f8f8f8;border:1px solid "
            + "#ddd;border-radius:3px;padding:10px;overflow-x:auto}code{font-family:monospace}\n</style>\n"
            + "</head>\n<body>\n<div class='page'>\n");
    for (DocNode n : doc.body()) {
      node(n, sb);
    }
    sb.append("</div>\n</body>\n</html>\n");
    return sb.toString();
  }

  private static void node(DocNode n, StringBuilder sb) {
    if (!Exporters.exported(n)) {
      return;
    }
    switch (n.kind) {
      case GROUP -> {
        switch (n.groupLabel) {
          case "list" -> list(n, sb);
          case "inline" -> sb.append("<p>").append(inline(n)).append("</p>\n");
          case "sheet" -> {
            sb.append("<h2>").append(esc(n.groupName)).append("</h2>\n");
            n.children.forEach(c -> node(c, sb));
          }
          default -> n.children.forEach(c -> node(c, sb));
        }
      }
      case TABLE -> {
        table(n, sb);
      }
      case PICTURE -> {
        sb.append("<figure>");
        for (DocNode c : n.captions) {
          sb.append("<figcaption>").append(esc(c.text)).append("</figcaption>");
        }
        sb.append("</figure>\n");
        if (n.chartData != null) {
          table(n.chartData, null, java.util.List.of(), sb);
        }
      }
      default -> text(n, sb);
    }
  }

  private static void text(DocNode n, StringBuilder sb) {
    String line = lineHtml(n);
    switch (n.label) {
      case "title" -> sb.append("<h1>").append(line).append("</h1>\n");
      case "section_header" -> {
        int h = Math.min(6, Math.max(1, n.level) + 1);
        sb.append("<h").append(h).append('>').append(line).append("</h").append(h).append(">\n");
      }
      case "code" -> sb.append("<pre><code>").append(esc(n.text)).append("</code></pre>\n");
      case "formula" -> sb.append("<div class=\"formula\">").append(esc(n.text.isEmpty() ? "" : "$$" + n.text + "$$"))
          .append("</div>\n");
      case "caption" -> sb.append("<div class=\"caption\">").append(line).append("</div>\n");
      case "list_item" -> sb.append("<ul><li>").append(line).append("</li></ul>\n");
      case "checkbox_selected" -> sb.append("<p><input type=\"checkbox\" checked disabled> ").append(line).append("</p>\n");
      case "checkbox_unselected" -> sb.append("<p><input type=\"checkbox\" disabled> ").append(line).append("</p>\n");
      default -> {
        if (!line.isEmpty()) {
          sb.append("<p>").append(line).append("</p>\n");
        }
      }
    }
    for (DocNode c : n.children) {
      if (!n.captions.contains(c) && !(c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel))) {
        node(c, sb);
      }
    }
  }

  private static void list(DocNode g, StringBuilder sb) {
    boolean ordered = !g.children.isEmpty() && g.children.get(0).enumerated;
    String start = "";
    if (ordered && g.children.get(0).marker != null && g.children.get(0).marker.matches("\\d+[.)]?")) {
      String num = g.children.get(0).marker.replaceAll("[.)]", "");
      start = "1".equals(num) ? "" : " start=\"" + num + "\"";
    }
    sb.append(ordered ? "<ol" + start + ">\n" : "<ul>\n");
    for (DocNode item : g.children) {
      if (!Exporters.exported(item)) {
        continue;
      }
      if (item.kind != DocNode.Kind.TEXT) {
        sb.append("<li>");
        node(item, sb);
        sb.append("</li>\n");
        continue;
      }
      sb.append("<li>").append(lineHtml(item));
      for (DocNode c : item.children) {
        if (!(c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel))) {
          sb.append('\n');
          node(c, sb);
        }
      }
      sb.append("</li>\n");
    }
    sb.append(ordered ? "</ol>\n" : "</ul>\n");
  }

  private static void table(DocNode n, StringBuilder sb) {
    table(n.table, n.richCells, n.captions, sb);
  }

  private static void table(Table t, Map<TableCell, DocNode> rich, java.util.List<DocNode> captions, StringBuilder sb) {
    sb.append("<table>");
    for (DocNode c : captions) {
      sb.append("<caption>").append(esc(c.text)).append("</caption>");
    }
    sb.append("<tbody>");
    TableCell[][] start = new TableCell[t.numRows()][t.numCols()];
    for (TableCell c : t.cells()) {
      if (c.row() < t.numRows() && c.col() < t.numCols()) {
        start[c.row()][c.col()] = c;
      }
    }
    boolean[][] covered = new boolean[t.numRows()][t.numCols()];
    for (TableCell c : t.cells()) {
      for (int r = c.row(); r < Math.min(t.numRows(), c.row() + c.rowSpan()); r++) {
        for (int k = c.col(); k < Math.min(t.numCols(), c.col() + c.colSpan()); k++) {
          covered[r][k] = !(r == c.row() && k == c.col());
        }
      }
    }
    for (int r = 0; r < t.numRows(); r++) {
      sb.append("<tr>");
      for (int k = 0; k < t.numCols(); k++) {
        if (covered[r][k]) {
          continue;
        }
        TableCell c = start[r][k];
        boolean head = c != null && (c.columnHeader() || c.rowHeader());
        String tag = head ? "th" : "td";
        sb.append('<').append(tag);
        if (c != null && c.rowSpan() > 1) {
          sb.append(" rowspan=\"").append(c.rowSpan()).append('"');
        }
        if (c != null && c.colSpan() > 1) {
          sb.append(" colspan=\"").append(c.colSpan()).append('"');
        }
        sb.append('>');
        DocNode g = c == null || rich == null ? null : rich.get(c);
        if (g != null) {
          for (DocNode child : g.children) {
            node(child, sb);
          }
        } else if (c != null) {
          sb.append(esc(c.text()));
        }
        sb.append("</").append(tag).append('>');
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>\n");
  }

  private static String lineHtml(DocNode n) {
    String t = inline(n);
    for (DocNode c : n.children) {
      if (c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel)) {
        String s = inline(c);
        t = t.isEmpty() ? s : s.isEmpty() ? t : t + " " + s;
      }
    }
    return t;
  }

  private static String inline(DocNode n) {
    if (n.kind == DocNode.Kind.GROUP) {
      StringBuilder sb = new StringBuilder();
      for (DocNode c : n.children) {
        if (!Exporters.exported(c)) {
          continue;
        }
        String s = c.kind == DocNode.Kind.TEXT || "inline".equals(c.groupLabel) ? inline(c) : "";
        if (!s.isEmpty()) {
          sb.append(sb.length() > 0 ? " " : "").append(s);
        }
      }
      return sb.toString();
    }
    if (n.kind != DocNode.Kind.TEXT || n.text.isEmpty()) {
      return "";
    }
    String t = esc(n.text);
    if ("code".equals(n.label)) {
      t = "<code>" + t + "</code>";
    } else if ("formula".equals(n.label)) {
      t = "<span class=\"formula\">$" + t + "$</span>";
    }
    Formatting f = n.formatting;
    if (f != null) {
      if ("sub".equals(f.script())) {
        t = "<sub>" + t + "</sub>";
      } else if ("super".equals(f.script())) {
        t = "<sup>" + t + "</sup>";
      }
      if (f.underline()) {
        t = "<u>" + t + "</u>";
      }
      if (f.strikethrough()) {
        t = "<del>" + t + "</del>";
      }
      if (f.italic()) {
        t = "<em>" + t + "</em>";
      }
      if (f.bold()) {
        t = "<strong>" + t + "</strong>";
      }
    }
    if (n.hyperlink != null) {
      t = "<a href=\"" + esc(n.hyperlink) + "\">" + t + "</a>";
    }
    return t;
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
