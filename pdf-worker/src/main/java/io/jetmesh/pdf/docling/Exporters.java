package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import java.util.List;

/**
 * Markdown in docling's conventions ({@code ##} section headers by level, {@code #} title, {@code - } and
 * {@code 1. } list items indented by nesting, pipe tables with the first row as header, captions before their table
 * or picture, {@code <!-- image -->} for pictures, fenced code, blank lines between blocks, furniture left out) and
 * plain text (the same blocks without markup; tables as tab-separated rows).
 */
public final class Exporters {
  private Exporters() {}

  public static String markdown(DocumentModel doc) {
    StringBuilder sb = new StringBuilder();
    for (DocNode n : doc.body()) {
      md(n, sb, 0);
    }
    return sb.toString().strip() + "\n";
  }

  public static String text(DocumentModel doc) {
    StringBuilder sb = new StringBuilder();
    for (DocNode n : doc.body()) {
      txt(n, sb);
    }
    return sb.toString().strip() + "\n";
  }

  private static void block(StringBuilder sb, String s) {
    if (sb.length() > 0) {
      sb.append("\n\n");
    }
    sb.append(s);
  }

  /** Whether an item is part of the Markdown and text exports: body and notes (comments), not furniture. */
  static boolean exported(DocNode n) {
    if ("notes".equals(n.layer)) {
      // docling's Markdown shows comments, not speaker notes
      return n.kind == DocNode.Kind.GROUP && "comment_section".equals(n.groupLabel);
    }
    return !n.furniture && !"invisible".equals(n.layer) && !"furniture".equals(n.layer);
  }

  private static void md(DocNode n, StringBuilder sb, int depth) {
    if (!exported(n)) {
      return;
    }
    if (n.kind == DocNode.Kind.GROUP && !"list".equals(n.groupLabel)) {
      switch (n.groupLabel) {
        case "inline" -> block(sb, inlineMd(n));
        case "comment_section" -> n.children.forEach(c -> block(sb, c.text));
        case "sheet" -> {
          // docling prints a sheet's name as a heading above its tables
          block(sb, "## " + n.groupName);
          n.children.forEach(c -> md(c, sb, depth));
        }
        default -> n.children.forEach(c -> md(c, sb, depth));
      }
      return;
    }
    switch (n.kind) {
      case GROUP -> {
        int i = 0;
        StringBuilder list = new StringBuilder();
        for (DocNode item : n.children) {
          listItem(item, list, "    ".repeat(depth), ++i);
        }
        if (list.length() > 0) {
          block(sb, list.toString().stripTrailing());
        }
      }
      case TABLE -> {
        for (DocNode c : n.captions) {
          block(sb, c.text);
        }
        block(sb, n.richCells == null ? pipeTable(n.table) : pipeTable(n.table, richTexts(n)));
      }
      case PICTURE -> {
        for (DocNode c : n.captions) {
          block(sb, c.text);
        }
        block(sb, "<!-- image -->");
        if (n.chartData != null) {
          if (n.chartKind != null) {
            block(sb, chartName(n.chartKind));
          }
          block(sb, pipeTable(n.chartData));
        }
      }
      default -> {
        switch (n.label) {
          case "title" -> block(sb, "# " + lineMd(n));
          case "section_header" -> block(sb, "#".repeat(Math.min(6, Math.max(1, n.level) + 1)) + " " + lineMd(n));
          case "code" -> {
            // docling prints a code caption after the listing
            block(sb, "```\n" + n.text + "\n```");
            for (DocNode c : n.captions) {
              block(sb, c.text);
            }
          }
          case "formula" -> block(sb, n.text.isEmpty() ? "<!-- formula-not-decoded -->" : "$$" + n.text + "$$");
          case "list_item" -> {
            StringBuilder l = new StringBuilder();
            listItem(n, l, "    ".repeat(depth), 1);
            block(sb, l.toString().stripTrailing());
          }
          default -> {
            String line = lineMd(n);
            if (!line.isEmpty()) {
              block(sb, line);
            }
            // items nested under a text item (docling's heading hierarchy)
            for (DocNode c : n.children) {
              if (!n.captions.contains(c) && !(c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel))) {
                md(c, sb, depth);
              }
            }
          }
        }
      }
    }
  }

  /**
   * One item and its sub-lists. Docling indents a sub-list by 4 spaces, which CommonMark (GitHub, markdown-it) reads
   * as a nested list only when the parent is a real list item and the 4 spaces reach its text: so every bullet is a
   * CommonMark marker ({@code -} or {@code N.}; a marker CommonMark does not know, such as {@code a.}, {@code iv.} or
   * a multi-level {@code 1.2.}, stays in the text after {@code -}, as docling writes "- 1.1. Morning Walk"), and a
   * sub-list is indented by 4 spaces or, under a marker wider than 3 characters ({@code 100.}), by that width.
   */
  private static void listItem(DocNode item, StringBuilder sb, String indent, int ordinal) {
    if (item.kind != DocNode.Kind.TEXT) {
      StringBuilder tmp = new StringBuilder();
      md(item, tmp, indent.length() / 4);
      sb.append(tmp).append('\n');
      return;
    }
    String marker = item.enumerated && item.marker != null ? normalizeEnum(item.marker, ordinal) : "-";
    String bullet = COMMONMARK_ORDERED.matcher(marker).matches() ? marker : "-";
    String text = inlineMd(item);
    if (!bullet.equals(marker)) {
      text = marker + " " + text;
    }
    for (DocNode c : item.children) {
      if (c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel)) {
        text = (text.isEmpty() ? "" : text + " ") + inlineMd(c);
      }
    }
    sb.append(indent).append(bullet).append(' ').append(text).append('\n');
    String childIndent = indent + " ".repeat(Math.max(4, bullet.length() + 1));
    for (DocNode c : item.children) {
      if (c.kind != DocNode.Kind.GROUP && exported(c)) {
        // a picture, table or code block inside a list item: docling prints it after the item's line
        StringBuilder tmp = new StringBuilder();
        md(c, tmp, 0);
        if (tmp.length() > 0) {
          sb.append(tmp).append('\n');
        }
        continue;
      }
      if (c.kind == DocNode.Kind.GROUP && "list".equals(c.groupLabel)) {
        int i = 0;
        for (DocNode sub : c.children) {
          listItem(sub, sb, childIndent, ++i);
        }
      }
    }
  }

  /** An ordered-list marker CommonMark accepts: 1 to 9 digits and a period. */
  private static final java.util.regex.Pattern COMMONMARK_ORDERED = java.util.regex.Pattern.compile("\\d{1,9}\\.");

  /**
   * A text item (or inline group) as Markdown inline content: formatting as {@code **bold**}, {@code *italic*},
   * {@code ~~struck~~}, code as {@code `code`}, formulas as {@code $tex$}, links as {@code [text](url)}, checkboxes as
   * {@code - [x] text}; the children of an inline group joined by spaces.
   */
  static String inlineMd(DocNode n) {
    if (n.kind == DocNode.Kind.GROUP) {
      StringBuilder sb = new StringBuilder();
      for (DocNode c : n.children) {
        if (!exported(c)) {
          continue;
        }
        String s = c.kind == DocNode.Kind.GROUP && !"inline".equals(c.groupLabel) ? nestedMd(c) : inlineMd(c);
        if (!s.isEmpty()) {
          if (sb.length() > 0) {
            sb.append(' ');
          }
          sb.append(s);
        }
      }
      return sb.toString();
    }
    if (n.kind != DocNode.Kind.TEXT) {
      return nestedMd(n);
    }
    String t = n.text;
    if (t.isEmpty()) {
      return t;
    }
    switch (n.label) {
      case "formula" -> t = "$" + t + "$";
      default -> {
        t = "code".equals(n.label) ? "`" + t + "`" : escapeText(t);
        Formatting f = n.formatting;
        if (f != null) {
          if (f.strikethrough()) {
            t = "~~" + t + "~~";
          }
          if (f.italic()) {
            t = "*" + t + "*";
          }
          if (f.bold()) {
            t = "**" + t + "**";
          }
        }
      }
    }
    if (n.hyperlink != null) {
      t = "[" + t + "](" + n.hyperlink + ")";
    }
    if ("checkbox_selected".equals(n.label)) {
      t = "- [x] " + t;
    } else if ("checkbox_unselected".equals(n.label)) {
      t = "- [ ] " + t;
    }
    return t;
  }

  /** A text item and the inline groups it holds, on one line. */
  private static String lineMd(DocNode n) {
    String t = inlineMd(n);
    for (DocNode c : n.children) {
      if (c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel)) {
        String s = inlineMd(c);
        t = t.isEmpty() ? s : s.isEmpty() ? t : t + " " + s;
      }
    }
    return t;
  }

  /** docling's Markdown text escaping: HTML special characters as entities, underscores backslashed. */
  static String escapeText(String t) {
    if (t.indexOf('&') < 0 && t.indexOf('<') < 0 && t.indexOf('>') < 0 && t.indexOf('_') < 0) {
      return t;
    }
    StringBuilder sb = new StringBuilder(t.length() + 8);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '_' -> sb.append("\\_");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Block content rendered on one line (inside a table cell or an inline group). */
  private static String nestedMd(DocNode n) {
    StringBuilder sb = new StringBuilder();
    md(n, sb, 0);
    return sb.toString().replace("\n", " ").strip();
  }

  /** A rich table's cells rendered as one-line Markdown, keyed by grid position. */
  private static java.util.Map<TableCell, String> richTexts(DocNode table) {
    java.util.Map<TableCell, String> m = new java.util.HashMap<>();
    for (java.util.Map.Entry<TableCell, DocNode> e : table.richCells.entrySet()) {
      StringBuilder sb = new StringBuilder();
      for (DocNode c : e.getValue().children) {
        md(c, sb, 0);
      }
      m.put(e.getKey(), sb.toString().replace("\n", " ").strip());
    }
    return m;
  }

  private static String chartName(String kind) {
    String s = kind.replace('_', ' ');
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String normalizeEnum(String marker, int ordinal) {
    String m = marker.replace("(", "");
    if (m.endsWith(")")) {
      m = m.substring(0, m.length() - 1) + ".";
    }
    return m.isEmpty() ? ordinal + "." : m;
  }

  static String pipeTable(Table t) {
    return pipeTable(t, java.util.Map.of());
  }

  private static String pipeTable(Table t, java.util.Map<TableCell, String> rich) {
    String[][] g = denseGrid(t);
    if (!rich.isEmpty()) {
      for (TableCell c : t.cells()) {
        String r = rich.get(c);
        if (r != null) {
          for (int row = c.row(); row < Math.min(t.numRows(), c.row() + c.rowSpan()); row++) {
            for (int k = c.col(); k < Math.min(t.numCols(), c.col() + c.colSpan()); k++) {
              g[row][k] = r;
            }
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < g.length; r++) {
      sb.append('|');
      for (String cell : g[r]) {
        sb.append(' ').append(cell.replace("|", "&#124;").replace('\n', ' ')).append(" |");
      }
      sb.append('\n');
      if (r == 0) {
        sb.append('|');
        for (int k = 0; k < g[r].length; k++) {
          sb.append(" - |");
        }
        sb.append('\n');
      }
    }
    return sb.toString().stripTrailing();
  }

  /** The table as a grid where spanning cells repeat their text in every covered position (as docling's export). */
  public static String[][] denseGrid(Table t) {
    String[][] g = new String[t.numRows()][t.numCols()];
    for (String[] row : g) {
      java.util.Arrays.fill(row, "");
    }
    for (TableCell c : t.cells()) {
      for (int r = c.row(); r < Math.min(t.numRows(), c.row() + c.rowSpan()); r++) {
        for (int k = c.col(); k < Math.min(t.numCols(), c.col() + c.colSpan()); k++) {
          g[r][k] = c.text();
        }
      }
    }
    return g;
  }

  /** An inline group's text items joined by spaces, without markup. */
  private static String inlineText(DocNode g) {
    StringBuilder sb = new StringBuilder();
    for (DocNode c : g.children) {
      if (!exported(c)) {
        continue;
      }
      String s = c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel) ? inlineText(c) : c.text;
      if (c.kind != DocNode.Kind.TEXT && c.kind != DocNode.Kind.GROUP) {
        continue;
      }
      if (!s.isEmpty()) {
        sb.append(sb.length() > 0 ? " " : "").append(s);
      }
    }
    return sb.toString();
  }

  /** RFC 4180 CSV of the dense grid. */
  public static String csv(Table t) {
    StringBuilder sb = new StringBuilder();
    for (String[] row : denseGrid(t)) {
      for (int k = 0; k < row.length; k++) {
        if (k > 0) {
          sb.append(',');
        }
        String v = row[k];
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0) {
          sb.append('"').append(v.replace("\"", "\"\"")).append('"');
        } else {
          sb.append(v);
        }
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  private static void txt(DocNode n, StringBuilder sb) {
    if (!exported(n)) {
      return;
    }
    switch (n.kind) {
      case GROUP -> {
        if ("inline".equals(n.groupLabel)) {
          block(sb, inlineText(n));
          return;
        }
        if ("sheet".equals(n.groupLabel)) {
          block(sb, n.groupName);
        }
        if ("comment_section".equals(n.groupLabel)) {
          n.children.forEach(c -> block(sb, c.text));
          return;
        }
        for (DocNode c : n.children) {
          txt(c, sb);
        }
      }
      case TABLE -> {
        for (DocNode c : n.captions) {
          block(sb, c.text);
        }
        StringBuilder t = new StringBuilder();
        for (String[] row : denseGrid(n.table)) {
          t.append(String.join("\t", row)).append('\n');
        }
        block(sb, t.toString().stripTrailing());
      }
      case PICTURE -> {
        for (DocNode c : n.captions) {
          block(sb, c.text);
        }
      }
      default -> {
        StringBuilder line = new StringBuilder(n.text);
        for (DocNode c : n.children) {
          if (c.kind == DocNode.Kind.GROUP && "inline".equals(c.groupLabel)) {
            line.append(line.length() > 0 ? " " : "").append(inlineText(c));
          }
        }
        block(sb, line.toString());
        for (DocNode c : n.children) {
          if (c.kind == DocNode.Kind.GROUP ? !"inline".equals(c.groupLabel) : !n.captions.contains(c)) {
            txt(c, sb);
          }
        }
        if ("code".equals(n.label)) {
          for (DocNode c : n.captions) {
            block(sb, c.text);
          }
        }
      }
    }
  }

}
