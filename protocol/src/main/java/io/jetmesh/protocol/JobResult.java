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
}
