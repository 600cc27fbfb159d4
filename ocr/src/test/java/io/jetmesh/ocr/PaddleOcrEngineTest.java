package io.jetmesh.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaddleOcrEngineTest {
  @TempDir static Path cache;
  static OcrEngine engine;
  static final String REFERENCE = String.join("\n", TestImages.LETTER);
  static final BufferedImage PAGE = TestImages.page(TestImages.LETTER, 11);

  @BeforeAll
  static void start() throws OcrException {
    engine = OcrEngines.create("paddle", OcrSettings.builder().poolSize(1).device("auto").cacheDir(cache).build());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void readsRenderedTextWithLineAndWordBoxes() throws OcrException {
    OcrPage page = engine.recognize(PAGE, OcrRequest.DEFAULT);

    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
    assertThat(page.rotation()).isZero();
    assertThat(page.lines()).hasSize(5);
    int px = Math.round(11 * 300 / 72f);
    for (int i = 0; i < 5; i++) {
      OcrLine line = page.lines().get(i);
      int baseline = 150 + px + i * px * 2;
      assertThat(line.box().y()).isBetween(baseline - px - 10, baseline - px / 2);
      assertThat(line.box().bottom()).isBetween(baseline - 2, baseline + px / 2);
      assertThat(line.box().x()).isBetween(280, 320);
      assertThat(line.confidence()).isBetween(0.8f, 1f);
      assertThat(line.words().stream().map(w -> w.box().x()).toList()).isSorted();
      for (OcrWord w : line.words()) {
        assertThat(w.box().x()).isGreaterThanOrEqualTo(line.box().x());
        assertThat(w.box().right()).isLessThanOrEqualTo(line.box().right());
      }
    }
    // the word box of "Invoice" covers its left part of the line, "Traders" its right end
    OcrLine first = page.lines().get(0);
    assertThat(first.words().get(0).text()).isEqualTo("Invoice");
    assertThat(first.words().get(0).box().right()).isLessThan(first.box().x() + first.box().width() / 3);
  }

  @ParameterizedTest(name = "input turned {0} degrees clockwise")
  @ValueSource(ints = {90, 180, 270})
  void detectsRotation(int turned) throws OcrException {
    OcrPage page = engine.recognize(TestImages.rotated(PAGE, turned), OcrRequest.DEFAULT);

    assertThat(page.rotation()).isEqualTo((360 - turned) % 360);
    assertThat(page.width()).isEqualTo(PAGE.getWidth());
    assertThat(TestImages.charAccuracy(page.text(), REFERENCE)).isGreaterThan(0.95);
  }

  @Test
  void languageOutsideTheModelIsUnsupported() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> engine.recognize(PAGE, OcrRequest.DEFAULT.withLanguages("deu")))
        .isInstanceOf(OcrException.class)
        .hasMessageContaining("deu")
        .satisfies(e -> assertThat(((OcrException) e).reason()).isEqualTo(OcrException.Reason.UNSUPPORTED));
  }

  @Test
  void runsOnTheCpuWhenNoGpuIsPresent() {
    // auto picks a GPU only when ONNX Runtime sees CUDA; this host has none
    assertThat(engine.info()).containsEntry("engine", "paddle").containsEntry("device", "cpu()");
  }

  @Test
  void blankImageGivesAnEmptyPage() throws OcrException {
    BufferedImage blank = new BufferedImage(500, 300, BufferedImage.TYPE_BYTE_GRAY);
    blank.getGraphics().fillRect(0, 0, 500, 300);

    OcrPage page = engine.recognize(blank, OcrRequest.DEFAULT);

    assertThat(page.lines()).isEmpty();
    assertThat(page.text()).isEmpty();
  }
}
