package io.jetmesh.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import io.jetmesh.testing.SharedCorpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs over the shared corpus (skips visibly without ../shared): every hostile PDF ends in a result or a clean
 * error within a time limit, and conversion quality against docling's groundtruth stays above regression floors.
 */
class CorpusTest {
  private static final Path SHARED = SharedCorpus.dir();
  /** Floors slightly below what the worker reaches (see docs/pdf-worker.md for the measured figures). */
  private static final double WORD_F1_FLOOR = 0.98;
  private static final double ORDER_FLOOR = 0.95;
  private static final double HEADING_F1_FLOOR = 0.90;

  @TempDir
  Path out;

  @Test
  void everyHostilePdfEndsInAResultOrACleanErrorInTime() throws Exception {
    Path hostile = SharedCorpus.require("corpus/hostile", "handler-level robustness run over the damaged corpus PDFs "
        + "(HostileInputTest covers generated damaged PDFs through the mesh)");
    List<Path> files;
    try (Stream<Path> s = Files.walk(hostile)) {
      files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    Set<ErrorCode> clean = EnumSet.of(ErrorCode.INVALID_INPUT, ErrorCode.UNSUPPORTED, ErrorCode.TOO_LARGE);
    Map<String, String> outcomes = new TreeMap<>();
    for (Path f : files) {
      for (String op : List.of("convert", "text")) {
        JobHandler h = PdfHandlersTest.handler(op);
        HandlerTestKit.Run r = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
            () -> HandlerTestKit.forSubject("pdf.docling." + op).input(f).options("{\"do_ocr\":false}").run(h),
            () -> op + " hung on " + f);
        if (r.error() != null) {
          assertThat(r.errorCode()).as(op + " " + f + ": " + r.error().getMessage()).isIn(clean);
          assertThat(r.error().getMessage()).isNotBlank();
        }
        outcomes.put(op + " " + f.getFileName(), r.error() == null ? "ok" : r.errorCode().name());
      }
    }
    assertThat(outcomes.values()).contains("ok");
  }

  @Test
  void scannedPagesUprightAnd180DegreesAreReadByTesseract() throws Exception {
    Path pdfs = SharedCorpus.require("corpus/docling-ocr/pdf", "OCR of docling's scanned test pages");
    io.jetmesh.ocr.OcrEngine engine;
    try {
      engine = io.jetmesh.ocr.OcrEngines.create("tesseract", io.jetmesh.ocr.OcrSettings.DEFAULT);
    } catch (Exception | LinkageError e) {
      Assumptions.abort("Tesseract natives unavailable here: " + e);
      return;
    }
    try (engine) {
      for (String stem : List.of("ocr_test", "ocr_test_rotated_180")) {
        JsonNode o = HandlerTestKit.forSubject("pdf.docling.convert").input(pdfs.resolve(stem + ".pdf"))
            .options("{\"to_formats\":[\"text\"]}").run(new ConvertHandler(() -> engine, 2)).requireResult().output();
        String expected = Files.readString(SHARED.resolve("corpus/docling-ocr/groundtruth/" + stem + ".md")).strip();
        assertThat(o.path("ocr_pages")).as(stem).hasSize(1);
        assertThat(o.path("text").asText().strip().replaceAll("\\s+", " ")).as(stem).isEqualTo(expected);
      }
    }
  }

  @Test
  void markdownQualityAgainstDoclingGroundtruthStaysAboveFloors() throws Exception {
    Path pdfs = SHARED.resolve("corpus/docling/pdf");
    Path gt = SHARED.resolve("corpus/docling/groundtruth");
    Path scorer = SHARED.resolve("eval/score_text.py");
    SharedCorpus.require("corpus/docling/pdf", "Markdown quality floors against docling's groundtruth");
    SharedCorpus.require("eval/score_text.py", "Markdown quality floors against docling's groundtruth");
    Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 missing");
    try (Stream<Path> s = Files.list(pdfs)) {
      for (Path pdf : s.filter(p -> p.toString().endsWith(".pdf")).toList()) {
        JsonNode o = PdfHandlersTest.convert(pdf, "{\"to_formats\":[\"md\"],\"do_ocr\":false}");
        String stem = pdf.getFileName().toString().replaceFirst("\\.pdf$", "");
        Files.writeString(out.resolve(stem + ".md"), o.path("markdown").asText(), StandardCharsets.UTF_8);
      }
    }
    Process p = new ProcessBuilder("python3", scorer.toString(), out.toString(), gt.toString())
        .redirectErrorStream(true).start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(report).isZero();
    Matcher m = Pattern.compile("SUMMARY.*word_f1=([\\d.]+).*order=([\\d.]+).*head_f1=([\\d.]+)").matcher(report);
    assertThat(m.find()).as(report).isTrue();
    assertThat(Double.parseDouble(m.group(1))).as(report).isGreaterThanOrEqualTo(WORD_F1_FLOOR);
    assertThat(Double.parseDouble(m.group(2))).as(report).isGreaterThanOrEqualTo(ORDER_FLOOR);
    assertThat(Double.parseDouble(m.group(3))).as(report).isGreaterThanOrEqualTo(HEADING_F1_FLOOR);
  }
}
