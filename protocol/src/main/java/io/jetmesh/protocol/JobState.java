package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a job as seen through {@code status(jobId)}. Wire form is lower case ({@code "queued"}). */
public enum JobState {
  /** Stored in its service stream, not yet picked up by a worker. */
  QUEUED,
  /** A worker is running it (attempts and progress say more). */
  RUNNING,
  /** Finished with a result. Terminal. */
  COMPLETED,
  /** Finished with a failure that retrying cannot fix. Terminal. */
  FAILED,
  /** Failed on every allowed delivery; a dead-letter record exists and can be replayed. Terminal until replayed. */
  DEAD,
  /** Cancelled by a client. Terminal. */
  CANCELLED;

  public boolean terminal() {
    return this != QUEUED && this != RUNNING;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static JobState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
