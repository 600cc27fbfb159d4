package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Words sorted by vertical centre, for box queries in O(log n + words in the box's band). */
final class WordIndex {
  private final List<PageWord> byY;
  private final float[] ys;

  WordIndex(List<PageWord> words) {
    byY = new ArrayList<>(words);
    byY.sort(Comparator.comparingDouble(PageWord::centerY));
    ys = new float[byY.size()];
    for (int i = 0; i < ys.length; i++) {
      ys[i] = byY.get(i).centerY();
    }
  }

  /** Words whose centre lies in the box (inclusive). */
  List<PageWord> within(float x0, float y0, float x1, float y1) {
    List<PageWord> out = new ArrayList<>();
    for (int i = LatticeDetector.lowerBound(ys, y0); i < ys.length && ys[i] <= y1; i++) {
      PageWord w = byY.get(i);
      float cx = w.centerX();
      if (cx >= x0 && cx <= x1) {
        out.add(w);
      }
    }
    return out;
  }
}
