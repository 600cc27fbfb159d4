package io.jetmesh.pdf.tables;

import java.util.List;
import java.util.Objects;

/**
 * A table found on one page. Box in PDF points, top-left origin. {@code cells} holds one entry per
 * grid position that starts a cell (spanned positions are covered by the spanning cell and not repeated),
 * ordered by row then column.
 *
 * @param method {@code "lattice"} (found from rulings) or {@code "stream"} (found from whitespace alignment)
 */
public record Table(int pageNo, float x0, float y0, float x1, float y1, int numRows, int numCols,
                    List<TableCell> cells, String method) {
  public Table {
    cells = List.copyOf(Objects.requireNonNull(cells, "cells == null"));
    Objects.requireNonNull(method, "method == null");
  }

  /** The table as a dense grid of texts; a spanning cell's text is at its top-left position, the rest empty. */
  public String[][] grid() {
    String[][] g = new String[numRows][numCols];
    for (String[] row : g) {
      java.util.Arrays.fill(row, "");
    }
    for (TableCell c : cells) {
      g[c.row()][c.col()] = c.text();
    }
    return g;
  }
}
