package io.jetmesh.pdf;

import io.jetmesh.ocr.OcrEngine;
import java.util.ServiceLoader;

/** Finds the OCR engine of the {@code ocr} module. */
final class OcrEngines {
  private OcrEngines() {}

  /** The Tesseract engine, or null when the OCR module ships none on this classpath. */
  static OcrEngine tesseract() {
    for (OcrEngine e : ServiceLoader.load(OcrEngine.class)) {
      return e;
    }
    return null;
  }
}
