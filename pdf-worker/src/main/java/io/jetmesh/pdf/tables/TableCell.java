package io.jetmesh.pdf.tables;

import java.util.Objects;

/**
 * One cell of a {@link Table}: 0-based start row/column, spans (>= 1), text (lines joined by a space),
 * header flags, and box (PDF points, top-left origin).
 */
public record TableCell(int row, int col, int rowSpan, int colSpan, String text, boolean columnHeader,
                        boolean rowHeader, float x0, float y0, float x1, float y1) {
  public TableCell {
    Objects.requireNonNull(text, "text == null");
    if (row < 0 || col < 0 || rowSpan < 1 || colSpan < 1) {
      throw new IllegalArgumentException(
          "bad cell position row=" + row + " col=" + col + " rowSpan=" + rowSpan + " colSpan=" + colSpan);
    }
  }
}
