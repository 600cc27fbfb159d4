package io.jetmesh.pdf.layout;

import java.text.Bidi;

/**
 * Direction of characters and the visual-to-logical reordering of lines (Unicode bidi, UAX #9, through
 * {@link java.text.Bidi}). PDF content draws right-to-left text in visual order; the layout works left to right on the
 * page and hands each line to {@link #visualToLogical} once its words are known. Stateless.
 */
final class BidiText {
  private BidiText() {}

  /** -1 right-to-left letter, +1 left-to-right letter, 0 neutral (digits, punctuation, spaces). */
  static int strongDir(String s) {
    if (s.isEmpty()) {
      return 0;
    }
    char c = s.charAt(0);
    if (c < 0x80) {
      // in ASCII exactly the letters are strong left-to-right
      return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' ? 1 : 0;
    }
    byte d = Character.getDirectionality(c);
    if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
      return -1;
    }
    return d == Character.DIRECTIONALITY_LEFT_TO_RIGHT ? 1 : 0;
  }

  /** No character below Hebrew (U+0590) is right-to-left. */
  private static final char FIRST_RTL = '\u0590';

  static boolean isRtl(String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < FIRST_RTL) {
        continue;
      }
      byte d = Character.getDirectionality(c);
      if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
        return true;
      }
    }
    return false;
  }

  /**
   * Puts a line shown in visual order into logical order. The paragraph direction follows UAX #9's rule P2 read in
   * visual order: a right-to-left paragraph starts at its right end, a left-to-right one at its left end, so a line
   * whose outermost strong characters on both ends are right-to-left (left-to-right) is so. When its ends disagree
   * ("Google Docs ... לפי" can be either), the line's setting decides ({@code rtlContext}: its alignment on the
   * page, else the page's dominant direction; a higher-level protocol in UAX #9's terms). Runs are then reordered with the Unicode
   * bidi algorithm and right-to-left runs reversed (and mirrored).
   */
  static String visualToLogical(String visual, boolean rtlContext) {
    int left = 0;
    int right = 0;
    for (int k = 0; k < visual.length() && left == 0; k++) {
      left = strongDir(visual.substring(k, k + 1));
    }
    for (int k = visual.length() - 1; k >= 0 && right == 0; k--) {
      right = strongDir(visual.substring(k, k + 1));
    }
    boolean rtl = left == right ? left < 0 : rtlContext;
    Bidi bidi = new Bidi(visual, rtl ? Bidi.DIRECTION_RIGHT_TO_LEFT : Bidi.DIRECTION_LEFT_TO_RIGHT);
    if (bidi.isLeftToRight()) {
      return visual;
    }
    int n = bidi.getRunCount();
    byte[] levels = new byte[n];
    Integer[] runs = new Integer[n];
    for (int k = 0; k < n; k++) {
      levels[k] = (byte) bidi.getRunLevel(k);
      runs[k] = k;
    }
    Bidi.reorderVisually(levels, 0, runs, 0, n);
    StringBuilder sb = new StringBuilder(visual.length());
    for (int k = 0; k < n; k++) {
      int run = runs[k];
      int s = bidi.getRunStart(run);
      int e = bidi.getRunLimit(run);
      if ((levels[run] & 1) != 0) {
        for (int c = e - 1; c >= s; c--) {
          sb.append(mirror(visual.charAt(c)));
        }
      } else {
        sb.append(visual, s, e);
      }
    }
    return sb.toString();
  }

  private static char mirror(char c) {
    return switch (c) {
      case '(' -> ')';
      case ')' -> '(';
      case '[' -> ']';
      case ']' -> '[';
      case '{' -> '}';
      case '}' -> '{';
      case '<' -> '>';
      case '>' -> '<';
      default -> c;
    };
  }
}
