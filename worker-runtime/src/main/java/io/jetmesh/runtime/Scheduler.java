package io.jetmesh.runtime;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay. The one scheduling operation the runtime's pieces need, injected so tests run due
 * tasks by hand against a fake {@link Ticker}; production wraps the worker's single timer thread. Implementations
 * must accept calls from any thread.
 */
interface Scheduler {
  void schedule(Runnable task, Duration delay);

  static Scheduler of(ScheduledExecutorService timer) {
    return (task, delay) -> timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
