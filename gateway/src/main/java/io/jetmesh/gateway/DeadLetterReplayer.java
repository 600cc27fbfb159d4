package io.jetmesh.gateway;

import io.jetmesh.client.DeadLetterQueue;

import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads the dead-letter stream ({@code JETMESH_DLQ}) and replays dead jobs. A replay republishes the stored
 * envelope's {@link JobEnvelope#forReplay()} (same job id and input, {@code replay} counter + 1) to its job subject
 * with {@code Nats-Msg-Id: <id>-replay<n>}: the same semantics as {@code jetmesh dlq replay}, so a replay is stored
 * once even when two operators press the button together; then the dead-letter record is deleted (a job that dies
 * again gets a new one, carrying the incremented counter).
 */
public final class DeadLetterReplayer {
  /** The outcome of one replay. {@code duplicate}: this replay number was already published. */
  public record Replayed(String jobId, String subject, int replay, boolean duplicate) {}

  private final Connection connection;
  private final MeshRegistry registry;

  public DeadLetterReplayer(Connection connection, MeshRegistry registry) {
    this.connection = connection;
    this.registry = registry;
  }

  /** The newest dead letter of a job, if any. */
  public Optional<DeadLetter> find(String jobId) throws IOException {
    return findEntry(jobId).map(MessageInfo::getData).map(d -> Json.fromBytes(d, DeadLetter.class));
  }

  private Optional<MessageInfo> findEntry(String jobId) throws IOException {
    if (!Subjects.isToken(jobId)) {
      return Optional.empty();
    }
    try {
      MessageInfo mi = jsm().getLastMessage(Subjects.DLQ_STREAM, Subjects.DLQ_PREFIX + ".*." + jobId);
      return mi == null || mi.getData() == null ? Optional.empty() : Optional.of(mi);
    } catch (JetStreamApiException e) {
      return Optional.empty(); // 10037: no message for that subject
    }
  }

  /** The number of dead-letter records in the stream. */
  public long count() throws IOException {
    try {
      return jsm().getStreamInfo(Subjects.DLQ_STREAM).getStreamState().getMsgCount();
    } catch (JetStreamApiException e) {
      throw new IOException("cannot read stream " + Subjects.DLQ_STREAM + ": " + e.getMessage(), e);
    }
  }

  /** Up to {@code limit} dead letters, newest first. */
  public List<DeadLetter> list(int limit) throws IOException {
    return list(limit, Integer.MAX_VALUE, d -> true);
  }

  /** Up to {@code limit} dead letters that pass {@code filter}, newest first, among the newest {@code maxScan}. */
  public List<DeadLetter> list(int limit, int maxScan, Predicate<DeadLetter> filter) throws IOException {
    List<DeadLetter> out = new ArrayList<>();
    try {
      JetStreamManagement jsm = jsm();
      StreamInfo si = jsm.getStreamInfo(Subjects.DLQ_STREAM);
      long first = si.getStreamState().getFirstSequence();
      long last = si.getStreamState().getLastSequence();
      for (long seq = last; seq >= first && seq > 0 && out.size() < limit && last - seq < maxScan; seq--) {
        try {
          MessageInfo mi = jsm.getMessage(Subjects.DLQ_STREAM, seq);
          DeadLetter d = Json.fromBytes(mi.getData(), DeadLetter.class);
          if (filter.test(d)) {
            out.add(d);
          }
        } catch (JetStreamApiException e) {
          // deleted or expired message: skip
        } catch (RuntimeException e) {
          // a record this version cannot parse: skip rather than hide the others
        }
      }
    } catch (JetStreamApiException e) {
      throw new IOException("cannot read stream " + Subjects.DLQ_STREAM + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Replays the newest dead letter of {@code jobId}.
   *
   * @throws NoSuchElementException no dead letter for that id
   */
  public Replayed replay(String jobId) throws IOException {
    MessageInfo mi = findEntry(jobId).orElseThrow(() -> new NoSuchElementException("no dead letter for job " + jobId));
    DeadLetter dl = Json.fromBytes(mi.getData(), DeadLetter.class);
    if (dl.envelope() == null) {
      throw new IOException("dead letter of " + jobId + " carries no envelope; it cannot be replayed");
    }
    try {
      // the same replay as `jetmesh dlq replay`: purge the dead result, republish, delete the dead letter
      DeadLetterQueue.Replayed r = new DeadLetterQueue(connection, registry).replay(new DeadLetterQueue.Entry(mi.getSeq(), dl));
      JobEnvelope env = r.envelope();
      return new Replayed(env.id(), env.subject(), env.replayCount(), r.duplicate());
    } catch (JetStreamApiException e) {
      throw new IOException("cannot replay " + jobId + ": " + e.getMessage(), e);
    }
  }

  private JetStreamManagement jsm() throws IOException {
    return connection.jetStreamManagement();
  }
}
