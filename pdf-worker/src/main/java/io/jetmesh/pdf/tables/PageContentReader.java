package io.jetmesh.pdf.tables;

import java.awt.geom.GeneralPath;
import java.awt.geom.PathIterator;
import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Reads what {@link TableExtractor} needs from one page with PDFBox 3: the words (glyphs grouped by proximity,
 * with box, font size and boldness) and the rulings (stroked segments, and thin filled rectangles, with the
 * current transformation matrix applied). Output coordinates are PDF points with a top-left origin in the page
 * as displayed (crop box, page rotation applied).
 *
 * <p>A standalone reader so tables can be extracted and evaluated without the rest of the PDF pipeline; the
 * conversion pipeline may build {@link PageContent} from its own text layer instead. Not thread-safe per
 * instance; cheap to create.
 */
public final class PageContentReader {

  /** A filled rectangle thinner than this (points) is a ruling along its long side. */
  static final float THIN_FILL = 2.5f;
  /** Rulings shorter than this (points) are dropped: glyph-like marks, bullets, underline dots. */
  static final float MIN_RULING = 3f;
  /** Bounds the work on pathological pages (maps, vector art): keep at most this many rulings. */
  static final int MAX_RULINGS = 20_000;

  public PageContent read(PDDocument doc, int pageIndex) throws IOException {
    PDPage page = doc.getPage(pageIndex);
    PageFrame frame = PageFrame.of(page);
    RulingCollector graphics = new RulingCollector(page, frame);
    List<Ruling> rulings = graphics.collect();
    List<PageWord> words = new WordCollector().collect(doc, pageIndex);
    return new PageContent(pageIndex + 1, frame.width, frame.height, words, rulings, graphics.others);
  }

  /** Maps user-space points to the displayed page's top-left coordinates. */
  record PageFrame(float llx, float lly, float cropW, float cropH, int rotation, float width, float height) {
    static PageFrame of(PDPage page) {
      PDRectangle crop = page.getCropBox();
      int rot = ((page.getRotation() % 360) + 360) % 360;
      boolean swap = rot == 90 || rot == 270;
      return new PageFrame(crop.getLowerLeftX(), crop.getLowerLeftY(), crop.getWidth(), crop.getHeight(), rot,
          swap ? crop.getHeight() : crop.getWidth(), swap ? crop.getWidth() : crop.getHeight());
    }

    float[] map(double x, double y) {
      float u = (float) x - llx;
      float v = (float) y - lly;
      return switch (rotation) {
        case 90 -> new float[] {v, u};
        case 180 -> new float[] {cropW - u, v};
        case 270 -> new float[] {cropH - v, cropW - u};
        default -> new float[] {u, cropH - v};
      };
    }
  }

  /** Collects stroked/filled straight segments in device space (PDFBox applies the CTM before the callbacks). */
  static final class RulingCollector extends PDFGraphicsStreamEngine {
    private final PageFrame frame;
    private final GeneralPath path = new GeneralPath();
    private final List<Ruling> out = new ArrayList<>();
    final List<Graphic> others = new ArrayList<>();

    RulingCollector(PDPage page, PageFrame frame) {
      super(page);
      this.frame = frame;
    }

    List<Ruling> collect() throws IOException {
      processPage(getPage());
      return out;
    }

    @Override
    public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
      path.moveTo(p0.getX(), p0.getY());
      path.lineTo(p1.getX(), p1.getY());
      path.lineTo(p2.getX(), p2.getY());
      path.lineTo(p3.getX(), p3.getY());
      path.closePath();
    }

    @Override
    public void moveTo(float x, float y) {
      path.moveTo(x, y);
    }

    @Override
    public void lineTo(float x, float y) {
      path.lineTo(x, y);
    }

    @Override
    public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
      path.curveTo(x1, y1, x2, y2, x3, y3);
    }

    @Override
    public Point2D getCurrentPoint() {
      return path.getCurrentPoint() == null ? new Point2D.Float() : path.getCurrentPoint();
    }

    @Override
    public void closePath() {
      path.closePath();
    }

    @Override
    public void endPath() {
      path.reset();
    }

    @Override
    public void strokePath() {
      if (!isWhite(getGraphicsState().getStrokingColor())) {
        addSegments(false);
      }
      path.reset();
    }

    @Override
    public void fillPath(int windingRule) {
      // white fills are invisible on the page: text background boxes, masks; they separate nothing
      if (!isWhite(getGraphicsState().getNonStrokingColor())) {
        addSegments(true);
      }
      path.reset();
    }

    private static boolean isWhite(org.apache.pdfbox.pdmodel.graphics.color.PDColor color) {
      if (color == null) {
        return false;
      }
      try {
        int rgb = color.toRGB();
        return (rgb >> 16 & 0xff) >= 245 && (rgb >> 8 & 0xff) >= 245 && (rgb & 0xff) >= 245;
      } catch (IOException | RuntimeException e) {
        return false; // pattern or unusual colour space: treat as visible
      }
    }

    @Override
    public void fillAndStrokePath(int windingRule) {
      addSegments(false);
      path.reset();
    }

    @Override
    public void drawImage(PDImage pdImage) {
      // images never form rulings
    }

    @Override
    public void clip(int windingRule) {
      // clipping paths are not drawn; the path is discarded by the following endPath (n)
    }

    @Override
    public void shadingFill(COSName shadingName) {
      // shadings are not rulings
    }

    /**
     * Walks the path's straight sub-paths. A filled sub-path that is a thin axis-aligned box becomes one ruling
     * along its long side; a stroked one (or a larger filled box, i.e. a shaded cell) contributes its edges.
     */
    private void addSegments(boolean filled) {
      if (out.size() >= MAX_RULINGS) {
        return;
      }
      List<float[]> sub = new ArrayList<>();
      float[] c = new float[6];
      float startX = 0;
      float startY = 0;
      boolean curved = false;
      for (PathIterator it = path.getPathIterator(null); !it.isDone(); it.next()) {
        int type = it.currentSegment(c);
        switch (type) {
          case PathIterator.SEG_MOVETO -> {
            flush(sub, filled, curved);
            sub.clear();
            curved = false;
            startX = c[0];
            startY = c[1];
            sub.add(new float[] {c[0], c[1]});
          }
          case PathIterator.SEG_LINETO -> sub.add(new float[] {c[0], c[1]});
          case PathIterator.SEG_CLOSE -> sub.add(new float[] {startX, startY});
          default -> {
            curved = true; // quad/cubic: not a ruling
            sub.add(new float[] {c[type == PathIterator.SEG_QUADTO ? 2 : 4], c[type == PathIterator.SEG_QUADTO ? 3 : 5]});
          }
        }
      }
      flush(sub, filled, curved);
    }

    private void flush(List<float[]> pts, boolean filled, boolean curved) {
      if (pts.size() < 2) {
        return;
      }
      float minX = Float.MAX_VALUE;
      float minY = Float.MAX_VALUE;
      float maxX = -Float.MAX_VALUE;
      float maxY = -Float.MAX_VALUE;
      List<float[]> mapped = new ArrayList<>(pts.size());
      for (float[] p : pts) {
        float[] m = frame.map(p[0], p[1]);
        mapped.add(m);
        minX = Math.min(minX, m[0]);
        maxX = Math.max(maxX, m[0]);
        minY = Math.min(minY, m[1]);
        maxY = Math.max(maxY, m[1]);
      }
      if (curved) {
        addGraphic(minX, minY, maxX, maxY, pts.size() - 1);
        return;
      }
      float w = maxX - minX;
      float h = maxY - minY;
      if (filled && pts.size() >= 4 && (w <= THIN_FILL || h <= THIN_FILL)) {
        if (w >= h && w >= MIN_RULING) {
          add(new Ruling(minX, (minY + maxY) / 2, maxX, (minY + maxY) / 2));
        } else if (h > w && h >= MIN_RULING) {
          add(new Ruling((minX + maxX) / 2, minY, (minX + maxX) / 2, maxY));
        }
        return;
      }
      if (filled) {
        // a larger filled box is a background (shaded cell, highlight, text box), not a rule; its edges made
        // spurious grid lines (per-line backgrounds inside cells). Unruled shaded tables are found by stream.
        return;
      }
      int slanted = 0;
      for (int i = 1; i < mapped.size(); i++) {
        float[] a = mapped.get(i - 1);
        float[] b = mapped.get(i);
        Ruling r = new Ruling(a[0], a[1], b[0], b[1]);
        if (r.length() < MIN_RULING) {
          continue;
        }
        if (r.isHorizontal() || r.isVertical()) {
          add(r.isHorizontal()
              ? new Ruling(r.left(), (a[1] + b[1]) / 2, r.right(), (a[1] + b[1]) / 2)
              : new Ruling((a[0] + b[0]) / 2, r.top(), (a[0] + b[0]) / 2, r.bottom()));
        } else {
          slanted++;
        }
      }
      if (slanted > 0) {
        addGraphic(minX, minY, maxX, maxY, slanted);
      }
    }

    private void addGraphic(float x0, float y0, float x1, float y1, int segments) {
      if (others.size() < MAX_RULINGS) {
        others.add(new Graphic(x0, y0, x1, y1, segments));
      }
    }

    private void add(Ruling r) {
      if (out.size() < MAX_RULINGS) {
        out.add(r);
      }
    }
  }

  /** Collects glyphs of one page and groups them into words. */
  static final class WordCollector extends PDFTextStripper {
    private final List<TextPosition> glyphs = new ArrayList<>();

    WordCollector() {
      setSortByPosition(false);
    }

    List<PageWord> collect(PDDocument doc, int pageIndex) throws IOException {
      setStartPage(pageIndex + 1);
      setEndPage(pageIndex + 1);
      getText(doc);
      int rotation = ((doc.getPage(pageIndex).getRotation() % 360) + 360) % 360;
      return group(glyphs, rotation);
    }

    @Override
    protected void processTextPosition(TextPosition text) {
      glyphs.add(text);
    }

    @Override
    protected void writePage() {
      // only the glyphs are needed
    }

    /** Glyphs to words: same line (baseline), left to right, split at spaces and at gaps wider than ~0.2 em. */
    /**
     * @param rotation the page's /Rotate: text upright on the displayed page has that direction, and its
     *                 direction-adjusted coordinates are the displayed page's coordinates
     */
    static List<PageWord> group(List<TextPosition> glyphs, int rotation) {
      // pass 1, content-stream order: a word continues while glyphs stay on the baseline and advance (or overlap
      // slightly, as in PDFs that position single glyphs oddly); duplicated glyphs (fake bold) are dropped
      List<WordBuilder> pieces = new ArrayList<>();
      WordBuilder wb = null;
      float lastX = Float.NaN;
      String lastU = null;
      for (TextPosition t : glyphs) {
        String u = t.getUnicode();
        if (Math.round(t.getDir()) != rotation || u == null) {
          continue;
        }
        float size = fontSize(t);
        float x0 = t.getXDirAdj();
        float w = t.getWidthDirAdj();
        float base = t.getYDirAdj();
        if (u.isBlank()) {
          if (wb != null) {
            wb.spaceAfter = true;
            pieces.add(wb);
            wb = null;
          }
          continue;
        }
        if (wb != null) {
          boolean sameLine = Math.abs(base - wb.base) <= Math.max(1f, 0.3f * Math.min(size, wb.size));
          if (sameLine && u.equals(lastU) && Math.abs(x0 - lastX) < Math.max(0.5f, 0.3f * w)) {
            continue; // the same glyph drawn again at (almost) the same place
          }
          float gap = x0 - wb.x1;
          boolean adjacent = sameLine && gap < 0.2f * Math.max(size, wb.size) && x0 >= wb.x0 - 0.1f * size;
          if (!adjacent) {
            pieces.add(wb);
            wb = null;
          }
        }
        if (wb == null) {
          wb = new WordBuilder(base, size, t.getFont());
          wb.x0 = x0;
        }
        wb.add(u, x0 + w, size);
        lastX = x0;
        lastU = u;
      }
      if (wb != null) {
        pieces.add(wb);
      }
      // pass 2, by position: pieces of one word drawn separately (no space between, touching) are joined
      pieces.sort(Comparator.comparingDouble((WordBuilder p) -> p.base));
      List<PageWord> words = new ArrayList<>(pieces.size());
      int i = 0;
      while (i < pieces.size()) {
        float base = pieces.get(i).base;
        float tol = Math.max(1f, 0.25f * pieces.get(i).size);
        int j = i + 1;
        while (j < pieces.size() && pieces.get(j).base - base <= tol) {
          j++;
        }
        List<WordBuilder> line = new ArrayList<>(pieces.subList(i, j));
        line.sort(Comparator.comparingDouble((WordBuilder p) -> p.x0));
        WordBuilder cur = null;
        for (WordBuilder p : line) {
          if (cur != null && !cur.spaceAfter && p.x0 - cur.x1 < 0.12f * Math.max(p.size, cur.size)
              && p.x0 - cur.x1 > -0.05f * p.size) {
            cur.text.append(p.text);
            cur.x1 = Math.max(cur.x1, p.x1);
            cur.size = Math.max(cur.size, p.size);
            cur.spaceAfter = p.spaceAfter;
            continue;
          }
          if (cur != null) {
            words.add(cur.build());
          }
          cur = p;
        }
        if (cur != null) {
          words.add(cur.build());
        }
        i = j;
      }
      return words;
    }

    private static float fontSize(TextPosition t) {
      float s = t.getFontSizeInPt();
      if (s <= 0.5f || s > 200f) {
        s = Math.max(t.getHeightDir(), 1f);
      }
      return s;
    }
  }

  private static final class WordBuilder {
    final StringBuilder text = new StringBuilder();
    final float base;
    final PDFont font;
    float size;
    float x0;
    float x1;
    boolean spaceAfter;

    WordBuilder(float base, float size, PDFont font) {
      this.base = base;
      this.size = size;
      this.font = font;
    }

    void add(String u, float right, float s) {
      text.append(u);
      x1 = Math.max(x1, right);
      size = Math.max(size, s);
    }

    PageWord build() {
      String name = font == null || font.getName() == null ? "" : font.getName();
      return new PageWord(text.toString(), x0, base - 0.78f * size, x1, base + 0.22f * size, size,
          isBold(font, name), name);
    }

    private static boolean isBold(PDFont font, String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.contains("bold") || n.contains("black") || n.contains("heavy") || n.contains("semibold")) {
        return true;
      }
      if (font == null) {
        return false;
      }
      PDFontDescriptor d = font.getFontDescriptor();
      return d != null && (d.isForceBold() || d.getFontWeight() >= 600);
    }
  }
}
