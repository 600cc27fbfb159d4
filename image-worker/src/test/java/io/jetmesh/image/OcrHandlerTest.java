package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.image.handlers.OcrHandler;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrEngines;
import io.jetmesh.ocr.OcrSettings;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCR through the real Tesseract engine of the ocr module on images drawn by the test. */
class OcrHandlerTest {
  @TempDir static Path cache;
  static OcrEngine tesseract;
  static OcrHandler handler;

  @BeforeAll
  static void engine() throws Exception {
    tesseract = OcrEngines.create("tesseract", OcrSettings.builder().poolSize(2).cacheDir(cache).build());
    handler = new OcrHandler(name -> {
      if (!name.equals("tesseract")) {
        throw JobException.unsupported("OCR engine " + name + " is not installed in this test");
      }
      return tesseract;
    }, "tesseract", new ImageLimits(50_000_000, 10));
  }

  @AfterAll
  static void close() {
    if (tesseract != null) {
      tesseract.close();
    }
  }

  static HandlerTestKit.Run ocr(byte[] image, String name, String options) {
    return HandlerTestKit.forSubject("image.process.ocr").input(image, name).options(options).run(handler);
  }

  @Test
  void recognisesLinesAndWordsWithBoxesAndConfidences() {
    byte[] png = TestImages.encode(TestImages.text(1000, 260, "Invoice 4711 total 99.50", "Jetmesh image worker"), "png");
    JsonNode out = ocr(png, "text.png", "{}").requireResult().output();
    assertThat(out.path("engine").asText()).isEqualTo("tesseract");
    assertThat(out.path("text").asText()).contains("Invoice 4711 total 99.50").contains("Jetmesh image worker");
    JsonNode page = out.path("pages").get(0);
    assertThat(page.path("rotation").asInt()).isZero();
    assertThat(page.path("lines").size()).isEqualTo(2);
    JsonNode word = page.path("lines").get(0).path("words").get(0);
    assertThat(word.path("text").asText()).isEqualTo("Invoice");
    assertThat(word.path("box").path("x").asInt()).isBetween(30, 60);
    assertThat(word.path("box").path("width").asInt()).isGreaterThan(50);
    assertThat(word.path("confidence").asDouble()).isBetween(0.5, 1.0);
    assertThat(out.path("confidence").asDouble()).isGreaterThan(0.5);
  }

  @Test
  void correctsA90DegreeRotation() {
    byte[] png = TestImages.encode(TestImages.rotate90(TestImages.text(1100, 400,
        "The quick brown fox jumps over", "the lazy dog near the river bank", "while the sun sets slowly")), "png");
    JsonNode out = ocr(png, "rotated.png", "{}").requireResult().output();
    JsonNode page = out.path("pages").get(0);
    assertThat(page.path("rotation").asInt()).isIn(90, 270);
    assertThat(out.path("text").asText()).contains("quick brown fox");
    assertThat(page.path("width").asInt()).isEqualTo(1100);
  }

  @Test
  void readsEveryPageOfAMultiPageTiff() {
    byte[] tiff = TestImages.tiff(List.of(TestImages.text(900, 160, "First page here"),
        TestImages.text(900, 160, "Second page there")));
    HandlerTestKit.Run run = ocr(tiff, "pages.tif", "{\"words\":false}");
    JsonNode out = run.requireResult().output();
    assertThat(out.path("pages")).hasSize(2);
    assertThat(out.path("pages").get(0).path("text").asText()).contains("First page");
    assertThat(out.path("pages").get(1).path("text").asText()).contains("Second page");
    assertThat(out.path("pages").get(1).path("lines").get(0).has("words")).isFalse();
    assertThat(run.progress()).hasSize(2);
    JsonNode second = ocr(tiff, "pages.tif", "{\"page\":2}").requireResult().output();
    assertThat(second.path("pages")).hasSize(1);
    assertThat(second.path("text").asText()).contains("Second page");
  }

  @Test
  void unknownLanguageOrEngineIsUnsupported() {
    byte[] png = TestImages.encode(TestImages.text(400, 100, "hello"), "png");
    HandlerTestKit.Run lang = ocr(png, "a.png", "{\"lang\":\"xyz\"}");
    assertThat(lang.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(lang.error().getMessage()).contains("xyz");
    assertThat(ocr(png, "a.png", "{\"engine\":\"paddle\"}").errorCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(ocr(png, "a.png", "{\"lang\":\"../etc\"}").errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
  }
}
