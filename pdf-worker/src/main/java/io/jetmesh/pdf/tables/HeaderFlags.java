package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Marks column-header rows and the row-header column. The header is the top row (plus the rows a spanning
 * header cell of the top row reaches over) unless the top row already looks like data: numbers in columns
 * whose body is numeric. The first column is a row header when the body of every other column is mostly
 * numeric and the first column is mostly not.
 */
final class HeaderFlags {
  private static final Pattern NUMERIC =
      Pattern.compile("[\\s(\\[]*[-+−–$€£¥]?\\s*[\\d.,]+\\s*[%‰)\\]*]*[a-zA-Z]{0,2}\\s*");

  private HeaderFlags() {
  }

  static boolean isNumeric(String s) {
    return !s.isBlank() && NUMERIC.matcher(s).matches() && s.chars().anyMatch(Character::isDigit);
  }

  static List<TableCell> apply(List<TableCell> cells, int numRows, int numCols) {
    return apply(cells, numRows, numCols, -1);
  }

  /**
   * @param knownHeaderRows rows known to be the header (e.g. above a ruling), or -1 to guess
   */
  static List<TableCell> apply(List<TableCell> cells, int numRows, int numCols, int knownHeaderRows) {
    if (numRows < 2) {
      return cells;
    }
    int headerRows = knownHeaderRows >= 0 ? knownHeaderRows : guessHeaderRows(cells, numRows, numCols);
    boolean rowHeader = firstColumnIsRowHeader(cells, headerRows, numCols);
    List<TableCell> out = new ArrayList<>(cells.size());
    for (TableCell c : cells) {
      boolean ch = c.row() < headerRows;
      boolean rh = !ch && rowHeader && c.col() == 0;
      out.add(new TableCell(c.row(), c.col(), c.rowSpan(), c.colSpan(), c.text(), ch, rh, c.x0(), c.y0(),
          c.x1(), c.y1()));
    }
    return out;
  }

  private static int guessHeaderRows(List<TableCell> cells, int numRows, int numCols) {
    // top row is data when it has a numeric cell in a column (not the first) that is numeric below
    int numericTop = 0;
    int textTop = 0;
    int headerRows = 1;
    for (TableCell c : cells) {
      if (c.row() == 0) {
        if (isNumeric(c.text()) && c.col() > 0) {
          numericTop++;
        } else if (!c.text().isBlank()) {
          textTop++;
        }
        headerRows = Math.max(headerRows, c.rowSpan());
      }
    }
    if (numericTop > 0 && numericTop >= textTop && numRows > 2) {
      // years are the usual numeric headers: "2011 2012 2013"
      boolean years = true;
      for (TableCell c : cells) {
        if (c.row() == 0 && c.col() > 0 && isNumeric(c.text())) {
          years &= c.text().trim().matches("(19|20)\\d\\d");
        }
      }
      if (!years) {
        return 0;
      }
    }
    // a spanning cell in row 0 means the next row holds its sub-headers
    boolean spansCols = cells.stream().anyMatch(c -> c.row() == 0 && c.colSpan() > 1 && c.col() > 0);
    if (spansCols && numRows > 2) {
      headerRows = Math.max(headerRows, 2);
    }
    return Math.min(headerRows, numRows - 1);
  }

  private static boolean firstColumnIsRowHeader(List<TableCell> cells, int headerRows, int numCols) {
    if (numCols < 2) {
      return false;
    }
    int firstText = 0;
    int firstAll = 0;
    int otherNum = 0;
    int otherAll = 0;
    for (TableCell c : cells) {
      if (c.row() < headerRows || c.text().isBlank()) {
        continue;
      }
      if (c.col() == 0) {
        firstAll++;
        if (!isNumeric(c.text())) {
          firstText++;
        }
      } else {
        otherAll++;
        if (isNumeric(c.text())) {
          otherNum++;
        }
      }
    }
    return firstAll >= 2 && otherAll >= 2 && firstText >= 0.8 * firstAll && otherNum >= 0.6 * otherAll;
  }
}
