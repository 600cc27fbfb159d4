package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.service.Discovery;
import io.nats.service.EndpointStats;
import io.nats.service.StatsResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mesh looks like right now, read from NATS on each call (cached briefly, so a page polling every few
 * seconds from many browsers costs the mesh little): workers from the NATS Services API, queue depth and consumer
 * lag of every service's worker group, dead-letter count, and recent failed results from the results stream.
 * The lists name jobs of every caller; the route filters them per caller.
 */
final class MeshView {
  private static final Logger LOG = LoggerFactory.getLogger(MeshView.class);
  private static final long SNAPSHOT_TTL_NANOS = Duration.ofSeconds(2).toNanos();
  private static final long BACKLOG_TTL_NANOS = Duration.ofSeconds(1).toNanos();
  private static final int FAILURE_SCAN = 500;
  /** Entries shown per list; the snapshot keeps {@link #KEPT} of each, so a caller shown only its own jobs still finds some. */
  static final int FAILURES_SHOWN = 20;
  static final int DEAD_LETTERS_SHOWN = 10;
  private static final int KEPT = 200;

  private final Connection connection;
  private final MeshRegistry registry;
  private final DeadLetterReplayer dlq;
  private final Duration discoveryWait;
  private volatile ObjectNode snapshot;
  private volatile long snapshotNanos;
  private final Map<String, long[]> backlog = new ConcurrentHashMap<>(); // ns -> {queued, streamMessages, readAtNanos}

  /** Jobs of a service not yet delivered to a worker, and all jobs its stream holds; -1 when unknown. */
  record Backlog(long queued, long streamMessages) {}

  MeshView(Connection connection, MeshRegistry registry, DeadLetterReplayer dlq, Duration discoveryWait) {
    this.connection = connection;
    this.registry = registry;
    this.dlq = dlq;
    this.discoveryWait = discoveryWait;
  }

  /** The backlog of {@code ns}, read from JetStream at most once a second. */
  Backlog backlog(NamespaceSpec ns) {
    long now = System.nanoTime();
    long[] cached = backlog.get(ns.name());
    if (cached != null && now - cached[2] < BACKLOG_TTL_NANOS) {
      return new Backlog(cached[0], cached[1]);
    }
    long queued = -1;
    long messages = -1;
    try {
      JetStreamManagement jsm = connection.jetStreamManagement();
      queued = jsm.getConsumerInfo(ns.stream(), ns.workerGroup()).getNumPending();
      messages = jsm.getStreamInfo(ns.stream()).getStreamState().getMsgCount();
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      LOG.debug("backlog of {} unreadable: {}", ns.name(), e.toString());
    }
    backlog.put(ns.name(), new long[] {queued, messages, now});
    return new Backlog(queued, messages);
  }

  synchronized ObjectNode snapshot() {
    long now = System.nanoTime();
    if (snapshot != null && now - snapshotNanos < SNAPSHOT_TTL_NANOS) {
      return snapshot;
    }
    ObjectNode root = Json.object();
    root.put("generated_at", java.time.Instant.now().toString());
    root.set("workers", workers());
    root.set("services", services());
    ObjectNode dead = root.putObject("dead_letters");
    try {
      dead.put("count", dlq.count());
      ArrayNode recent = dead.putArray("recent");
      for (DeadLetter d : dlq.list(KEPT)) {
        ObjectNode o = recent.addObject();
        o.put("job_id", d.id()).put("subject", d.subject()).put("attempts", d.attempts()).put("reason", d.reason());
        o.put("ts", d.ts() == null ? null : d.ts().toString());
        o.put("replays", d.envelope() == null ? 0 : d.envelope().replayCount());
        if (d.envelope() != null && !d.envelope().reportId().equals(d.id())) {
          o.put("root_id", d.envelope().reportId()); // a pipeline stage: the job its caller waits on
        }
      }
    } catch (IOException e) {
      dead.put("error", e.getMessage());
    }
    root.set("recent_failures", recentFailures());
    snapshot = root;
    snapshotNanos = now;
    return root;
  }

  private ArrayNode workers() {
    ArrayNode arr = Json.mapper().createArrayNode();
    try {
      Discovery d = new Discovery(connection, discoveryWait.toMillis(), 1000);
      for (StatsResponse s : d.stats()) {
        if (s.getName() == null || !s.getName().startsWith(Subjects.SERVICE_PREFIX)) {
          continue;
        }
        Map<String, String> meta = s.getMetadata() == null ? Map.of() : s.getMetadata();
        ObjectNode w = arr.addObject();
        w.put("service", s.getName());
        w.put("instance", s.getId());
        w.put("version", s.getVersion());
        w.put("worker_id", meta.get("worker_id"));
        w.put("host", meta.get("host"));
        w.put("namespace", meta.getOrDefault("namespace", s.getName().substring(Subjects.SERVICE_PREFIX.length())));
        w.put("device", meta.getOrDefault("device", "cpu"));
        ArrayNode ops = w.putArray("operations");
        String opList = meta.get("operations");
        if (opList != null && !opList.isBlank()) {
          for (String op : opList.split(",")) {
            ops.add(op.trim());
          }
        }
        if (s.getStarted() != null) {
          w.put("started", s.getStarted().toInstant().toString());
        }
        for (EndpointStats es : s.getEndpointStatsList()) {
          if ("status".equals(es.getName()) && es.getDataAsJson() != null) {
            JsonNode data = Json.tree(es.getDataAsJson());
            for (String f : new String[] {"in_flight", "running", "concurrency", "completed", "failed", "stuck", "draining", "recent_seconds_per_job"}) {
              if (data.has(f)) {
                w.set(f, data.get(f));
              }
            }
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("service discovery failed: {}", e.toString());
    }
    return arr;
  }

  private ArrayNode services() {
    ArrayNode arr = Json.mapper().createArrayNode();
    JetStreamManagement jsm;
    try {
      jsm = connection.jetStreamManagement();
    } catch (IOException e) {
      return arr;
    }
    for (NamespaceSpec ns : registry.namespaces()) {
      ObjectNode o = arr.addObject();
      o.put("namespace", ns.name());
      o.put("description", ns.description());
      o.put("stream", ns.stream());
      o.put("worker_group", ns.workerGroup());
      ArrayNode ops = o.putArray("subjects");
      ns.operations().forEach(op -> ops.add(ns.subjectFor(op)));
      try {
        StreamInfo si = jsm.getStreamInfo(ns.stream());
        o.put("stream_messages", si.getStreamState().getMsgCount());
        ConsumerInfo ci = jsm.getConsumerInfo(ns.stream(), ns.workerGroup());
        o.put("queued", ci.getNumPending());
        o.put("in_progress", ci.getNumAckPending());
        o.put("redelivered", ci.getRedelivered());
        o.put("waiting_pulls", ci.getNumWaiting());
        o.put("max_pending", ns.limits().maxPending());
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        o.put("error", "not provisioned or unreachable: " + e.getMessage());
      }
    }
    return arr;
  }

  /** Failed, dead and cancelled results among the newest results of the mesh. */
  private ArrayNode recentFailures() {
    ArrayNode arr = Json.mapper().createArrayNode();
    try {
      JetStreamManagement jsm = connection.jetStreamManagement();
      StreamInfo si = jsm.getStreamInfo(Subjects.RESULTS_STREAM);
      long last = si.getStreamState().getLastSequence();
      long first = Math.max(si.getStreamState().getFirstSequence(), last - FAILURE_SCAN + 1);
      for (long seq = last; seq >= first && seq > 0 && arr.size() < KEPT; seq--) {
        try {
          MessageInfo mi = jsm.getMessage(Subjects.RESULTS_STREAM, seq);
          String status = mi.getHeaders() == null ? null : mi.getHeaders().getFirst(Protocol.HEADER_STATUS);
          if (status == null || "completed".equals(status)) {
            continue;
          }
          JsonNode r = Json.tree(mi.getData());
          ObjectNode o = arr.addObject();
          o.put("job_id", r.path("id").asText());
          o.put("subject", r.path("subject").asText());
          o.put("status", status);
          o.put("code", r.path("error").path("code").asText(null));
          o.put("message", r.path("error").path("message").asText(null));
          o.put("worker", r.path("worker").asText(null));
          o.put("finished_at", r.path("finished_at").asText(null));
        } catch (JetStreamApiException | RuntimeException e) {
          // deleted or unparseable message: skip
        }
      }
    } catch (IOException | JetStreamApiException e) {
      LOG.debug("results scan failed: {}", e.toString());
    }
    return arr;
  }
}
