package io.jetmesh.protocol;

/**
 * The closed set of failure codes that cross the wire. A worker picks one; the runtime decides from
 * {@link #retryable()} whether the job is redelivered (with backoff) or answered as failed at once.
 *
 * <p>The JSON form is the constant name ({@code "INVALID_INPUT"}). Clients in other languages must treat an
 * unknown code as {@link #INTERNAL}: the set may grow in a later protocol version.
 */
public enum ErrorCode {
  /** The input is malformed, damaged or violates the operation's contract. Retrying cannot help. */
  INVALID_INPUT(false),
  /** The input reference points at nothing (no such object, bucket or key). */
  INPUT_NOT_FOUND(false),
  /** The operation, format or option is not supported by this service (encrypted without password, unknown language...). */
  UNSUPPORTED(false),
  /** The input exceeds a size, page, pixel or payload limit. */
  TOO_LARGE(false),
  /** The job ran past its time limit. */
  TIMEOUT(false),
  /** The job was cancelled by a client. */
  CANCELLED(false),
  /** A dependency (blob store, model, NATS) is temporarily unavailable. The runtime retries with backoff. */
  UNAVAILABLE(true),
  /** An unexpected error inside the worker (a bug). Retried a bounded number of times, then dead-lettered. */
  INTERNAL(true);

  private final boolean retryable;

  ErrorCode(boolean retryable) {
    this.retryable = retryable;
  }

  /** Whether a later attempt of the same job can succeed; decides nak-with-backoff versus an immediate failed result. */
  public boolean retryable() {
    return retryable;
  }

  /** Parses a wire code; unknown codes from a newer peer map to {@link #INTERNAL}. */
  public static ErrorCode fromWire(String code) {
    if (code == null) {
      return INTERNAL;
    }
    try {
      return valueOf(code);
    } catch (IllegalArgumentException e) {
      return INTERNAL;
    }
  }
}
