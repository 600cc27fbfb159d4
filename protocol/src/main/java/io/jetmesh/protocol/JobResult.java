package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The durable answer to a job, stored on {@code jetmesh.results.<client>.<id>} in the results stream for the
 * configured time. Exactly one of {@code output}, {@code outputRef} and {@code error} describes the outcome:
 * {@code status=completed} carries {@code output} (inline JSON) or {@code outputRef} (the output JSON stored in the
 * blob store because it was too large for a message); {@code failed}, {@code dead} and {@code cancelled} carry
 * {@code error}.
 *
 * @param artifacts extra named outputs in the blob store (thumbnails, extracted images, CSV files)
 * @param stages for a pipeline, each finished stage in order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(
    int v,
    String id,
    String subject,
    JobState status,
    JsonNode output,
    BlobRef outputRef,
    Map<String, BlobRef> artifacts,
    JobError error,
    String worker,
    int attempts,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    List<StageSummary> stages) {

  public JobResult {
    Subjects.requireToken(id, "id");
    Objects.requireNonNull(status, "status == null");
    if (!status.terminal()) {
      throw new IllegalArgumentException("a result needs a terminal status, not " + status.wire());
    }
    if (status == JobState.COMPLETED && error != null) {
      throw new IllegalArgumentException("a completed result carries no error");
    }
    if (status != JobState.COMPLETED && error == null) {
      throw new IllegalArgumentException("a " + status.wire() + " result needs an error");
    }
    artifacts = artifacts == null || artifacts.isEmpty() ? null : Map.copyOf(artifacts);
    stages = stages == null || stages.isEmpty() ? null : List.copyOf(stages);
  }

  public boolean succeeded() {
    return status == JobState.COMPLETED;
  }

  /** A {@code completed} result of job {@code id} on {@code subject}; set its output (or output ref) on the builder. */
  public static Builder completed(String id, String subject) {
    return new Builder(id, subject, JobState.COMPLETED, null);
  }

  /** A {@code failed} result: the job cannot succeed (permanent error). */
  public static Builder failed(String id, String subject, JobError error) {
    return ended(JobState.FAILED, id, subject, error);
  }

  /** A {@code cancelled} result. */
  public static Builder cancelled(String id, String subject, JobError error) {
    return ended(JobState.CANCELLED, id, subject, error);
  }

  /** A {@code dead} result: retries were used up and the job was dead-lettered. */
  public static Builder dead(String id, String subject, JobError error) {
    return ended(JobState.DEAD, id, subject, error);
  }

  /** An unsuccessful result in the terminal {@code state} ({@code failed}, {@code cancelled} or {@code dead}). */
  public static Builder ended(JobState state, String id, String subject, JobError error) {
    Objects.requireNonNull(error, "error == null");
    if (state == JobState.COMPLETED) {
      throw new IllegalArgumentException("a completed result is built with completed(...)");
    }
    return new Builder(id, subject, state, error);
  }

  /** A builder holding every component of this result, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(id, subject, status, error);
    b.v = v;
    return b.output(output).outputRef(outputRef).artifacts(artifacts).worker(worker).attempts(attempts)
        .submittedAt(submittedAt).startedAt(startedAt).finishedAt(finishedAt).stages(stages);
  }

  /**
   * Builds a result by name, so that two {@code Instant}s or two references cannot be swapped unnoticed. The record's
   * own checks (terminal status, error iff not completed) run in {@link #build()}.
   */
  public static final class Builder {
    private int v = Protocol.VERSION;
    private final String id;
    private final String subject;
    private final JobState status;
    private final JobError error;
    private JsonNode output;
    private BlobRef outputRef;
    private Map<String, BlobRef> artifacts;
    private String worker;
    private int attempts;
    private Instant submittedAt;
    private Instant startedAt;
    private Instant finishedAt;
    private List<StageSummary> stages;

    private Builder(String id, String subject, JobState status, JobError error) {
      this.id = id;
      this.subject = subject;
      this.status = status;
      this.error = error;
    }

    /** Inline output JSON. */
    public Builder output(JsonNode output) {
      this.output = output;
      return this;
    }

    /** The output JSON stored in the blob store (too large for a message). */
    public Builder outputRef(BlobRef outputRef) {
      this.outputRef = outputRef;
      return this;
    }

    public Builder artifacts(Map<String, BlobRef> artifacts) {
      this.artifacts = artifacts;
      return this;
    }

    /** The id of the worker that answered. */
    public Builder worker(String worker) {
      this.worker = worker;
      return this;
    }

    /** Deliveries used, counting this one. */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder submittedAt(Instant submittedAt) {
      this.submittedAt = submittedAt;
      return this;
    }

    public Builder startedAt(Instant startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Builder finishedAt(Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    /** For a pipeline, each finished stage in order. */
    public Builder stages(List<StageSummary> stages) {
      this.stages = stages;
      return this;
    }

    public JobResult build() {
      return new JobResult(v, id, subject, status, output, outputRef, artifacts, error, worker, attempts, submittedAt,
          startedAt, finishedAt, stages);
    }
  }
}
