package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;

/**
 * A closed box drawn on the page with four rulings: a text box, a shape, a chart's plot or chart area, a figure's
 * border (or a table's outline and its cells). Rounded corners are allowed: the sides may stop short of each other by
 * {@link #CORNER} points. PDF points, top-left origin.
 */
public record Frame(float x0, float y0, float x1, float y1) {
  /** How far the sides of a box may stop short of its corners (rounded corners, line caps). */
  static final float CORNER = 12f;
  /** Above this many horizontal or vertical rulings a page is not searched (vector art, dense grids). */
  static final int MAX_SIDES = 200;
  /** Boxes lower than this (points) are rules drawn twice, not frames. */
  static final float MIN_HEIGHT = 4f;

  public float height() {
    return y1 - y0;
  }

  /** Whether the box (with {@code slack} points around it) contains the given one. */
  public boolean contains(float bx0, float by0, float bx1, float by1, float slack) {
    return bx0 >= x0 - slack && by0 >= y0 - slack && bx1 <= x1 + slack && by1 <= y1 + slack;
  }

  /**
   * The closed boxes among the page's rulings: two horizontals of about the same extent joined at both ends by
   * verticals that span the height between them. O(h² · v) with h and v bounded by {@link #MAX_SIDES}.
   */
  public static List<Frame> find(List<Ruling> rulings, float pageWidth, float pageHeight) {
    RulingSet rs = RulingSet.of(rulings, pageWidth, pageHeight);
    List<Frame> out = new ArrayList<>();
    List<Ruling> hs = rs.horizontals;
    List<Ruling> vs = rs.verticals;
    if (hs.size() < 2 || vs.size() < 2 || hs.size() > MAX_SIDES || vs.size() > MAX_SIDES) {
      return out;
    }
    for (int i = 0; i < hs.size(); i++) {
      Ruling top = hs.get(i);
      for (int j = 0; j < hs.size(); j++) {
        Ruling bottom = hs.get(j);
        if (bottom.y0() - top.y0() < MIN_HEIGHT || Math.abs(top.left() - bottom.left()) > CORNER
            || Math.abs(top.right() - bottom.right()) > CORNER) {
          continue;
        }
        float left = Math.min(top.left(), bottom.left());
        float right = Math.max(top.right(), bottom.right());
        if (right - left < MIN_HEIGHT) {
          continue;
        }
        if (side(vs, left, top.y0(), bottom.y0()) && side(vs, right, top.y0(), bottom.y0())) {
          out.add(new Frame(left, top.y0(), right, bottom.y0()));
        }
      }
    }
    return out;
  }

  /** A vertical near x spanning from near y0 to near y1. */
  private static boolean side(List<Ruling> vs, float x, float y0, float y1) {
    for (Ruling v : vs) {
      if (Math.abs(v.x0() - x) <= CORNER && v.top() <= y0 + CORNER && v.bottom() >= y1 - CORNER) {
        return true;
      }
    }
    return false;
  }
}
