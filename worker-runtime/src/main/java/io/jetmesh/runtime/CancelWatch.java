package io.jetmesh.runtime;

import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cancellation requests: watches the cancel bucket, marks a held job whose key ({@code <client>.<job id>}) is
 * requested, and remembers requests for jobs not held yet so that they are answered {@code cancelled} before they
 * start. Requests older than the result TTL are forgotten (a job that old has its answer).
 *
 * <p>Thread-safe: the KV watcher's thread calls {@link #onRequest}, job threads call {@link #isRequested}, the timer
 * calls {@link #purge}; the requests live in a concurrent map and the mark is the execution's volatile flag.
 */
final class CancelWatch {
  private final String workerId;
  private final HeldJobs jobs;
  private final Ticker ticker;
  private final Duration remember;
  private final Map<String, Long> requests = new ConcurrentHashMap<>();

  /** @param remember how long a request is kept (the mesh's result TTL) */
  CancelWatch(String workerId, HeldJobs jobs, Ticker ticker, Duration remember) {
    this.workerId = workerId;
    this.jobs = jobs;
    this.ticker = ticker;
    this.remember = remember;
  }

  /** Starts watching {@link Subjects#CANCEL_BUCKET} (its current keys first, then live updates). */
  void start(Connection connection) throws WorkerStartException {
    try {
      connection.keyValue(Subjects.CANCEL_BUCKET).watchAll(new KeyValueWatcher() {
        @Override
        public void watch(KeyValueEntry entry) {
          if (entry.getOperation() == KeyValueOperation.PUT) {
            onRequest(entry.getKey());
          }
        }

        @Override
        public void endOfData() {
          // initial values delivered; live updates follow
        }
      });
    } catch (IOException | JetStreamApiException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new WorkerStartException(workerId + " - cannot watch the cancel bucket " + Subjects.CANCEL_BUCKET
          + " (run 'jetmesh provision'): " + e.getMessage(), e);
    }
  }

  /** A cancel request for {@code key} ({@code <client>.<job id>}): remembered, and a held job with that key is told. */
  void onRequest(String key) {
    requests.put(key, ticker.now().toEpochMilli());
    for (Execution ex : jobs.all()) {
      if (Subjects.jobKey(ex.envelope.client(), ex.envelope.reportId()).equals(key)) {
        ex.cancelRequested = true;
        ex.log().info("cancel requested");
      }
    }
  }

  boolean isRequested(String key) {
    return requests.containsKey(key);
  }

  /** Forgets requests older than the result TTL. */
  void purge() {
    long cutoff = ticker.now().toEpochMilli() - remember.toMillis();
    requests.values().removeIf(t -> t < cutoff);
  }

  int size() {
    return requests.size();
  }
}
