package io.jetmesh.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/** Pixel operations for OCR preprocessing, in plain Java on 8-bit gray images. */
final class ImageOps {
  private ImageOps() {}

  /** An 8-bit gray copy (or the image itself if it already is one); transparency is composed onto white. */
  static BufferedImage toGray(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return src;
    }
    BufferedImage g = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    if (src.getType() == BufferedImage.TYPE_3BYTE_BGR) { // JPEG/PNG decoder output: convert directly, 5x faster
      byte[] s = ((DataBufferByte) src.getRaster().getDataBuffer()).getData();
      byte[] d = pixels(g);
      for (int i = 0, j = 0; i < d.length; i++, j += 3) {
        // ITU-R BT.601 luma, as Java2D's sRGB -> gray conversion approximates
        d[i] = (byte) ((29 * (s[j] & 0xff) + 150 * (s[j + 1] & 0xff) + 77 * (s[j + 2] & 0xff) + 128) >> 8);
      }
      return g;
    }
    Graphics2D gr = g.createGraphics();
    try {
      gr.setColor(Color.WHITE);
      gr.fillRect(0, 0, src.getWidth(), src.getHeight());
      gr.drawImage(src, 0, 0, null);
    } finally {
      gr.dispose();
    }
    return g;
  }

  static byte[] pixels(BufferedImage gray) {
    return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
  }

  /** Rotates a gray image clockwise by 0, 90, 180 or 270 degrees, exactly (no resampling). */
  static BufferedImage rotate(BufferedImage gray, int degreesClockwise) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    byte[] s = pixels(gray);
    return switch (degreesClockwise) {
      case 0 -> gray;
      case 180 -> {
        BufferedImage d = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] t = pixels(d);
        for (int i = 0, n = s.length; i < n; i++) {
          t[n - 1 - i] = s[i];
        }
        yield d;
      }
      case 90 -> { // (x, y) -> (h - 1 - y, x)
        BufferedImage d = new BufferedImage(h, w, BufferedImage.TYPE_BYTE_GRAY);
        byte[] t = pixels(d);
        for (int y = 0; y < h; y++) {
          int row = y * w;
          int nx = h - 1 - y;
          for (int x = 0; x < w; x++) {
            t[x * h + nx] = s[row + x];
          }
        }
        yield d;
      }
      case 270 -> { // (x, y) -> (y, w - 1 - x)
        BufferedImage d = new BufferedImage(h, w, BufferedImage.TYPE_BYTE_GRAY);
        byte[] t = pixels(d);
        for (int y = 0; y < h; y++) {
          int row = y * w;
          for (int x = 0; x < w; x++) {
            t[(w - 1 - x) * h + y] = s[row + x];
          }
        }
        yield d;
      }
      default -> throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + degreesClockwise);
    };
  }

  /** Resizes with bicubic interpolation (area averaging would blur thin strokes less, but is 10x slower). */
  static BufferedImage scale(BufferedImage gray, double factor) {
    if (Math.abs(factor - 1) < 1e-3) {
      return gray;
    }
    int w = Math.max(1, (int) Math.round(gray.getWidth() * factor));
    int h = Math.max(1, (int) Math.round(gray.getHeight() * factor));
    BufferedImage d = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = d.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(gray, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return d;
  }

  /** Half-size copy, each pixel the mean of a 2x2 block (fast, no aliasing of thin strokes). */
  static BufferedImage halve(BufferedImage gray) {
    int w = gray.getWidth() / 2;
    int h = gray.getHeight() / 2;
    int sw = gray.getWidth();
    byte[] s = pixels(gray);
    BufferedImage d = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_BYTE_GRAY);
    byte[] t = pixels(d);
    for (int y = 0; y < h; y++) {
      int r0 = 2 * y * sw;
      int r1 = r0 + sw;
      for (int x = 0; x < w; x++) {
        int sum = (s[r0 + 2 * x] & 0xff) + (s[r0 + 2 * x + 1] & 0xff) + (s[r1 + 2 * x] & 0xff)
            + (s[r1 + 2 * x + 1] & 0xff);
        t[y * w + x] = (byte) ((sum + 2) >> 2);
      }
    }
    return d;
  }

  /** Rotates by a small angle (degrees, clockwise positive) about the centre, same canvas size, white fill. */
  static BufferedImage rotateSmall(BufferedImage gray, double degrees) {
    int w = gray.getWidth();
    int h = gray.getHeight();
    BufferedImage d = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = d.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(gray, AffineTransform.getRotateInstance(Math.toRadians(degrees), w / 2.0, h / 2.0), null);
    } finally {
      g.dispose();
    }
    return d;
  }

  /** Otsu's global threshold of a gray image. */
  static int otsuThreshold(byte[] px) {
    long[] hist = new long[256];
    for (byte b : px) {
      hist[b & 0xff]++;
    }
    long total = px.length;
    double sum = 0;
    for (int i = 0; i < 256; i++) {
      sum += (double) i * hist[i];
    }
    double sumB = 0;
    long wB = 0;
    double best = -1;
    int threshold = 127;
    for (int t = 0; t < 256; t++) {
      wB += hist[t];
      if (wB == 0) {
        continue;
      }
      long wF = total - wB;
      if (wF == 0) {
        break;
      }
      sumB += (double) t * hist[t];
      double mB = sumB / wB;
      double mF = (sum - sumB) / wF;
      double between = (double) wB * wF * (mB - mF) * (mB - mF);
      if (between > best) {
        best = between;
        threshold = t;
      }
    }
    return threshold;
  }

  /**
   * Median height in pixels of the glyph-like connected components (dark on light, Otsu threshold), or 0 when the
   * image holds too few of them. Used to decide whether small print should be enlarged before OCR.
   */
  static double medianGlyphHeight(BufferedImage gray) {
    // estimate on every k-th pixel of a large image (heights scale by 1/k); plain subsampling is enough for
    // counting glyph heights and much cheaper than resampling a 300 dpi page
    long area = (long) gray.getWidth() * gray.getHeight();
    int k = (int) Math.ceil(Math.sqrt(area / 2_000_000.0));
    byte[] full = pixels(gray);
    int w = (gray.getWidth() + k - 1) / k;
    int h = (gray.getHeight() + k - 1) / k;
    byte[] px = full;
    if (k > 1) {
      px = new byte[w * h];
      int fw = gray.getWidth();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[y * w + x] = full[(y * k) * fw + x * k];
        }
      }
    }
    double f = 1.0 / k;
    int t = otsuThreshold(px);
    boolean darkText = countBelow(px, t) * 2L < px.length; // text is the minority colour
    int[] label = new int[w * h];
    int[] parent = new int[w * h / 2 + 2];
    int next = 1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        boolean fg = darkText ? (px[i] & 0xff) <= t : (px[i] & 0xff) > t;
        if (!fg) {
          continue;
        }
        int up = y > 0 ? label[i - w] : 0;
        int left = x > 0 ? label[i - 1] : 0;
        if (up == 0 && left == 0) {
          if (next >= parent.length) {
            parent = Arrays.copyOf(parent, parent.length * 2);
          }
          parent[next] = next;
          label[i] = next++;
        } else if (up != 0 && left != 0) {
          int a = find(parent, up);
          int b = find(parent, left);
          label[i] = Math.min(a, b);
          parent[Math.max(a, b)] = Math.min(a, b);
        } else {
          label[i] = up != 0 ? up : left;
        }
      }
    }
    int[] minY = new int[next];
    int[] maxY = new int[next];
    int[] minX = new int[next];
    int[] maxX = new int[next];
    Arrays.fill(minY, Integer.MAX_VALUE);
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(maxY, -1);
    Arrays.fill(maxX, -1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = label[y * w + x];
        if (l != 0) {
          int r = find(parent, l);
          minY[r] = Math.min(minY[r], y);
          maxY[r] = Math.max(maxY[r], y);
          minX[r] = Math.min(minX[r], x);
          maxX[r] = Math.max(maxX[r], x);
        }
      }
    }
    int[] heights = new int[next];
    int n = 0;
    for (int r = 1; r < next; r++) {
      if (maxY[r] < 0) {
        continue;
      }
      int ch = maxY[r] - minY[r] + 1;
      int cw = maxX[r] - minX[r] + 1;
      // glyph-like: not specks, not rules or frames, not huge blobs
      if (ch >= 4 && ch <= h / 4 && cw <= 3 * ch && ch <= 6 * cw) {
        heights[n++] = ch;
      }
    }
    if (n < 10) {
      return 0;
    }
    Arrays.sort(heights, 0, n);
    return heights[n / 2] / f;
  }

  private static long countBelow(byte[] px, int t) {
    long c = 0;
    for (byte b : px) {
      if ((b & 0xff) <= t) {
        c++;
      }
    }
    return c;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
