package io.jetmesh.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jetmesh.testing.SharedCorpus;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docling's own OCR test pages (scanned PDFs, one upside down), rendered at 300 dpi as the PDF worker does. */
class DoclingOcrCorpusTest {
  static Path corpus;
  static OcrEngine engine;

  @BeforeAll
  static void start() throws OcrException {
    corpus = SharedCorpus.require("corpus/docling-ocr", "Tesseract on docling's scanned test pages");
    engine = OcrEngines.create("tesseract", OcrSettings.builder().poolSize(1).build());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ocr_test, 0", "ocr_test_rotated_180, 180"})
  void readsScannedPageUprightOrUpsideDown(String stem, int expectedRotation) throws Exception {
    String expected = Files.readString(corpus.resolve("groundtruth").resolve(stem + ".md")).strip();
    BufferedImage page = render(corpus.resolve("pdf").resolve(stem + ".pdf"));

    OcrPage result = engine.recognize(page, OcrRequest.DEFAULT);

    assertThat(result.rotation()).isEqualTo(expectedRotation);
    assertThat(TestImages.charAccuracy(result.text(), expected)).isGreaterThan(0.95);
    assertThat(result.lines()).allSatisfy(l -> {
      assertThat(l.box().right()).isLessThanOrEqualTo(result.width());
      assertThat(l.box().bottom()).isLessThanOrEqualTo(result.height());
    });
  }

  private static BufferedImage render(Path pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
      return new PDFRenderer(doc).renderImageWithDPI(0, 300, ImageType.GRAY);
    }
  }
}
