package io.jetmesh.pdf.formats.xlsx;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cell values as docling shows them (Python's {@code str()} of what openpyxl reads with {@code data_only=True}):
 * integers without a decimal point, floats in Python's shortest form ({@code 3.5}, {@code 1e-05}), dates as
 * {@code 2024-01-01 00:00:00}, times as {@code 12:30:00}, booleans as {@code True}/{@code False}.
 */
final class CellValues {
  // number format codes (isDateFormat): quoted text, escaped characters, [..] other than elapsed-time fields
  private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");
  private static final Pattern ESCAPED = Pattern.compile("\\\\.");
  private static final Pattern BRACKETS = Pattern.compile("\\[(?![hms]+\\])[^\\]]*\\]");
  private static final Pattern DATE_THEN_GENERAL = Pattern.compile(".*[dmyhs].*general.*");
  private static final Pattern DATE_PART = Pattern.compile(".*[dmyhs].*");
  private static final Pattern NUMBER_ONLY = Pattern.compile("^[#0.,%e+\\-\\s]*$");
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private CellValues() {}

  /** A numeric cell's text; {@code date} when its number format is a date or time format. */
  static String number(String raw, boolean date, boolean date1904) {
    String v = raw.strip();
    if (v.isEmpty()) {
      return "";
    }
    boolean isFloat = v.indexOf('.') >= 0 || v.indexOf('E') >= 0 || v.indexOf('e') >= 0;
    if (date) {
      try {
        return date(Double.parseDouble(v), date1904);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (!isFloat) {
      try {
        return new BigDecimal(v).toBigIntegerExact().toString();
      } catch (ArithmeticException | NumberFormatException e) {
        return v;
      }
    }
    try {
      return pythonFloat(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return v;
    }
  }

  /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 16) {
      String digits = bd.unscaledValue().abs().toString();
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    String plain = bd.toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }

  /** An Excel serial date as openpyxl converts it: a time below 1 day, else a date-time. */
  static String date(double serial, boolean date1904) {
    long micros = Math.round(serial * 86_400_000_000L);
    long days = Math.floorDiv(micros, 86_400_000_000L);
    long rest = Math.floorMod(micros, 86_400_000_000L);
    LocalTime time = LocalTime.ofNanoOfDay(rest * 1000);
    if (!date1904 && serial < 1 && serial >= 0) {
      return time.getNano() == 0 ? time.format(DateTimeFormatter.ofPattern("HH:mm:ss"))
          : time.format(DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS"));
    }
    LocalDate base = date1904 ? LocalDate.of(1904, 1, 1) : LocalDate.of(1899, 12, 30);
    if (!date1904 && days < 61) {
      days += 1; // Excel's fictitious 29 Feb 1900
    }
    LocalDateTime dt = base.plusDays(days).atTime(time);
    return dt.format(dt.getNano() == 0 ? DATE_TIME : MICROS);
  }

  /** Whether a number format shows a date or a time (openpyxl's {@code is_date_format}). */
  static boolean isDateFormat(int id, String code) {
    if (code == null) {
      return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58;
    }
    String c = BRACKETS.matcher(ESCAPED.matcher(QUOTED.matcher(code).replaceAll("")).replaceAll("")).replaceAll("")
        .toLowerCase(Locale.ROOT);
    if (c.contains("general") && !DATE_THEN_GENERAL.matcher(c).matches()) {
      return false;
    }
    // the first section decides; "0.00" or "#,##0" are numbers
    String first = c.split(";", -1)[0];
    return DATE_PART.matcher(first).matches() && !NUMBER_ONLY.matcher(first).matches();
  }
}
