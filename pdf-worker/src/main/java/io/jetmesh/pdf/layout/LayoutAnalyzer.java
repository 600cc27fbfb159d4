package io.jetmesh.pdf.layout;

import java.text.Bidi;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns one page's glyphs into words, and words into paragraphs in reading order.
 *
 * <p>Reading order is a recursive XY-cut that prefers column gutters: a region is split at vertical whitespace that
 * runs through its full height (columns, read left to right, or right to left on right-to-left pages); otherwise at
 * its widest horizontal whitespace bands. Leaves are then grouped into lines (by vertical overlap, so super- and
 * subscripts stay in their line) and consecutive lines into paragraphs by line pitch, indentation, style and list
 * markers. Stateless and thread-safe.
 */
public final class LayoutAnalyzer {
  /** A glyph gap wider than this share of the font size separates words (a space is about 0.25 em). */
  private static final float WORD_GAP = 0.13f;
  private static final int MAX_DEPTH = 400;
  static final Pattern LIST_MARKER = Pattern.compile(
      "^([\\u2022\\u00b7\\u25aa\\u25ab\\u2023\\u2043\\u25cf\\u25cb\\u25a0\\u25a1\\u27a2\\u27a4\\u25ba\\u25b6"
          + "\\u2713\\u2714\\u2013\\u2014\\-*\\u0084\\uf0b7\\uf0a7\\uf0d8\\uf076\\uf0fc\\uf0a8]"
          + "|\\(?\\d{1,3}[.)](?!\\s*\\d{3}[-.\\s]\\d{4})|\\(?[a-zA-Z][.)]|\\(?[ivxIVX]{1,5}[.)])(\\s|$)");

  private LayoutAnalyzer() {}

  // ------------------------------------------------------------------ words

  /** Groups glyphs into words (any order in, grouped by direction and baseline). */
  public static List<Word> words(PageCollector collector) {
    return words(collector.glyphs());
  }

  /** Groups the glyphs of the text-only pass into words. */
  public static List<Word> words(TextContentReader reader) {
    return words(reader.glyphs());
  }

  static List<Word> words(List<Glyph> glyphs) {
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
        if (gap > fs * WORD_GAP || strongDir(g.text()) * strongDir(prev.text()) < 0) {
          flushWord(cur, out);
        }
      }
      cur.add(g);
      prev = g;
    }
    flushWord(cur, out);
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
      if (t.length() > 1 && isRtl(t)) {
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
        rtl = isRtl(g.text());
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

  /** -1 right-to-left letter, +1 left-to-right letter, 0 neutral (digits, punctuation, spaces). */
  private static int strongDir(String s) {
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

  // ------------------------------------------------------------------ reading order

  /**
   * Orders the page: {@code words} (words inside tables/pictures already removed) plus {@code anchors} become
   * paragraphs and anchors in reading order.
   */
  public static List<LayoutElement> layout(List<Word> words, List<LayoutElement.Anchor> anchors) {
    List<Object> items = new ArrayList<>(words.size() + anchors.size());
    items.addAll(words);
    items.addAll(anchors);
    boolean rtlPage = rtlDominant(words);
    List<List<Object>> leaves = new ArrayList<>();
    if (!items.isEmpty()) {
      xyCut(items, leaves, rtlPage, 0);
    }
    // leaves -> lines (anchors pass through)
    List<Object> seq = new ArrayList<>();
    for (List<Object> leaf : leaves) {
      List<Word> ws = new ArrayList<>();
      for (Object o : leaf) {
        if (o instanceof Word w) {
          ws.add(w);
        } else {
          seq.add(o);
        }
      }
      seq.addAll(lines(ws));
    }
    return paragraphs(seq);
  }

  private static boolean rtlDominant(List<Word> words) {
    int rtl = 0;
    int all = 0;
    for (Word w : words) {
      all += w.text().length();
      if (w.rtl()) {
        rtl += w.text().length();
      }
    }
    return all > 0 && rtl * 2 > all;
  }

  private static float x0(Object o) {
    return o instanceof Word w ? w.x0() : ((LayoutElement.Anchor) o).x0();
  }

  private static float x1(Object o) {
    return o instanceof Word w ? w.x1() : ((LayoutElement.Anchor) o).x1();
  }

  private static float y0(Object o) {
    return o instanceof Word w ? w.y0() : ((LayoutElement.Anchor) o).y0();
  }

  private static float y1(Object o) {
    return o instanceof Word w ? w.y1() : ((LayoutElement.Anchor) o).y1();
  }

  private static void xyCut(List<Object> items, List<List<Object>> out, boolean rtl, int depth) {
    if (items.size() <= 1 || depth > MAX_DEPTH) {
      out.add(items);
      return;
    }
    // typical font size and number of text rows of the region
    float fs = medianFontSize(items);
    List<float[]> ys = merged(items, false);
    int rows = ys.size();
    List<float[]> xs = merged(items, true);
    float th = rows >= 3 ? Math.max(4f, 0.8f * fs) : rows == 2 ? 1.5f * fs : 2.5f * fs;
    List<Float> cuts = new ArrayList<>();
    for (int k = 1; k < xs.size(); k++) {
      if (xs.get(k)[0] - xs.get(k - 1)[1] >= th) {
        cuts.add((xs.get(k)[0] + xs.get(k - 1)[1]) / 2f);
      }
    }
    if (!cuts.isEmpty()) {
      List<List<Object>> parts = split(items, cuts, true);
      // a column of bullets is part of the list beside it, not a column of its own
      for (int k = parts.size() - 2; k >= 0; k--) {
        if (parts.get(k).stream().allMatch(LayoutAnalyzer::isMarkerWord)) {
          parts.get(k + 1).addAll(parts.remove(k));
        }
      }
      if (parts.size() == 1) {
        out.add(parts.get(0));
        return;
      }
      if (rtl) {
        java.util.Collections.reverse(parts);
      }
      for (List<Object> p : parts) {
        xyCut(p, out, rtl, depth + 1);
      }
      return;
    }
    if (rows <= 1) {
      out.add(items);
      return;
    }
    float maxGap = 0;
    for (int k = 1; k < ys.size(); k++) {
      maxGap = Math.max(maxGap, ys.get(k)[0] - ys.get(k - 1)[1]);
    }
    List<Float> hcuts = new ArrayList<>();
    for (int k = 1; k < ys.size(); k++) {
      float gap = ys.get(k)[0] - ys.get(k - 1)[1];
      if (gap >= maxGap * 0.8f) {
        hcuts.add((ys.get(k)[0] + ys.get(k - 1)[1]) / 2f);
      }
    }
    for (List<Object> p : split(items, hcuts, false)) {
      xyCut(p, out, rtl, depth + 1);
    }
  }

  private static boolean isMarkerWord(Object o) {
    if (!(o instanceof Word w)) {
      return false;
    }
    String t = w.text();
    if (t.length() > 3) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (Character.isLetterOrDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static List<List<Object>> split(List<Object> items, List<Float> cuts, boolean vertical) {
    List<List<Object>> parts = new ArrayList<>();
    for (int k = 0; k <= cuts.size(); k++) {
      parts.add(new ArrayList<>());
    }
    for (Object o : items) {
      float c = vertical ? (x0(o) + x1(o)) / 2f : (y0(o) + y1(o)) / 2f;
      int k = 0;
      while (k < cuts.size() && c > cuts.get(k)) {
        k++;
      }
      parts.get(k).add(o);
    }
    parts.removeIf(List::isEmpty);
    return parts;
  }

  /** Union of the items' extents on one axis, as sorted disjoint intervals. */
  private static List<float[]> merged(List<Object> items, boolean xAxis) {
    int n = items.size();
    float[] lo = new float[n];
    float[] hi = new float[n];
    for (int k = 0; k < n; k++) {
      Object o = items.get(k);
      if (xAxis) {
        lo[k] = x0(o);
        hi[k] = x1(o);
      } else {
        // shrink vertical extents a little: ascender/descender boxes of adjacent lines often touch
        float a = y0(o);
        float b = y1(o);
        float s = o instanceof Word ? (b - a) * 0.1f : 0f;
        lo[k] = a + s;
        hi[k] = b - s;
      }
    }
    int[] order = PrimitiveSort.order(null, lo, n);
    List<float[]> out = new ArrayList<>();
    float[] cur = null;
    for (int k : order) {
      if (cur == null || lo[k] > cur[1]) {
        cur = new float[] {lo[k], hi[k]};
        out.add(cur);
      } else if (hi[k] > cur[1]) {
        cur[1] = hi[k];
      }
    }
    return out;
  }

  private static float medianFontSize(List<Object> items) {
    float[] f = new float[items.size()];
    int n = 0;
    for (Object o : items) {
      if (o instanceof Word w) {
        f[n++] = w.fontSize();
      }
    }
    if (n == 0) {
      return 10f;
    }
    Arrays.sort(f, 0, n);
    return f[n / 2];
  }

  // ------------------------------------------------------------------ lines

  static List<Line> lines(List<Word> words) {
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
      out.add(toLine(PrimitiveSort.sorted(g, null, Word::fx0)));
    }
    return PrimitiveSort.sorted(out, Line::dir, Line::fy);
  }

  private static Line toLine(List<Word> g) {
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
        if (gap > 0.06f * fsMax || Math.abs(w.fy() - prev.fy()) < 0.1f * fsMax && gap > -0.3f * fsMax) {
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
      text = visualToLogical(text);
    }
    Word first = g.get(0);
    Word last = g.get(g.size() - 1);
    return new Line(List.copyOf(g), text, x0, y0, x1, y1, first.fx0(), last.fx1(), mainFy,
        chars == 0 ? first.fontSize() : fsSum / chars, chars == 0 ? 0 : (float) bold / chars, chars == 0 ? 0 : (float) italic / chars,
        chars == 0 ? 0 : (float) mono / chars, chars == 0 ? 0 : (float) math / chars, first.dir());
  }

  /**
   * Puts a line shown in visual order into logical order: the paragraph direction is that of the majority of strong
   * characters; runs are reordered with the Unicode bidi algorithm and right-to-left runs reversed (and mirrored).
   */
  static String visualToLogical(String visual) {
    int r = 0;
    int l = 0;
    for (int k = 0; k < visual.length(); k++) {
      byte d = Character.getDirectionality(visual.charAt(k));
      if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
        r++;
      } else if (d == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
        l++;
      }
    }
    Bidi bidi = new Bidi(visual, r > l ? Bidi.DIRECTION_RIGHT_TO_LEFT : Bidi.DIRECTION_LEFT_TO_RIGHT);
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

  // ------------------------------------------------------------------ paragraphs

  private static List<LayoutElement> paragraphs(List<Object> seq) {
    float pitch = typicalPitch(seq);
    List<LayoutElement> out = new ArrayList<>();
    List<Line> cur = new ArrayList<>();
    for (Object o : seq) {
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
  private static float typicalPitch(List<Object> seq) {
    float[] r = new float[seq.size()];
    int n = 0;
    Line prev = null;
    for (Object o : seq) {
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
    if (LIST_MARKER.matcher(ln.text()).find() && ln.monoFraction() < 0.6f) {
      return true;
    }
    float left = Float.MAX_VALUE;
    float right = -Float.MAX_VALUE;
    for (Line l : cur) {
      left = Math.min(left, l.fx0());
      right = Math.max(right, l.fx1());
    }
    boolean firstIsItem = LIST_MARKER.matcher(cur.get(0).text()).find();
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
      String t = normalize(l.text()).strip();
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

  /** NFKC (ligatures, presentation forms, compatibility characters), soft hyphens and control characters removed. */
  public static String normalize(String s) {
    String n = Normalizer.isNormalized(s, Normalizer.Form.NFKC) ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
    StringBuilder sb = null;
    for (int k = 0; k < n.length(); k++) {
      char c = n.charAt(k);
      boolean drop = c == '\u00ad' && k < n.length() - 1 || c < 0x20 && c != '\t' && c != '\n' || c == '\ufffd';
      if (drop && sb == null) {
        sb = new StringBuilder(n.length());
        sb.append(n, 0, k);
      }
      if (sb != null && !drop) {
        sb.append(c);
      }
    }
    return sb == null ? n : sb.toString();
  }
}
