package io.jetmesh.pdf.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lines (in reading order, with anchors for tables and pictures between them) to paragraphs: a line starts a new
 * paragraph on a change of direction, size or style, a pitch wider than the block's usual one, no horizontal overlap,
 * a list marker, a first-line indent, or after a sentence ending short of a justified block's margin. Line joins
 * de-hyphenate. Stateless.
 */
final class ParagraphBuilder {
  private ParagraphBuilder() {}

  static List<LayoutElement> of(List<Box> seq) {
    float pitch = typicalPitch(seq);
    List<LayoutElement> out = new ArrayList<>();
    List<Line> cur = new ArrayList<>();
    for (Box o : seq) {
      if (o instanceof LayoutElement.Anchor a) {
        flushBlock(cur, out);
        out.add(a);
        continue;
      }
      Line ln = (Line) o;
      if (!cur.isEmpty() && startsNewParagraph(cur, ln, pitch)) {
        flushBlock(cur, out);
      }
      cur.add(ln);
    }
    flushBlock(cur, out);
    return out;
  }

  /** The usual baseline distance between consecutive lines of a paragraph, in font sizes. */
  private static float typicalPitch(List<Box> seq) {
    float[] r = new float[seq.size()];
    int n = 0;
    Line prev = null;
    for (Box o : seq) {
      if (o instanceof Line ln) {
        if (prev != null && prev.dir() == ln.dir() && Math.abs(prev.fontSize() - ln.fontSize()) < 0.5f) {
          float dy = (ln.fy() - prev.fy()) / ln.fontSize();
          if (dy > 0.8f && dy < 2.5f) {
            r[n++] = dy;
          }
        }
        prev = ln;
      } else {
        prev = null;
      }
    }
    if (n < 2) {
      return 1.25f;
    }
    Arrays.sort(r, 0, n);
    return r[n / 2];
  }

  private static boolean startsNewParagraph(List<Line> cur, Line ln, float pitch) {
    Line prev = cur.get(cur.size() - 1);
    if (prev.dir() != ln.dir()) {
      return true;
    }
    float fs = Math.max(prev.fontSize(), ln.fontSize());
    if (Math.abs(prev.fontSize() - ln.fontSize()) > 0.12f * fs) {
      return true;
    }
    if ((prev.boldFraction() > 0.6f) != (ln.boldFraction() > 0.6f)) {
      return true;
    }
    if ((prev.italicFraction() > 0.8f) != (ln.italicFraction() > 0.8f)) {
      return true;
    }
    if ((prev.monoFraction() > 0.6f) != (ln.monoFraction() > 0.6f)) {
      return true;
    }
    float dy = ln.fy() - prev.fy();
    if (dy <= 0.3f * fs || dy > fs * (pitch * 1.25f + 0.1f)) {
      return true;
    }
    // no horizontal overlap: a different column or region
    boolean code = ln.monoFraction() > 0.6f && prev.monoFraction() > 0.6f;
    if (!code && (ln.fx0() > prev.fx1() || ln.fx1() < prev.fx0())) {
      return true;
    }
    if (LayoutAnalyzer.LIST_MARKER.matcher(ln.text()).find() && ln.monoFraction() < 0.6f) {
      return true;
    }
    float left = Float.MAX_VALUE;
    float right = -Float.MAX_VALUE;
    for (Line l : cur) {
      left = Math.min(left, l.fx0());
      right = Math.max(right, l.fx1());
    }
    boolean firstIsItem = LayoutAnalyzer.LIST_MARKER.matcher(cur.get(0).text()).find();
    boolean rtl = ln.words().stream().anyMatch(Word::rtl);
    if (rtl) {
      // right-aligned scripts indent on the right
      return right - ln.fx1() > 0.9f * fs && prev.fx0() <= left + 1.5f * fs && right - prev.fx1() < 0.5f * fs;
    }
    // a line that ends a sentence well short of the right margin ends its paragraph, in blocks whose other lines
    // run to the margin (justified or full text)
    if (cur.size() >= 2 && !firstIsItem && prev.monoFraction() < 0.6f && right - prev.fx1() > Math.max(3f * fs, 0.2f * (right - left))
        && prev.text().matches(".*[.!?:]['\")\u201d]?$") && fullLines(cur, right, fs) >= cur.size() - 1) {
      return true;
    }
    // a first-line indent after a full line starts a paragraph (not in list items, whose lines hang)
    if (!firstIsItem && ln.fx0() - left > 0.9f * fs && prev.fx1() >= right - 1.5f * fs && cur.size() >= 1
        && prev.fx0() - left < 0.5f * fs && ln.monoFraction() < 0.6f) {
      return true;
    }
    return false;
  }

  /** How many lines of the block reach the right margin (within 1.5 em). */
  private static int fullLines(List<Line> cur, float right, float fs) {
    int n = 0;
    for (Line l : cur) {
      if (l.fx1() >= right - 1.5f * fs) {
        n++;
      }
    }
    return n;
  }

  private static void flushBlock(List<Line> cur, List<LayoutElement> out) {
    if (cur.isEmpty()) {
      return;
    }
    float x0 = Float.MAX_VALUE;
    float y0 = Float.MAX_VALUE;
    float x1 = -Float.MAX_VALUE;
    float y1 = -Float.MAX_VALUE;
    float fs = 0;
    float bold = 0;
    float italic = 0;
    float mono = 0;
    float math = 0;
    int chars = 0;
    boolean rtl = false;
    StringBuilder sb = new StringBuilder();
    boolean code = false;
    for (Line l : cur) {
      int n = Math.max(1, l.text().length());
      chars += n;
      fs += l.fontSize() * n;
      bold += l.boldFraction() * n;
      italic += l.italicFraction() * n;
      mono += l.monoFraction() * n;
      math += l.mathFraction() * n;
    }
    code = mono / chars > 0.8f;
    for (Line l : cur) {
      x0 = Math.min(x0, l.x0());
      y0 = Math.min(y0, l.y0());
      x1 = Math.max(x1, l.x1());
      y1 = Math.max(y1, l.y1());
      for (Word w : l.words()) {
        rtl |= w.rtl();
      }
      String t = LayoutAnalyzer.normalize(l.text()).strip();
      if (t.isEmpty()) {
        continue;
      }
      if (sb.length() == 0) {
        sb.append(t);
      } else if (code) {
        sb.append('\n').append(t);
      } else {
        int len = sb.length();
        char last = sb.charAt(len - 1);
        boolean hyphen = (last == '-' || last == '\u00ad') && len >= 2 && Character.isLetter(sb.charAt(len - 2))
            && Character.isLowerCase(t.charAt(0));
        if (hyphen) {
          sb.setLength(len - 1);
          sb.append(t);
        } else if (Scripts.closeUp(sb, t)) {
          sb.append(t); // a Chinese or Japanese line end inside a sentence is no word boundary
        } else {
          sb.append(' ').append(t);
        }
      }
    }
    if (sb.length() > 0) {
      out.add(new TextBlock(List.copyOf(cur), sb.toString(), x0, y0, x1, y1, fs / chars, bold / chars, italic / chars, mono / chars,
          math / chars, rtl));
    }
    cur.clear();
  }
}
