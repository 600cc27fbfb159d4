package io.jetmesh.pdf;

import io.jetmesh.pdf.GeneratedTablePdfs.Page;
import io.jetmesh.pdf.GeneratedTablePdfs.Script;
import java.text.Bidi;
import java.util.ArrayList;
import java.util.List;

/**
 * Text lines as PDF producers draw them, for the text classes of issue 15: a logical line is laid out in visual
 * order with the Unicode bidi algorithm (right-to-left runs reversed, brackets mirrored, numbers and Latin names
 * left to right inside them), each character in the font of its script; CJK lines can be spread by letter spacing
 * the way justified CJK text is.
 */
final class GeneratedTextPdfs {
  private GeneratedTextPdfs() {}

  static Script scriptOf(int c) {
    Character.UnicodeScript s = Character.UnicodeScript.of(c);
    return switch (s) {
      case HEBREW -> Script.HEBREW;
      case ARABIC -> Script.ARABIC;
      case HAN, HIRAGANA, KATAKANA -> Script.CJK;
      case HANGUL -> Script.KOREAN;
      default -> c >= 0x2150 && c <= 0x218f ? Script.KOREAN : c == 0x200c || c >= 0x3000 && c <= 0x303f || c >= 0xff00 && c <= 0xffef ? (c == 0x200c ? Script.ARABIC
          : Script.CJK) : Script.LATIN;
    };
  }

  /** The characters of {@code logical} in visual (left-to-right) order, mirrored where they run right to left. */
  static String visual(String logical, boolean rtlParagraph) {
    Bidi bidi = new Bidi(logical, rtlParagraph ? Bidi.DIRECTION_RIGHT_TO_LEFT : Bidi.DIRECTION_LEFT_TO_RIGHT);
    int n = logical.length();
    byte[] levels = new byte[n];
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      levels[i] = (byte) bidi.getLevelAt(i);
      idx[i] = i;
    }
    Bidi.reorderVisually(levels, 0, idx, 0, n);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char c = logical.charAt(idx[i]);
      if ((levels[idx[i]] & 1) != 0) {
        c = switch (c) {
          case '(' -> ')';
          case ')' -> '(';
          case '[' -> ']';
          case ']' -> '[';
          default -> c;
        };
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** Runs of one script in a visual string: [text, script] pairs, spaces joining the run before them. */
  private static List<Object[]> runs(String visual) {
    List<Object[]> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    Script curScript = null;
    for (int i = 0; i < visual.length(); i++) {
      char c = visual.charAt(i);
      Script s = c == ' ' ? Script.LATIN : scriptOf(c);
      if (curScript != null && s != curScript) {
        out.add(new Object[] {cur.toString(), curScript});
        cur.setLength(0);
      }
      cur.append(c);
      curScript = s;
    }
    if (cur.length() > 0) {
      out.add(new Object[] {cur.toString(), curScript});
    }
    return out;
  }

  /** Width of a logical line as {@link #line} draws it (letter spacing excluded). */
  static float width(Page page, String logical, float size) {
    float w = 0;
    for (Object[] r : runs(visual(logical, false))) {
      w += page.width((String) r[0], (Script) r[1], size);
    }
    return w;
  }

  /**
   * Draws a logical line: a right-to-left line ends at {@code edge} (its right end), a left-to-right one starts there.
   * {@code letterSpacing} points go after every character (justified CJK).
   */
  static void line(Page page, float edge, float baseline, String logical, boolean rtl, float size, float letterSpacing) {
    String v = visual(logical, rtl);
    List<Object[]> runs = runs(v);
    float total = 0;
    for (Object[] r : runs) {
      total += page.width((String) r[0], (Script) r[1], size) + letterSpacing * ((String) r[0]).length();
    }
    float x = rtl ? edge - total : edge;
    for (Object[] r : runs) {
      String t = (String) r[0];
      Script s = (Script) r[1];
      if (letterSpacing == 0) {
        if (!t.isBlank()) {
          page.glyphs(x, baseline, t, s, size);
        }
        x += page.width(t, s, size);
        continue;
      }
      for (int i = 0; i < t.length(); i++) {
        String c = String.valueOf(t.charAt(i));
        if (!c.isBlank()) {
          page.glyphs(x, baseline, c, s, size);
        }
        x += page.width(c, s, size) + letterSpacing;
      }
    }
  }

  /** A paragraph of logical lines at {@code pitch}, from {@code baseline} down. */
  static float paragraph(Page page, float edge, float baseline, List<String> lines, boolean rtl, float size, float pitch,
                         float letterSpacing) {
    float y = baseline;
    for (String l : lines) {
      line(page, edge, y, l, rtl, size, letterSpacing);
      y += pitch;
    }
    return y;
  }
}
