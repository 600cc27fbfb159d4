package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Words sharing a baseline band, left to right, with the line's vertical extent and typical font size. */
final class TextLine {
  final List<PageWord> words = new ArrayList<>();
  float top = Float.MAX_VALUE;
  float bottom = -Float.MAX_VALUE;
  float left = Float.MAX_VALUE;
  float right = -Float.MAX_VALUE;
  float fontSize;

  void add(PageWord w) {
    words.add(w);
    top = Math.min(top, w.y0());
    bottom = Math.max(bottom, w.y1());
    left = Math.min(left, w.x0());
    right = Math.max(right, w.x1());
  }

  float height() {
    return bottom - top;
  }

  float centerY() {
    return (top + bottom) / 2;
  }

  /**
   * Groups words into lines: words whose vertical extents overlap by at least half the smaller height. Words are
   * swept by their vertical centre, and only the few most recent lines are candidates, so this is O(n log n).
   */
  static List<TextLine> of(List<PageWord> words) {
    List<PageWord> sorted = new ArrayList<>(words);
    sorted.sort(Comparator.comparingDouble(PageWord::centerY));
    List<TextLine> lines = new ArrayList<>();
    for (PageWord w : sorted) {
      TextLine best = null;
      float bestOverlap = 0;
      for (int i = lines.size() - 1; i >= 0 && i >= lines.size() - 4; i--) {
        TextLine l = lines.get(i);
        float overlap = Math.min(l.bottom, w.y1()) - Math.max(l.top, w.y0());
        float minH = Math.min(l.height(), w.height());
        if (overlap >= 0.5f * minH && overlap > bestOverlap) {
          best = l;
          bestOverlap = overlap;
        }
      }
      if (best == null) {
        best = new TextLine();
        lines.add(best);
      }
      best.add(w);
    }
    for (TextLine l : lines) {
      l.words.sort(Comparator.comparingDouble(PageWord::x0));
      float[] sizes = new float[l.words.size()];
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = l.words.get(i).fontSize();
      }
      Arrays.sort(sizes);
      l.fontSize = sizes[sizes.length / 2];
    }
    lines.sort(Comparator.comparingDouble(TextLine::centerY));
    return lines;
  }

  /** Joins words into text: lines top to bottom, words left to right, separated by single spaces. */
  static String join(List<PageWord> words) {
    if (words.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (TextLine l : of(words)) {
      for (PageWord w : l.words) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(w.text());
      }
    }
    return sb.toString();
  }
}
