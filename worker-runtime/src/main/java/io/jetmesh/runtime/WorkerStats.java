package io.jetmesh.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's counters for its status endpoint, health check and stop line. Thread-safe: atomics written by job
 * threads and the watchdog, read by the Services and HTTP endpoints. {@link #recentSecondsPerJob()} is a moving
 * average whose concurrent updates may lose one sample, which an estimate tolerates.
 */
final class WorkerStats {
  final AtomicLong completed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  /** Handlers abandoned after ignoring their time limit (their threads are counted, not waited for). */
  final AtomicInteger stuck = new AtomicInteger();
  final AtomicLong totalRunMillis = new AtomicLong();
  private volatile double recentSecondsPerJob;

  void recordRun(long ms) {
    totalRunMillis.addAndGet(ms);
    double s = ms / 1000.0;
    recentSecondsPerJob = recentSecondsPerJob == 0 ? s : 0.9 * recentSecondsPerJob + 0.1 * s;
  }

  double recentSecondsPerJob() {
    return recentSecondsPerJob;
  }
}
