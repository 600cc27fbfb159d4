package io.jetmesh.runtime;

import io.jetmesh.client.internal.Backoff;
import io.jetmesh.client.internal.Retry;
import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls jobs: asks the durable consumer for exactly as many messages as there are free slots, so nothing piles up
 * unheartbeated in a client buffer, and hands each message to the job pool. A failing fetch is retried with a
 * doubling {@link Backoff}; a message fetched while stopping is handed back at once.
 *
 * <p>Runs on its own thread ({@code <worker id>-fetch}), the only one that takes slots; {@link #run()} returns when
 * the worker stops or drains, or the thread is interrupted.
 */
final class FetchLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final Duration FETCH_EXPIRY = Duration.ofSeconds(2);
  private static final int MAX_FETCH = 256;
  static final Backoff FETCH_BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));

  private final String workerId;
  private final String consumerName;
  private final ConsumerContext consumer;
  private final HeldJobs jobs;
  private final Consumer<Message> dispatch;
  private final BooleanSupplier stopping;
  private final Retry.Sleeper sleeper;

  /**
   * @param dispatch runs a fetched message (on the job pool); called on the fetch thread, so it must not block
   * @param stopping true once the worker stops or drains
   * @param sleeper waits out the backoff after a failed fetch ({@code Thread.sleep} in production)
   */
  FetchLoop(String workerId, String consumerName, ConsumerContext consumer, HeldJobs jobs, Consumer<Message> dispatch,
      BooleanSupplier stopping, Retry.Sleeper sleeper) {
    this.workerId = workerId;
    this.consumerName = consumerName;
    this.consumer = consumer;
    this.jobs = jobs;
    this.dispatch = dispatch;
    this.stopping = stopping;
    this.sleeper = sleeper;
  }

  @Override
  public void run() {
    int failures = 0;
    while (!stopping.getAsBoolean()) {
      int want;
      try {
        want = jobs.takeFreeSlots(500, MAX_FETCH);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (want == 0) {
        continue;
      }
      int got = 0;
      try {
        FetchConsumer fc = consumer.fetch(FetchConsumeOptions.builder().maxMessages(want)
            .expiresIn(FETCH_EXPIRY.toMillis()).build());
        Message m;
        while ((m = fc.nextMessage()) != null) {
          got++;
          if (stopping.getAsBoolean()) {
            Settler.handBack(m);
            jobs.returnSlots(1);
            continue;
          }
          dispatch.accept(m);
        }
        failures = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        jobs.returnSlots(want - got);
        return;
      } catch (Exception e) {
        if (!stopping.getAsBoolean()) {
          Duration backoff = FETCH_BACKOFF.delay(failures++);
          LOG.warn("{} - fetch from {} failed: {}; retrying in {}ms", workerId, consumerName, e.getMessage(),
              backoff.toMillis());
          try {
            sleeper.sleep(backoff);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
        }
      }
      jobs.returnSlots(want - got);
    }
  }
}
