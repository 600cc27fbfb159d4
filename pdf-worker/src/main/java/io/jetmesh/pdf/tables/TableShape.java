package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;

/** Shape clean-ups shared by the detectors. */
final class TableShape {
  private TableShape() {
  }

  /** Cells on a grid without redundant lines, with the new row and column counts. */
  record Collapsed(List<TableCell> cells, int numRows, int numCols) {}

  /**
   * Removes the grid lines at which no cell starts: every cell spans them, so they separate nothing. Such lines come
   * from rulings drawn inside one cell that touch the table's own (a table nested in a cell, a rule under a cell's
   * heading): the outer table keeps its own rows and columns and the nested one stays inside its cell.
   */
  static Collapsed collapseUnusedLines(List<TableCell> cells, int numRows, int numCols) {
    boolean[] rowStarts = new boolean[numRows + 1];
    boolean[] colStarts = new boolean[numCols + 1];
    rowStarts[0] = true;
    colStarts[0] = true;
    for (TableCell c : cells) {
      rowStarts[c.row()] = true;
      colStarts[c.col()] = true;
    }
    int[] rowIdx = ranks(rowStarts, numRows);
    int[] colIdx = ranks(colStarts, numCols);
    if (rowIdx[numRows] == numRows && colIdx[numCols] == numCols) {
      return new Collapsed(cells, numRows, numCols);
    }
    List<TableCell> out = new ArrayList<>(cells.size());
    for (TableCell c : cells) {
      int r = rowIdx[c.row()];
      int k = colIdx[c.col()];
      int rEnd = rowIdx[Math.min(numRows, c.row() + c.rowSpan())];
      int kEnd = colIdx[Math.min(numCols, c.col() + c.colSpan())];
      out.add(new TableCell(r, k, Math.max(1, rEnd - r), Math.max(1, kEnd - k), c.text(), c.columnHeader(),
          c.rowHeader(), c.x0(), c.y0(), c.x1(), c.y1()));
    }
    return new Collapsed(out, rowIdx[numRows], colIdx[numCols]);
  }

  /**
   * For each grid line 0..n: the number of kept lines before it (kept: a cell starts there). A cell ending at a line
   * that is not kept ends at the next kept one, which has that same rank; the last line (n) ranks as the count.
   */
  private static int[] ranks(boolean[] starts, int n) {
    int[] idx = new int[n + 1];
    int k = 0;
    for (int i = 0; i <= n; i++) {
      idx[i] = k;
      if (i < n && starts[i]) {
        k++;
      }
    }
    return idx;
  }

  /** Cells after trimming, with the new row count and the vertical extent of what remains. */
  record Trimmed(List<TableCell> cells, int numRows, float top, float bottom) {
    float y0(float fallback) {
      return cells.isEmpty() ? fallback : top;
    }

    float y1(float fallback) {
      return cells.isEmpty() ? fallback : bottom;
    }
  }

  /**
   * Drops leading and trailing rows that hold nothing but one cell spanning the full width (a caption, a
   * title, a "Source:" or "reads:" note inside the table's frame) or nothing at all. Cells reaching into a
   * dropped row are clipped.
   */
  static Trimmed trimCaptionRows(List<TableCell> cells, int numRows, int numCols) {
    int top = 0;
    while (top < numRows && isCaptionRow(cells, top, numCols)) {
      top++;
    }
    int bottom = numRows - 1;
    while (bottom > top && isCaptionRow(cells, bottom, numCols)) {
      bottom--;
    }
    if (top == 0 && bottom == numRows - 1) {
      return new Trimmed(cells, numRows, minY(cells), maxY(cells));
    }
    List<TableCell> out = new ArrayList<>();
    for (TableCell c : cells) {
      int r0 = Math.max(c.row(), top);
      int r1 = Math.min(c.row() + c.rowSpan() - 1, bottom);
      if (r1 < r0) {
        continue;
      }
      if (r0 != c.row() && !c.text().isBlank()) {
        continue; // its text belongs to a dropped row
      }
      out.add(new TableCell(r0 - top, c.col(), r1 - r0 + 1, c.colSpan(), c.text(), c.columnHeader(),
          c.rowHeader(), c.x0(), c.y0(), c.x1(), c.y1()));
    }
    return new Trimmed(out, bottom - top + 1, minY(out), maxY(out));
  }

  /** True when the only text touching the row is one cell covering every column, or there is none. */
  private static boolean isCaptionRow(List<TableCell> cells, int row, int numCols) {
    int texts = 0;
    boolean fullWidth = false;
    for (TableCell c : cells) {
      if (c.row() <= row && row < c.row() + c.rowSpan() && !c.text().isBlank()) {
        texts++;
        fullWidth = c.colSpan() >= numCols;
      }
    }
    return texts == 0 || texts == 1 && fullWidth;
  }

  private static float minY(List<TableCell> cells) {
    float y = Float.MAX_VALUE;
    for (TableCell c : cells) {
      y = Math.min(y, c.y0());
    }
    return y;
  }

  private static float maxY(List<TableCell> cells) {
    float y = -Float.MAX_VALUE;
    for (TableCell c : cells) {
      y = Math.max(y, c.y1());
    }
    return y;
  }
}
