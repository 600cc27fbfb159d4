package io.jetmesh.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.ProtocolException;
import io.jetmesh.protocol.Subjects;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter path: a job whose retries are used up gets a dead-letter record and a {@code dead} result; a job
 * whose every delivery died unanswered (the server's max-deliveries advisory) gets the same; a message that is not a
 * job is kept raw in the dead-letter stream and terminated.
 *
 * <p>Thread-safe: stateless beyond its thread-safe collaborators; called from job threads and, for advisories, from
 * the job pool.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final String workerId;
  private final NamespaceSpec ns;
  private final JetStreamManagement jsm;
  private final ResultPublisher publisher;
  private final Ticker ticker;

  DeadLetters(String workerId, NamespaceSpec ns, JetStreamManagement jsm, ResultPublisher publisher, Ticker ticker) {
    this.workerId = workerId;
    this.ns = ns;
    this.jsm = jsm;
    this.publisher = publisher;
    this.ticker = ticker;
  }

  /** The max-deliveries advisory's subject for this namespace's worker group. */
  String advisorySubject() {
    return "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + ns.stream() + "." + ns.workerGroup();
  }

  void deadLetter(JobEnvelope env, long seq, String reason, int attempts, JobError error) throws Exception {
    DeadLetter dl = new DeadLetter(Protocol.VERSION, env.reportId(), env.subject(), ns.stream(), seq, reason, attempts,
        env.input().describe(), error, workerId, ticker.now(), env);
    publisher.publishWithRetry(Subjects.deadLetter(ns.name(), env.reportId()), new Headers().put(Protocol.HEADER_JOB_ID, env.reportId()),
        Json.toBytes(dl), PublishOptions.builder().messageId("dlq-" + env.id() + "-" + seq).expectedStream(Subjects.DLQ_STREAM).build());
    JobError deadError = new JobError(error.code(), error.message() + " (dead-lettered after " + attempts
        + " deliveries; replay with 'jetmesh dlq replay " + env.reportId() + "')", error.retryable(), error.stage());
    JobResult r = JobResult.dead(env.reportId(), PipelineForwarder.rootSubject(env), deadError)
        .worker(workerId)
        .attempts(attempts)
        .submittedAt(env.submittedAt())
        .finishedAt(ticker.now())
        .build();
    publisher.publishResult(env, r);
    LOG.warn("{} - job {} is dead after {} deliveries: {}", workerId, env.reportId(), attempts, reason);
  }

  /** The server gave up redelivering (the last delivery's worker died or never answered). */
  void onMaxDeliveries(Message advisory) {
    try {
      JsonNode a = Json.tree(advisory.getData());
      long seq = a.path("stream_seq").asLong();
      int deliveries = a.path("deliveries").asInt();
      MessageInfo mi;
      try {
        mi = jsm.getMessage(ns.stream(), seq);
      } catch (JetStreamApiException e) {
        return; // already removed (answered, or handled by another worker)
      }
      JobEnvelope env;
      try {
        env = Json.fromBytes(mi.getData(), JobEnvelope.class);
        String publisher = Subjects.clientOfJob(mi.getSubject());
        if (!env.messageSubject().equals(mi.getSubject()) && Subjects.isToken(publisher)) {
          env = env.forClient(publisher); // the answer goes to the client that published it, as in process()
        }
      } catch (ProtocolException e) {
        jsm.deleteMessage(ns.stream(), seq);
        return;
      }
      if (!this.publisher.resultExists(env)) {
        deadLetter(env, seq, "no worker answered on any of " + deliveries + " deliveries (worker crash, kill or hang)",
            deliveries, new JobError(ErrorCode.INTERNAL, "every delivery ended without an answer (the worker died or hung)", true, null));
      }
      jsm.deleteMessage(ns.stream(), seq);
      RuntimeMetrics.JOBS.labelValues(ns.name(), ns.operationOf(env.subject()), "dead").inc();
    } catch (Exception e) {
      LOG.warn("{} - cannot dead-letter after max deliveries: {}", workerId, e.toString());
    }
  }

  /** Keeps a message that is not a valid job in the dead-letter stream (raw, truncated) and terminates it. */
  void malformed(Message msg, NatsJetStreamMetaData meta, String problem) {
    LOG.warn("{} - malformed job message seq {} on {}: {}", workerId, meta.streamSequence(), msg.getSubject(), problem);
    try {
      ObjectNode raw = Json.object();
      raw.put("subject", msg.getSubject());
      raw.put("stream_sequence", meta.streamSequence());
      raw.put("problem", problem);
      raw.put("body", new String(msg.getData(), 0, Math.min(msg.getData().length, 4096), StandardCharsets.UTF_8));
      String id = "malformed-" + meta.streamSequence();
      publisher.publishWithRetry(Subjects.deadLetter(ns.name(), id), new Headers(), Json.toBytes(raw),
          PublishOptions.builder().messageId("dlq-" + ns.stream() + "-" + meta.streamSequence()).expectedStream(Subjects.DLQ_STREAM).build());
    } catch (Exception e) {
      LOG.warn("{} - cannot dead-letter malformed message: {}", workerId, e.toString());
    }
    Settler.termQuietly(msg);
  }
}
