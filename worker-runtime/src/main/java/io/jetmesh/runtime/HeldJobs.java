package io.jetmesh.runtime;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The jobs this worker holds and the two bounds on them: {@code slots} (running plus fetched ahead, what the fetch
 * loop may ask for) and {@code runners} (handlers running at once).
 *
 * <p>Thread-safe: the fetch thread takes slots, job threads add, run and release executions, the watchdog and the
 * cancel watch read them. Each execution's permits are returned exactly once through its own guards, whichever
 * thread (its job thread, or the abandon path for a stuck handler) gets there first.
 */
final class HeldJobs {
  private final Map<String, Execution> held = new ConcurrentHashMap<>();
  private final Semaphore slots;
  private final Semaphore runners;
  private final int concurrency;
  private final int capacity;
  private final Runnable onSizeChange;

  HeldJobs(int concurrency, int prefetch, Runnable onSizeChange) {
    this.concurrency = concurrency;
    this.capacity = concurrency + prefetch;
    this.slots = new Semaphore(capacity);
    this.runners = new Semaphore(concurrency);
    this.onSizeChange = onSizeChange;
  }

  /**
   * Waits up to {@code waitMs} for a free slot and takes it together with every other free one, at most {@code max}.
   *
   * @return the number of slots taken (0 if none became free)
   */
  int takeFreeSlots(long waitMs, int max) throws InterruptedException {
    if (!slots.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
      return 0;
    }
    int want = 1 + slots.drainPermits();
    if (want > max) {
      slots.release(want - max);
      want = max;
    }
    return want;
  }

  /** Returns slots taken for messages that never became executions. */
  void returnSlots(int n) {
    if (n > 0) {
      slots.release(n);
    }
  }

  void add(Execution ex) {
    held.put(ex.key(), ex);
    onSizeChange.run();
  }

  /** Waits for a runner permit; the caller must {@link #releaseRunner} it. */
  void acquireRunner() throws InterruptedException {
    runners.acquire();
  }

  /** Returns the execution's runner permit exactly once (its own thread, or the abandon path for a stuck handler). */
  void releaseRunner(Execution ex) {
    if (ex.markRunnerReleased()) {
      runners.release();
    }
  }

  /** Forgets the execution, deletes its scratch directory and frees its slot, exactly once. */
  void release(Execution ex) {
    if (ex.markReleased()) {
      held.remove(ex.key());
      onSizeChange.run();
      ex.cleanup();
      slots.release();
    }
  }

  Collection<Execution> all() {
    return held.values();
  }

  int size() {
    return held.size();
  }

  boolean isEmpty() {
    return held.isEmpty();
  }

  /** Handlers running now. */
  int running() {
    return concurrency - runners.availablePermits();
  }

  int concurrency() {
    return concurrency;
  }

  /** Running plus fetched ahead at most. */
  int capacity() {
    return capacity;
  }
}
