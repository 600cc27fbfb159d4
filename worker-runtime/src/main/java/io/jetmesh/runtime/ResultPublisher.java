package io.jetmesh.runtime;

import io.jetmesh.client.internal.Backoff;
import io.jetmesh.client.internal.Retry;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.Progress;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the worker writes about a job: durable publishes with PubAck (results, next stages, dead letters), the
 * lookup of an already stored result, and the fire-and-forget status and progress records.
 *
 * <p>Thread-safe: holds only the (thread-safe) jnats connection and immutable settings; called from job threads,
 * the watchdog and the advisory handler at once.
 */
final class ResultPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  /**
   * How long a durable publish retries "no responders" (503) and timeouts: long enough to ride over a cluster leader
   * election (about 6 s measured on 2.9), short enough that a lost server hands the job back for redelivery instead
   * of blocking a runner.
   */
  static final Duration PUBLISH_PATIENCE = Duration.ofSeconds(30);
  static final Backoff PUBLISH_BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(2));

  private final String workerId;
  private final Connection connection;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final Ticker ticker;
  private final Retry retry;

  ResultPublisher(String workerId, Connection connection, JetStream js, JetStreamManagement jsm, Ticker ticker,
      BooleanSupplier stopped) {
    this.workerId = workerId;
    this.connection = connection;
    this.js = js;
    this.jsm = jsm;
    this.ticker = ticker;
    this.retry = Retry.of(PUBLISH_BACKOFF, PUBLISH_PATIENCE).stopWhen(stopped);
  }

  /** Publishes to a stream and waits for the PubAck, retrying for up to {@link #PUBLISH_PATIENCE}. */
  PublishAck publishWithRetry(String subject, Headers h, byte[] body, PublishOptions po) throws Exception {
    try {
      return retry.call(() -> {
        // an exception thrown by publishAsync itself is final; the future's failure is judged by worthRetrying
        java.util.concurrent.CompletableFuture<PublishAck> f = js.publishAsync(subject, h, body, po);
        try {
          return f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new AsyncFailure(e.getCause() instanceof Exception c ? c : e);
        }
      }, ResultPublisher::worthRetrying);
    } catch (AsyncFailure e) {
      throw e.failure;
    }
  }

  /** A timeout, or a failed PubAck other than a JetStream API error that is not "no responders" (503). */
  private static boolean worthRetrying(Exception e) {
    if (e instanceof TimeoutException) {
      return true;
    }
    if (e instanceof AsyncFailure f) {
      return !(f.failure instanceof JetStreamApiException api) || api.getApiErrorCode() == 503 || api.getErrorCode() == 503;
    }
    return false;
  }

  /** Carries the failure of the PubAck future through the retry, so it is told apart from a synchronous one. */
  private static final class AsyncFailure extends Exception {
    final Exception failure;

    AsyncFailure(Exception failure) {
      super(failure.toString(), failure, false, false);
      this.failure = failure;
    }
  }

  /** Stores a job's result under {@code jetmesh.results.<client>.<report id>}, deduplicated per replay. */
  void publishResult(JobEnvelope env, JobResult r) throws Exception {
    String msgId = Subjects.resultMessageId(env.client(), env.reportId(), env.replayCount());
    Headers h = new Headers()
        .put(Protocol.HEADER_VERSION, String.valueOf(Protocol.VERSION))
        .put(Protocol.HEADER_JOB_ID, env.reportId())
        .put(Protocol.HEADER_STATUS, r.status().wire());
    if (r.error() != null) {
      h.put(Protocol.HEADER_ERROR_CODE, r.error().code().name());
    }
    publishWithRetry(Subjects.result(env.client(), env.reportId()), h, Json.toBytes(r),
        PublishOptions.builder().messageId(msgId).expectedStream(Subjects.RESULTS_STREAM).build());
  }

  /** Whether this job's result is already stored (a replayed job counts only a result of this replay). */
  boolean resultExists(JobEnvelope env) {
    try {
      MessageInfo mi = jsm.getLastMessage(Subjects.RESULTS_STREAM, Subjects.result(env.client(), env.reportId()));
      if (mi == null || mi.getData() == null) {
        return false;
      }
      if (env.replayCount() > 0) {
        // A replayed job replaces its dead result; only a result of this replay counts.
        JobResult r = Json.fromBytes(mi.getData(), JobResult.class);
        return r.status() != JobState.DEAD;
      }
      return true;
    } catch (JetStreamApiException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  void writeStatus(Execution ex, JobState state, JobError error) {
    JobEnvelope env = ex.envelope;
    ex.statusWritten = true;
    JobStatus s = JobStatus.builder(env.reportId(), state)
        .subject(env.subject())
        .resultSubject(Subjects.result(env.client(), env.reportId()))
        .attempts(ex.delivery)
        .worker(workerId)
        .submittedAt(env.submittedAt())
        .startedAt(ex.startedAt)
        .updatedAt(ticker.now())
        .progress(ex.lastProgress)
        .error(error)
        .build();
    try {
      connection.publish(Subjects.kvSubject(Subjects.STATUS_BUCKET, Subjects.jobKey(env.client(), env.reportId())),
          Json.toBytes(s));
    } catch (RuntimeException e) {
      LOG.debug("{} - status write failed: {}", workerId, e.toString());
    }
  }

  void publishProgress(Execution ex, Progress p) {
    JobEnvelope env = ex.envelope;
    try {
      connection.publish(Subjects.progress(env.client(), env.reportId()),
          Json.toBytes(new ProgressEvent(Protocol.VERSION, env.reportId(), p, workerId, ex.delivery, ticker.now())));
    } catch (RuntimeException e) {
      LOG.debug("{} - progress publish failed: {}", workerId, e.toString());
    }
  }
}
