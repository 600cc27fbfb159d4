package io.jetmesh.ocr;

import java.util.List;
import java.util.Objects;

/** Creates OCR engines by name; the workers' {@code engine} option takes these names. */
public final class OcrEngines {
  /** Names accepted by {@link #create}. */
  public static final List<String> NAMES = List.of("tesseract", "paddle");

  private OcrEngines() {}

  /**
   * Creates an engine. Creation loads native libraries and models (hundreds of milliseconds); create once per
   * worker and share: engines are thread-safe and pool their native instances.
   *
   * @throws OcrException (UNSUPPORTED) for an unknown name or a platform without the natives
   */
  public static OcrEngine create(String name, OcrSettings settings) throws OcrException {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(settings, "settings == null");
    return switch (name) {
      case "tesseract" -> new TesseractEngine(settings);
      case "paddle" -> new PaddleOcrEngine(settings);
      default -> throw new OcrException(OcrException.Reason.UNSUPPORTED,
          "unknown OCR engine '" + name + "'; known: " + NAMES, null);
    };
  }
}
