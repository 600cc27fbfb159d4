package io.jetmesh.pdf.layout;

import io.jetmesh.testing.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.pdf.TestPdfs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean text pass must see exactly what PDFBox's engine sees: same glyphs, same text, same boxes. Checked on the
 * PDFs the tests make and, where {@code ../shared} is present, on every PDF of the shared corpus (real producers:
 * TeX, Word, scanners, damaged files).
 */
class TextContentReaderTest {
  private static final Path SHARED = SharedCorpus.dir();

  @TempDir Path dir;

  @Test
  void generatedDocumentsGiveTheSameGlyphsAsPdfBoxsEngine() throws IOException {
    List<Path> pdfs = List.of(TestPdfs.report(dir, 3), TestPdfs.twoColumns(dir), TestPdfs.ruledTable(dir),
        TestPdfs.unicode(dir), TestPdfs.listFigureFootnote(dir), TestPdfs.code(dir), TestPdfs.selfReferencingForm(dir),
        TestPdfs.deepNesting(dir), TestPdfs.textAndBlank(dir));
    long before = TextPassEquivalence.glyphsCompared;
    for (Path p : pdfs) {
      assertThat(TextPassEquivalence.compare(p)).as(p.getFileName().toString()).isEmpty();
    }
    assertThat(TextPassEquivalence.glyphsCompared - before).as("glyphs compared").isGreaterThan(2_000);
  }

  @Test
  void everyCorpusPdfGivesTheSameGlyphsAsPdfBoxsEngine() throws IOException {
    Path corpus = SharedCorpus.require("corpus", "the lean text pass against PDFBox on every corpus PDF");
    List<TextPassEquivalence.Difference> diffs = new ArrayList<>();
    long pages = TextPassEquivalence.pagesCompared;
    try (Stream<Path> s = Files.walk(corpus)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".pdf")).sorted().toList()) {
        diffs.addAll(TextPassEquivalence.compare(p));
      }
    }
    assertThat(diffs).isEmpty();
    assertThat(TextPassEquivalence.pagesCompared - pages).isGreaterThan(200);
  }

  @Test
  void textOutsideBtEtIsIgnoredAndTheTextMatrixBelongsToTheSavedState() throws IOException {
    // PDFBox semantics: Tj outside BT shows nothing; Q restores the text matrix saved by q inside BT
    String content = "(outside) Tj BT /F1 10 Tf 100 700 Td q 0 -300 Td Q (kept) Tj ET";
    List<Glyph> glyphs = glyphsOf(content);
    assertThat(text(glyphs)).isEqualTo("kept");
    assertThat(glyphs.get(0).y1()).isLessThan(150f); // 700 pt up on an 842 pt page, not moved down by the Td in q/Q
  }

  @Test
  void tjAdjustmentsMoveTheNextString() throws IOException {
    List<Glyph> glyphs = glyphsOf("BT /F1 10 Tf 1 0 0 1 72 700 Tm [(A) -5000 (B)] TJ ET");
    assertThat(text(glyphs)).isEqualTo("AB");
    // -5000/1000 em at 10 pt = 50 pt further right, plus the width of A (667/1000 em in Helvetica)
    assertThat(glyphs.get(1).x0() - glyphs.get(0).x0()).isCloseTo(56.67f, org.assertj.core.data.Offset.offset(0.05f));
  }

  @Test
  void lexerReadsPdfNumbersStringsNamesAndSkipsInlineImages() throws IOException {
    ContentLexer lx = lexer("-.5 +3 007 1. 12.25 1.2.3 % a comment\n(a\\(b\\)\\101\\\n(c)) <48 65 6c6> /A#20B "
        + "BI /W 2 /H 1 /BPC 8 /CS /G ID \u0001EI\u0002 EIx EI\nTj << /K [1 2] /D << /E 1 >> >> ]");
    float[] expected = {-0.5f, 3f, 7f, 1f, 12.25f, 1.2f};
    for (float f : expected) {
      assertThat(lx.next()).isEqualTo(ContentLexer.Kind.NUMBER);
      assertThat(lx.number).isEqualTo(f);
    }
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.STRING);
    assertThat(new String(lx.bytes, StandardCharsets.ISO_8859_1)).isEqualTo("a(b)A(c)");
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.STRING);
    assertThat(new String(lx.bytes, StandardCharsets.ISO_8859_1)).isEqualTo("Hel`");
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.NAME);
    assertThat(lx.text).isEqualTo("A B");
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.OPERATOR);
    assertThat(lx.text).isEqualTo("BI");
    lx.skipInlineImage(); // the data holds "EI" twice in ways that do not end it
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.OPERATOR);
    assertThat(lx.text).isEqualTo("Tj");
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.OTHER); // the dictionary, skipped whole
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.OTHER); // a stray ]
    assertThat(lx.next()).isEqualTo(ContentLexer.Kind.EOF);
  }

  @Test
  void aFormThatDrawsItselfTwiceIsCutOffAtTheRunBudget() throws IOException {
    // binary recursion 50 levels deep would be 2^50 form runs; the reader stops at 10,000 per page
    Path pdf = dir.resolve("fork.pdf");
    try (PDDocument doc = new PDDocument()) {
      org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage(
          org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
      doc.addPage(page);
      var form = new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
      form.setBBox(org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
      var res = new org.apache.pdfbox.pdmodel.PDResources();
      res.put(org.apache.pdfbox.cos.COSName.getPDFName("X1"), form);
      res.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"),
          new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA));
      form.setResources(res);
      try (var out = form.getContentStream().createOutputStream()) {
        out.write("BT /F1 11 Tf 72 700 Td (x) Tj ET /X1 Do /X1 Do".getBytes(StandardCharsets.US_ASCII));
      }
      page.setResources(res);
      org.apache.pdfbox.pdmodel.common.PDStream stream = new org.apache.pdfbox.pdmodel.common.PDStream(doc);
      try (var out = stream.createOutputStream()) {
        out.write("/X1 Do".getBytes(StandardCharsets.US_ASCII));
      }
      page.setContents(stream);
      doc.save(pdf.toFile());
    }
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      List<Glyph> glyphs = new TextContentReader(doc.getPage(0), new PageCollector.FontCache()).read().glyphs();
      assertThat(glyphs).hasSize(10_000);
    }
  }

  private static ContentLexer lexer(String s) {
    return new ContentLexer(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private List<Glyph> glyphsOf(String content) throws IOException {
    Path pdf = dir.resolve("one.pdf");
    try (PDDocument doc = new PDDocument()) {
      org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage(
          org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
      doc.addPage(page);
      org.apache.pdfbox.pdmodel.PDResources res = new org.apache.pdfbox.pdmodel.PDResources();
      res.put(org.apache.pdfbox.cos.COSName.getPDFName("F1"),
          new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA));
      page.setResources(res);
      org.apache.pdfbox.pdmodel.common.PDStream stream = new org.apache.pdfbox.pdmodel.common.PDStream(doc);
      try (var out = stream.createOutputStream()) {
        out.write(content.getBytes(StandardCharsets.ISO_8859_1));
      }
      page.setContents(stream);
      doc.save(pdf.toFile());
    }
    assertThat(TextPassEquivalence.compare(pdf)).isEmpty();
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      return new TextContentReader(doc.getPage(0), new PageCollector.FontCache()).read().glyphs();
    }
  }

  private static String text(List<Glyph> glyphs) {
    StringBuilder sb = new StringBuilder();
    glyphs.forEach(g -> sb.append(g.text()));
    return sb.toString();
  }
}
