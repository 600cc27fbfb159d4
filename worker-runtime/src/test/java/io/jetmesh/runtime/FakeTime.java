package io.jetmesh.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Ticker} that moves only when told, and a {@link Scheduler} whose tasks run when that time passes their due
 * time ({@link #advance}): the runtime's time-driven parts tested in microseconds, with no sleeps (Caffeine's
 * {@code FakeTicker}). Single-threaded by design: tests call everything from the test thread.
 */
final class FakeTime implements Ticker, Scheduler {
  private long nanos = 1_000_000_000L; // not zero: the runtime only uses differences
  private Instant wall = Instant.parse("2026-01-01T00:00:00Z");
  private final List<Due> tasks = new ArrayList<>();

  private record Due(long atNanos, long order, Runnable task) {
  }

  private long order;

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return wall;
  }

  @Override
  public void schedule(Runnable task, Duration delay) {
    tasks.add(new Due(nanos + delay.toNanos(), order++, task));
  }

  /** Moves time forward and runs every task that became due, in due order. */
  void advance(Duration d) {
    nanos += d.toNanos();
    wall = wall.plus(d);
    while (true) {
      Due next = tasks.stream().filter(t -> t.atNanos - nanos <= 0)
          .min(Comparator.comparingLong(Due::atNanos).thenComparingLong(Due::order)).orElse(null);
      if (next == null) {
        return;
      }
      tasks.remove(next);
      next.task.run();
    }
  }

  int pendingTasks() {
    return tasks.size();
  }
}
