package io.jetmesh.bench;

import io.jetmesh.pdf.docling.DoclingJson;
import io.jetmesh.pdf.docling.DocumentModel;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.FormatConverters;
import io.jetmesh.pdf.formats.FormatDetector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts files the way {@code pdf.docling.convert} does for non-PDF inputs (type detection, conversion,
 * Markdown and DoclingDocument JSON exports), in one JVM, {@code --repeat} times over the list; prints the number
 * of documents converted and failed. bench/formats-peers.sh times it against Apache Tika on the same files:
 * <pre>java -cp ... io.jetmesh.bench.FormatsBench [--repeat N] [--dump DIR] FILE...</pre>
 * {@code --dump DIR} writes each file's Markdown and JSON to DIR: run it before and after a change to a converter
 * and {@code diff -r} the two directories to see that the outputs stayed the same.
 *
 * <p>With {@code --cpu} it measures instead of just converting: {@code --warmup} passes, then {@code --repeat}
 * measured passes, each file's phases (detection, conversion, Markdown export, JSON export) timed in the calling
 * thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}), which on a shared, loaded machine varies far
 * less than wall time (a thread waiting for a core uses none). With {@code --tika tika-app.jar} (optionally
 * {@code --tika-config no-ocr.xml}) Apache Tika's {@code Tika.parseToString} runs in the same JVM on the same files
 * in alternating passes, in its own class loader, and the CPU-time ratio per document is printed per format:
 * <pre>java -cp ... io.jetmesh.bench.FormatsBench --cpu [--warmup 2] [--repeat 5] [--tika JAR [--tika-config XML]] FILE...</pre>
 * {@code --tika-only --tika JAR [--tika-config XML] [--repeat N] FILE...} runs only Tika over the files, going on
 * past files it fails on ({@code tika-app -t} with several files stops at the first failure, so timing it
 * measured only the files before it); bench/formats-peers.sh times this against the converters.
 * Garbage collection and JIT compilation run on other threads and are not counted in the per-phase figures; the
 * last line gives each tool's whole passes as process CPU time (all threads, so they are counted) and wall time.
 */
public final class FormatsBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  /** Whole passes of each tool: process CPU (all threads: GC and JIT included) and wall nanoseconds, documents. */
  private static final long[] JM_PASS = new long[3];
  private static final long[] TK_PASS = new long[3];

  private FormatsBench() {}

  public static void main(String[] args) throws Exception {
    int repeat = 1;
    int warmup = 2;
    boolean cpu = false;
    boolean tikaOnly = false;
    Path tikaJar = null;
    Path tikaConfig = null;
    Path dump = null;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--cpu" -> cpu = true;
        case "--tika-only" -> tikaOnly = true;
        case "--tika" -> tikaJar = Path.of(args[++i]);
        case "--tika-config" -> tikaConfig = Path.of(args[++i]);
        case "--dump" -> dump = Path.of(args[++i]);
        default -> files.add(Path.of(args[i]));
      }
    }
    if (cpu) {
      measure(files, warmup, repeat, tikaJar == null ? null : new TikaInProcess(tikaJar, tikaConfig));
      return;
    }
    if (tikaOnly) {
      TikaInProcess tika = new TikaInProcess(tikaJar, tikaConfig);
      int ok = 0;
      int failed = 0;
      for (int r = 0; r < repeat; r++) {
        for (Path f : files) {
          if (tika.parse(f)) {
            ok++;
          } else {
            failed++;
          }
        }
      }
      System.out.println("tika documents " + ok + " failed " + failed);
      return;
    }
    int ok = 0;
    int failed = 0;
    long chars = 0;
    for (int r = 0; r < repeat; r++) {
      for (Path f : files) {
        try {
          DocumentModel m = convert(f);
          String md = Exporters.markdown(m);
          String json = DoclingJson.write(m).toString();
          chars += md.length() + json.length();
          if (dump != null && r == 0) {
            Files.createDirectories(dump);
            Files.writeString(dump.resolve(f.getFileName() + ".md"), md);
            Files.writeString(dump.resolve(f.getFileName() + ".json"), json);
          }
          ok++;
        } catch (Exception e) {
          failed++;
          System.err.println(f + ": " + e.getMessage());
        }
      }
    }
    System.out.println("documents " + ok + " failed " + failed + " output-chars " + chars);
  }

  private static DocumentModel convert(Path f) throws Exception {
    String name = f.getFileName().toString();
    Detection d = FormatDetector.detect(f, name);
    return FormatConverters.convert(f, d, name, name, BigInteger.ONE,
        ConversionContext.builder().ocrEnabled(false).build()).model();
  }

  /** CPU nanoseconds per phase, summed over the measured passes, for one format. */
  private static final class Sums {
    long docs;
    long detect;
    long convert;
    long markdown;
    long json;
    long tika;
    long tikaDocs;
    long failed;
    long tikaFailed;

    long jetmesh() {
      return detect + convert + markdown + json;
    }
  }

  private static void measure(List<Path> files, int warmup, int repeat, TikaInProcess tika) throws Exception {
    if (!THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("this JVM cannot measure thread CPU time");
    }
    THREADS.setThreadCpuTimeEnabled(true);
    Map<String, Sums> byFormat = new TreeMap<>();
    for (int pass = 0; pass < warmup + repeat; pass++) {
      boolean counted = pass >= warmup;
      // alternate which tool goes first, so that neither always runs on a cache the other just warmed
      if (tika != null && pass % 2 == 1) {
        tikaPass(files, tika, counted, byFormat);
      }
      long p0 = OS.getProcessCpuTime();
      long w0 = System.nanoTime();
      for (Path f : files) {
        Sums s = byFormat.computeIfAbsent(ext(f), k -> new Sums());
        try {
          String name = f.getFileName().toString();
          long t0 = cpu();
          Detection d = FormatDetector.detect(f, name);
          long t1 = cpu();
          DocumentModel m = FormatConverters.convert(f, d, name, name, BigInteger.ONE,
              ConversionContext.builder().ocrEnabled(false).build()).model();
          long t2 = cpu();
          int md = Exporters.markdown(m).length();
          long t3 = cpu();
          int json = DoclingJson.write(m).size();
          long t4 = cpu();
          if (counted && md + json >= 0) {
            s.docs++;
            s.detect += t1 - t0;
            s.convert += t2 - t1;
            s.markdown += t3 - t2;
            s.json += t4 - t3;
          }
        } catch (Exception e) {
          if (counted) {
            s.failed++;
            System.err.println(f + ": " + e.getMessage());
          }
        }
      }
      if (counted) {
        JM_PASS[0] += OS.getProcessCpuTime() - p0;
        JM_PASS[1] += System.nanoTime() - w0;
        JM_PASS[2] += files.size();
      }
      if (tika != null && pass % 2 == 0) {
        tikaPass(files, tika, counted, byFormat);
      }
    }
    report(byFormat, files.size(), warmup, repeat, tika != null);
  }

  private static void tikaPass(List<Path> files, TikaInProcess tika, boolean counted, Map<String, Sums> byFormat) {
    long p0 = OS.getProcessCpuTime();
    long w0 = System.nanoTime();
    for (Path f : files) {
      Sums s = byFormat.computeIfAbsent(ext(f), k -> new Sums());
      long t0 = cpu();
      boolean ok = tika.parse(f);
      long t1 = cpu();
      if (counted && ok) {
        s.tikaDocs++;
        s.tika += t1 - t0;
      } else if (counted) {
        s.tikaFailed++;
      }
    }
    if (counted) {
      TK_PASS[0] += OS.getProcessCpuTime() - p0;
      TK_PASS[1] += System.nanoTime() - w0;
      TK_PASS[2] += files.size();
    }
  }

  private static void report(Map<String, Sums> byFormat, int n, int warmup, int repeat, boolean tika) {
    System.out.printf(Locale.ROOT, "files %d, %d warm-up + %d measured passes; CPU ms per document of the measuring"
        + " thread (load: %.1f)%n", n, warmup, repeat, ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage());
    System.out.printf(Locale.ROOT, "%-6s %5s %8s %8s %8s %8s %9s%s%n", "format", "docs", "detect", "convert",
        "markdown", "json", "jetmesh", tika ? "      tika  tika/jetmesh" : "");
    Sums all = new Sums();
    for (Map.Entry<String, Sums> e : byFormat.entrySet()) {
      line(e.getKey(), e.getValue(), tika);
      Sums s = e.getValue();
      all.docs += s.docs;
      all.detect += s.detect;
      all.convert += s.convert;
      all.markdown += s.markdown;
      all.json += s.json;
      all.tika += s.tika;
      all.tikaDocs += s.tikaDocs;
      all.failed += s.failed;
      all.tikaFailed += s.tikaFailed;
    }
    line("all", all, tika);
    System.out.printf(Locale.ROOT, "failed: jetmesh %d%s (per measured pass and file); documents per CPU-second:"
        + " jetmesh %.1f%s%n", all.failed, tika ? ", tika " + all.tikaFailed : "",
        all.docs * 1e9 / Math.max(1, all.jetmesh()),
        tika ? String.format(Locale.ROOT, ", tika %.1f", all.tikaDocs * 1e9 / Math.max(1, all.tika)) : "");
    // whole passes: the process's CPU (collector and compiler threads too) and wall time, which on a loaded
    // machine includes waiting for a core
    System.out.printf(Locale.ROOT, "whole passes, ms per document: jetmesh process CPU %.2f, wall %.2f%s%n",
        JM_PASS[0] / 1e6 / Math.max(1, JM_PASS[2]), JM_PASS[1] / 1e6 / Math.max(1, JM_PASS[2]),
        tika ? String.format(Locale.ROOT, "; tika process CPU %.2f, wall %.2f; tika/jetmesh process CPU %s,"
            + " wall %.2fx", TK_PASS[0] / 1e6 / Math.max(1, TK_PASS[2]), TK_PASS[1] / 1e6 / Math.max(1, TK_PASS[2]),
            // the process CPU clock ticks coarsely: a pass shorter than a few ticks reads as 0
            JM_PASS[0] < 50_000_000L ? "n/a (passes too short)"
                : String.format(Locale.ROOT, "%.2fx", TK_PASS[0] / (double) JM_PASS[0]),
            TK_PASS[1] / (double) Math.max(1, JM_PASS[1])) : "");
  }

  private static void line(String format, Sums s, boolean tika) {
    double d = Math.max(1, s.docs);
    double jm = s.jetmesh() / d / 1e6;
    String t = "";
    if (tika) {
      double tk = s.tika / (double) Math.max(1, s.tikaDocs) / 1e6;
      t = String.format(Locale.ROOT, " %9.2f %12.2fx", tk, jm > 0 ? tk / jm : 0);
    }
    System.out.printf(Locale.ROOT, "%-6s %5d %8.2f %8.2f %8.2f %8.2f %9.2f%s%n", format, s.docs, s.detect / d / 1e6,
        s.convert / d / 1e6, s.markdown / d / 1e6, s.json / d / 1e6, jm, t);
  }

  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static String ext(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "?" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /**
   * Apache Tika from a tika-app jar in its own class loader (its POI, jsoup and commons versions never meet
   * jetmesh's), called through reflection: {@code new Tika(config).parseToString(path)}, text only, like
   * {@code tika-app -t}.
   */
  static final class TikaInProcess {
    private final Object tika;
    private final Method parse;
    private final ClassLoader loader;

    TikaInProcess(Path jar, Path config) throws Exception {
      URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      ClassLoader before = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(loader);
      try {
        Class<?> tikaClass = loader.loadClass("org.apache.tika.Tika");
        if (config != null) {
          Class<?> configClass = loader.loadClass("org.apache.tika.config.TikaConfig");
          Object cfg = configClass.getConstructor(Path.class).newInstance(config);
          tika = tikaClass.getConstructor(configClass).newInstance(cfg);
        } else {
          tika = tikaClass.getConstructor().newInstance();
        }
        tikaClass.getMethod("setMaxStringLength", int.class).invoke(tika, -1);
        parse = tikaClass.getMethod("parseToString", Path.class);
      } finally {
        Thread.currentThread().setContextClassLoader(before);
      }
      this.loader = loader;
    }

    /** Parses with Tika's loader as the context loader (its service lookups), restored after. */
    boolean parse(Path f) {
      Thread t = Thread.currentThread();
      ClassLoader before = t.getContextClassLoader();
      t.setContextClassLoader(loader);
      try {
        Object s = parse.invoke(tika, f);
        return s != null && Files.exists(f);
      } catch (ReflectiveOperationException | RuntimeException e) {
        System.err.println("tika " + f + ": " + e.getMessage());
        return false;
      } finally {
        t.setContextClassLoader(before);
      }
    }
  }
}
