package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.image.handlers.OcrHandler;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrEngines;
import io.jetmesh.ocr.OcrSettings;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code image.process.ocr} reads every format and encoding the image worker claims ({@link FormatSamples}), with
 * both engines: the page count, every page's text and the upright page size. JPEG used to fail on every file
 * because counting pages left the JPEG reader at the end of its stream.
 */
class OcrFormatsTest {
  @TempDir static Path cache;
  static final Map<String, OcrEngine> ENGINES = new java.util.concurrent.ConcurrentHashMap<>();
  static OcrHandler handler;

  @BeforeAll
  static void engines() throws Exception {
    OcrSettings settings = OcrSettings.builder().poolSize(1).cacheDir(cache).build();
    for (String name : OcrEngines.NAMES) {
      ENGINES.put(name, OcrEngines.create(name, settings));
    }
    handler = new OcrHandler(name -> {
      OcrEngine e = ENGINES.get(name);
      if (e == null) {
        throw JobException.unsupported("no engine " + name);
      }
      return e;
    }, "tesseract", new ImageLimits(50_000_000, 10));
  }

  @AfterAll
  static void close() {
    ENGINES.values().forEach(OcrEngine::close);
  }

  static Stream<Arguments> formatsAndEngines() {
    List<Arguments> args = new ArrayList<>();
    for (FormatSamples.Sample s : FormatSamples.all()) {
      for (String engine : OcrEngines.NAMES) {
        args.add(Arguments.of(s, engine));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("formatsAndEngines")
  void everyFormatIsRecognised(FormatSamples.Sample sample, String engine) {
    // EXIF-rotated photos are read without orientation detection: only the EXIF tag can turn them upright
    String options = "{\"engine\":\"" + engine + "\"" + (sample.upright() ? "" : ",\"detect_orientation\":false") + "}";
    HandlerTestKit.Run run = HandlerTestKit.forSubject("image.process.ocr").input(sample.data(), sample.fileName())
        .options(options).run(handler);
    assertThat(run.error()).as("error of %s", sample).isNull();
    JsonNode out = run.requireResult().output();
    assertThat(out.path("format").asText()).isEqualTo(sample.format());
    assertThat(out.path("page_count").asInt()).isEqualTo(sample.pages().size());
    assertThat(out.path("pages")).hasSize(sample.pages().size());
    for (int i = 0; i < sample.pages().size(); i++) {
      JsonNode page = out.path("pages").get(i);
      String text = page.path("text").asText();
      assertThat(similarity(text, sample.pages().get(i))).as("page %d of %s read as '%s'", i + 1, sample, text)
          .isGreaterThanOrEqualTo(0.9);
      assertThat(page.path("width").asInt()).as("upright width").isEqualTo(900);
      assertThat(page.path("height").asInt()).as("upright height").isEqualTo(160);
    }
  }

  /** Real receipts photographed and scanned as JPEG (SROIE); needs ../shared. */
  @ParameterizedTest(name = "sroie {0}")
  @ValueSource(strings = {"000.jpg", "001.jpg", "002.jpg"})
  void realJpegReceiptsAreRecognised(String name) throws Exception {
    Path file = io.jetmesh.testing.SharedCorpus.require("corpus/sroie/img/" + name, "OCR of a real receipt JPEG");
    HandlerTestKit.Run run = HandlerTestKit.forSubject("image.process.ocr").input(Files.readAllBytes(file), name)
        .options("{\"words\":false}").run(handler);
    assertThat(run.error()).isNull();
    JsonNode out = run.requireResult().output();
    assertThat(out.path("format").asText()).isEqualTo("jpeg");
    assertThat(out.path("pages").get(0).path("lines").size()).as("lines on the receipt").isGreaterThan(10);
  }

  /**
   * 1 - edit distance / length, ignoring whitespace: Tesseract reads these lines exactly, PaddleOCR's Chinese-trained
   * recogniser sometimes splits a Latin word or repeats a digit at a gap ("Invoice 4 4711"); a format that fails to
   * decode scores 0.
   */
  static double similarity(String read, String expected) {
    String a = read.replaceAll("\\s+", "");
    String b = expected.replaceAll("\\s+", "");
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return 1.0 - (double) prev[b.length()] / Math.max(1, b.length());
  }
}
