package io.jetmesh.pdf.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Reading order of a region: a recursive XY-cut that prefers column gutters. A region is split at vertical whitespace
 * that runs through its full height (columns, read left to right, or right to left on right-to-left pages); otherwise
 * at its widest horizontal whitespace bands. The leaves come out in reading order. Stateless.
 */
final class ReadingOrder {
  private static final int MAX_DEPTH = 400;

  private ReadingOrder() {}

  /** The leaves of the XY-cut of {@code items}, in reading order. */
  static List<List<Box>> leaves(List<Box> items, boolean rtlPage) {
    List<List<Box>> leaves = new ArrayList<>();
    if (!items.isEmpty()) {
      xyCut(items, leaves, rtlPage, 0);
    }
    return leaves;
  }

  static boolean rtlDominant(List<Word> words) {
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

    private static void xyCut(List<Box> items, List<List<Box>> out, boolean rtl, int depth) {
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
      List<List<Box>> parts = split(items, cuts, true);
      // a column of bullets is part of the list beside it, not a column of its own
      for (int k = parts.size() - 2; k >= 0; k--) {
        if (parts.get(k).stream().allMatch(ReadingOrder::isMarkerWord)) {
          parts.get(k + 1).addAll(parts.remove(k));
        }
      }
      if (parts.size() == 1) {
        out.add(parts.get(0));
        return;
      }
      if (rtl) {
        Collections.reverse(parts);
      }
      for (List<Box> p : parts) {
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
    for (List<Box> p : split(items, hcuts, false)) {
      xyCut(p, out, rtl, depth + 1);
    }
  }

  private static boolean isMarkerWord(Box o) {
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

  private static List<List<Box>> split(List<Box> items, List<Float> cuts, boolean vertical) {
    List<List<Box>> parts = new ArrayList<>();
    for (int k = 0; k <= cuts.size(); k++) {
      parts.add(new ArrayList<>());
    }
    for (Box o : items) {
      float c = vertical ? (o.x0() + o.x1()) / 2f : (o.y0() + o.y1()) / 2f;
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
  private static List<float[]> merged(List<Box> items, boolean xAxis) {
    int n = items.size();
    float[] lo = new float[n];
    float[] hi = new float[n];
    for (int k = 0; k < n; k++) {
      Box o = items.get(k);
      if (xAxis) {
        lo[k] = o.x0();
        hi[k] = o.x1();
      } else {
        // shrink vertical extents a little: ascender/descender boxes of adjacent lines often touch
        float a = o.y0();
        float b = o.y1();
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

  private static float medianFontSize(List<Box> items) {
    float[] f = new float[items.size()];
    int n = 0;
    for (Box o : items) {
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
}
