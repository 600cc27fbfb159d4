package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * The current state of a job, kept in the {@code jetmesh-status} key-value bucket under the job id (the pipeline's
 * root id for stages). Terminal states are also derivable from the stored {@link JobResult}.
 *
 * @param resultSubject where the result is (or will be) stored, so any process can fetch it by id
 * @param cancelRequested set when a client asked to cancel; a worker that picks the job up answers cancelled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
    int v,
    String id,
    JobState state,
    String subject,
    String resultSubject,
    int attempts,
    String worker,
    Instant submittedAt,
    Instant startedAt,
    Instant updatedAt,
    Instant finishedAt,
    Progress progress,
    JobError error,
    Boolean cancelRequested) {

  public JobStatus {
    Subjects.requireToken(id, "id");
    Objects.requireNonNull(state, "state == null");
  }

  public boolean isCancelRequested() {
    return Boolean.TRUE.equals(cancelRequested);
  }

  public JobStatus withState(JobState newState, Instant now) {
    return toBuilder().state(newState).updatedAt(now).finishedAt(newState.terminal() ? now : finishedAt).build();
  }

  /** A status record of job {@code id} in {@code state}; the other components are set by name. */
  public static Builder builder(String id, JobState state) {
    return new Builder(id, state);
  }

  /** A builder holding every component of this record, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder(id, state);
    b.v = v;
    return b.subject(subject).resultSubject(resultSubject).attempts(attempts).worker(worker).submittedAt(submittedAt)
        .startedAt(startedAt).updatedAt(updatedAt).finishedAt(finishedAt).progress(progress).error(error)
        .cancelRequested(cancelRequested);
  }

  /** Builds a status record by name, so that its four {@code Instant}s cannot be swapped unnoticed. */
  public static final class Builder {
    private int v = Protocol.VERSION;
    private final String id;
    private JobState state;
    private String subject;
    private String resultSubject;
    private int attempts;
    private String worker;
    private Instant submittedAt;
    private Instant startedAt;
    private Instant updatedAt;
    private Instant finishedAt;
    private Progress progress;
    private JobError error;
    private Boolean cancelRequested;

    private Builder(String id, JobState state) {
      this.id = id;
      this.state = state;
    }

    public Builder state(JobState state) {
      this.state = state;
      return this;
    }

    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    public Builder resultSubject(String resultSubject) {
      this.resultSubject = resultSubject;
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder worker(String worker) {
      this.worker = worker;
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

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Builder finishedAt(Instant finishedAt) {
      this.finishedAt = finishedAt;
      return this;
    }

    public Builder progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    public Builder error(JobError error) {
      this.error = error;
      return this;
    }

    /** {@code true} when a client asked to cancel; {@code null} (absent on the wire) otherwise. */
    public Builder cancelRequested(Boolean cancelRequested) {
      this.cancelRequested = cancelRequested;
      return this;
    }

    public JobStatus build() {
      return new JobStatus(v, id, state, subject, resultSubject, attempts, worker, submittedAt, startedAt, updatedAt,
          finishedAt, progress, error, cancelRequested);
    }
  }
}
