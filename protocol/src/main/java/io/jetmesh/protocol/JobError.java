package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Why a job failed: a closed {@link ErrorCode}, a message a person can act on, whether a retry can help, and,
 * for pipelines, the stage ({@code "text.analyze.embed"}) that failed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobError(ErrorCode code, String message, boolean retryable, String stage) {
  public JobError {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(message, "message == null");
  }

  public static JobError of(ErrorCode code, String message) {
    return new JobError(code, message, code.retryable(), null);
  }

  public JobError withStage(String stage) {
    return new JobError(code, message, retryable, stage);
  }
}
