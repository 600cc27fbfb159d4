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

  /** Joins words into text: lines top to bottom, each line in reading order ({@link #lineText}). */
  static String join(List<PageWord> words) {
    if (words.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (TextLine l : of(words)) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(lineText(l.words));
    }
    return sb.toString();
  }

  /**
   * The words of one line (left to right on the page) in reading order, separated by single spaces. A line whose
   * words are mostly right-to-left (Hebrew, Arabic) reads from the right; runs of left-to-right words inside it
   * (numbers, Latin names) keep their own order, as the Unicode bidi algorithm places them. The words themselves
   * arrive in logical order from the layout. The line's direction is that of its outermost strong words when both
   * ends agree (so a Hebrew cell naming "Microsoft Word" still reads from the right), else that of most letters.
   */
  static String lineText(List<PageWord> leftToRight) {
    int rtl = 0;
    int ltr = 0;
    boolean[] rtlWord = new boolean[leftToRight.size()];
    for (int i = 0; i < rtlWord.length; i++) {
      String t = leftToRight.get(i).text();
      for (int k = 0; k < t.length(); k++) {
        byte d = Character.getDirectionality(t.charAt(k));
        if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
          rtl++;
          rtlWord[i] = true;
        } else if (d == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
          ltr++;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    // UAX #9's P2 read in visual order: a right-to-left line starts at its right end, a left-to-right one at its left
    // end; when the outermost words agree they decide, otherwise the majority of letters does
    int first = strongEnd(leftToRight, true);
    int last = strongEnd(leftToRight, false);
    boolean rtlLine = first == last && first != 0 ? first < 0 : rtl > ltr;
    if (!rtlLine) {
      for (PageWord w : leftToRight) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(w.text());
      }
      return sb.toString();
    }
    int i = leftToRight.size() - 1;
    while (i >= 0) {
      int j = i;
      if (!rtlWord[i]) {
        while (j > 0 && !rtlWord[j - 1]) {
          j--;
        }
      }
      for (int k = j; k <= i; k++) { // a left-to-right run keeps its order; a right-to-left word is one step
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(leftToRight.get(k).text());
      }
      i = j - 1;
    }
    return sb.toString();
  }

  /** Direction of the first strong letter from the left ({@code fromLeft}) or right end: -1 RTL, +1 LTR, 0 none. */
  private static int strongEnd(List<PageWord> leftToRight, boolean fromLeft) {
    int n = leftToRight.size();
    for (int i = 0; i < n; i++) {
      String t = leftToRight.get(fromLeft ? i : n - 1 - i).text();
      for (int k = 0; k < t.length(); k++) {
        byte d = Character.getDirectionality(t.charAt(fromLeft ? k : t.length() - 1 - k));
        if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
          return -1;
        }
        if (d == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
          return 1;
        }
      }
    }
    return 0;
  }
}
