package io.jetmesh.ocr;

/** OCR failed; {@link #retryable()} tells whether another attempt could succeed (a native resource was busy). */
public class OcrException extends Exception {
  private final boolean retryable;

  public OcrException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
