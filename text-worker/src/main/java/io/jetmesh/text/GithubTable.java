package io.jetmesh.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table as docling's {@code MarkdownTableSerializer} writes it: python-tabulate 0.9's
 * {@code tabulate(rows[1:], headers=rows[0], tablefmt="github")}. That is, per column: the type of its values
 * (int, float, bool or text, as tabulate parses numbers, thousands separators included), floats reformatted with
 * {@code format(x, "g")}, numbers right-aligned on the decimal point and texts left-aligned (and stripped), every
 * column at least two characters wider than its header, a single space of padding and a {@code |---|} rule under
 * the header. When a float column has a value Python cannot parse (an empty cell), tabulate raises and docling
 * retries with number parsing off: then every column is text. Widths count code points (tabulate without the
 * optional {@code wcwidth}).
 */
final class GithubTable {
  private GithubTable() {}

  private enum ColType { NONE, BOOL, INT, FLOAT, TEXT }

  private static final Pattern INT = Pattern.compile("[+-]?\\d+(?:_\\d+)*", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern FLOAT = Pattern.compile(
      "[+-]?(?:(?:\\d+(?:_\\d+)*)?\\.\\d+(?:_\\d+)*|\\d+(?:_\\d+)*\\.?)(?:[eE][+-]?\\d+(?:_\\d+)*)?",
      Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);
  /** tabulate's {@code _float_with_thousands_separators} (the conditional group spelled out). */
  private static final Pattern THOUSANDS = Pattern.compile(
      "(?:[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\\.[0-9]*)?|(?:\\.[0-9]+)?)\\n?");

  /** The table text; {@code rows.get(0)} is the header row. Empty for no rows. */
  static String render(List<List<String>> rows) {
    if (rows.isEmpty()) {
      return "";
    }
    try {
      return render(rows, true);
    } catch (NumberFormatException e) {
      return render(rows, false); // docling: tabulate(..., disable_numparse=True) after a ValueError
    }
  }

  private static String render(List<List<String>> rows, boolean numparse) {
    List<String> headers = rows.get(0);
    int ncols = headers.size();
    for (List<String> r : rows) {
      ncols = Math.max(ncols, r.size());
    }
    List<List<String>> body = rows.subList(1, rows.size());
    List<String> outHeaders = new ArrayList<>(headers);
    while (outHeaders.size() < ncols) {
      outHeaders.add(""); // tabulate pads short header rows
    }
    int[] widths = new int[ncols];
    String[][] cells = new String[body.size()][ncols];
    boolean[] rightAligned = new boolean[ncols];
    for (int c = 0; c < ncols; c++) {
      List<String> col = new ArrayList<>(body.size());
      for (List<String> r : body) {
        col.add(c < r.size() ? r.get(c) : "");
      }
      int minWidth = PyText.length(outHeaders.get(c)) + 2; // MIN_PADDING
      if (body.isEmpty()) {
        widths[c] = minWidth;
        continue;
      }
      ColType type = ColType.BOOL; // reduce(_more_generic, types, bool)
      for (String v : col) {
        ColType t = type(v, numparse);
        if (t.ordinal() > type.ordinal()) {
          type = t;
        }
      }
      List<String> formatted = new ArrayList<>(col.size());
      for (String v : col) {
        formatted.add(format(v, type));
      }
      boolean numeric = type == ColType.INT || type == ColType.FLOAT;
      rightAligned[c] = numeric;
      if (numeric) {
        // "decimal": pad each value on the right to line up the decimal points, then right-align
        int maxDecimals = -1;
        int[] decimals = new int[formatted.size()];
        for (int k = 0; k < formatted.size(); k++) {
          decimals[k] = afterPoint(formatted.get(k));
          maxDecimals = Math.max(maxDecimals, decimals[k]);
        }
        for (int k = 0; k < formatted.size(); k++) {
          formatted.set(k, formatted.get(k) + " ".repeat(Math.max(0, maxDecimals - decimals[k])));
        }
      } else {
        formatted.replaceAll(PyText::strip);
      }
      int w = minWidth;
      for (String s : formatted) {
        w = Math.max(w, PyText.length(s));
      }
      widths[c] = w;
      for (int k = 0; k < formatted.size(); k++) {
        cells[k][c] = numeric ? padLeft(formatted.get(k), w) : padRight(formatted.get(k), w);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append('|');
    for (int c = 0; c < ncols; c++) {
      String h = outHeaders.get(c);
      sb.append(' ').append(rightAligned[c] ? padLeft(h, widths[c]) : padRight(h, widths[c])).append(" |");
    }
    sb.append("\n|");
    for (int c = 0; c < ncols; c++) {
      sb.append("-".repeat(widths[c] + 2)).append('|');
    }
    for (String[] row : cells) {
      sb.append("\n|");
      for (String cell : row) {
        sb.append(' ').append(cell).append(" |");
      }
    }
    return sb.toString();
  }

  private static String padLeft(String s, int width) {
    int n = width - PyText.length(s);
    return n > 0 ? " ".repeat(n) + s : s;
  }

  private static String padRight(String s, int width) {
    int n = width - PyText.length(s);
    return n > 0 ? s + " ".repeat(n) : s;
  }

  /** tabulate's {@code _type}. */
  private static ColType type(String s, boolean numparse) {
    if (s.isEmpty()) {
      return ColType.NONE;
    }
    if (s.equals("True") || s.equals("False")) {
      return ColType.BOOL;
    }
    if (numparse && (isInt(s) || THOUSANDS.matcher(s).matches() && s.indexOf('.') < 0)) {
      return ColType.INT;
    }
    if (numparse && (isNumber(s) || THOUSANDS.matcher(s).matches())) {
      return ColType.FLOAT;
    }
    return ColType.TEXT;
  }

  /** Python's {@code int(s)} succeeds. */
  private static boolean isInt(String s) {
    return INT.matcher(PyText.strip(s)).matches();
  }

  /** tabulate's {@code _isnumber}: {@code float(s)} succeeds, and inf/nan only as these exact words. */
  private static boolean isNumber(String s) {
    String t = PyText.strip(s);
    if (FLOAT.matcher(t).matches()) {
      return true;
    }
    if (SPECIAL.matcher(t).matches()) {
      String lower = s.toLowerCase(java.util.Locale.ROOT);
      return lower.equals("inf") || lower.equals("-inf") || lower.equals("nan");
    }
    return false;
  }

  /** tabulate's {@code _format} for one value of a column of the given type. */
  private static String format(String v, ColType type) {
    if (type != ColType.FLOAT) {
      return v; // str() of a string, and format(s, "") of an int-typed string, are the string itself
    }
    String t = v.indexOf(',') >= 0 ? v.replace(",", "") : v;
    return formatG(pyFloat(t));
  }

  /** Python's {@code float(s)}; {@link NumberFormatException} where Python raises ValueError. */
  private static double pyFloat(String s) {
    String t = PyText.strip(s);
    if (SPECIAL.matcher(t).matches()) {
      String l = t.toLowerCase(java.util.Locale.ROOT);
      boolean neg = l.startsWith("-");
      return l.contains("nan") ? Double.NaN : neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!FLOAT.matcher(t).matches()) {
      throw new NumberFormatException("not a Python float: " + s);
    }
    StringBuilder ascii = new StringBuilder(t.length());
    t.codePoints().forEach(cp -> {
      if (cp != '_') {
        int d = Character.digit(cp, 10);
        ascii.append(d >= 0 && !(cp >= '0' && cp <= '9') ? (char) ('0' + d) : (char) cp);
      }
    });
    return Double.parseDouble(ascii.toString());
  }

  /** Python's {@code format(x, "g")}: 6 significant digits, trailing zeros dropped, exponent from 1e-4 / 1e6. */
  static String formatG(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return (1 / x < 0) ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(x).round(new MathContext(6, RoundingMode.HALF_EVEN));
    int exp = bd.precision() - bd.scale() - 1;
    if (exp >= -4 && exp < 6) {
      String s = bd.setScale(Math.max(0, 5 - exp), RoundingMode.HALF_EVEN).toPlainString();
      return stripZeros(s);
    }
    BigDecimal mantissa = bd.movePointLeft(exp);
    String m = stripZeros(mantissa.setScale(5, RoundingMode.HALF_EVEN).toPlainString());
    String e = Integer.toString(Math.abs(exp));
    return m + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
  }

  private static String stripZeros(String s) {
    if (s.indexOf('.') < 0) {
      return s;
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    if (s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }

  /** tabulate's {@code _afterpoint}: digits after the decimal point (or exponent mark) of a number, else -1. */
  private static int afterPoint(String s) {
    if (isNumber(s) || THOUSANDS.matcher(s).matches()) {
      if (isInt(s)) {
        return -1;
      }
      int pos = s.lastIndexOf('.');
      if (pos < 0) {
        pos = s.toLowerCase(java.util.Locale.ROOT).lastIndexOf('e');
      }
      return pos >= 0 ? s.length() - pos - 1 : -1;
    }
    return -1;
  }
}
