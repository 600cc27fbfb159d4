package io.jetmesh.ocr;

import java.util.Objects;

/**
 * What to recognise and how.
 *
 * @param languages Tesseract-style language list, e.g. {@code eng} or {@code eng+deu}
 * @param dpi resolution of the image (Tesseract uses it for size heuristics); 300 for rendered PDF pages
 * @param detectOrientation detect and correct 90/180/270 rotation before recognising
 * @param deskew straighten small skews before recognising
 * @param binarize binarise before recognising (helps low-contrast scans)
 */
public record OcrRequest(String languages, int dpi, boolean detectOrientation, boolean deskew, boolean binarize) {
  public static final OcrRequest DEFAULT = new OcrRequest("eng", 300, true, false, false);

  public OcrRequest {
    Objects.requireNonNull(languages, "languages == null");
    if (!languages.matches("[A-Za-z_]+(\\+[A-Za-z_]+)*")) {
      throw new IllegalArgumentException("languages must look like eng or eng+deu: '" + languages + "'");
    }
    if (dpi < 50 || dpi > 1200) {
      throw new IllegalArgumentException("dpi must be 50..1200: " + dpi);
    }
  }

  public OcrRequest withLanguages(String langs) {
    return new OcrRequest(langs, dpi, detectOrientation, deskew, binarize);
  }

  public OcrRequest withDpi(int newDpi) {
    return new OcrRequest(languages, newDpi, detectOrientation, deskew, binarize);
  }
}
