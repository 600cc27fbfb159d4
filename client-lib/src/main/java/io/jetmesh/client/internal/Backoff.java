package io.jetmesh.client.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * A doubling delay with a ceiling: retry 0 waits {@code initial}, retry n waits {@code initial x 2^n}, never more
 * than {@code max}. The one backoff of the mesh's transport retries (worker fetch and result publish, client publish
 * and lookups); job redelivery has its own per-namespace list in {@code namespaces.yaml}.
 *
 * <p>Immutable; shared freely.
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    Objects.requireNonNull(initial, "initial == null");
    Objects.requireNonNull(max, "max == null");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be > 0: " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max (" + max + ") < initial (" + initial + ")");
    }
  }

  public static Backoff doubling(Duration initial, Duration max) {
    return new Backoff(initial, max);
  }

  /** The delay before retry {@code retry} (0-based). */
  public Duration delay(int retry) {
    if (retry < 0) {
      throw new IllegalArgumentException("retry must be >= 0: " + retry);
    }
    long initialMs = initial.toMillis();
    long maxMs = max.toMillis();
    // shift no further than needed to pass the ceiling, so a long retry count cannot overflow
    long ms = initialMs;
    for (int i = 0; i < retry && ms < maxMs; i++) {
      ms *= 2;
    }
    return Duration.ofMillis(Math.min(ms, maxMs));
  }
}
