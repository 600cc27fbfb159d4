package io.jetmesh.pdf.layout;

import java.util.ArrayList;
import java.util.List;

/**
 * Words to lines: words of one direction whose vertical bands overlap by half join a line (so super- and subscripts
 * stay in it); a line's text puts spaces where the words were apart and is put in logical order when it holds
 * right-to-left words. Stateless.
 */
final class LineBuilder {
  private LineBuilder() {}

  /**
   * Where a line's words sit on the page, for lines whose reading direction their text leaves open: whether the
   * page's text mostly reads right to left, and the left and right ends of all its text.
   */
  record Context(boolean rtlPage, float left, float right) {

    static Context of(List<Word> words, boolean rtlPage) {
      float left = Float.MAX_VALUE;
      float right = -Float.MAX_VALUE;
      for (Word w : words) {
        left = Math.min(left, w.x0());
        right = Math.max(right, w.x1());
      }
      return new Context(rtlPage, left, right);
    }

    /**
     * Whether a line that could read either way reads right to left: a line flush with the right end of the page's
     * text and away from its left end is set right to left (and the reverse); otherwise the page's direction.
     */
    boolean rtl(float x0, float x1, float fontSize) {
      float fromLeft = x0 - left;
      float fromRight = right - x1;
      if (Math.abs(fromLeft - fromRight) > 2f * fontSize && Math.min(fromLeft, fromRight) < fontSize) {
        return fromRight < fromLeft;
      }
      return rtlPage;
    }
  }

  /** Lines of {@code words}; {@code context} decides the direction of lines whose text leaves it open. */
  static List<Line> of(List<Word> words, Context context) {
    List<Line> out = new ArrayList<>();
    if (words.isEmpty()) {
      return out;
    }
    List<Word> ws = PrimitiveSort.sorted(words, Word::dir, Word::fy);
    List<List<Word>> groups = new ArrayList<>();
    List<Word> cur = new ArrayList<>();
    float top = 0;
    float bottom = 0;
    int dir = -1;
    for (Word w : ws) {
      float wt = w.fy() - 0.75f * w.fontSize();
      float wb = w.fy() + 0.2f * w.fontSize();
      if (!cur.isEmpty() && w.dir() == dir) {
        float ov = Math.min(bottom, wb) - Math.max(top, wt);
        if (ov >= 0.5f * Math.min(bottom - top, wb - wt)) {
          cur.add(w);
          top = Math.min(top, wt);
          bottom = Math.max(bottom, wb);
          continue;
        }
      }
      if (!cur.isEmpty()) {
        groups.add(cur);
      }
      cur = new ArrayList<>();
      cur.add(w);
      top = wt;
      bottom = wb;
      dir = w.dir();
    }
    groups.add(cur);
    for (List<Word> g : groups) {
      out.add(toLine(PrimitiveSort.sorted(g, null, Word::fx0), context));
    }
    return PrimitiveSort.sorted(out, Line::dir, Line::fy);
  }

  private static Line toLine(List<Word> g, Context context) {
    StringBuilder sb = new StringBuilder();
    float x0 = Float.MAX_VALUE;
    float y0 = Float.MAX_VALUE;
    float x1 = -Float.MAX_VALUE;
    float y1 = -Float.MAX_VALUE;
    float fsSum = 0;
    int chars = 0;
    int bold = 0;
    int italic = 0;
    int mono = 0;
    int math = 0;
    boolean rtl = false;
    Word prev = null;
    float mainFy = 0;
    float mainFs = 0;
    for (Word w : g) {
      if (prev != null) {
        float gap = w.fx0() - prev.fx1();
        float fsMax = Math.max(w.fontSize(), prev.fontSize());
        // words on one baseline were split by a space or a wide gap; across baselines (super/subscripts) only by a gap
        // Chinese and Japanese characters run together: the letter spacing of justified text is no word space, a
        // gap as wide as a space (a quarter em and more) is
        boolean unspaced = Scripts.closeUp(prev.text(), w.text());
        if (unspaced ? gap > 0.25f * fsMax
            : gap > 0.06f * fsMax || Math.abs(w.fy() - prev.fy()) < 0.1f * fsMax && gap > -0.3f * fsMax) {
          sb.append(' ');
        }
      }
      sb.append(w.text());
      int n = w.text().length();
      chars += n;
      fsSum += w.fontSize() * n;
      bold += w.bold() ? n : 0;
      italic += w.italic() ? n : 0;
      mono += w.mono() ? n : 0;
      math += w.math() ? n : 0;
      rtl |= w.rtl();
      x0 = Math.min(x0, w.x0());
      y0 = Math.min(y0, w.y0());
      x1 = Math.max(x1, w.x1());
      y1 = Math.max(y1, w.y1());
      if (w.fontSize() >= mainFs) {
        mainFs = w.fontSize();
        mainFy = w.fy();
      }
      prev = w;
    }
    String text = sb.toString();
    if (rtl) {
      text = BidiText.visualToLogical(text, g.get(0).dir() == 0 ? context.rtl(x0, x1, mainFs) : context.rtlPage());
    }
    Word first = g.get(0);
    Word last = g.get(g.size() - 1);
    return new Line(List.copyOf(g), text, x0, y0, x1, y1, first.fx0(), last.fx1(), mainFy,
        chars == 0 ? first.fontSize() : fsSum / chars, chars == 0 ? 0 : (float) bold / chars, chars == 0 ? 0 : (float) italic / chars,
        chars == 0 ? 0 : (float) mono / chars, chars == 0 ? 0 : (float) math / chars, first.dir());
  }
}
