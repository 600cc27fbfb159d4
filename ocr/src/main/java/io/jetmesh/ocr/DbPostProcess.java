package io.jetmesh.ocr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PaddleOCR's DB (differentiable binarisation) text-detection post-processing, in plain Java: threshold the
 * probability map, take each connected region's minimum-area rectangle, drop regions whose mean probability is low,
 * grow the rectangle by {@code area * unclipRatio / perimeter} (the "unclip" that undoes DB's shrunk training
 * targets), and scale it to the input image. Mirrors {@code ppocr/postprocess/db_postprocess.py} with
 * {@code score_mode=fast}; contours are replaced by region pixels, which give the same minimum-area rectangle.
 */
final class DbPostProcess {
  final float threshold;
  final float boxThreshold;
  final float unclipRatio;
  final int maxCandidates;
  static final int MIN_SIZE = 3;

  DbPostProcess(float threshold, float boxThreshold, float unclipRatio, int maxCandidates) {
    this.threshold = threshold;
    this.boxThreshold = boxThreshold;
    this.unclipRatio = unclipRatio;
    this.maxCandidates = maxCandidates;
  }

  /** A detected text region: corners tl, tr, br, bl (x, y pairs) in image pixels, and its mean probability. */
  record Quad(float[] xs, float[] ys, float score) {
    float width() {
      return Math.max(dist(0, 1), dist(3, 2));
    }

    float height() {
      return Math.max(dist(0, 3), dist(1, 2));
    }

    float minX() {
      return Math.min(Math.min(xs[0], xs[1]), Math.min(xs[2], xs[3]));
    }

    float maxX() {
      return Math.max(Math.max(xs[0], xs[1]), Math.max(xs[2], xs[3]));
    }

    float minY() {
      return Math.min(Math.min(ys[0], ys[1]), Math.min(ys[2], ys[3]));
    }

    float maxY() {
      return Math.max(Math.max(ys[0], ys[1]), Math.max(ys[2], ys[3]));
    }

    float centerY() {
      return (ys[0] + ys[1] + ys[2] + ys[3]) / 4;
    }

    private float dist(int a, int b) {
      return (float) Math.hypot(xs[a] - xs[b], ys[a] - ys[b]);
    }
  }

  /**
   * @param prob probability map, row-major {@code mapH x mapW}
   * @param scaleX image width / map width
   * @param scaleY image height / map height
   */
  List<Quad> boxes(float[] prob, int mapW, int mapH, double scaleX, double scaleY, int imageW, int imageH) {
    int n = mapW * mapH;
    int[] label = new int[n];
    int next = 0;
    List<int[]> regions = new ArrayList<>(); // pixel indices per region
    int[] stack = new int[1024];
    for (int i = 0; i < n; i++) {
      if (label[i] != 0 || prob[i] <= threshold) {
        continue;
      }
      next++;
      int sp = 0;
      stack[sp++] = i;
      label[i] = next;
      int[] pix = new int[64];
      int count = 0;
      while (sp > 0) {
        int p = stack[--sp];
        if (count == pix.length) {
          pix = Arrays.copyOf(pix, count * 2);
        }
        pix[count++] = p;
        int x = p % mapW;
        int y = p / mapW;
        for (int dy = -1; dy <= 1; dy++) {
          int yy = y + dy;
          if (yy < 0 || yy >= mapH) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            if (xx < 0 || xx >= mapW || (dx == 0 && dy == 0)) {
              continue;
            }
            int q = yy * mapW + xx;
            if (label[q] == 0 && prob[q] > threshold) {
              label[q] = next;
              if (sp == stack.length) {
                stack = Arrays.copyOf(stack, sp * 2);
              }
              stack[sp++] = q;
            }
          }
        }
      }
      regions.add(Arrays.copyOf(pix, count));
    }
    // largest regions first, as many as maxCandidates
    regions.sort((a, b) -> Integer.compare(b.length, a.length));
    List<Quad> out = new ArrayList<>();
    for (int r = 0; r < Math.min(maxCandidates, regions.size()); r++) {
      int[] pix = regions.get(r);
      if (pix.length < 4) {
        continue;
      }
      double[][] hull = hull(pix, mapW);
      double[] rect = minAreaRect(hull); // cx, cy, w, h, angle (w along the angle)
      if (Math.min(rect[2], rect[3]) < MIN_SIZE) {
        continue;
      }
      float[][] box = corners(rect);
      float score = meanInside(prob, mapW, mapH, box);
      if (score < boxThreshold) {
        continue;
      }
      // unclip: offset distance = area * ratio / perimeter, applied on every side
      double area = rect[2] * rect[3];
      double perimeter = 2 * (rect[2] + rect[3]);
      double d = area * unclipRatio / perimeter;
      double[] grown = {rect[0], rect[1], rect[2] + 2 * d, rect[3] + 2 * d, rect[4]};
      if (Math.min(grown[2], grown[3]) < MIN_SIZE + 2) {
        continue;
      }
      float[][] g = corners(grown);
      float[] xs = new float[4];
      float[] ys = new float[4];
      for (int k = 0; k < 4; k++) {
        xs[k] = (float) Math.max(0, Math.min(imageW, g[0][k] * scaleX));
        ys[k] = (float) Math.max(0, Math.min(imageH, g[1][k] * scaleY));
      }
      out.add(new Quad(xs, ys, score));
    }
    return out;
  }

  /** Convex hull (monotone chain) of the region's pixel centres; only boundary pixels can be on it. */
  private static double[][] hull(int[] pix, int mapW) {
    // keep, per row, the leftmost and rightmost pixel: the hull of those equals the hull of all
    java.util.Map<Integer, int[]> rows = new java.util.TreeMap<>();
    for (int p : pix) {
      int x = p % mapW;
      int y = p / mapW;
      int[] mm = rows.get(y);
      if (mm == null) {
        rows.put(y, new int[] {x, x});
      } else {
        mm[0] = Math.min(mm[0], x);
        mm[1] = Math.max(mm[1], x);
      }
    }
    List<double[]> pts = new ArrayList<>();
    for (var e : rows.entrySet()) {
      pts.add(new double[] {e.getValue()[0], e.getKey()});
      if (e.getValue()[1] != e.getValue()[0]) {
        pts.add(new double[] {e.getValue()[1], e.getKey()});
      }
    }
    pts.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    int k = 0;
    double[][] h = new double[2 * pts.size() + 1][];
    for (double[] p : pts) {
      while (k >= 2 && cross(h[k - 2], h[k - 1], p) <= 0) {
        k--;
      }
      h[k++] = p;
    }
    for (int i = pts.size() - 2, t = k + 1; i >= 0; i--) {
      double[] p = pts.get(i);
      while (k >= t && cross(h[k - 2], h[k - 1], p) <= 0) {
        k--;
      }
      h[k++] = p;
    }
    return Arrays.copyOf(h, Math.max(1, k - 1));
  }

  private static double cross(double[] o, double[] a, double[] b) {
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  }

  /**
   * Minimum-area enclosing rectangle of a convex polygon (one side is collinear with a hull edge). Pixel centres
   * are grown by half a pixel on each side so a one-pixel-high region has height 1, as OpenCV's contours imply.
   */
  static double[] minAreaRect(double[][] hull) {
    double best = Double.MAX_VALUE;
    double[] r = null;
    int n = hull.length;
    for (int i = 0; i < Math.max(1, n); i++) {
      double[] a = hull[i];
      double[] b = hull[(i + 1) % n];
      double ang = n == 1 ? 0 : Math.atan2(b[1] - a[1], b[0] - a[0]);
      double c = Math.cos(ang);
      double s = Math.sin(ang);
      double minU = Double.MAX_VALUE;
      double maxU = -Double.MAX_VALUE;
      double minV = Double.MAX_VALUE;
      double maxV = -Double.MAX_VALUE;
      for (double[] p : hull) {
        double u = p[0] * c + p[1] * s;
        double v = -p[0] * s + p[1] * c;
        minU = Math.min(minU, u);
        maxU = Math.max(maxU, u);
        minV = Math.min(minV, v);
        maxV = Math.max(maxV, v);
      }
      double area = (maxU - minU + 1) * (maxV - minV + 1);
      if (area < best) {
        best = area;
        double cu = (minU + maxU) / 2;
        double cv = (minV + maxV) / 2;
        double w = maxU - minU + 1;
        double h = maxV - minV + 1;
        // normalise so that w is the more horizontal side: angle in (-45, 45]
        double angle = ang;
        if (Math.abs(Math.cos(angle)) < Math.abs(Math.sin(angle))) {
          angle += Math.PI / 2;
          double t = w;
          w = h;
          h = t;
        }
        if (Math.cos(angle) < 0) {
          angle += Math.PI;
        }
        r = new double[] {cu * c - cv * s, cu * s + cv * c, w, h, angle};
      }
    }
    return r;
  }

  /** Corners tl, tr, br, bl of a rectangle {cx, cy, w, h, angle}; [0] = xs, [1] = ys (map coordinates). */
  static float[][] corners(double[] r) {
    double c = Math.cos(r[4]);
    double s = Math.sin(r[4]);
    double hw = r[2] / 2;
    double hh = r[3] / 2;
    double[][] local = {{-hw, -hh}, {hw, -hh}, {hw, hh}, {-hw, hh}};
    float[][] out = new float[2][4];
    for (int k = 0; k < 4; k++) {
      // +0.5: pixel centres to pixel-edge coordinates
      out[0][k] = (float) (r[0] + local[k][0] * c - local[k][1] * s + 0.5);
      out[1][k] = (float) (r[1] + local[k][0] * s + local[k][1] * c + 0.5);
    }
    return out;
  }

  /** Mean probability inside the (convex) quadrilateral, over the pixels of its bounding box that it contains. */
  private static float meanInside(float[] prob, int w, int h, float[][] q) {
    int x0 = (int) Math.max(0, Math.floor(min(q[0])));
    int x1 = (int) Math.min(w - 1, Math.ceil(max(q[0])));
    int y0 = (int) Math.max(0, Math.floor(min(q[1])));
    int y1 = (int) Math.min(h - 1, Math.ceil(max(q[1])));
    double sum = 0;
    int n = 0;
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        if (inside(q, x + 0.5, y + 0.5)) {
          sum += prob[y * w + x];
          n++;
        }
      }
    }
    return n == 0 ? 0 : (float) (sum / n);
  }

  private static boolean inside(float[][] q, double x, double y) {
    boolean pos = false;
    boolean neg = false;
    for (int k = 0; k < 4; k++) {
      int j = (k + 1) % 4;
      double cr = (q[0][j] - q[0][k]) * (y - q[1][k]) - (q[1][j] - q[1][k]) * (x - q[0][k]);
      pos |= cr > 0;
      neg |= cr < 0;
    }
    return !(pos && neg);
  }

  private static float min(float[] a) {
    return Math.min(Math.min(a[0], a[1]), Math.min(a[2], a[3]));
  }

  private static float max(float[] a) {
    return Math.max(Math.max(a[0], a[1]), Math.max(a[2], a[3]));
  }
}
