package io.jetmesh.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A progress report while a job runs, published (not stored) on {@code jetmesh.progress.<client>.<id>}. A client
 * that misses events can read the latest progress from {@link JobStatus#progress()}.
 */
public record ProgressEvent(int v, String id, Progress progress, String worker, int attempt, Instant ts) {
  public ProgressEvent {
    Subjects.requireToken(id, "id");
    Objects.requireNonNull(progress, "progress == null");
  }
}
