package io.jetmesh.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.util.Matrix;

/**
 * Generated PDFs of the table classes the extractor must handle, exact by construction: ruled and borderless tables
 * with Latin, Hebrew, Arabic and CJK cell text (Debian's fonts-noto-core; CJK from fonts-droid-fallback, because
 * PDFBox 3 cannot embed the CFF-flavoured OpenType of fonts-noto-cjk), pages with {@code /Rotate} 90/270 and tables
 * drawn rotated on an upright page, nested tables, lists inside cells and key-value forms.
 *
 * <p>Callers place everything in <em>display</em> coordinates (points, top-left origin, text running left to right
 * as the reader sees the page); {@link Page} maps them into the PDF's user space for the page's rotation, the way a
 * word processor writes a landscape page. Right-to-left text is written as such PDFs store it: words placed from the
 * right, each word's glyphs in visual order.
 */
public final class GeneratedTablePdfs {
  /** Scripts with the font that draws them. */
  public enum Script {
    LATIN("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    LATIN_BOLD("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    HEBREW("/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf"),
    ARABIC("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    CJK("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    KOREAN("/usr/share/fonts/truetype/nanum/NanumGothic.ttf");

    final Path file;

    Script(String file) {
      this.file = Path.of(file);
    }

    boolean rtl() {
      return this == HEBREW || this == ARABIC;
    }
  }

  /** Why fonts are missing, or null when every script's font is installed (scripts/ensure-deps.sh installs them). */
  public static String missingFonts() {
    List<String> missing = new ArrayList<>();
    for (Script s : Script.values()) {
      if (!Files.isReadable(s.file)) {
        missing.add(s.file.toString());
      }
    }
    return missing.isEmpty() ? null
        : "fonts missing (install fonts-noto-core, fonts-droid-fallback and fonts-nanum: scripts/ensure-deps.sh --test): " + missing;
  }

  /**
   * Skips the calling test class when a font is missing, saying so on stdout as well (surefire shows a class whose
   * {@code @BeforeAll} assumption failed as 0 tests run, which reads like a pass), as SharedCorpus does.
   */
  public static void assumeFonts(String testClass) {
    String missing = missingFonts();
    if (missing != null) {
      System.out.println("SKIPPED (" + missing + "): " + testClass);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
  }

  private GeneratedTablePdfs() {
  }

  /** One page being drawn, in display coordinates. */
  public static final class Page {
    private final PDDocument doc;
    private final PDPageContentStream cs;
    private final Map<Script, PDFont> fonts;
    private final int contentRotation;
    private final float userW;
    private final float userH;
    final float width;
    final float height;

    Page(PDDocument doc, PDPage page, int contentRotation, Map<Script, PDFont> fonts) throws IOException {
      this.doc = doc;
      this.fonts = fonts;
      this.contentRotation = contentRotation;
      this.userW = page.getMediaBox().getWidth();
      this.userH = page.getMediaBox().getHeight();
      boolean swap = contentRotation == 90 || contentRotation == 270;
      this.width = swap ? userH : userW;
      this.height = swap ? userW : userH;
      this.cs = new PDPageContentStream(doc, page);
    }

    /** User-space point of display point (x, y). */
    float[] user(float x, float y) {
      return switch (contentRotation) {
        case 90 -> new float[] {y, x};
        case 180 -> new float[] {userW - x, y};
        case 270 -> new float[] {userW - y, userH - x};
        default -> new float[] {x, userH - y};
      };
    }

    /** Text matrix that puts text space (0,0) at display (x, baseline) with text running in display +x. */
    private Matrix textMatrix(float x, float baseline, float size) {
      float[] p = user(x, baseline);
      return switch (contentRotation) {
        case 90 -> new Matrix(0, size, -size, 0, p[0], p[1]);
        case 180 -> new Matrix(-size, 0, 0, -size, p[0], p[1]);
        case 270 -> new Matrix(0, -size, size, 0, p[0], p[1]);
        default -> new Matrix(size, 0, 0, size, p[0], p[1]);
      };
    }

    PDFont font(Script s) {
      return fonts.computeIfAbsent(s, k -> {
        try {
          return PDType0Font.load(doc, k.file.toFile());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }

    float width(String s, Script script, float size) {
      try {
        return font(script).getStringWidth(s) / 1000f * size;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** One run of glyphs with its baseline's left end at display (x, baseline), drawn in the given order. */
    Page glyphs(float x, float baseline, String s, Script script, float size) {
      try {
        cs.beginText();
        cs.setFont(font(script), 1);
        cs.setTextMatrix(textMatrix(x, baseline, size));
        cs.showText(s);
        cs.endText();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * A phrase starting at display x (left end for left-to-right scripts, right end for right-to-left ones), words
     * separated by one space.
     */
    Page text(float x, float baseline, String phrase, Script script, float size) {
      if (!script.rtl()) {
        return glyphs(x, baseline, phrase, script, size);
      }
      float space = width(" ", script, size);
      float right = x;
      for (String w : phrase.split(" ")) {
        float ww = width(w, script, size);
        glyphs(right - ww, baseline, new StringBuilder(w).reverse().toString(), script, size);
        right -= ww + space;
      }
      return this;
    }

    /** Text drawn filled and stroked from here on (or filled only again): the way producers fake a bold weight. */
    Page fakeBold(boolean on) {
      try {
        cs.setRenderingMode(on ? org.apache.pdfbox.pdmodel.graphics.state.RenderingMode.FILL_STROKE
            : org.apache.pdfbox.pdmodel.graphics.state.RenderingMode.FILL);
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Width of a phrase as {@link #text} draws it. */
    float phraseWidth(String phrase, Script script, float size) {
      String[] words = phrase.split(" ");
      float total = width(" ", script, size) * (words.length - 1);
      for (String w : words) {
        total += width(w, script, size);
      }
      return total;
    }

    /** Text reading bottom to top on an upright page (a sideways column header), starting at display (x, y). */
    Page textUp(float x, float y, String s, Script script, float size) {
      if (contentRotation != 0) {
        throw new IllegalStateException("textUp is for upright pages");
      }
      try {
        float[] p = user(x, y);
        cs.beginText();
        cs.setFont(font(script), 1);
        cs.setTextMatrix(new Matrix(0, size, -size, 0, p[0], p[1]));
        cs.showText(s);
        cs.endText();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A stroked straight line between display points. */
    Page line(float x0, float y0, float x1, float y1) {
      try {
        float[] a = user(x0, y0);
        float[] b = user(x1, y1);
        cs.setLineWidth(0.6f);
        cs.moveTo(a[0], a[1]);
        cs.lineTo(b[0], b[1]);
        cs.stroke();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** A full grid of lines: xs column lines, ys row lines. */
    Page grid(float[] xs, float[] ys) {
      for (float y : ys) {
        line(xs[0], y, xs[xs.length - 1], y);
      }
      for (float x : xs) {
        line(x, ys[0], x, ys[ys.length - 1]);
      }
      return this;
    }

    /**
     * Cell texts into a grid's cells, one line per entry of a cell's text split at '\n', left-aligned (right-aligned
     * for right-to-left scripts) with 4 pt padding.
     */
    Page fill(float[] xs, float[] ys, String[][] cells, Script script, float size) {
      for (int r = 0; r < cells.length; r++) {
        for (int c = 0; c < cells[r].length; c++) {
          String[] lines = cells[r][c].split("\n");
          for (int k = 0; k < lines.length; k++) {
            if (lines[k].isEmpty()) {
              continue;
            }
            float base = ys[r] + 4 + size + k * size * 1.25f;
            text(script.rtl() ? xs[c + 1] - 4 : xs[c] + 4, base, lines[k], script, size);
          }
        }
      }
      return this;
    }

    void close() throws IOException {
      cs.close();
    }
  }

  /** Draws pages of one document. */
  public interface Drawing {
    void draw(Page page) throws IOException;
  }

  /**
   * A one-page PDF. {@code rotate} is the page's /Rotate (0, 90, 180, 270); {@code drawnRotated} is the rotation
   * of the content in user space: equal to {@code rotate} for a page that displays upright (a landscape page as word
   * processors write it), or non-zero with {@code rotate = 0} for a table printed sideways on an upright page.
   */
  public static byte[] pdf(int rotate, int drawnRotated, Drawing drawing) {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(PDRectangle.A4);
      page.setRotation(rotate);
      doc.addPage(page);
      Page p = new Page(doc, page, drawnRotated, new EnumMap<>(Script.class));
      drawing.draw(p);
      p.close();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An upright A4 page. */
  public static byte[] pdf(Drawing drawing) {
    return pdf(0, 0, drawing);
  }

  /** Writes bytes to dir/name and returns the path. */
  public static Path write(Path dir, String name, byte[] pdf) {
    try {
      return Files.write(dir.resolve(name), pdf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ the table classes

  /** Evenly spaced grid lines from {@code from}, {@code n} bands of {@code step}. */
  static float[] lines(float from, int n, float step) {
    float[] out = new float[n + 1];
    for (int i = 0; i <= n; i++) {
      out[i] = from + i * step;
    }
    return out;
  }

  /** A ruled table with one text line per cell, at (x, y) display, columns {@code colWidth} wide. */
  static Drawing ruled(String[][] cells, Script script, float x, float y, float colWidth) {
    return p -> {
      float[] xs = lines(x, cells[0].length, colWidth);
      float[] ys = lines(y, cells.length, 20);
      p.grid(xs, ys).fill(xs, ys, cells, script, 10);
    };
  }

  /**
   * A borderless table: columns at the given left edges (numbers right-aligned to the column's right edge
   * {@code rights[c]} when {@code numeric[c]}), one line per row at {@code leading}, no rulings at all.
   */
  static Drawing borderless(String[][] rows, float[] lefts, float[] rights, boolean[] numeric, Script script,
                            float y, float leading, float size) {
    return p -> {
      for (int r = 0; r < rows.length; r++) {
        float base = y + r * leading;
        for (int c = 0; c < rows[r].length; c++) {
          String t = rows[r][c];
          if (t.isEmpty()) {
            continue;
          }
          if (numeric[c]) {
            p.text(rights[c] - p.phraseWidth(t, Script.LATIN, size), base, t, Script.LATIN, size);
          } else if (script.rtl()) {
            p.text(rights[c], base, t, script, size);
          } else {
            p.text(lefts[c], base, t, script, size);
          }
        }
      }
    };
  }
}
