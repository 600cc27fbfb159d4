package io.jetmesh.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.pdf.eval.CorpusEval;
import io.jetmesh.testing.SharedCorpus;
import io.jetmesh.worker.JobHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression floors per corpus set, through the {@code convert} handler and the shared scorers, as
 * {@code pdf-worker/scripts/pdf-quality.sh} measures them (the figures reached are in BENCHMARKS.md; each floor sits a
 * little below). Skips visibly without {@code ../shared} or python3. The docling Markdown floors, the OCR pages and
 * the hostile files are {@link CorpusTest}'s; the ICDAR floor through the table extractor alone is
 * {@code IcdarRegressionTest}'s.
 */
class QualityFloorsTest {
  private static final Path SHARED = SharedCorpus.dir();
  @TempDir
  static Path out;
  static JobHandler convert;

  @BeforeAll
  static void setUp() throws Exception {
    SharedCorpus.require("corpus", "the quality floors per corpus set");
    SharedCorpus.require("eval", "the quality floors per corpus set");
    Assumptions.assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0,
        "skipped: python3 not available to run the shared scorers");
    convert = CorpusEval.handlers().get("convert");
  }

  private static final Map<CorpusEval.Set, Path> converted = new HashMap<>();

  /** The set's predictions, converted once per run. */
  static synchronized Path predictions(CorpusEval.Set set) throws Exception {
    Path dir = converted.get(set);
    if (dir == null) {
      dir = Files.createDirectories(out.resolve(set.id));
      CorpusEval.convert(convert, SHARED.resolve("corpus").resolve(set.pdfs), dir, set.options);
      converted.put(set, dir);
    }
    return dir;
  }

  static double score(String scorer, Path pred, String gt, String metric) throws Exception {
    Process p = new ProcessBuilder("python3", SHARED.resolve("eval").resolve(scorer).toString(), pred.toString(),
        SHARED.resolve("corpus").resolve(gt).toString()).redirectErrorStream(true).start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(report).isZero();
    Matcher m = Pattern.compile("SUMMARY.* " + Pattern.quote(metric) + "=([\\d.]+)").matcher(report);
    assertThat(m.find()).as(report).isTrue();
    System.out.println(scorer + " " + pred.getFileName() + " " + metric + "=" + m.group(1));
    return Double.parseDouble(m.group(1));
  }

  @ParameterizedTest(name = "{0} {3} >= {4}")
  @CsvSource({
      // set,        scorer,           ground truth,              metric,   floor
      "PRINTED_HTML, score_text.py,   printed/html/groundtruth,  word_f1,  0.95",
      "PRINTED_HTML, score_text.py,   printed/html/groundtruth,  order,    0.97",
      "PRINTED_HTML, score_text.py,   printed/html/groundtruth,  head_f1,  0.90",
      "PRINTED_DOCX, score_text.py,   printed/docx/groundtruth,  word_f1,  0.90",
      "PRINTED_DOCX, score_text.py,   printed/docx/groundtruth,  order,    0.97",
      "PRINTED_DOCX, score_text.py,   printed/docx/groundtruth,  head_f1,  0.75",
      "DOCLING,      score_tables.py, docling/groundtruth,       cellF1,   0.65",
      "ICDAR2013,    score_tables.py, icdar2013,                 adjF1,    0.95",
      "ICDAR2013,    score_tables.py, icdar2013,                 cellF1,   0.95",
      "TABULA,       score_tables.py, tabula/expected,           cellF1,   0.55",
      "TABULA,       score_tables.py, tabula/expected,           adjF1,    0.53"})
  void setStaysAboveItsFloor(CorpusEval.Set set, String scorer, String gt, String metric, double floor)
      throws Exception {
    assertThat(score(scorer, predictions(set), gt, metric)).as(set + " " + metric).isGreaterThanOrEqualTo(floor);
  }
}
