package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The page's rulings normalised for grid building: horizontal and vertical segments only, collinear pieces
 * (same y within {@link #SNAP}, touching or overlapping within {@link #JOIN}) merged into one segment, each list
 * sorted by position. Dashed lines and table borders drawn cell by cell thus become single long rulings.
 */
final class RulingSet {
  /** Segments whose positions differ by at most this (points) are treated as on the same line. */
  static final float SNAP = 2f;
  /** Collinear segments separated by at most this gap (points) are joined. */
  static final float JOIN = 3f;

  final List<Ruling> horizontals;
  final List<Ruling> verticals;

  private RulingSet(List<Ruling> horizontals, List<Ruling> verticals) {
    this.horizontals = horizontals;
    this.verticals = verticals;
  }

  static RulingSet of(List<Ruling> rulings, float pageWidth, float pageHeight) {
    List<float[]> hs = new ArrayList<>();
    List<float[]> vs = new ArrayList<>();
    for (Ruling r : rulings) {
      // ignore rulings entirely off the page
      if (r.right() < 0 || r.left() > pageWidth || r.bottom() < 0 || r.top() > pageHeight) {
        continue;
      }
      if (r.isHorizontal()) {
        hs.add(new float[] {(r.y0() + r.y1()) / 2, r.left(), r.right()});
      } else if (r.isVertical()) {
        vs.add(new float[] {(r.x0() + r.x1()) / 2, r.top(), r.bottom()});
      }
    }
    List<Ruling> h = new ArrayList<>();
    for (float[] s : merge(hs)) {
      h.add(new Ruling(s[1], s[0], s[2], s[0]));
    }
    List<Ruling> v = new ArrayList<>();
    for (float[] s : merge(vs)) {
      v.add(new Ruling(s[0], s[1], s[0], s[2]));
    }
    return new RulingSet(h, v);
  }

  /** Segments as {pos, from, to}: cluster by pos, then join overlapping spans. O(n log n). */
  private static List<float[]> merge(List<float[]> segs) {
    segs.sort(Comparator.comparingDouble((float[] s) -> s[0]));
    List<float[]> out = new ArrayList<>();
    int i = 0;
    while (i < segs.size()) {
      int j = i;
      // a cluster: consecutive positions within SNAP of the previous one
      while (j + 1 < segs.size() && segs.get(j + 1)[0] - segs.get(j)[0] <= SNAP
          && segs.get(j + 1)[0] - segs.get(i)[0] <= 2 * SNAP) {
        j++;
      }
      List<float[]> cluster = new ArrayList<>(segs.subList(i, j + 1));
      cluster.sort(Comparator.comparingDouble((float[] s) -> s[1]));
      float[] cur = null;
      double posSum = 0;
      double lenSum = 0;
      for (float[] s : cluster) {
        if (cur != null && s[1] <= cur[2] + JOIN) {
          cur[2] = Math.max(cur[2], s[2]);
        } else {
          if (cur != null) {
            cur[0] = (float) (posSum / Math.max(lenSum, 1e-6));
            out.add(cur);
          }
          cur = new float[] {s[0], s[1], s[2]};
          posSum = 0;
          lenSum = 0;
        }
        double len = Math.max(s[2] - s[1], 0.1);
        posSum += s[0] * len;
        lenSum += len;
      }
      if (cur != null) {
        cur[0] = (float) (posSum / Math.max(lenSum, 1e-6));
        out.add(cur);
      }
      i = j + 1;
    }
    out.sort(Comparator.comparingDouble((float[] s) -> s[0]));
    return out;
  }
}
