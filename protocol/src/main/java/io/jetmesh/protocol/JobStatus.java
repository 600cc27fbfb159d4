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
    return new JobStatus(v, id, newState, subject, resultSubject, attempts, worker, submittedAt, startedAt, now,
        newState.terminal() ? now : finishedAt, progress, error, cancelRequested);
  }
}
