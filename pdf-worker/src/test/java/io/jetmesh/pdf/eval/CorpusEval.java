package io.jetmesh.pdf.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.pdf.PdfWorkerModule;
import io.jetmesh.pdf.TestRegistry;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Converts every set of the shared evaluation corpus with the worker's {@code convert} handler and writes the
 * predictions the shared scorers read; {@code pdf-worker/scripts/pdf-quality.sh} scores them beside the peers'.
 *
 * <pre>
 * java -cp "$(pdf-worker/scripts/eval-classpath.sh)" io.jetmesh.pdf.eval.CorpusEval ../shared OUT_DIR [SET...]
 * </pre>
 *
 * Writes {@code OUT_DIR/<set>/<stem>.md|.json|.txt} for the sets {@link Set#values()} (all of them when none is
 * named) and, for {@code hostile}, {@code OUT_DIR/hostile/outcomes.tsv} and {@code summary.txt}, a line in the format of
 * {@code eval/robustness.py}: {@code ok} = a result, {@code error} = a clean failed result (INVALID_INPUT,
 * UNSUPPORTED, TOO_LARGE), {@code crash} = any other failure, {@code timeout} = no answer within 30 s.
 */
public final class CorpusEval {
  /** The corpus sets: where their PDFs are and what the convert job asks for. */
  public enum Set {
    DOCLING("docling", "docling/pdf", "{\"to_formats\":[\"md\",\"json\"],\"do_ocr\":false}"),
    PRINTED_HTML("printed-html", "printed/html/pdf", "{\"to_formats\":[\"md\"],\"do_ocr\":false}"),
    PRINTED_DOCX("printed-docx", "printed/docx/pdf", "{\"to_formats\":[\"md\"],\"do_ocr\":false}"),
    ICDAR2013("icdar2013", "icdar2013", "{\"to_formats\":[\"json\"],\"do_ocr\":false}"),
    TABULA("tabula", "tabula/pdf", "{\"to_formats\":[\"json\"],\"do_ocr\":false}"),
    DOCLING_OCR("docling-ocr", "docling-ocr/pdf", "{\"to_formats\":[\"text\"]}"),
    HOSTILE("hostile", "hostile", "{\"to_formats\":[\"md\",\"json\",\"text\"],\"do_ocr\":false}");

    public final String id;
    public final String pdfs;
    public final String options;

    Set(String id, String pdfs, String options) {
      this.id = id;
      this.pdfs = pdfs;
      this.options = options;
    }

    static Set of(String id) {
      for (Set s : values()) {
        if (s.id.equals(id)) {
          return s;
        }
      }
      throw new IllegalArgumentException("no set '" + id + "'; sets: " + List.of(values()).stream().map(s -> s.id).toList());
    }
  }

  /** How long one hostile file may take before it counts as a timeout (the limit robustness.py gives peers). */
  static final long HOSTILE_TIMEOUT_SECONDS = 30;

  private CorpusEval() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    Path out = Path.of(args.length > 1 ? args[1] : "target/pdf-eval");
    java.util.Set<Set> sets = EnumSet.noneOf(Set.class);
    for (int i = 2; i < args.length; i++) {
      sets.add(Set.of(args[i]));
    }
    if (sets.isEmpty()) {
      sets = EnumSet.allOf(Set.class);
    }
    JobHandler convert = handlers().get("convert");
    for (Set s : sets) {
      Path pdfs = shared.resolve("corpus").resolve(s.pdfs);
      Path dir = Files.createDirectories(out.resolve(s.id));
      if (s == Set.HOSTILE) {
        System.out.println(hostile(convert, pdfs, dir, s.options));
      } else {
        int pages = convert(convert, pdfs, dir, s.options);
        System.out.printf(Locale.ROOT, "%s: %d pages converted into %s%n", s.id, pages, dir);
      }
    }
    System.exit(0); // the OCR engine's pool threads must not keep the JVM alive
  }

  /** The module's handlers by operation, registered as a worker would (Tesseract OCR on first use). */
  public static Map<String, JobHandler> handlers() {
    return TestRegistry.handlersOf(new PdfWorkerModule());
  }

  /** The PDFs under {@code dir} (recursively), sorted. */
  public static List<Path> pdfs(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".pdf"))
          .sorted().toList();
    }
  }

  /** Converts every PDF under {@code dir} into {@code out}; returns the pages converted. */
  public static int convert(JobHandler convert, Path dir, Path out, String options) throws IOException {
    int pages = 0;
    for (Path pdf : pdfs(dir)) {
      HandlerTestKit.Run r = HandlerTestKit.forSubject("pdf.docling.convert").input(pdf).options(options)
          .run(convert);
      if (r.error() != null) {
        System.out.println(pdf.getFileName() + ": " + r.errorCode() + " " + r.error().getMessage());
        continue;
      }
      pages += r.result().output().path("pages").asInt();
      write(r.result().output(), out, stem(pdf));
    }
    return pages;
  }

  /** Writes a convert result's Markdown, text and document JSON as {@code <stem>.md|.txt|.json}. */
  public static void write(JsonNode o, Path out, String stem) throws IOException {
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

  static String stem(Path pdf) {
    return pdf.getFileName().toString().replaceFirst("(?i)\\.pdf$", "");
  }

  /** Runs every hostile file with a time limit; returns the robustness.py-style summary line. */
  static String hostile(JobHandler convert, Path dir, Path out, String options) throws Exception {
    java.util.Set<ErrorCode> clean = EnumSet.of(ErrorCode.INVALID_INPUT, ErrorCode.UNSUPPORTED, ErrorCode.TOO_LARGE);
    int ok = 0;
    int error = 0;
    int crash = 0;
    int timeout = 0;
    List<Double> seconds = new ArrayList<>();
    StringBuilder tsv = new StringBuilder("file\toutcome\tseconds\tdetail\n");
    ExecutorService exec = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "hostile-file");
      t.setDaemon(true);
      return t;
    });
    try {
      for (Path pdf : pdfs(dir)) {
        long t0 = System.nanoTime();
        Future<HandlerTestKit.Run> f = exec.submit(() ->
            HandlerTestKit.forSubject("pdf.docling.convert").input(pdf).options(options).run(convert));
        String outcome;
        String detail = "";
        try {
          HandlerTestKit.Run r = f.get(HOSTILE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
          if (r.error() == null) {
            outcome = "ok";
            ok++;
          } else if (clean.contains(r.errorCode()) && !r.error().getMessage().isBlank()) {
            outcome = "error";
            error++;
            detail = r.errorCode() + " " + r.error().getMessage();
          } else {
            outcome = "crash";
            crash++;
            detail = r.errorCode() + " " + r.error().getMessage();
          }
        } catch (TimeoutException e) {
          f.cancel(true);
          outcome = "timeout";
          timeout++;
        } catch (ExecutionException e) {
          outcome = "crash";
          crash++;
          detail = String.valueOf(e.getCause());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        seconds.add(s);
        tsv.append(dir.relativize(pdf)).append('\t').append(outcome).append('\t')
            .append(String.format(Locale.ROOT, "%.2f", s)).append('\t')
            .append(detail.replaceAll("\\s+", " ")).append('\n');
      }
    } finally {
      exec.shutdownNow();
    }
    Files.writeString(out.resolve("outcomes.tsv"), tsv.toString(), StandardCharsets.UTF_8);
    seconds.sort(null);
    double p50 = seconds.isEmpty() ? 0 : seconds.get(seconds.size() / 2);
    double max = seconds.isEmpty() ? 0 : seconds.get(seconds.size() - 1);
    String summary = String.format(Locale.ROOT,
        "SUMMARY jetmesh files=%d ok=%d error=%d crash=%d timeout=%d p50=%.2fs max=%.2fs",
        seconds.size(), ok, error, crash, timeout, p50, max);
    Files.writeString(out.resolve("summary.txt"), summary + "\n", StandardCharsets.UTF_8);
    return summary;
  }
}
