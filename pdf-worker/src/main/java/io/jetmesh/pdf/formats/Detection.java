package io.jetmesh.pdf.formats;

/**
 * What {@link FormatDetector} found: the type, the media type to report (an {@code .xlsm} is an XLSX with macros)
 * and the evidence, for messages ("ZIP with word/document.xml").
 */
public record Detection(InputFormat format, String mimetype, String evidence) {
  public static Detection of(InputFormat format, String evidence) {
    return new Detection(format, format.mimetype(), evidence);
  }
}
