package io.jetmesh.pdf.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.pdf.PdfWorkerModule;
import io.jetmesh.pdf.TestRegistry;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Converts the shared evaluation corpus with the {@code convert} handler and scores it with the shared scorers.
 *
 * <pre>
 * java -cp "$(pdf-worker/scripts/eval-classpath.sh)" io.jetmesh.pdf.eval.CorpusEval ../shared OUT_DIR
 * </pre>
 * (or {@code pdf-worker/scripts/pdf-quality.sh}). Writes {@code OUT_DIR/docling/<stem>.md|.json|.txt},
 * {@code OUT_DIR/icdar/<stem>.json}, {@code OUT_DIR/ocr/<stem>.txt}, runs {@code score_text.py},
 * {@code score_tables.py} and {@code score_ocr.py}, and prints their summary lines and the conversion speed.
 */
public final class CorpusEval {
  private CorpusEval() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    Path out = Path.of(args.length > 1 ? args[1] : "target/pdf-eval");
    JobHandler convert = handlers().get("convert");
    Path corpus = shared.resolve("corpus");
    Path eval = shared.resolve("eval");

    Path docOut = Files.createDirectories(out.resolve("docling"));
    double[] t = run(convert, corpus.resolve("docling/pdf"), docOut, "{\"to_formats\":[\"md\",\"json\",\"text\"]}", true);
    System.out.printf("docling: %d pages in %.2fs = %.1f pages/s (convert, one thread, warm)%n", (int) t[0], t[1],
        t[0] / t[1]);
    score(eval.resolve("score_text.py"), docOut, corpus.resolve("docling/groundtruth"));
    score(eval.resolve("score_tables.py"), docOut, corpus.resolve("docling/groundtruth"));

    Path icdarOut = Files.createDirectories(out.resolve("icdar"));
    double[] ti = new double[2];
    for (String sub : List.of("eu", "us")) {
      double[] r = run(convert, corpus.resolve("icdar2013").resolve(sub), icdarOut, "{\"to_formats\":[\"json\"],\"do_ocr\":false}", false);
      ti[0] += r[0];
      ti[1] += r[1];
    }
    System.out.printf("icdar2013: %d pages in %.2fs = %.1f pages/s%n", (int) ti[0], ti[1], ti[0] / ti[1]);
    score(eval.resolve("score_tables.py"), icdarOut, corpus.resolve("icdar2013"));

    Path ocrOut = Files.createDirectories(out.resolve("ocr"));
    run(convert, corpus.resolve("docling-ocr/pdf"), ocrOut, "{\"to_formats\":[\"text\",\"md\"]}", false);
    score(eval.resolve("score_ocr.py"), ocrOut, corpus.resolve("docling-ocr/groundtruth"));
  }

  /** The module's handlers by operation, registered as a worker would (Tesseract OCR on first use). */
  public static Map<String, JobHandler> handlers() {
    return TestRegistry.handlersOf(new PdfWorkerModule());
  }

  /** Converts every PDF of {@code dir}; returns {pages, seconds} of the last of two passes when {@code warm}. */
  static double[] run(JobHandler convert, Path dir, Path out, String options, boolean warm) throws IOException {
    List<Path> pdfs;
    try (Stream<Path> s = Files.list(dir)) {
      pdfs = s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    }
    double[] res = new double[2];
    for (int pass = 0; pass < (warm ? 2 : 1); pass++) {
      int pages = 0;
      long t0 = System.nanoTime();
      for (Path pdf : pdfs) {
        HandlerTestKit.Run r = HandlerTestKit.forSubject("pdf.docling.convert").input(pdf).options(options)
            .run(convert);
        String stem = pdf.getFileName().toString().replaceFirst("\\.pdf$", "");
        if (r.error() != null) {
          System.out.println(stem + ": " + r.errorCode() + " " + r.error().getMessage());
          continue;
        }
        JsonNode o = r.result().output();
        pages += o.path("pages").asInt();
        if (o.has("markdown")) {
          Files.writeString(out.resolve(stem + ".md"), o.get("markdown").asText(), StandardCharsets.UTF_8);
        }
        if (o.has("text")) {
          Files.writeString(out.resolve(stem + ".txt"), o.get("text").asText(), StandardCharsets.UTF_8);
        }
        if (o.has("document")) {
          Files.writeString(out.resolve(stem + ".json"), Json.mapper().writeValueAsString(o.get("document")));
        }
      }
      res[0] = pages;
      res[1] = (System.nanoTime() - t0) / 1e9;
    }
    return res;
  }

  static void score(Path script, Path pred, Path gt) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), pred.toString(), gt.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    System.out.println("== " + script.getFileName() + " " + pred);
    System.out.println(text.strip());
  }
}
