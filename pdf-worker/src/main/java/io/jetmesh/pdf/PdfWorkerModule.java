package io.jetmesh.pdf;

import io.jetmesh.ocr.OcrEngine;
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
  private final Supplier<OcrEngine> ocrFactory;
  private volatile OcrEngine ocr;
  private volatile boolean ocrFailed;

  /** Used by the ServiceLoader: OCR through {@link OcrEngines#tesseract()} when available. */
  public PdfWorkerModule() {
    this(OcrEngines::tesseract);
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
    registry.handle("convert", new ConvertHandler(this::ocr))
        .handle("text", new TextHandler())
        .handle("tables", new TablesHandler())
        .handle("metadata", new MetadataHandler());
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
