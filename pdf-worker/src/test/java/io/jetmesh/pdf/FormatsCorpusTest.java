package io.jetmesh.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docling's own test documents per format ({@code ../shared/corpus/formats/<fmt>/}, skipped visibly without
 * ../shared): every file converts through {@code pdf.docling.convert}, and the Markdown and the tables stay above
 * floors against docling's expected output (word F1, heading F1 by {@code score_text.py}; table cell F1 by
 * {@code score_tables.py} against docling's JSON). The predictions stay in {@code target/formats-corpus/<fmt>/} for
 * inspection; the measured figures are in docs/formats.md.
 */
class FormatsCorpusTest {
  private static final Path SHARED = Path.of(System.getProperty("jetmesh.shared.dir", "../../shared"));
  private static final Path OUT = Path.of("target/formats-corpus");
  /** Floors per format: word F1, heading F1, table cell F1 (the targets are 0.97, 0.9, 0.95). */
  private static final Map<String, double[]> FLOORS = Map.of(
      "docx", new double[] {0.97, 0.9, 0.95},
      "pptx", new double[] {0.97, 0.9, 0.95},
      "xlsx", new double[] {0.97, 0.9, 0.95},
      "html", new double[] {0.97, 0.9, 0.95},
      "md", new double[] {0.97, 0.9, 0.95},
      "csv", new double[] {0.97, 0.9, 0.95});

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"csv", "md", "html", "xlsx", "docx", "pptx"})
  void everyDoclingTestDocumentConvertsAndScoresAboveTheFloors(String format) throws Exception {
    Path src = SHARED.resolve("corpus/formats/" + format + "/src");
    Path gt = SHARED.resolve("corpus/formats/" + format + "/groundtruth");
    Assumptions.assumeTrue(Files.isDirectory(src), "../shared/corpus/formats/" + format + " absent: skipping");
    Path out = OUT.resolve(format);
    Files.createDirectories(out);
    List<Path> files;
    try (Stream<Path> s = Files.list(src)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    JobHandler convert = FormatRouter.route("convert", new ConvertHandler(() -> null), () -> null);
    Map<String, String> failures = new LinkedHashMap<>();
    for (Path f : files) {
      HandlerTestKit.Run r = HandlerTestKit.forSubject("pdf.docling.convert").input(f)
          .options("{\"to_formats\":[\"md\",\"json\"]}").run(convert);
      if (r.error() != null) {
        failures.put(f.getFileName().toString(), r.errorCode() + ": " + r.error().getMessage());
        continue;
      }
      JsonNode o = r.requireResult().output();
      String name = f.getFileName().toString();
      Files.writeString(out.resolve(name + ".md"), o.path("markdown").asText(), StandardCharsets.UTF_8);
      Files.writeString(out.resolve(name + ".json"), Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(o.path("document")), StandardCharsets.UTF_8);
    }
    assertThat(failures).as("every docling test document converts").isEmpty();
    Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 missing");
    String text = run(SHARED.resolve("eval/score_text.py"), out, gt, format);
    double[] floor = FLOORS.get(format);
    Matcher m = Pattern.compile("SUMMARY.*word_f1=([\\d.]+).*head_f1=([\\d.na]+)").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    System.out.println(text);
    assertThat(Double.parseDouble(m.group(1))).as(format + " word F1\n" + text).isGreaterThanOrEqualTo(floor[0]);
    if (!m.group(2).startsWith("n")) {
      assertThat(Double.parseDouble(m.group(2))).as(format + " heading F1\n" + text).isGreaterThanOrEqualTo(floor[1]);
    }
    boolean gtTables = false;
    try (Stream<Path> s = Files.list(gt)) {
      for (Path j : s.filter(p -> p.toString().endsWith(".json")).toList()) {
        gtTables |= Json.mapper().readTree(j.toFile()).path("tables").size() > 0;
      }
    }
    if (gtTables) {
      String tables = run(SHARED.resolve("eval/score_tables.py"), out, gt, format);
      System.out.println(tables);
      Matcher t = Pattern.compile("SUMMARY.*cellF1=([\\d.]+)").matcher(tables);
      assertThat(t.find()).as(tables).isTrue();
      assertThat(Double.parseDouble(t.group(1))).as(format + " table cell F1\n" + tables).isGreaterThanOrEqualTo(floor[2]);
    }
  }

  private static String run(Path scorer, Path pred, Path gt, String label) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("python3", scorer.toString(), pred.toString(), gt.toString(),
        "--label", label));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(report).isZero();
    return report;
  }
}
