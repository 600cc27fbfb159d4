package io.jetmesh.image.transform;

import io.jetmesh.worker.JobException;
import java.util.Locale;

/** Formats the worker writes. WebP is read-only: no maintained Java ImageIO plugin on Maven Central writes it. */
public enum OutputFormat {
  PNG("png", "image/png"),
  JPEG("jpg", "image/jpeg"),
  TIFF("tiff", "image/tiff"),
  BMP("bmp", "image/bmp");

  private final String extension;
  private final String contentType;

  OutputFormat(String extension, String contentType) {
    this.extension = extension;
    this.contentType = contentType;
  }

  public String extension() {
    return extension;
  }

  public String contentType() {
    return contentType;
  }

  /** The ImageIO writer format name. */
  public String writerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OutputFormat parse(String s) throws JobException {
    String v = s.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "png" -> PNG;
      case "jpeg", "jpg" -> JPEG;
      case "tiff", "tif" -> TIFF;
      case "bmp" -> BMP;
      case "webp" -> throw JobException.unsupported("writing WebP is not available: the TwelveMonkeys WebP plugin "
          + "reads WebP only; ask for png, jpeg, tiff or bmp");
      default -> throw JobException.invalidInput("format must be png, jpeg, tiff or bmp: '" + s + "'");
    };
  }
}
