package io.jetmesh.worker;

import io.jetmesh.protocol.ErrorCode;
import java.util.Objects;

/**
 * A handler's way to say why a job failed. The {@link ErrorCode} decides what the runtime does: retryable codes are
 * redelivered with backoff (then dead-lettered), the rest are answered as {@code failed} at once.
 */
public class JobException extends Exception {
  private final ErrorCode code;
  private final boolean retryable;

  public JobException(ErrorCode code, String message) {
    this(code, message, code.retryable(), null);
  }

  public JobException(ErrorCode code, String message, Throwable cause) {
    this(code, message, code.retryable(), cause);
  }

  public JobException(ErrorCode code, String message, boolean retryable, Throwable cause) {
    super(Objects.requireNonNull(message, "message == null"), cause);
    this.code = Objects.requireNonNull(code, "code == null");
    this.retryable = retryable;
  }

  public ErrorCode code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }

  public static JobException invalidInput(String message) {
    return new JobException(ErrorCode.INVALID_INPUT, message);
  }

  public static JobException invalidInput(String message, Throwable cause) {
    return new JobException(ErrorCode.INVALID_INPUT, message, cause);
  }

  public static JobException unsupported(String message) {
    return new JobException(ErrorCode.UNSUPPORTED, message);
  }

  public static JobException tooLarge(String message) {
    return new JobException(ErrorCode.TOO_LARGE, message);
  }

  public static JobException unavailable(String message, Throwable cause) {
    return new JobException(ErrorCode.UNAVAILABLE, message, cause);
  }

  public static JobException notFound(String message) {
    return new JobException(ErrorCode.INPUT_NOT_FOUND, message);
  }
}
