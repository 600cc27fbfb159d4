package io.jetmesh.ocr;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * OCR quality and speed of the jetmesh engines beside the tesseract CLI, in one run on the same images. A tool, not a
 * test: it lives in src/test to stay out of the ocr jar, and runs from the repository root with
 *
 * <pre>
 * java -cp "$(scripts/test-classpath.sh ocr)" io.jetmesh.ocr.OcrBenchmark \
 *   --images ../shared/corpus/sroie/img --gt ../shared/corpus/sroie/box --out target/ocr-bench
 * </pre>
 *
 * For every engine (and {@code tesseract} CLI, psm 3, {@code OMP_THREAD_LIMIT=1}, one process per image as a user
 * would run it) it writes {@code OUT/<engine>/<stem>.txt}, scores the directory with
 * {@code python3 ../shared/eval/score_ocr.py} (CER/WER/BoW-F1) and prints seconds per image and the time ratio to the
 * CLI. PDFs among the inputs are rendered with {@code pdftoppm -r 300 -gray} first (as the baseline did). Images are
 * processed one at a time on one thread so that the timing compares like with like; engine start-up (natives,
 * model loading, one warm-up image) is excluded and reported separately, the CLI's process start is included (that is its real cost).
 */
public final class OcrBenchmark {
  private OcrBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    opt.put("--images", "../shared/corpus/sroie/img");
    opt.put("--gt", "../shared/corpus/sroie/box");
    opt.put("--out", "target/ocr-bench");
    opt.put("--engines", "tesseract");
    opt.put("--cli", "true");
    opt.put("--scorer", "../shared/eval/score_ocr.py");
    opt.put("--lang", "eng");
    opt.put("--binarize", "false");
    opt.put("--deskew", "false");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!opt.containsKey(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + opt.keySet());
      }
      opt.put(args[i], args[i + 1]);
    }
    PrintStream out = System.out;
    Path outDir = Path.of(opt.get("--out"));
    List<Path> inputs = inputs(Path.of(opt.get("--images")), outDir.resolve("rendered"));
    out.printf("%d images from %s%n", inputs.size(), opt.get("--images"));
    List<String[]> rows = new ArrayList<>();
    double cliSeconds = Double.NaN;
    if (Boolean.parseBoolean(opt.get("--cli"))) {
      Path dir = Files.createDirectories(outDir.resolve("tesseract-cli"));
      long t0 = System.nanoTime();
      for (Path img : inputs) {
        ProcessBuilder pb = new ProcessBuilder("tesseract", img.toString(), dir.resolve(stem(img)).toString(),
            "--psm", "3", "-l", opt.get("--lang")).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_THREAD_LIMIT", "1");
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          out.println("tesseract CLI failed on " + img);
        }
      }
      cliSeconds = (System.nanoTime() - t0) / 1e9;
      rows.add(row("tesseract-cli", "-", cliSeconds, inputs.size(), cliSeconds,
          score(opt.get("--scorer"), dir, opt.get("--gt"), "tesseract-cli")));
    }
    OcrRequest request = new OcrRequest(opt.get("--lang"), 300, true, Boolean.parseBoolean(opt.get("--deskew")),
        Boolean.parseBoolean(opt.get("--binarize")));
    for (String name : opt.get("--engines").split(",")) {
      if (name.isBlank()) {
        continue;
      }
      Path dir = Files.createDirectories(outDir.resolve(name));
      long s0 = System.nanoTime();
      try (OcrEngine engine = OcrEngines.create(name, OcrSettings.builder().poolSize(1).build())) {
        for (int i = 0; i < 2; i++) { // a worker keeps its engine warm: model init and JIT are start-up
          engine.recognize(warmUpImage(), request);
        }
        double startup = (System.nanoTime() - s0) / 1e9;
        long t0 = System.nanoTime();
        long ocrNanos = 0;
        for (Path img : inputs) {
          BufferedImage bi = ImageIO.read(img.toFile());
          long o0 = System.nanoTime();
          OcrPage page = engine.recognize(bi, request);
          ocrNanos += System.nanoTime() - o0;
          Files.writeString(dir.resolve(stem(img) + ".txt"), page.text(), StandardCharsets.UTF_8);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        rows.add(row(name, String.format(Locale.ROOT, "%.2f", startup), secs, inputs.size(), cliSeconds,
            score(opt.get("--scorer"), dir, opt.get("--gt"), name)));
        // without Java's image decoding (the PDF worker renders pages, it does not decode files)
        rows.add(row(name + " (OCR)", "", ocrNanos / 1e9, inputs.size(), cliSeconds, new String[] {"", "", ""}));
      }
    }
    out.println();
    out.printf("%-15s %8s %8s %8s %10s %10s %12s%n", "engine", "CER", "WER", "BoW-F1", "s/image", "startup s",
        "time/CLI");
    for (String[] r : rows) {
      out.printf("%-15s %8s %8s %8s %10s %10s %12s%n", (Object[]) r);
    }
  }

  private static String[] row(String name, String startup, double secs, int n, double cli, String[] score) {
    return new String[] {name, score[0], score[1], score[2], String.format(Locale.ROOT, "%.3f", secs / n), startup,
        Double.isNaN(cli) ? "-" : String.format(Locale.ROOT, "%.2f", secs / cli)};
  }

  /** Runs the python scorer; returns CER, WER, BoW-F1 from its SUMMARY line. */
  private static String[] score(String scorer, Path pred, String gt, String label) throws IOException,
      InterruptedException {
    Process p = new ProcessBuilder("python3", scorer, pred.toString(), gt, "--label", label)
        .redirectErrorStream(true).start();
    String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    for (String line : outText.split("\n")) {
      if (line.startsWith("SUMMARY")) {
        System.out.println(line);
        return new String[] {field(line, "CER="), field(line, "WER="), field(line, "BoW-F1=")};
      }
    }
    System.out.println(outText);
    return new String[] {"?", "?", "?"};
  }

  private static String field(String line, String key) {
    int i = line.indexOf(" " + key);
    int e = line.indexOf(' ', i + 1 + key.length());
    return line.substring(i + 1 + key.length(), e < 0 ? line.length() : e);
  }

  private static List<Path> inputs(Path dir, Path rendered) throws IOException, InterruptedException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".pdf")) {
          Files.createDirectories(rendered);
          Path png = rendered.resolve(stem(p));
          Process pr = new ProcessBuilder("pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", p.toString(),
              png.toString()).inheritIO().start();
          pr.waitFor();
          out.add(rendered.resolve(stem(p) + ".png"));
        } else if (n.matches(".*\\.(jpe?g|png|tiff?|bmp)")) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** An A4 page at 300 dpi with a few lines of text: warms native instances and the JIT for page-sized images. */
  private static BufferedImage warmUpImage() {
    BufferedImage img = new BufferedImage(2480, 3508, BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = img.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(java.awt.Color.BLACK);
    g.setFont(new java.awt.Font(java.awt.Font.SERIF, java.awt.Font.PLAIN, 42));
    for (int i = 0; i < 12; i++) {
      g.drawString("Warm-up line " + i + ": the quick brown fox jumps over 13 lazy dogs.", 300, 300 + i * 90);
    }
    g.dispose();
    return img;
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(0, dot);
  }
}
