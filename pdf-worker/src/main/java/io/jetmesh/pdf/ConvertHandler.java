package io.jetmesh.pdf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.pdf.docling.DoclingJson;
import io.jetmesh.pdf.docling.DocumentBuilder;
import io.jetmesh.pdf.docling.DocumentModel;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.docling.PageResult;
import io.jetmesh.pdf.layout.PageImage;
import io.jetmesh.pdf.tables.TableExtractor;
import io.jetmesh.pdf.tables.TableSettings;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import io.jetmesh.ocr.OcrPage;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * {@code pdf.docling.convert}: the structured conversion. Output: {@code document} (DoclingDocument JSON, when
 * {@code json} is among {@code to_formats}), {@code markdown}, {@code text}, {@code pages} (pages converted),
 * {@code page_count}, {@code ocr_pages}, {@code images} (artifacts, with {@code include_images}) and
 * {@code warnings} (pages skipped or degraded).
 */
final class ConvertHandler implements JobHandler {
  private static final int MAX_EXTRACTED_IMAGES = 1000;
  private final Supplier<OcrEngine> ocr;
  private final int ocrThreads;

  ConvertHandler(Supplier<OcrEngine> ocr) {
    this(ocr, Runtime.getRuntime().availableProcessors());
  }

  /** @param ocrThreads how many pages of one document are OCR'd at once */
  ConvertHandler(Supplier<OcrEngine> ocr, int ocrThreads) {
    this.ocr = ocr;
    this.ocrThreads = Math.max(1, ocrThreads);
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    PdfOptions opts = PdfOptions.from(ctx.options());
    Path file = ctx.inputFile();
    Conversion conv = convert(ctx, opts, file, ocr, ocrThreads);
    ObjectNode out = Json.object();
    String name = stem(ctx, file);
    DocumentModel model = DocumentBuilder.build(name, filename(ctx, file), hash(file), conv.pages);
    if (opts.formats().contains(PdfOptions.Format.JSON)) {
      out.set("document", DoclingJson.write(model));
    }
    if (opts.formats().contains(PdfOptions.Format.MD)) {
      out.put("markdown", Exporters.markdown(model));
    }
    if (opts.formats().contains(PdfOptions.Format.TEXT)) {
      out.put("text", Exporters.text(model));
    }
    FormatRouter.otherExports(opts, model, out);
    out.put("input_format", "pdf");
    out.put("pages", conv.pages.size());
    out.put("page_count", conv.pageCount);
    ArrayNode ocrPages = out.putArray("ocr_pages");
    conv.pages.stream().filter(p -> "ocr".equals(p.textSource())).forEach(p -> ocrPages.add(p.pageNo()));
    if (opts.includeImages()) {
      out.set("images", conv.images);
    }
    ArrayNode w = out.putArray("warnings");
    conv.warnings.forEach(w::add);
    return HandlerResult.of(out, conv.artifacts);
  }

  /** The result of running every requested page through the analyzer. */
  static final class Conversion {
    final List<PageResult> pages = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final ArrayNode images = Json.mapper().createArrayNode();
    final Map<String, BlobRef> artifacts = new LinkedHashMap<>();
    int pageCount;
  }

  static Conversion convert(JobContext ctx, PdfOptions opts, Path file, Supplier<OcrEngine> ocr, int ocrThreads)
      throws JobException {
    Conversion conv = new Conversion();
    try {
      PdfDocuments.read(file, opts.password(), ctx.scratchDir(), doc -> {
        int[] range = PdfDocuments.pageRange(doc, opts);
        conv.pageCount = doc.getNumberOfPages();
        TableExtractor tables = opts.tables() ? new TableExtractor(new TableSettings(opts.tablesAccurate())) : null;
        OcrEngine engine = opts.ocrMode() == PdfOptions.OcrMode.OFF || ocr == null ? null : ocr.get();
        PageAnalyzer analyzer = new PageAnalyzer(doc, opts, tables, engine).stopWhenCancelled(ctx);
        int total = range[1] - range[0] + 1;
        Set<Object> seenImages = new HashSet<>();
        // OCR (the slow part) runs on a small pool while this thread reads and renders the next pages; results are
        // completed in page order. At most `window` rendered pages wait, which bounds memory.
        ExecutorService pool = engine == null ? null : Executors.newFixedThreadPool(ocrThreads, r -> {
          Thread t = new Thread(r, "pdf-ocr");
          t.setDaemon(true);
          return t;
        });
        int window = Math.max(1, ocrThreads) * 2;
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        Progress progress = new Progress(ctx, total, range[0]);
        try {
          for (int p = range[0]; p <= range[1]; p++) {
            ctx.checkCancelled();
            final int pageNo = p;
            try {
              PageAnalyzer.Prepared prep = PageGuard.run(pageNo, () -> analyzer.prepare(pageNo));
              Future<OcrPage> f = prep.needsOcr() ? pool.submit(() -> analyzer.recognize(prep)) : null;
              pending.add(new Pending(pageNo, prep, f, null));
            } catch (PageGuard.PageFailure e) {
              pending.add(new Pending(pageNo, null, null, e.getMessage()));
            }
            while (!pending.isEmpty() && (pending.size() > window || pending.peek().ready())) {
              complete(ctx, opts, doc, analyzer, pending.poll(), conv, seenImages, progress);
            }
          }
          while (!pending.isEmpty()) {
            complete(ctx, opts, doc, analyzer, pending.poll(), conv, seenImages, progress);
          }
        } finally {
          if (pool != null) {
            pool.shutdownNow();
          }
        }
        int failed = progress.failed;
        String firstFailure = progress.firstFailure;
        if (failed == total) {
          throw JobException.invalidInput("damaged PDF: no page could be read (" + firstFailure + ")");
        }
        return null;
      });
    } catch (OutOfMemoryError e) {
      throw JobException.tooLarge("the PDF needs more memory than this worker has");
    }
    return conv;
  }

  /** A page read (and maybe rendered) whose OCR may still be running. */
  private record Pending(int pageNo, PageAnalyzer.Prepared prepared, Future<OcrPage> ocr, String failure) {
    boolean ready() {
      return ocr == null || ocr.isDone();
    }
  }

  private static final class Progress {
    final JobContext ctx;
    final int total;
    final int first;
    int failed;
    String firstFailure;

    Progress(JobContext ctx, int total, int first) {
      this.ctx = ctx;
      this.total = total;
      this.first = first;
    }
  }

  private static void complete(JobContext ctx, PdfOptions opts, PDDocument doc, PageAnalyzer analyzer, Pending p,
                               Conversion conv, Set<Object> seenImages, Progress progress) throws JobException {
    if (p.failure() != null) {
      progress.failed++;
      progress.firstFailure = progress.firstFailure == null ? p.failure() : progress.firstFailure;
      conv.warnings.add(p.failure());
      float[] size = safeSize(doc, p.pageNo());
      conv.pages.add(PageResult.empty(p.pageNo(), size[0], size[1], "none"));
    } else {
      OcrPage op = p.ocr() == null ? null : await(ctx, p.ocr());
      PageAnalyzer.Outcome o = analyzer.finish(p.prepared(), op);
      conv.pages.add(o.result());
      conv.warnings.addAll(o.warnings());
      if (opts.includeImages()) {
        extractImages(ctx, opts, p.pageNo(), o.images(), seenImages, conv);
      }
    }
    ctx.progress(p.pageNo() - progress.first + 1, progress.total, "pages", null);
  }

  private static OcrPage await(JobContext ctx, Future<OcrPage> f) throws JobException {
    while (true) {
      ctx.checkCancelled();
      try {
        return f.get(500, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // keep waiting, checking cancellation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobException(io.jetmesh.protocol.ErrorCode.CANCELLED, "interrupted while waiting for OCR");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof JobException je) {
          throw je;
        }
        throw new JobException(io.jetmesh.protocol.ErrorCode.INTERNAL, "OCR failed: " + e.getCause(), e.getCause());
      }
    }
  }

  private static float[] safeSize(PDDocument doc, int pageNo) {
    try {
      var box = doc.getPage(pageNo - 1).getCropBox();
      return new float[] {box.getWidth(), box.getHeight()};
    } catch (RuntimeException e) {
      return new float[] {612f, 792f};
    }
  }

  private static void extractImages(JobContext ctx, PdfOptions opts, int pageNo, List<PageImage> images,
                                    Set<Object> seen, Conversion conv) throws JobException {
    int i = 0;
    for (PageImage im : images) {
      if (!(im.image() instanceof PDImageXObject x) || !seen.add(x.getCOSObject())) {
        continue;
      }
      if (conv.images.size() >= MAX_EXTRACTED_IMAGES) {
        conv.warnings.add("more than " + MAX_EXTRACTED_IMAGES + " images; the rest were not extracted");
        return;
      }
      if (im.pixels() > opts.maxImagePixels()) {
        throw JobException.tooLarge("page " + pageNo + " has an image of " + im.pixelWidth() + " x "
            + im.pixelHeight() + " pixels, more than the limit of " + opts.maxImagePixels() + " pixels");
      }
      if (im.x1() - im.x0() < 12 || im.y1() - im.y0() < 12) {
        continue;
      }
      try {
        BufferedImage bi = x.getImage();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(bi, "png", bytes);
        String name = "images/page-" + pageNo + "-" + (++i) + ".png";
        BlobRef ref = ctx.putArtifact(name, bytes.toByteArray(), "image/png");
        conv.artifacts.put(name, ref);
        ObjectNode o = conv.images.addObject();
        o.put("page_no", pageNo);
        o.put("name", name);
        o.put("width", bi.getWidth());
        o.put("height", bi.getHeight());
        o.set("bbox", Json.object().put("l", im.x0()).put("t", im.y0()).put("r", im.x1()).put("b", im.y1())
            .put("coord_origin", "TOPLEFT"));
        o.set("artifact", Json.mapper().valueToTree(ref));
      } catch (IOException | RuntimeException e) {
        conv.warnings.add("page " + pageNo + ": an image could not be decoded (" + e.getMessage() + ")");
      }
    }
  }

  static String stem(JobContext ctx, Path file) {
    String f = filename(ctx, file);
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  static String filename(JobContext ctx, Path file) {
    String n = ctx.options().path("filename").asText(null);
    if (n == null || n.isBlank()) {
      n = file.getFileName().toString();
    }
    return n;
  }

  static BigInteger hash(Path file) throws JobException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return new BigInteger(1, Arrays.copyOf(md.digest(), 8));
    } catch (IOException e) {
      throw JobException.notFound("cannot read the input file: " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
