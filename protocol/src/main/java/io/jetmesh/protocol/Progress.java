package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How far a running job has come: {@code current} of {@code total} {@code unit}s ("12 of 40 pages"), an optional
 * message, and for pipelines the stage subject.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(long current, long total, String unit, String message, String stage) {
  /** Fraction done in [0, 1], or -1 when the total is unknown. */
  public double fraction() {
    return total <= 0 ? -1 : Math.min(1.0, (double) current / total);
  }
}
