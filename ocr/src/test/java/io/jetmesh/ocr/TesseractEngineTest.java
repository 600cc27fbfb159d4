package io.jetmesh.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TesseractEngineTest {
  @TempDir static Path cache;
  static OcrEngine engine;
  static final String REFERENCE = String.join("\n", TestImages.LETTER);
  static final BufferedImage PAGE = TestImages.page(TestImages.LETTER, 11);

  @BeforeAll
  static void start() throws OcrException {
    engine = OcrEngines.create("tesseract", OcrSettings.builder().poolSize(2).cacheDir(cache).build());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void readsRenderedTextWithBoxesAndConfidences() throws OcrException {
    OcrPage page = engine.recognize(PAGE, OcrRequest.DEFAULT);

    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
    assertThat(page.rotation()).isZero();
    assertThat(page.width()).isEqualTo(PAGE.getWidth());
    assertThat(page.height()).isEqualTo(PAGE.getHeight());
    assertThat(page.lines()).hasSize(5);
    assertThat(page.confidence()).isBetween(0.8f, 1f);
    int px = Math.round(11 * 300 / 72f);
    for (int i = 0; i < page.lines().size(); i++) {
      OcrLine line = page.lines().get(i);
      int baseline = 150 + px + i * px * 2;
      // the line box sits on its baseline: cap height above it, descenders a little below
      assertThat(line.box().bottom()).isBetween(baseline - 2, baseline + px / 3);
      assertThat(line.box().height()).isBetween(px / 2, px + 4);
      assertThat(line.box().x()).isBetween(295, 320);
      for (OcrWord w : line.words()) {
        assertThat(w.confidence()).isBetween(0f, 1f);
        assertThat(line.box().x()).isLessThanOrEqualTo(w.box().x());
        assertThat(line.box().right()).isGreaterThanOrEqualTo(w.box().right());
      }
      // words in reading order: left to right
      List<Integer> xs = line.words().stream().map(w -> w.box().x()).toList();
      assertThat(xs).isSorted();
    }
    assertThat(page.words()).anySatisfy(w -> assertThat(w.text()).isEqualTo("INV-20417"));
  }

  @ParameterizedTest(name = "input turned {0} degrees clockwise")
  @ValueSource(ints = {90, 180, 270})
  void detectsRotationAndReportsUprightBoxes(int turned) throws OcrException {
    OcrPage upright = engine.recognize(PAGE, OcrRequest.DEFAULT);
    OcrPage page = engine.recognize(TestImages.rotated(PAGE, turned), OcrRequest.DEFAULT);

    assertThat(page.rotation()).isEqualTo((360 - turned) % 360);
    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
    assertThat(page.width()).isEqualTo(PAGE.getWidth());
    assertThat(page.height()).isEqualTo(PAGE.getHeight());
    // the boxes are those of the upright page
    OcrBox a = upright.lines().get(0).box();
    OcrBox b = page.lines().get(0).box();
    assertThat(Math.abs(a.x() - b.x()) + Math.abs(a.y() - b.y())).isLessThan(12);
    // and map back onto the input as given
    OcrBox inInput = b.unrotate(page.rotation(), page.width(), page.height());
    BufferedImage input = TestImages.rotated(PAGE, turned);
    assertThat(darkFraction(input, inInput)).isGreaterThan(0.05);
  }

  @Test
  void leavesRotationAloneWhenDetectionIsOff() throws OcrException {
    OcrRequest noOsd = new OcrRequest("eng", 300, false, false, false);
    OcrPage page = engine.recognize(TestImages.rotated(PAGE, 180), noOsd);

    assertThat(page.rotation()).isZero();
    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isLessThan(0.5);
  }

  @Test
  void enlargesSmallPrintBeforeReading() throws OcrException {
    // 6 pt at 300 dpi is 25 px per em, glyphs of about 13 px: below what Tesseract reads reliably
    BufferedImage small = ImageOps.scale(ImageOps.toGray(PAGE), 0.45);
    assertThat(TesseractEngine.enlargement(small)).isGreaterThan(1.5);

    OcrPage page = engine.recognize(small, OcrRequest.DEFAULT.withDpi(135));

    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
    assertThat(page.width()).isEqualTo(small.getWidth());
    OcrBox first = page.lines().get(0).box();
    assertThat(first.x()).isBetween(125, 145); // 300 px margin * 0.45, in the caller's pixel grid
  }

  @Test
  void deskewsAndBinarisesOnRequest() throws OcrException {
    BufferedImage skewed = ImageOps.rotateSmall(ImageOps.toGray(PAGE), 2.0);
    OcrRequest req = new OcrRequest("eng", 300, true, true, true);

    OcrPage page = engine.recognize(skewed, req);

    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
    assertThat(page.lines()).hasSize(5);
  }

  @Test
  void unknownLanguageIsAClearUnsupportedError() {
    assertThatThrownBy(() -> engine.recognize(PAGE, OcrRequest.DEFAULT.withLanguages("xqz")))
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("xqz")
        .hasMessageContaining("traineddata")
        .satisfies(e -> assertThat(((OcrException) e).reason()).isEqualTo(OcrException.Reason.UNSUPPORTED))
        .satisfies(e -> assertThat(((OcrException) e).retryable()).isFalse());
  }

  @Test
  void blankImageGivesAnEmptyPage() throws OcrException {
    BufferedImage blank = new BufferedImage(600, 400, BufferedImage.TYPE_BYTE_GRAY);
    blank.getGraphics().fillRect(0, 0, 600, 400);

    OcrPage page = engine.recognize(blank, OcrRequest.DEFAULT);

    assertThat(page.lines()).isEmpty();
    assertThat(page.text()).isEmpty();
    assertThat(page.confidence()).isZero();
  }

  @Test
  void concurrentCallsBeyondThePoolSizeAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<OcrPage>> fs = new ArrayList<>();
      OcrRequest fast = new OcrRequest("eng", 300, false, false, false);
      for (int i = 0; i < 6; i++) {
        fs.add(pool.submit(() -> engine.recognize(PAGE, fast)));
      }
      for (Future<OcrPage> f : fs) {
        assertThat(TestImages.charAccuracy(f.get().text(), REFERENCE)).isGreaterThan(0.95);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void combinesLanguagesFromSeveralTessdataDirectories(@TempDir Path extra) throws Exception {
    // a second "language" in another directory (a link to eng): Tesseract gets one directory holding both
    java.nio.file.Files.createSymbolicLink(extra.resolve("xeng.traineddata"),
        cache.resolve("tessdata-tess4j/eng.traineddata"));
    try (OcrEngine mixed = OcrEngines.create("tesseract",
        OcrSettings.builder().poolSize(1).cacheDir(cache).tessdataDir(extra).build())) {
      OcrPage page = mixed.recognize(PAGE, new OcrRequest("eng+xeng", 300, false, false, false));

      assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
    }
  }

  @Test
  void typicalPrintAt300DpiIsNotEnlarged() {
    assertThat(TesseractEngine.enlargement(ImageOps.toGray(TestImages.page(TestImages.LETTER, 9)))).isEqualTo(1.0);
    assertThat(TesseractEngine.enlargement(ImageOps.toGray(PAGE))).isEqualTo(1.0);
  }

  @Test
  void describesItselfForServiceInfo() {
    assertThat(engine.info()).containsEntry("engine", "tesseract").containsEntry("version", "5.5.2")
        .hasEntrySatisfying("languages", l -> assertThat(l).contains("eng"));
  }

  @Test
  void unknownEngineNameIsUnsupported() {
    assertThatThrownBy(() -> OcrEngines.create("ocrad", OcrSettings.DEFAULT))
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("ocrad");
  }

  private static double darkFraction(BufferedImage img, OcrBox box) {
    BufferedImage g = ImageOps.toGray(img);
    int dark = 0;
    int n = 0;
    for (int y = box.y(); y < box.bottom(); y++) {
      for (int x = box.x(); x < box.right(); x++) {
        n++;
        if ((g.getRaster().getSample(x, y, 0)) < 128) {
          dark++;
        }
      }
    }
    return n == 0 ? 0 : (double) dark / n;
  }
}
