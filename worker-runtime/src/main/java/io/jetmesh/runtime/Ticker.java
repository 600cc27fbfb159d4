package io.jetmesh.runtime;

import java.time.Instant;

/**
 * The runtime's time source: a monotonic nanosecond reading for deadlines, heartbeats and throttles, and the wall
 * clock for the timestamps that cross the wire. Injected so tests advance time instead of sleeping (Caffeine's
 * {@code Ticker}); production uses {@link #SYSTEM}. Implementations must be thread-safe: every runtime thread reads it.
 */
interface Ticker {
  /** Monotonic nanoseconds (only differences mean anything), as {@link System#nanoTime()}. */
  long nanoTime();

  /** The wall-clock time for records on the wire ({@code started_at}, {@code finished_at}). */
  Instant now();

  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant now() {
      return Instant.now();
    }
  };
}
