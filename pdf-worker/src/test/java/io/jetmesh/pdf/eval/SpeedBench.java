package io.jetmesh.pdf.eval;

import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Speed of the {@code text} and {@code convert} operations against poppler's {@code pdftotext} on the same files in
 * the same run (ratios, not absolute times: the machine is shared). Each side gets at least 2 s of warm-up; then
 * {@code passes} timed passes, best pass reported. pdftotext runs one process per file (as users run it).
 *
 * <pre>
 * java -cp "$(pdf-worker/scripts/eval-classpath.sh)" io.jetmesh.pdf.eval.SpeedBench [passes] DIR_OR_PDF...
 * </pre>
 */
public final class SpeedBench {
  private SpeedBench() {}

  public static void main(String[] args) throws Exception {
    int passes = 3;
    List<Path> pdfs = new ArrayList<>();
    for (String a : args) {
      if (a.matches("\\d+")) {
        passes = Integer.parseInt(a);
        continue;
      }
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(f -> f.toString().endsWith(".pdf")).sorted().forEach(pdfs::add);
        }
      } else {
        pdfs.add(p);
      }
    }
    int pages = 0;
    for (Path p : pdfs) {
      try (PDDocument d = Loader.loadPDF(p.toFile())) {
        pages += d.getNumberOfPages();
      }
    }
    Map<String, JobHandler> h = CorpusEval.handlers();
    double poppler = best(passes, () -> pdftotext(pdfs));
    double text = best(passes, () -> run(h.get("text"), "text", pdfs, "{}"));
    double convert = best(passes, () -> run(h.get("convert"), "convert", pdfs, "{\"do_ocr\":false}"));
    // interleave a second round so that a burst of load on the shared machine does not fall on one side only
    double popplerAgain = best(passes, () -> pdftotext(pdfs));
    text = Math.min(text, best(passes, () -> run(h.get("text"), "text", pdfs, "{}")));
    convert = Math.min(convert, best(passes, () -> run(h.get("convert"), "convert", pdfs, "{\"do_ocr\":false}")));
    double pop = Math.min(poppler, popplerAgain);
    System.out.printf("files=%d pages=%d passes=%d%n", pdfs.size(), pages, passes);
    System.out.printf("pdftotext        %8.1f pages/s%n", pages / pop);
    System.out.printf("jetmesh text     %8.1f pages/s  ratio vs pdftotext %.2f%n", pages / text, pop / text);
    System.out.printf("jetmesh convert  %8.1f pages/s  (one thread)%n", pages / convert);
  }

  interface Work {
    void run() throws Exception;
  }

  private static double best(int passes, Work w) throws Exception {
    // warm-up: at least two seconds, so that the JIT has compiled the hot paths even for a short file set
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    do {
      w.run();
    } while (System.nanoTime() < warmUntil);
    double best = Double.MAX_VALUE;
    for (int i = 0; i < passes; i++) {
      long t0 = System.nanoTime();
      w.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    return best;
  }

  private static void pdftotext(List<Path> pdfs) throws IOException, InterruptedException {
    for (Path p : pdfs) {
      Process pr = new ProcessBuilder("pdftotext", "-q", p.toString(), "-")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      pr.waitFor();
    }
  }

  private static void run(JobHandler h, String op, List<Path> pdfs, String options) {
    for (Path p : pdfs) {
      HandlerTestKit.Run r = HandlerTestKit.forSubject("pdf.docling." + op).input(p).options(options).run(h);
      if (r.error() != null && pdfs.size() == 1) {
        throw new IllegalStateException(r.error().getMessage());
      }
    }
  }
}
