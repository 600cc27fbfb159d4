package io.jetmesh.pdf.formats;

import java.io.IOException;

/**
 * A conversion limit was hit while reading (inflated size, compression ratio, cells). An {@link IOException} so that
 * it passes through the XML and ZIP readers; the converter facade turns it into {@code TOO_LARGE}.
 */
public final class LimitExceededException extends IOException {
  public LimitExceededException(String message) {
    super(message);
  }

  /** The limit exception in {@code t}'s cause chain, or null. */
  public static LimitExceededException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LimitExceededException l) {
        return l;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
