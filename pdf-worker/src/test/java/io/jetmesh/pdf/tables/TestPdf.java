package io.jetmesh.pdf.tables;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Builds one-page test PDFs with PDFBox. Coordinates given to this builder are top-left based (like
 * {@link PageContent}); they are converted to PDF user space when drawn.
 */
final class TestPdf {
  static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  static final float W = PDRectangle.A4.getWidth();
  static final float H = PDRectangle.A4.getHeight();

  interface Op {
    void draw(PDPageContentStream cs) throws IOException;
  }

  private final List<Op> ops = new ArrayList<>();

  /** Text with its baseline at (x, y), top-left coordinates. */
  TestPdf text(float x, float y, String s) {
    return text(x, y, s, 10, false);
  }

  TestPdf text(float x, float y, String s, float size, boolean bold) {
    ops.add(cs -> {
      cs.beginText();
      cs.setFont(bold ? BOLD : REGULAR, size);
      cs.newLineAtOffset(x, H - y);
      cs.showText(s);
      cs.endText();
    });
    return this;
  }

  /** A stroked line from (x0, y0) to (x1, y1), top-left coordinates. */
  TestPdf line(float x0, float y0, float x1, float y1) {
    ops.add(cs -> {
      cs.setLineWidth(0.5f);
      cs.moveTo(x0, H - y0);
      cs.lineTo(x1, H - y1);
      cs.stroke();
    });
    return this;
  }

  /** A filled rectangle, top-left coordinates of its top-left corner. */
  TestPdf fillRect(float x, float y, float w, float h) {
    ops.add(cs -> {
      cs.addRect(x, H - y - h, w, h);
      cs.fill();
    });
    return this;
  }

  /** Raw access for tests that need a transformation matrix. */
  TestPdf raw(Op op) {
    ops.add(op);
    return this;
  }

  /** Width of a string in Helvetica at the given size. */
  static float width(String s, float size) {
    try {
      return REGULAR.getStringWidth(s) / 1000f * size;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  byte[] bytes() {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        for (Op op : ops) {
          op.draw(cs);
        }
      }
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PageContent read() {
    try (PDDocument doc = Loader.loadPDF(bytes())) {
      return PageWords.read(doc, 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Table> tables() {
    return new TableExtractor(TableSettings.DEFAULT).extract(read());
  }

  /** Draws a ruled grid: xs are column lines, ys row lines (top-left coordinates). */
  TestPdf grid(float[] xs, float[] ys) {
    for (float y : ys) {
      line(xs[0], y, xs[xs.length - 1], y);
    }
    for (float x : xs) {
      line(x, ys[0], x, ys[ys.length - 1]);
    }
    return this;
  }

  /** Words of lorem-ipsum-like prose, deterministic. */
  static String[] proseWords(int n, int seed) {
    String[] vocab = ("the of and to in a is that for it as was with be by on not he this are or his from at which but "
        + "have an they you were her she there been one all we their has would when if so no will more can out "
        + "into some time these two may then do first any new very my also after our other years most over such "
        + "government report committee members states national development economic policy results increase "
        + "measures public number information between during within including however therefore").split(" ");
    String[] out = new String[n];
    long s = seed * 2654435761L + 17;
    for (int i = 0; i < n; i++) {
      s = s * 6364136223846793005L + 1442695040888963407L;
      out[i] = vocab[(int) ((s >>> 33) % vocab.length)];
    }
    return out;
  }

  /**
   * Justified-looking prose: fills lines between x0 and x1 word by word (word gaps stretched so the line ends
   * at x1, as justified text does), from baseline y, for the given number of lines.
   */
  TestPdf prose(float x0, float x1, float y, int lines, float size, float leading, int seed) {
    String[] words = proseWords(lines * 30, seed);
    int k = 0;
    for (int l = 0; l < lines; l++) {
      List<String> lw = new ArrayList<>();
      float w = 0;
      float space = width(" ", size);
      while (k < words.length) {
        float ww = width(words[k], size);
        if (!lw.isEmpty() && w + space + ww > x1 - x0) {
          break;
        }
        w += (lw.isEmpty() ? 0 : space) + ww;
        lw.add(words[k++]);
      }
      boolean last = l == lines - 1;
      float gap = lw.size() > 1 && !last ? (x1 - x0 - (w - space * (lw.size() - 1))) / (lw.size() - 1) : space;
      float x = x0;
      for (String s : lw) {
        text(x, y + l * leading, s, size, false);
        x += width(s, size) + gap;
      }
    }
    return this;
  }
}
