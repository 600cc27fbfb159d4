package io.jetmesh.text;

import java.util.List;
import java.util.Objects;

/**
 * One structural element of a document in reading order, whatever the input format was: a heading, a paragraph, a
 * list item, a table, code. Chunking, language detection and statistics all work on a list of these.
 *
 * @param kind what the element is
 * @param text its text (for a table: the rows joined as Markdown; {@link #table()} holds the cells)
 * @param level heading level (1 = top section; 0 = document title); 0 for other kinds
 * @param pages page numbers (1-based) the element appears on; empty when the input has no pages
 * @param ref the source item id ({@code #/texts/12} in a DoclingDocument, {@code #/lines/40} in text input)
 * @param table rows of a table, else {@code null}
 */
record DocItem(Kind kind, String text, int level, List<Integer> pages, String ref, Table table) {
  enum Kind {
    TITLE, HEADING, PARAGRAPH, LIST_ITEM, TABLE, CODE, FORMULA, CAPTION;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean isHeading() {
      return this == TITLE || this == HEADING;
    }
  }

  /**
   * A table as rows of cell texts; the first {@code headerRows} rows are column headers, repeated when a table is
   * split across chunks. {@code caption} is the table's caption text (may be empty).
   */
  record Table(List<List<String>> rows, int headerRows, String caption) {
    Table {
      rows = List.copyOf(rows);
      headerRows = Math.max(0, Math.min(headerRows, rows.size()));
      caption = caption == null ? "" : caption;
    }

    /** A row as one Markdown table line. */
    static String rowText(List<String> row) {
      StringBuilder sb = new StringBuilder("|");
      for (String cell : row) {
        sb.append(' ').append(cell.replace('\n', ' ').replace("|", "\\|")).append(" |");
      }
      return sb.toString();
    }

    /** The Markdown separator line that follows the header rows. */
    static String separator(int columns) {
      return "|" + "---|".repeat(Math.max(1, columns));
    }

    int columns() {
      int n = 0;
      for (List<String> r : rows) {
        n = Math.max(n, r.size());
      }
      return n;
    }

    String toMarkdown() {
      StringBuilder sb = new StringBuilder();
      if (!caption.isEmpty()) {
        sb.append(caption).append('\n');
      }
      for (int i = 0; i < rows.size(); i++) {
        if (i > 0) {
          sb.append('\n');
        }
        sb.append(rowText(rows.get(i)));
        if (i == headerRows - 1) {
          sb.append('\n').append(separator(columns()));
        }
      }
      return sb.toString();
    }
  }

  DocItem {
    Objects.requireNonNull(kind, "kind == null");
    text = text == null ? "" : text;
    pages = pages == null ? List.of() : List.copyOf(pages);
  }

  static DocItem of(Kind kind, String text, String ref) {
    return new DocItem(kind, text, 0, List.of(), ref, null);
  }
}
