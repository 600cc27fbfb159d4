package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;

/** Shape clean-ups shared by the detectors. */
final class TableShape {
  private TableShape() {
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
