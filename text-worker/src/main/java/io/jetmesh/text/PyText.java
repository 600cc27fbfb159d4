package io.jetmesh.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} semantics docling's chunkers depend on, so that a split point, a strip or a length means
 * in Java exactly what it means in docling-core and semchunk: Python's whitespace ({@code str.isspace()} and the
 * {@code \s} of {@code re}), {@code str.splitlines(True)}, {@code str.strip()}, and lengths counted in code points.
 */
final class PyText {
  private PyText() {}

  /**
   * Python's {@code str.isspace()} for one code point: bidirectional class WS, B or S, or category Zs. Java's
   * {@link Character#isWhitespace} differs (it leaves out U+00A0, U+2007, U+202F and U+0085).
   */
  static boolean isSpace(int cp) {
    return switch (cp) {
      case '\t', '\n', 0x0B, 0x0C, '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
          0x205F, 0x3000 -> true;
      default -> cp >= 0x2000 && cp <= 0x200A;
    };
  }

  /** {@code s.isspace()}: not empty and only whitespace. */
  static boolean isBlank(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (!isSpace(cp)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

  /** {@code s.strip()} with Python's whitespace. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Python's {@code len(s)}: code points. */
  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Python's {@code s[:n]} for {@code n >= 0} counted in code points. */
  static String head(String s, int codePoints) {
    if (codePoints >= s.length()) {
      return s; // fewer UTF-16 units than asked code points: the whole string
    }
    int len = s.codePointCount(0, s.length());
    return codePoints >= len ? s : s.substring(0, s.offsetByCodePoints(0, codePoints));
  }

  /** Python's line boundaries for {@code splitlines}: \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029. */
  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85
        || c == 0x2028 || c == 0x2029;
  }

  /** {@code s.splitlines(True)}: the lines with their line endings. */
  static List<String> splitLinesKeepEnds(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (isLineBreak(c)) {
        int end = i + 1;
        if (c == '\r' && end < s.length() && s.charAt(end) == '\n') {
          end++;
        }
        out.add(s.substring(start, end));
        start = end;
        i = end;
      } else {
        i++;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }
}
