package io.jetmesh.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.BlobClient;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobException;
import io.nats.client.Message;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a delivery: carries out the {@link Settlement} decision for its outcome (store the result, then ack, nak
 * with delay, terminate, or dead-letter) exactly once per delivery, and hands the job back when its answer could not
 * be stored.
 *
 * <p>Thread-safe: stateless beyond its thread-safe collaborators and counters; called from job threads and from the
 * watchdog's abandon path, with {@link Execution#markFinished()} deciding which caller answers.
 */
final class Settler {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final String workerId;
  private final NamespaceSpec ns;
  private final long maxResultInline;
  private final BlobClient blobs;
  private final ResultPublisher publisher;
  private final DeadLetters deadLetters;
  private final PipelineForwarder pipelines;
  private final WorkerStats stats;
  private final Ticker ticker;
  private final BooleanSupplier stopped;

  Settler(String workerId, NamespaceSpec ns, long maxResultInline, BlobClient blobs, ResultPublisher publisher,
      DeadLetters deadLetters, PipelineForwarder pipelines, WorkerStats stats, Ticker ticker, BooleanSupplier stopped) {
    this.workerId = workerId;
    this.ns = ns;
    this.maxResultInline = maxResultInline;
    this.blobs = blobs;
    this.publisher = publisher;
    this.deadLetters = deadLetters;
    this.pipelines = pipelines;
    this.stats = stats;
    this.ticker = ticker;
    this.stopped = stopped;
  }

  void answerSuccess(Execution ex, HandlerResult result) {
    if (!ex.markFinished()) {
      return;
    }
    JobEnvelope env = ex.envelope;
    try {
      if (!env.pipeline().isEmpty()) {
        pipelines.forwardToNextStage(ex, result);
        ack(ex.message);
        count(ex, "completed");
        ex.log().info("stage completed in {} ms; next stage published", elapsedMs(ex));
        return;
      }
      JsonNode output = result.output();
      BlobRef outputRef = null;
      byte[] bytes = Json.toBytes(output);
      if (bytes.length > maxResultInline) {
        outputRef = blobs.put("results/" + env.reportId() + "/output.json", bytes, Protocol.CONTENT_TYPE_JSON);
        output = null;
      }
      JobResult r = JobResult.completed(env.reportId(), PipelineForwarder.rootSubject(env))
          .output(output)
          .outputRef(outputRef)
          .artifacts(result.artifacts())
          .worker(workerId)
          .attempts(ex.delivery)
          .submittedAt(env.submittedAt())
          .startedAt(ex.startedAt)
          .finishedAt(ticker.now())
          .stages(PipelineForwarder.stages(ex, null, workerId))
          .build();
      publisher.publishResult(env, r);
      ack(ex.message);
      stats.completed.incrementAndGet();
      count(ex, "completed");
      ex.log().info("completed in {} ms", elapsedMs(ex));
    } catch (Exception e) {
      // The result could not be stored, or its storing was not confirmed: hand the job back so a later attempt can
      // (a result that did get stored makes that attempt a duplicate, answered from the stored result).
      handBackUnconfirmed(ex, "result", e);
      count(ex, "retried");
    }
  }

  void answerFailure(Execution ex, JobException failure) {
    if (!ex.markFinished()) {
      return;
    }
    JobEnvelope env = ex.envelope;
    JobError error = new JobError(failure.code(), failure.getMessage(), failure.retryable(),
        env.rootId() != null || !env.pipeline().isEmpty() ? env.subject() : null);
    Settlement.Decision decision = Settlement.decide(failure.code(), failure.retryable(), ex.delivery,
        ns.limits().maxDeliver(), ns.limits().backoff());
    try {
      switch (decision.action()) {
        case NAK_WITH_DELAY -> {
          Duration delay = decision.delay();
          ex.log().info("retryable failure {}: {}; retry in {}ms", failure.code(), failure.getMessage(), delay.toMillis());
          publisher.writeStatus(ex, JobState.QUEUED, error);
          ex.message.nakWithDelay(delay);
          count(ex, "retried");
        }
        case DEAD_LETTER -> {
          deadLetters.deadLetter(env, ex.streamSequence, "retries exhausted after " + ex.delivery + " deliveries: "
              + failure.getMessage(), ex.delivery, error);
          termQuietly(ex.message);
          stats.failed.incrementAndGet();
          count(ex, "dead");
        }
        case TERM -> {
          JobState state = decision.result();
          JobResult r = JobResult.ended(state, env.reportId(), PipelineForwarder.rootSubject(env), error)
              .worker(workerId)
              .attempts(ex.delivery)
              .submittedAt(env.submittedAt())
              .startedAt(ex.startedAt)
              .finishedAt(ticker.now())
              .stages(PipelineForwarder.stages(ex, null, workerId))
              .build();
          publisher.publishResult(env, r);
          termQuietly(ex.message);
          stats.failed.incrementAndGet();
          count(ex, state == JobState.CANCELLED ? "cancelled" : "failed");
          ex.log().info("{} in {} ms: {} {}", state == JobState.CANCELLED ? "cancelled" : "failed", elapsedMs(ex),
              failure.code(), failure.getMessage());
        }
        case ACK -> throw new IllegalStateException("a failure is never acked: " + decision);
      }
    } catch (Exception e) {
      handBackUnconfirmed(ex, "failure", e);
    }
  }

  /** A previous attempt stored the result but its ack was lost: ack this redelivery without running it. */
  void answerDuplicate(Execution ex) {
    ex.markFinished();
    ackQuietly(ex.message);
    count(ex, "skipped_duplicate");
  }

  void count(Execution ex, String outcome) {
    RuntimeMetrics.JOBS.labelValues(ns.name(), ns.operationOf(ex.envelope.subject()), outcome).inc();
  }

  /** The job line's duration: this delivery's run time (the operator's question is "how long did it take here"). */
  private long elapsedMs(Execution ex) {
    return Duration.between(ex.startedAt, ticker.now()).toMillis();
  }

  private void handBackUnconfirmed(Execution ex, String what, Exception e) {
    if (stopped.getAsBoolean()) {
      // Closed (not drained) while the job's thread waited for the PubAck: expected, not a fault. drain() waits.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.info("{} - job {}: worker closed before its {} was confirmed; the job is redelivered", workerId, ex.envelope.id(), what);
    } else {
      LOG.warn("{} - job {}: cannot store the {} ({}); handing the job back for redelivery", workerId, ex.envelope.id(), what,
          e.toString());
    }
    nakQuietly(ex.message, ns.limits().backoffFor(ex.delivery));
  }

  /**
   * Acks after the result is stored. A lost ack is harmless: the redelivery finds the stored result and is acked
   * without running again, so the ack need not wait for the server's confirmation.
   */
  private static void ack(Message m) {
    m.ack();
  }

  private static void ackQuietly(Message m) {
    try {
      m.ack();
    } catch (RuntimeException ignored) {
      // redelivery will find the result and ack again
    }
  }

  static void termQuietly(Message m) {
    try {
      m.term();
    } catch (RuntimeException ignored) {
      // redelivery will find the result and ack
    }
  }

  private static void nakQuietly(Message m, Duration delay) {
    try {
      m.nakWithDelay(delay);
    } catch (RuntimeException ignored) {
      // the ack wait expires and the job is redelivered
    }
  }

  /** Hands a job back for immediate redelivery (drain, or fetched while stopping). */
  static void handBack(Message m) {
    try {
      m.nak();
    } catch (RuntimeException ignored) {
      // the server redelivers after the ack wait anyway
    }
  }
}
