package io.jetmesh.client;

import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.ProtocolException;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.PurgeOptions;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and replays the dead-letter stream. A replay removes the job's {@code dead} result, republishes the original
 * envelope unchanged except for its {@code replay} counter (same job id, so the client that waits for it gets the new
 * result) under the de-duplication id {@code <id>-replay<n>}, then removes the dead letter. Shared by
 * {@code jetmesh dlq} and the HTTP gateway's replay button.
 */
public final class DeadLetterQueue {
  /** One stored dead letter and its stream sequence. */
  public record Entry(long sequence, DeadLetter letter) {}

  /**
   * A replayed job. {@code duplicate}: this replay number had been published already (two operators replayed the
   * same dead letter at once); the job still runs once.
   */
  public record Replayed(JobEnvelope envelope, boolean duplicate) {}

  private final JetStreamManagement jsm;
  private final JetStream js;
  private final MeshRegistry registry;

  public DeadLetterQueue(Connection connection, MeshRegistry registry) throws IOException {
    this.jsm = connection.jetStreamManagement();
    this.js = connection.jetStream();
    this.registry = registry;
  }

  /** All dead letters, oldest first (at most {@code limit}). Malformed records are listed with what could be read. */
  public List<Entry> list(int limit) throws IOException, JetStreamApiException {
    StreamInfo si = jsm.getStreamInfo(Subjects.DLQ_STREAM);
    long first = si.getStreamState().getFirstSequence();
    long last = si.getStreamState().getLastSequence();
    List<Entry> out = new ArrayList<>();
    for (long seq = first; seq <= last && out.size() < limit; seq++) {
      MessageInfo mi;
      try {
        mi = jsm.getMessage(Subjects.DLQ_STREAM, seq);
      } catch (JetStreamApiException e) {
        continue; // deleted (replayed) or expired
      }
      try {
        out.add(new Entry(seq, Json.fromBytes(mi.getData(), DeadLetter.class)));
      } catch (ProtocolException e) {
        out.add(new Entry(seq, new DeadLetter(Protocol.VERSION, Subjects.lastToken(mi.getSubject()), null, null, 0,
            "unreadable dead letter: " + e.getMessage(), 0, null, null, null, null, null)));
      }
    }
    return out;
  }

  /** Finds the dead letter of a job id. */
  public Optional<Entry> find(String jobId) throws IOException, JetStreamApiException {
    for (NamespaceSpec ns : registry.namespaces()) {
      try {
        MessageInfo mi = jsm.getLastMessage(Subjects.DLQ_STREAM, Subjects.deadLetter(ns.name(), jobId));
        return Optional.of(new Entry(mi.getSeq(), Json.fromBytes(mi.getData(), DeadLetter.class)));
      } catch (JetStreamApiException e) {
        // not in this namespace
      }
    }
    return Optional.empty();
  }

  /**
   * Replays one dead letter.
   *
   * @throws IllegalArgumentException if the record has no envelope to replay (a malformed message)
   */
  public Replayed replay(Entry entry) throws IOException, JetStreamApiException {
    JobEnvelope original = entry.letter().envelope();
    if (original == null) {
      throw new IllegalArgumentException("dead letter " + entry.sequence() + " has no job envelope to replay: "
          + entry.letter().reason());
    }
    JobEnvelope env = original.forReplay();
    NamespaceSpec ns = registry.requireSubject(env.subject());
    // The job is alive again: its dead result goes, so clients that wait for it see the replay's outcome.
    jsm.purgeStream(Subjects.RESULTS_STREAM, PurgeOptions.subject(Subjects.result(env.client(), env.reportId())));
    Headers h = new Headers().put(Protocol.HEADER_VERSION, String.valueOf(Protocol.VERSION)).put(Protocol.HEADER_JOB_ID, env.id());
    PublishAck ack = js.publish(env.messageSubject(), h, Json.toBytes(env), PublishOptions.builder()
        .messageId(Subjects.jobMessageId(env.client(), env.id() + "-replay" + env.replayCount()))
        .expectedStream(ns.stream()).build());
    try {
      jsm.deleteMessage(Subjects.DLQ_STREAM, entry.sequence());
    } catch (JetStreamApiException e) {
      // already deleted by a concurrent replay
    }
    return new Replayed(env, ack.isDuplicate());
  }
}
