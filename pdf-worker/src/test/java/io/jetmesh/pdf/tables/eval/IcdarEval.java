package io.jetmesh.pdf.tables.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.pdf.tables.PageContent;
import io.jetmesh.pdf.tables.PageWords;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.pdf.tables.TableExtractor;
import io.jetmesh.pdf.tables.TableSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Runs the table extractor over a directory tree of PDFs (the ICDAR 2013 developer set), writes one
 * docling-style {@code <stem>.json} per PDF ({@code tables[].data.table_cells} with spans), then runs the shared
 * scorer {@code score_tables.py} on them and returns its output.
 *
 * <p>Usage: {@code IcdarEval SHARED_DIR [PRED_DIR [PDF_DIR GT_DIR]]} (SHARED_DIR = the {@code ../shared} folder;
 * PDF_DIR and GT_DIR default to {@code corpus/icdar2013}; e.g. {@code corpus/tabula/pdf corpus/tabula/expected}
 * or {@code corpus/docling/pdf corpus/docling/groundtruth}, relative to SHARED_DIR).
 */
public final class IcdarEval {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Result of one run: the scorer's output and the extraction figures. */
  public record Result(String scorerOutput, double adjacencyF1, int pages, long extractNanos, long readNanos) {}

  private IcdarEval() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: IcdarEval SHARED_DIR [PRED_DIR]");
      System.exit(2);
    }
    Path shared = Path.of(args[0]);
    Path pred = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("icdar-pred");
    Path pdfs = shared.resolve(args.length > 3 ? args[2] : "corpus/icdar2013");
    Path gt = shared.resolve(args.length > 3 ? args[3] : "corpus/icdar2013");
    Result r = run(shared, pdfs, gt, pred, TableSettings.DEFAULT);
    System.out.print(r.scorerOutput());
    System.out.printf("pages=%d cpu: read (PDFBox words+rulings)=%.0f ms, table extraction=%.0f ms "
            + "(%.2f ms/page, %.0f pages/s per core; first pass in a cold JVM)%n", r.pages(), r.readNanos() / 1e6,
        r.extractNanos() / 1e6, r.extractNanos() / 1e6 / r.pages(), r.pages() / (r.extractNanos() / 1e9));
    System.out.printf("warm table extraction (5 passes over the pages read once): %.3f ms/page cpu%n",
        warmExtractionMillisPerPage(pdfs, 5));
    System.out.println("predictions in " + pred);
  }

  /**
   * CPU milliseconds per page of {@link TableExtractor#extract} alone, after JIT warm-up: pages are read once,
   * then extracted {@code passes} times; the last pass counts.
   */
  public static double warmExtractionMillisPerPage(Path corpus, int passes) throws IOException {
    List<PageContent> pages = new ArrayList<>();
    try (Stream<Path> s = Files.walk(corpus)) {
      for (Path pdf : s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList()) {
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
          for (int i = 0; i < doc.getNumberOfPages(); i++) {
            pages.add(PageWords.read(doc, i + 1));
          }
        }
      }
    }
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    TableExtractor extractor = new TableExtractor(TableSettings.DEFAULT);
    long last = 0;
    for (int pass = 0; pass < passes; pass++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      for (PageContent page : pages) {
        extractor.extract(page);
      }
      last = cpu.getCurrentThreadCpuTime() - t0;
    }
    return pages.isEmpty() ? 0 : last / 1e6 / pages.size();
  }

  public static Result run(Path shared, Path corpus, Path pred, TableSettings settings)
      throws IOException, InterruptedException {
    return run(shared, corpus, corpus, pred, settings);
  }

  public static Result run(Path shared, Path corpus, Path gt, Path pred, TableSettings settings)
      throws IOException, InterruptedException {
    Files.createDirectories(pred);
    TableExtractor extractor = new TableExtractor(settings);
    List<Path> pdfs;
    try (Stream<Path> s = Files.walk(corpus)) {
      pdfs = s.filter(p -> p.toString().endsWith(".pdf")).sorted().toList();
    }
    // CPU time of this thread, not wall time: the figures stay meaningful on a shared, loaded machine
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    int pages = 0;
    long extractNanos = 0;
    long readNanos = 0;
    for (Path pdf : pdfs) {
      String stem = pdf.getFileName().toString().replaceFirst("\\.pdf$", "");
      List<Table> tables = new ArrayList<>();
      try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
        for (int i = 0; i < doc.getNumberOfPages(); i++) {
          long t0 = cpu.getCurrentThreadCpuTime();
          PageContent page = PageWords.read(doc, i + 1);
          long t1 = cpu.getCurrentThreadCpuTime();
          tables.addAll(extractor.extract(page));
          extractNanos += cpu.getCurrentThreadCpuTime() - t1;
          readNanos += t1 - t0;
          pages++;
        }
      }
      Files.writeString(pred.resolve(stem + ".json"), toDoclingJson(tables), StandardCharsets.UTF_8);
    }
    String out = score(shared, gt, pred);
    return new Result(out, adjF1(out), pages, extractNanos, readNanos);
  }

  /** Tables in the shape of DoclingDocument's {@code tables[].data.table_cells} (what the scorer reads). */
  public static String toDoclingJson(List<Table> tables) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode ts = root.putArray("tables");
    for (Table t : tables) {
      ObjectNode tn = ts.addObject();
      tn.put("page_no", t.pageNo());
      tn.put("method", t.method());
      ObjectNode data = tn.putObject("data");
      data.put("num_rows", t.numRows());
      data.put("num_cols", t.numCols());
      ArrayNode cells = data.putArray("table_cells");
      for (TableCell c : t.cells()) {
        ObjectNode cn = cells.addObject();
        cn.put("start_row_offset_idx", c.row());
        cn.put("end_row_offset_idx", c.row() + c.rowSpan());
        cn.put("start_col_offset_idx", c.col());
        cn.put("end_col_offset_idx", c.col() + c.colSpan());
        cn.put("row_span", c.rowSpan());
        cn.put("col_span", c.colSpan());
        cn.put("column_header", c.columnHeader());
        cn.put("row_header", c.rowHeader());
        cn.put("text", c.text());
      }
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  static String score(Path shared, Path corpus, Path pred) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", shared.resolve("eval/score_tables.py").toString(), pred.toString(),
        corpus.toString()).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IOException("score_tables.py exited with " + rc + ":\n" + out);
    }
    return out;
  }

  static double adjF1(String scorerOutput) {
    for (String line : scorerOutput.split("\n")) {
      if (line.startsWith("SUMMARY")) {
        var m = java.util.regex.Pattern.compile("adjF1=([0-9.]+)").matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
    }
    return Double.NaN;
  }
}
