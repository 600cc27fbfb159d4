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

  private static void md(DocNode n, StringBuilder sb, int depth) {
    if (n.furniture) {
      return;
    }
    switch (n.kind) {
      case GROUP -> {
        int i = 0;
        StringBuilder list = new StringBuilder();
        for (DocNode item : n.children) {
          listItem(item, list, depth, ++i);
        }
        if (list.length() > 0) {
          block(sb, list.toString().stripTrailing());
        }
      }
      case TABLE -> {
        for (DocNode c : n.captions) {
          block(sb, c.text);
        }
        block(sb, pipeTable(n.table));
      }
      case PICTURE -> {
        for (DocNode c : n.captions) {
          block(sb, c.text);
        }
        block(sb, "<!-- image -->");
      }
      default -> {
        switch (n.label) {
          case "title" -> block(sb, "# " + n.text);
          case "section_header" -> block(sb, "#".repeat(Math.min(6, Math.max(1, n.level) + 1)) + " " + n.text);
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
            listItem(n, l, depth, 1);
            block(sb, l.toString().stripTrailing());
          }
          default -> block(sb, n.text);
        }
      }
    }
  }

  private static void listItem(DocNode item, StringBuilder sb, int depth, int ordinal) {
    if (item.kind != DocNode.Kind.TEXT) {
      StringBuilder tmp = new StringBuilder();
      md(item, tmp, depth);
      sb.append(tmp).append('\n');
      return;
    }
    String bullet = item.enumerated && item.marker != null ? normalizeEnum(item.marker, ordinal) : "-";
    sb.append("    ".repeat(depth)).append(bullet).append(' ').append(item.text).append('\n');
    for (DocNode c : item.children) {
      if (c.kind == DocNode.Kind.GROUP) {
        int i = 0;
        for (DocNode sub : c.children) {
          listItem(sub, sb, depth + 1, ++i);
        }
      }
    }
  }

  private static String normalizeEnum(String marker, int ordinal) {
    String m = marker.replace("(", "");
    if (m.endsWith(")")) {
      m = m.substring(0, m.length() - 1) + ".";
    }
    return m.isEmpty() ? ordinal + "." : m;
  }

  static String pipeTable(Table t) {
    String[][] g = denseGrid(t);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < g.length; r++) {
      sb.append('|');
      for (String cell : g[r]) {
        sb.append(' ').append(cell.replace("|", "\\|").replace('\n', ' ')).append(" |");
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
    if (n.furniture) {
      return;
    }
    switch (n.kind) {
      case GROUP -> {
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
        block(sb, n.text);
        for (DocNode c : n.children) {
          if (c.kind == DocNode.Kind.GROUP || !n.captions.contains(c)) {
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
