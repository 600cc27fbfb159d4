package io.jetmesh.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table as docling-core's {@code MarkdownTableSerializer} writes it ({@code transforms/serializer/markdown.py}):
 * {@code tabulate(rows[1:], headers=rows[0], tablefmt="github", disable_numparse=True, colalign=...)} with
 * python-tabulate 0.9. Values are never reformatted ({@code 12.0} stays {@code 12.0}); a column whose data cells all
 * parse as Python int or float (tabulate's {@code _column_type}) is right-aligned, header included, any other column
 * left-aligned; cells are stripped; a column is at least two characters wider than its header; one space of
 * padding and a {@code |---|} rule under the header. Widths count code points (tabulate without the optional
 * {@code wcwidth}). Checked against docling's own rendering of its test table
 * ({@code |   2014 |                92.7 |                   12.0 | 379,592     |}).
 */
final class GithubTable {
  private GithubTable() {}

  private static final Pattern INT = Pattern.compile("[+-]?\\d+(?:_\\d+)*", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:(?:\\d+(?:_\\d+)*)?\\.\\d+(?:_\\d+)*|\\d+(?:_\\d+)*\\.?)(?:[eE][+-]?\\d+(?:_\\d+)*)?",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  /** The table text; {@code rows.get(0)} is the header row. Empty for no rows. */
  static String render(List<List<String>> rows) {
    if (rows.isEmpty()) {
      return "";
    }
    List<String> headers = new ArrayList<>(rows.get(0));
    List<List<String>> body = rows.subList(1, rows.size());
    int ncols = headers.size();
    for (List<String> r : body) {
      ncols = Math.max(ncols, r.size());
    }
    while (headers.size() < ncols) {
      headers.add(0, ""); // tabulate pads a short header row on the left
    }
    boolean[] right = new boolean[ncols];
    int[] widths = new int[ncols];
    String[][] cells = new String[body.size()][ncols];
    for (int c = 0; c < ncols; c++) {
      // docling computes colalign over the data rows only when there is at least one
      boolean numeric = !body.isEmpty();
      for (List<String> r : body) {
        numeric &= isNumeric(c < r.size() ? r.get(c) : "");
      }
      right[c] = numeric;
      int w = PyText.length(headers.get(c)) + 2; // tabulate's MIN_PADDING
      for (int k = 0; k < body.size(); k++) {
        List<String> r = body.get(k);
        String v = PyText.strip(c < r.size() && r.get(c) != null ? r.get(c) : "");
        cells[k][c] = v;
        w = Math.max(w, PyText.length(v));
      }
      widths[c] = w;
    }
    StringBuilder sb = new StringBuilder("|");
    for (int c = 0; c < ncols; c++) {
      sb.append(' ').append(pad(headers.get(c), widths[c], right[c])).append(" |");
    }
    sb.append("\n|");
    for (int c = 0; c < ncols; c++) {
      sb.append("-".repeat(widths[c] + 2)).append('|');
    }
    for (String[] row : cells) {
      sb.append("\n|");
      for (int c = 0; c < ncols; c++) {
        sb.append(' ').append(pad(row[c], widths[c], right[c])).append(" |");
      }
    }
    return sb.toString();
  }

  private static String pad(String s, int width, boolean right) {
    int n = width - PyText.length(s);
    if (n <= 0) {
      return s;
    }
    return right ? " ".repeat(n) + s : s + " ".repeat(n);
  }

  /** tabulate 0.9's {@code _type(s)} is int or float: Python's {@code int(s)} or {@code float(s)} succeeds. */
  static boolean isNumeric(String s) {
    if (s.equals("True") || s.equals("False")) {
      return false; // bool
    }
    String t = PyText.strip(s);
    if (INT.matcher(t).matches() || FLOAT.matcher(t).matches()) {
      return true;
    }
    if (SPECIAL.matcher(t).matches()) {
      // _isnumber: inf and nan only as these exact words
      String lower = s.toLowerCase(java.util.Locale.ROOT);
      return lower.equals("inf") || lower.equals("-inf") || lower.equals("nan");
    }
    return false;
  }
}
