package io.jetmesh.pdf.layout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;

/** Compares the text pass with the full pass on PDFBox's engine (PageCollector, as convert uses it) glyph by glyph. */
final class TextPassEquivalence {
  record Difference(Path file, int page, String what) {}

  /** Pages and glyphs compared so far (for the summary line). */
  static long pagesCompared;
  static long glyphsCompared;

  /** Glyph differences per page; pages that fail the same way in both passes are equal. */
  static List<Difference> compare(Path pdf) {
    List<Difference> out = new ArrayList<>();
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      PageCollector.FontCache f1 = new PageCollector.FontCache();
      PageCollector.FontCache f2 = new PageCollector.FontCache();
      for (int i = 0; i < doc.getNumberOfPages(); i++) {
        PDPage page = doc.getPage(i);
        List<Glyph> a;
        List<Glyph> b;
        String ea = null;
        String eb = null;
        a = b = List.of();
        try {
          a = new PageCollector(page, f1).collect().glyphs();
        } catch (IOException | RuntimeException e) {
          ea = e.getClass().getSimpleName();
        }
        try {
          b = new TextContentReader(page, f2).read().glyphs();
        } catch (IOException | RuntimeException e) {
          eb = e.getClass().getSimpleName();
        }
        if (ea != null || eb != null) {
          if (ea == null || eb == null) {
            out.add(new Difference(pdf, i + 1, "PDFBox engine: " + (ea == null ? a.size() + " glyphs" : ea)
                + ", text pass: " + (eb == null ? b.size() + " glyphs" : eb)));
          }
          continue;
        }
        pagesCompared++;
        glyphsCompared += a.size();
        if (a.size() != b.size()) {
          out.add(new Difference(pdf, i + 1, "glyph count " + a.size() + " vs " + b.size()));
          continue;
        }
        for (int k = 0; k < a.size(); k++) {
          Glyph x = a.get(k);
          Glyph y = b.get(k);
          if (!x.text().equals(y.text()) || x.dir() != y.dir() || far(x.x0(), y.x0()) || far(x.y0(), y.y0())
              || far(x.x1(), y.x1()) || far(x.y1(), y.y1()) || far(x.fy(), y.fy()) || far(x.fontSize(), y.fontSize())
              || x.font().bold() != y.font().bold()) {
            out.add(new Difference(pdf, i + 1, "glyph " + k + ": " + x + " vs " + y));
            break;
          }
        }
      }
    } catch (IOException e) {
      // a file PDFBox cannot open is not a difference between the passes
    }
    return out;
  }

  private static boolean far(float p, float q) {
    return Math.abs(p - q) > 1e-3f * Math.max(1f, Math.abs(p)) && !(Float.isNaN(p) && Float.isNaN(q));
  }

  public static void main(String[] args) throws IOException {
    int files = 0;
    int diffs = 0;
    for (String a : args) {
      try (var s = java.nio.file.Files.walk(Path.of(a))) {
        for (Path p : s.filter(x -> x.toString().endsWith(".pdf")).sorted().toList()) {
          files++;
          for (Difference d : compare(p)) {
            diffs++;
            System.out.println(d.file().getFileName() + " p" + d.page() + ": " + d.what());
          }
        }
      }
    }
    System.out.println(files + " files, " + pagesCompared + " pages, " + glyphsCompared + " glyphs compared, "
        + diffs + " differing pages");
  }
}
