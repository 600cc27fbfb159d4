package io.jetmesh.runtime;

import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.NamespaceSpec;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time-driven care of running jobs: every {@link #TICK} it writes {@code running} for jobs that have run longer
 * than {@link #RUNNING_STATUS_AFTER} and starts the deadline path of jobs past their time limit; every heartbeat
 * interval it sends {@code inProgress()} for every held job.
 *
 * <p>One periodic task instead of two timer tasks per job: scheduling a task that becomes the head of the timer's
 * queue wakes the timer thread, and on two cores that wake-up competed with every short job's own threads (a p99
 * latency cost).
 *
 * <p>Threads: {@link #tick()} and {@link #heartbeat()} run on the worker's single timer thread, which alone reads
 * and writes each execution's {@code runningStatusDone}/{@code deadlineFired}; {@link #watch}/{@link #unwatch} are
 * called by the job's own thread and publish through the execution's volatile fields. Time comes from the injected
 * {@link Ticker} and the abandon delay from the injected {@link Scheduler}, so tests drive it without sleeping.
 */
final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  /** How long a handler may run past its deadline (after being told) before it is abandoned. */
  static final Duration ABANDON_GRACE = Duration.ofSeconds(3);
  /** How often deadlines and the delayed running status are checked (deadlines fire at most this late). */
  static final Duration TICK = Duration.ofMillis(50);
  /** Jobs still running after this get a {@code running} status record; shorter jobs only get their result. */
  static final Duration RUNNING_STATUS_AFTER = Duration.ofMillis(250);

  private final String workerId;
  private final NamespaceSpec ns;
  private final HeldJobs jobs;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final Executor answerer;
  private final Consumer<Execution> abandon;
  private final AtomicInteger stuck;
  private final BooleanSupplier stopped;

  /**
   * @param answerer runs the abandon path (answering may block on a PubAck; the timer thread must not)
   * @param abandon answers an abandoned job {@code TIMEOUT} and frees its runner and slot
   */
  Watchdog(String workerId, NamespaceSpec ns, HeldJobs jobs, Ticker ticker, Scheduler scheduler, Executor answerer,
      Consumer<Execution> abandon, AtomicInteger stuck, BooleanSupplier stopped) {
    this.workerId = workerId;
    this.ns = ns;
    this.jobs = jobs;
    this.ticker = ticker;
    this.scheduler = scheduler;
    this.answerer = answerer;
    this.abandon = abandon;
    this.stuck = stuck;
    this.stopped = stopped;
  }

  /** The heartbeat interval for a consumer's ack wait: a third of it, at least 200 ms. */
  static Duration heartbeatInterval(Duration ackWait) {
    return Duration.ofMillis(Math.max(200, ackWait.toMillis() / 3));
  }

  /** Called by the job's thread as its handler starts: the watchdog writes the running status and enforces the deadline. */
  void watch(Execution ex) {
    long now = ticker.nanoTime();
    ex.runningStatusDueNanos = now + RUNNING_STATUS_AFTER.toNanos();
    ex.deadlineDueNanos = now + TimeUnit.MILLISECONDS.toNanos(ex.timeoutMillis());
    ex.watched = true;
  }

  /** Called by the job's thread when its handler returned. */
  void unwatch(Execution ex) {
    ex.watched = false;
  }

  /** One watchdog pass over the held jobs. */
  void tick() {
    long now = ticker.nanoTime();
    for (Execution ex : jobs.all()) {
      if (!ex.watched || ex.isFinished()) {
        continue;
      }
      try {
        if (!ex.runningStatusDone && now - ex.runningStatusDueNanos >= 0) {
          ex.runningStatusDone = true;
          ex.host.writeStatus(ex, JobState.RUNNING, null);
        }
        if (!ex.deadlineFired && now - ex.deadlineDueNanos >= 0) {
          ex.deadlineFired = true;
          onDeadline(ex);
        }
      } catch (RuntimeException e) {
        // never let one job end the periodic task (an exception would cancel it, and with it every deadline)
        if (!stopped.getAsBoolean()) {
          LOG.warn("{} - watchdog: job {}: {}", workerId, ex.envelope.id(), e.toString());
        }
      }
    }
  }

  /** At the deadline: tell the handler; if it does not return within the grace period, answer and abandon it. */
  private void onDeadline(Execution ex) {
    ex.timedOut = true;
    scheduler.schedule(() -> {
      if (ex.handlerRunning && !ex.isFinished()) {
        Thread t = ex.runner;
        if (t != null) {
          t.interrupt();
        }
        int n = stuck.incrementAndGet();
        RuntimeMetrics.STUCK.labelValues(ns.name()).set(n);
        LOG.warn("{} - job {} ignored its time limit; answering TIMEOUT and abandoning the handler thread (stuck={}, inFlight={}/{}, delivery={}/{})",
            workerId, ex.envelope.id(), n, jobs.size(), jobs.concurrency(), ex.delivery, ns.limits().maxDeliver());
        // Free the slot so the worker keeps serving; the stuck thread is counted, not waited for.
        answerer.execute(() -> abandon.accept(ex));
      }
    }, ABANDON_GRACE);
  }

  /** Sends {@code inProgress()} for every held, unanswered job, so the server does not redeliver it. */
  void heartbeat() {
    for (Execution ex : jobs.all()) {
      if (!ex.isFinished()) {
        try {
          ex.message.inProgress();
        } catch (RuntimeException e) {
          LOG.debug("{} - heartbeat for {} failed: {}", workerId, ex.envelope.id(), e.toString());
        }
      }
    }
  }
}
