package io.jetmesh.ocr;

import java.util.Objects;

/**
 * OCR failed. {@link #reason()} says why in a form a worker can map to an error code; {@link #retryable()} tells
 * whether another attempt could succeed (the engine was busy or interrupted).
 */
public class OcrException extends Exception {
  /** Why OCR failed. */
  public enum Reason {
    /** The request asks for something this installation lacks (a language without traineddata, an engine). */
    UNSUPPORTED,
    /** The image cannot be processed (empty, too large for the engine). */
    INVALID_IMAGE,
    /** Interrupted or timed out waiting for a free engine instance; may succeed later. */
    UNAVAILABLE,
    /** The native engine failed. */
    ENGINE_FAILURE
  }

  private final boolean retryable;
  private final Reason reason;

  public OcrException(String message, boolean retryable, Throwable cause) {
    this(retryable ? Reason.UNAVAILABLE : Reason.ENGINE_FAILURE, message, cause);
  }

  public OcrException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.retryable = reason == Reason.UNAVAILABLE;
  }

  public boolean retryable() {
    return retryable;
  }

  public Reason reason() {
    return reason;
  }
}
