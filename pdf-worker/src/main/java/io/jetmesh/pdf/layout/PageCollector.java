package io.jetmesh.pdf.layout;

import io.jetmesh.pdf.tables.Graphic;
import io.jetmesh.pdf.tables.Ruling;
import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDSimpleFont;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * A lean glyph collector: one pass over a page's content stream that records every shown glyph with its display-space
 * box, font size and font traits, the straight line segments drawn (table rulings) and the images drawn. It skips
 * everything {@code PDFTextStripper} does per glyph (text positions, article sorting, string building), which is why
 * it is several times faster. The {@code text} operation uses the leaner {@link TextContentReader}, which is tested
 * to see the same glyphs as this class.
 *
 * <p>Not thread-safe; use one instance per page.
 */
public final class PageCollector extends PDFGraphicsStreamEngine {
  /** Caps that keep a hostile page from exhausting memory; content past them is dropped (and reported). */
  static final int MAX_RULINGS = 50_000;
  static final int MAX_IMAGES = 5_000;

  private final PageGeometry geo;
  private final FontCache fonts;
  private final GlyphSink glyphSink;
  private final List<Ruling> rulings = new ArrayList<>();
  private final List<PageImage> images = new ArrayList<>();
  private final List<Graphic> graphics = new ArrayList<>();
  /** Curves in the current path and the user-space box of their points (charts: series, pie slices). */
  private int pathCurves;
  private final float[] curveBox = new float[4];
  private final List<float[]> path = new ArrayList<>(); // segments x0,y0,x1,y1 in user space
  private final List<float[]> pathRects = new ArrayList<>();
  private float curX;
  private float curY;
  private float startX;
  private float startY;
  private boolean truncated;
  private Runnable checkpoint;
  private long operators;

  /**
   * @param fonts a cache shared across the pages of one document (fonts are shared resources there)
   */
  public PageCollector(PDPage page, FontCache fonts) {
    super(page);
    this.geo = PageGeometry.of(page);
    this.fonts = fonts;
    this.glyphSink = new GlyphSink(geo, fonts);
  }

  /** Font traits by font object, shared by the pages of one document (fonts are shared resources there). */
  public static final class FontCache {
    private final Map<PDFont, FontInfo> map = new IdentityHashMap<>();

    public FontInfo get(PDFont font) {
      return map.computeIfAbsent(font, FontInfo::of);
    }
  }

  /** Runs the content stream. */
  public PageCollector collect() throws IOException {
    processPage(getPage());
    return this;
  }

  public PageGeometry geometry() {
    return geo;
  }

  List<Glyph> glyphs() {
    return glyphSink.glyphs();
  }

  public int glyphCount() {
    return glyphSink.glyphs().size();
  }

  public List<Ruling> rulings() {
    return rulings;
  }

  public List<PageImage> images() {
    return images;
  }

  /** Painted paths that are not rulings (curves, slanted lines), which mark charts for the table extractor. */
  public List<Graphic> graphics() {
    return graphics;
  }

  /** True when a cap was hit and content was dropped. */
  public boolean truncated() {
    return truncated || glyphSink.truncated();
  }

  /** Checked every few thousand operators so that one huge page cannot outlive the job's time limit. */
  public void setCheckpoint(Runnable checkpoint) {
    this.checkpoint = checkpoint;
  }

  @Override
  protected void processOperator(org.apache.pdfbox.contentstream.operator.Operator operator,
                                 List<org.apache.pdfbox.cos.COSBase> operands) throws IOException {
    if (checkpoint != null && (++operators & 4095) == 0) {
      checkpoint.run();
    }
    super.processOperator(operator, operands);
  }

  @Override
  protected void showGlyph(Matrix trm, PDFont font, int code, Vector displacement) throws IOException {
    glyphSink.add(trm.getScaleX(), trm.getShearY(), trm.getShearX(), trm.getScaleY(), trm.getTranslateX(),
        trm.getTranslateY(), font, code, displacement.getX(),
        getGraphicsState().getTextState().getRenderingMode() == RenderingMode.FILL_STROKE);
  }

  // ---- graphics: rulings and images -------------------------------------------------------------------------

  @Override
  public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
    float[] r = {(float) p0.getX(), (float) p0.getY(), (float) p2.getX(), (float) p2.getY()};
    pathRects.add(r);
    moveTo(r[0], r[1]);
    addSeg(r[0], r[1], (float) p1.getX(), (float) p1.getY());
    addSeg((float) p1.getX(), (float) p1.getY(), r[2], r[3]);
    addSeg(r[2], r[3], (float) p3.getX(), (float) p3.getY());
    addSeg((float) p3.getX(), (float) p3.getY(), r[0], r[1]);
  }

  private void addSeg(float ax, float ay, float bx, float by) {
    if (path.size() < MAX_RULINGS) {
      path.add(new float[] {ax, ay, bx, by});
    }
  }

  @Override
  public void drawImage(PDImage pdImage) {
    if (images.size() >= MAX_IMAGES) {
      return;
    }
    Matrix ctm = getGraphicsState().getCurrentTransformationMatrix();
    float[] q = new float[8];
    geo.toDisplay(ctm.getTranslateX(), ctm.getTranslateY(), q, 0);
    geo.toDisplay(ctm.getTranslateX() + ctm.getScaleX(), ctm.getTranslateY() + ctm.getShearY(), q, 2);
    geo.toDisplay(ctm.getTranslateX() + ctm.getShearX(), ctm.getTranslateY() + ctm.getScaleY(), q, 4);
    geo.toDisplay(ctm.getTranslateX() + ctm.getScaleX() + ctm.getShearX(),
        ctm.getTranslateY() + ctm.getShearY() + ctm.getScaleY(), q, 6);
    float x0 = Math.max(0, Math.min(Math.min(q[0], q[2]), Math.min(q[4], q[6])));
    float x1 = Math.min(geo.width(), Math.max(Math.max(q[0], q[2]), Math.max(q[4], q[6])));
    float y0 = Math.max(0, Math.min(Math.min(q[1], q[3]), Math.min(q[5], q[7])));
    float y1 = Math.min(geo.height(), Math.max(Math.max(q[1], q[3]), Math.max(q[5], q[7])));
    if (x1 <= x0 || y1 <= y0) {
      return;
    }
    images.add(new PageImage(x0, y0, x1, y1, pdImage.getWidth(), pdImage.getHeight(), pdImage));
  }

  @Override
  public void clip(int windingRule) {}

  @Override
  public void moveTo(float x, float y) {
    curX = x;
    curY = y;
    startX = x;
    startY = y;
  }

  @Override
  public void lineTo(float x, float y) {
    addSeg(curX, curY, x, y);
    curX = x;
    curY = y;
  }

  @Override
  public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
    if (pathCurves++ == 0) {
      curveBox[0] = curveBox[2] = curX;
      curveBox[1] = curveBox[3] = curY;
    }
    curveBox[0] = Math.min(curveBox[0], Math.min(x3, curX));
    curveBox[1] = Math.min(curveBox[1], Math.min(y3, curY));
    curveBox[2] = Math.max(curveBox[2], Math.max(x3, curX));
    curveBox[3] = Math.max(curveBox[3], Math.max(y3, curY));
    curX = x3;
    curY = y3;
  }

  @Override
  public Point2D getCurrentPoint() {
    return new Point2D.Float(curX, curY);
  }

  @Override
  public void closePath() {
    if (curX != startX || curY != startY) {
      addSeg(curX, curY, startX, startY);
    }
    curX = startX;
    curY = startY;
  }

  @Override
  public void endPath() {
    path.clear();
    pathRects.clear();
    pathCurves = 0;
  }

  @Override
  public void strokePath() {
    float lw = getGraphicsState().getLineWidth();
    for (float[] s : path) {
      addRuling(s[0], s[1], s[2], s[3], lw);
    }
    addGraphic();
    endPath();
  }

  @Override
  public void fillPath(int windingRule) {
    // thin filled rectangles are how many producers draw table rules
    for (float[] r : pathRects) {
      float w = Math.abs(r[2] - r[0]);
      float h = Math.abs(r[3] - r[1]);
      if (h <= 3f && w > h) {
        float y = (r[1] + r[3]) / 2f;
        addRuling(Math.min(r[0], r[2]), y, Math.max(r[0], r[2]), y, h);
      } else if (w <= 3f && h > w) {
        float x = (r[0] + r[2]) / 2f;
        addRuling(x, Math.min(r[1], r[3]), x, Math.max(r[1], r[3]), w);
      }
    }
    addGraphic();
    endPath();
  }

  /** Records the painted path's curves and slanted segments as one {@link Graphic} (a chart series, a slice). */
  private void addGraphic() {
    if (graphics.size() >= MAX_RULINGS) {
      return;
    }
    int segments = pathCurves;
    float[] q = new float[4];
    float x0 = Float.MAX_VALUE;
    float y0 = Float.MAX_VALUE;
    float x1 = -Float.MAX_VALUE;
    float y1 = -Float.MAX_VALUE;
    if (pathCurves > 0) {
      geo.toDisplay(curveBox[0], curveBox[1], q, 0);
      geo.toDisplay(curveBox[2], curveBox[3], q, 2);
      x0 = Math.min(q[0], q[2]);
      x1 = Math.max(q[0], q[2]);
      y0 = Math.min(q[1], q[3]);
      y1 = Math.max(q[1], q[3]);
    }
    for (float[] s : path) {
      float dx = Math.abs(s[2] - s[0]);
      float dy = Math.abs(s[3] - s[1]);
      if (dx + dy < 1f || dy <= dx * 0.02f || dx <= dy * 0.02f) {
        continue; // a point or an axis-aligned segment (a ruling or part of a box)
      }
      segments++;
      geo.toDisplay(s[0], s[1], q, 0);
      geo.toDisplay(s[2], s[3], q, 2);
      x0 = Math.min(x0, Math.min(q[0], q[2]));
      x1 = Math.max(x1, Math.max(q[0], q[2]));
      y0 = Math.min(y0, Math.min(q[1], q[3]));
      y1 = Math.max(y1, Math.max(q[1], q[3]));
    }
    if (segments > 0) {
      graphics.add(new Graphic(x0, y0, x1, y1, segments));
    }
  }

  @Override
  public void fillAndStrokePath(int windingRule) {
    strokePath(); // the outline is what draws a rule; the fill adds nothing here
  }

  @Override
  public void shadingFill(COSName shadingName) {}

  private void addRuling(float ax, float ay, float bx, float by, float lineWidth) {
    if (rulings.size() >= MAX_RULINGS) {
      truncated = true;
      return;
    }
    float[] q = new float[4];
    geo.toDisplay(ax, ay, q, 0);
    geo.toDisplay(bx, by, q, 2);
    float ddx = Math.abs(q[2] - q[0]);
    float ddy = Math.abs(q[3] - q[1]);
    if (ddx < 1f && ddy < 1f) {
      return;
    }
    if (ddy <= ddx * 0.02f || ddx <= ddy * 0.02f) {
      rulings.add(new Ruling(q[0], q[1], q[2], q[3]));
    }
  }

  /** The page's visible area and the map from PDF user space to display space (top-left origin, after /Rotate). */
  public record PageGeometry(float llx, float lly, float urx, float ury, int rotation, float width, float height) {
    public static PageGeometry of(PDPage page) {
      PDRectangle box = page.getCropBox();
      int rot = ((page.getRotation() % 360) + 360) % 360;
      rot = (rot / 90) * 90;
      float w = box.getWidth();
      float h = box.getHeight();
      boolean swap = rot == 90 || rot == 270;
      return new PageGeometry(box.getLowerLeftX(), box.getLowerLeftY(), box.getUpperRightX(), box.getUpperRightY(),
          rot, swap ? h : w, swap ? w : h);
    }

    public void toDisplay(float x, float y, float[] out, int at) {
      switch (rotation) {
        case 90 -> { out[at] = y - lly; out[at + 1] = x - llx; }
        case 180 -> { out[at] = urx - x; out[at + 1] = y - lly; }
        case 270 -> { out[at] = ury - y; out[at + 1] = urx - x; }
        default -> { out[at] = x - llx; out[at + 1] = ury - y; }
      }
    }
  }
}
