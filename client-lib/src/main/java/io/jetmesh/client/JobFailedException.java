package io.jetmesh.client;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import java.util.Objects;

/**
 * The mesh answered, and the answer is that the job failed ({@code failed}, {@code dead} or {@code cancelled}).
 * Carries the job id, the error code and message, and the whole stored result.
 */
public class JobFailedException extends Exception {
  private final JobResult result;

  public JobFailedException(JobResult result) {
    super(describe(result));
    this.result = Objects.requireNonNull(result, "result == null");
  }

  private static String describe(JobResult r) {
    JobError e = r.error();
    return "job " + r.id() + " " + r.status().wire() + ": " + (e == null ? "no error given"
        : e.code() + (e.stage() != null ? " in stage " + e.stage() : "") + ": " + e.message());
  }

  public String jobId() {
    return result.id();
  }

  public ErrorCode code() {
    return result.error().code();
  }

  public String errorMessage() {
    return result.error().message();
  }

  public JobState status() {
    return result.status();
  }

  public boolean retryable() {
    return result.error().retryable();
  }

  public JobResult result() {
    return result;
  }
}
