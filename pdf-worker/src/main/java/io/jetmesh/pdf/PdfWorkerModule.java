package io.jetmesh.pdf;

import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrEngines;
import io.jetmesh.ocr.OcrException;
import io.jetmesh.ocr.OcrSettings;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.WorkerModule;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pdf} namespace ({@code pdf.docling.*}): {@code convert}, {@code text}, {@code tables},
 * {@code metadata}. The OCR engine is created on first use (only jobs with pages lacking a text layer pay for it) and
 * closed with the module.
 */
public final class PdfWorkerModule implements WorkerModule {
  private static final Logger LOG = LoggerFactory.getLogger(PdfWorkerModule.class);
  private volatile Supplier<OcrEngine> ocrFactory;
  private volatile OcrEngine ocr;
  private volatile boolean ocrFailed;

  /** Used by the ServiceLoader: Tesseract OCR from the {@code ocr} module, created on first use. */
  public PdfWorkerModule() {
    this(null);
  }

  /** @param ocrFactory creates the OCR engine on first use; may return null (no OCR on this worker) */
  public PdfWorkerModule(Supplier<OcrEngine> ocrFactory) {
    this.ocrFactory = ocrFactory;
  }

  @Override
  public String namespace() {
    return "pdf";
  }

  @Override
  public void register(HandlerRegistry registry) {
    WorkerEnvironment env = registry.environment();
    int threads = Math.max(1, env.concurrency());
    if (ocrFactory == null) {
      OcrSettings s = OcrSettings.DEFAULT.newBuilder().poolSize(threads).cacheDir(env.cacheDir().resolve("ocr"))
          .build();
      ocrFactory = () -> {
        try {
          return OcrEngines.create("tesseract", s);
        } catch (OcrException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      };
    }
    // every operation takes every served input type: PDFs go to the PDF handlers, the rest through the converters
    registry.handle("convert", FormatRouter.route("convert", new ConvertHandler(this::ocr, threads), this::ocr))
        .handle("text", FormatRouter.route("text", new TextHandler(), this::ocr))
        .handle("tables", FormatRouter.route("tables", new TablesHandler(), this::ocr))
        .handle("metadata", FormatRouter.route("metadata", new MetadataHandler(), this::ocr));
  }

  private OcrEngine ocr() {
    if (ocr == null && !ocrFailed) {
      synchronized (this) {
        if (ocr == null && !ocrFailed) {
          try {
            ocr = ocrFactory.get();
          } catch (RuntimeException | LinkageError e) {
            LOG.warn("OCR engine unavailable, pages without text layer will stay empty: {}", e.toString());
          }
          ocrFailed = ocr == null;
        }
      }
    }
    return ocr;
  }

  @Override
  public Map<String, String> serviceMetadata() {
    return Map.of("engine", "pdfbox-3", "ocr", ocrFailed ? "none" : "tesseract");
  }

  @Override
  public void close() {
    OcrEngine o = ocr;
    if (o != null) {
      o.close();
    }
  }
}
