package io.jetmesh.ocr;

import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * Recognises text in one image. Implementations are thread-safe (they pool native instances internally) and
 * {@link AutoCloseable} (native resources). Shared by the PDF worker (pages without a usable text layer) and the
 * image worker ({@code image.process.ocr}).
 */
public interface OcrEngine extends AutoCloseable {
  /** Engine name as used in the {@code engine} option: {@code tesseract}, {@code paddle}. */
  String name();

  /**
   * Recognises {@code image}. With {@link OcrRequest#detectOrientation()} the engine detects a 90/180/270 rotation,
   * reads the upright image, and reports boxes in the coordinates of the upright image together with
   * {@link OcrPage#rotation()}.
   *
   * @throws OcrException when the engine fails (bad language, native error); the message says why
   */
  OcrPage recognize(BufferedImage image, OcrRequest request) throws OcrException;

  /**
   * What runs, for a worker's service info: at least {@code engine}; Tesseract adds {@code version} and
   * {@code languages}, paddle adds {@code models} and {@code device}.
   */
  default Map<String, String> info() {
    return Map.of("engine", name());
  }

  @Override
  void close();
}
