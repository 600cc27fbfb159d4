package io.jetmesh.gateway;

import java.util.Map;

/**
 * An HTTP error with the JSON body {@code {"error":{"code":...,"message":...}}}. Thrown anywhere in a handler; the
 * gateway's exception mapper turns it into the response, so every error path answers the same shape.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final Long retryAfterSeconds;
  private final transient Map<String, Object> details;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null, null);
  }

  public ApiException(int status, String code, String message, Long retryAfterSeconds, Map<String, Object> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
    this.details = details == null ? Map.of() : Map.copyOf(details);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Seconds for a {@code Retry-After} header, or null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Extra fields of the error object (e.g. {@code known_subjects}). */
  public Map<String, Object> details() {
    return details;
  }
}
