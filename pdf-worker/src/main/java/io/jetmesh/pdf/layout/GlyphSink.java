package io.jetmesh.pdf.layout;

import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDSimpleFont;

/**
 * Turns shown glyphs (text rendering matrix, font, code, advance) into {@link Glyph}s in display space. Shared by the
 * full content pass ({@link PageCollector}, on PDFBox's stream engine) and the text-only pass
 * ({@link TextContentReader}), so both produce the same glyphs from the same input.
 */
final class GlyphSink {
  /** A cap that keeps a hostile page from exhausting memory; glyphs past it are dropped (and reported). */
  static final int MAX_GLYPHS = 500_000;

  private final PageCollector.PageGeometry geo;
  private final PageCollector.FontCache fonts;
  private final List<Glyph> glyphs = new ArrayList<>();
  private final float[] corners = new float[8];
  private final float[] origin = new float[4];
  private boolean truncated;

  GlyphSink(PageCollector.PageGeometry geo, PageCollector.FontCache fonts) {
    this.geo = geo;
    this.fonts = fonts;
  }

  List<Glyph> glyphs() {
    return glyphs;
  }

  boolean truncated() {
    return truncated;
  }

  /**
   * Records one glyph. {@code a..f} is the text rendering matrix (user space), {@code dx} the glyph's horizontal
   * advance in text space, {@code fillStroke} whether it is drawn filled and stroked (text rendering mode 2, a common
   * way of faking bold).
   */
  void add(float a, float b, float c, float d, float e, float f, PDFont font, int code, float dx, boolean fillStroke) {
    if (glyphs.size() >= MAX_GLYPHS) {
      truncated = true;
      return;
    }
    String unicode = font.toUnicode(code);
    if (unicode == null) {
      if (font instanceof PDSimpleFont && code > 31) {
        unicode = String.valueOf((char) code);
      } else {
        return;
      }
    }
    FontInfo fi = fonts.get(font);
    float fontSize = (float) Math.sqrt(c * c + d * d);
    if (fontSize <= 0.01f || Float.isNaN(fontSize) || Float.isInfinite(fontSize)) {
      return;
    }
    float advX = dx * a;
    float advY = dx * b;
    float lo = fi.descent();
    float hi = fi.ascent();
    // the four corners of the glyph box in user space, mapped to display space
    float p0x = e + lo * c;
    float p0y = f + lo * d;
    float p1x = e + hi * c;
    float p1y = f + hi * d;
    float[] q = corners;
    geo.toDisplay(p0x, p0y, q, 0);
    geo.toDisplay(p0x + advX, p0y + advY, q, 2);
    geo.toDisplay(p1x, p1y, q, 4);
    geo.toDisplay(p1x + advX, p1y + advY, q, 6);
    float x0 = Math.min(Math.min(q[0], q[2]), Math.min(q[4], q[6]));
    float x1 = Math.max(Math.max(q[0], q[2]), Math.max(q[4], q[6]));
    float y0 = Math.min(Math.min(q[1], q[3]), Math.min(q[5], q[7]));
    float y1 = Math.max(Math.max(q[1], q[3]), Math.max(q[5], q[7]));
    // reading direction in display space from the baseline advance (or the x axis when the advance is zero)
    float[] o = origin;
    geo.toDisplay(e, f, o, 0);
    float ux = advX;
    float uy = advY;
    if (Math.abs(ux) + Math.abs(uy) < 1e-4f) {
      ux = a;
      uy = b;
    }
    geo.toDisplay(e + ux, f + uy, o, 2);
    int dir = direction(o[2] - o[0], o[3] - o[1]);
    // baseline origin in the reading frame (display rotated by -dir)
    float fx0;
    float fx1;
    float fy;
    switch (dir) {
      case 90 -> { fx0 = o[1]; fx1 = o[1] + Math.abs(y1 - y0); fy = -o[0]; }
      case 180 -> { fx0 = -o[0]; fx1 = -o[0] + Math.abs(x1 - x0); fy = -o[1]; }
      case 270 -> { fx0 = -o[1]; fx1 = -o[1] + Math.abs(y1 - y0); fy = o[0]; }
      default -> { fx0 = o[0]; fx1 = o[0] + (x1 - x0); fy = o[1]; }
    }
    if (fillStroke && !fi.bold()) {
      fi = new FontInfo(fi.name(), true, fi.italic(), fi.mono(), fi.math(), fi.ascent(), fi.descent());
    }
    glyphs.add(new Glyph(unicode, x0, y0, x1, y1, fx0, fx1, fy, fontSize, dir, fi));
  }

  /** The reading direction of a display-space vector, to the nearest quarter turn (0, 90, 180 or 270). */
  static int direction(float vx, float vy) {
    // the common cases without trigonometry: text along an axis
    if (vy == 0f && vx > 0f) {
      return 0;
    }
    if (vx == 0f && vy != 0f) {
      return vy > 0f ? 90 : 270;
    }
    if (vy == 0f && vx < 0f) {
      return 180;
    }
    double ang = Math.toDegrees(Math.atan2(vy, vx));
    return (int) (Math.round(((ang % 360) + 360) % 360 / 90.0) % 4) * 90;
  }
}
