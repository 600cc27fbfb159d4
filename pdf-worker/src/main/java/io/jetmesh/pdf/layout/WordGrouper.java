package io.jetmesh.pdf.layout;

import java.util.ArrayList;
import java.util.List;

/**
 * Glyphs to words: glyphs are clustered by reading direction and baseline, then split at gaps wider than
 * {@link #WORD_GAP} of the font size, at spaces, and where the script direction changes. Overprinted duplicates (fake
 * bold, shadows) are dropped. Stateless.
 */
final class WordGrouper {
  /** A glyph gap wider than this share of the font size separates words (a space is about 0.25 em). */
  private static final float WORD_GAP = 0.13f;

  private WordGrouper() {}

  static List<Word> group(List<Glyph> glyphs) {
    List<Word> out = new ArrayList<>();
    if (glyphs.isEmpty()) {
      return out;
    }
    List<Glyph> gs = PrimitiveSort.sorted(glyphs, Glyph::dir, Glyph::fy);
    int i = 0;
    while (i < gs.size()) {
      // one baseline cluster: same direction, baseline within a third of the font size
      Glyph first = gs.get(i);
      int j = i + 1;
      float base = first.fy();
      float tol = first.fontSize() * 0.3f;
      while (j < gs.size() && gs.get(j).dir() == first.dir() && gs.get(j).fy() - base <= Math.max(0.5f, tol)) {
        j++;
      }
      splitWords(PrimitiveSort.sorted(gs.subList(i, j), null, Glyph::fx0), out);
      i = j;
    }
    return out;
  }

  private static void splitWords(List<Glyph> line, List<Word> out) {
    List<Glyph> cur = new ArrayList<>();
    Glyph prev = null;
    for (Glyph g : line) {
      if (g.isSpace()) {
        flushWord(cur, out);
        prev = null;
        continue;
      }
      if (prev != null) {
        float gap = g.fx0() - prev.fx1();
        float fs = Math.max(g.fontSize(), prev.fontSize());
        // overprinted duplicate (fake bold, shadow): same character at (almost) the same place
        if (g.text().equals(prev.text()) && Math.abs(g.fx0() - prev.fx0()) < fs * 0.15f) {
          continue;
        }
        // a change between right-to-left and left-to-right letters is a word boundary even without a gap: the
        // space of such a boundary is often placed elsewhere in visual order
        // a zero-width non-joiner (Persian, Urdu: the break inside "می‌خواهم") or joiner sits inside a word
        // whatever room producers leave around it
        boolean joiner = isJoiner(g.text()) || isJoiner(prev.text());
        if (!joiner && (gap > fs * WORD_GAP || BidiText.strongDir(g.text()) * BidiText.strongDir(prev.text()) < 0)) {
          flushWord(cur, out);
        }
      }
      cur.add(g);
      prev = g;
    }
    flushWord(cur, out);
  }

  /** U+200C zero-width non-joiner or U+200D zero-width joiner. */
  static boolean isJoiner(String t) {
    return t.length() == 1 && (t.charAt(0) == '\u200c' || t.charAt(0) == '\u200d');
  }

  private static void flushWord(List<Glyph> cur, List<Word> out) {
    if (cur.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder(cur.size());
    float x0 = Float.MAX_VALUE;
    float y0 = Float.MAX_VALUE;
    float x1 = -Float.MAX_VALUE;
    float y1 = -Float.MAX_VALUE;
    float fs = 0;
    int bold = 0;
    int italic = 0;
    int mono = 0;
    int math = 0;
    boolean rtl = false;
    for (Glyph g : cur) {
      String t = g.text();
      if (t.length() > 1 && BidiText.isRtl(t)) {
        // a ligature's text is in logical order; the line is reversed as a whole later, so pre-reverse it
        t = new StringBuilder(t).reverse().toString();
      }
      sb.append(t);
      x0 = Math.min(x0, g.x0());
      y0 = Math.min(y0, g.y0());
      x1 = Math.max(x1, g.x1());
      y1 = Math.max(y1, g.y1());
      fs = Math.max(fs, g.fontSize());
      FontInfo f = g.font();
      bold += f.bold() ? 1 : 0;
      italic += f.italic() ? 1 : 0;
      mono += f.mono() ? 1 : 0;
      math += f.math() ? 1 : 0;
      if (!rtl) {
        rtl = BidiText.isRtl(g.text());
      }
    }
    Glyph first = cur.get(0);
    Glyph last = cur.get(cur.size() - 1);
    int n = cur.size();
    float baseFy = first.fy();
    out.add(new Word(sb.toString(), x0, y0, x1, y1, first.fx0(), last.fx1(), baseFy, fs, first.dir(),
        bold * 2 > n, italic * 2 > n, mono * 2 > n, math * 2 > n, rtl, first.font().name()));
    cur.clear();
  }
}
