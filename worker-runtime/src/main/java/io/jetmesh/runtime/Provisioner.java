package io.jetmesh.runtime;

import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.MeshSettings;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.ServiceLimits;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.ObjectStoreManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.ObjectStoreStatus;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creates or updates everything {@code namespaces.yaml} describes: one WorkQueue stream and one durable pull
 * consumer per service, the results and dead-letter streams, the status and cancel key-value buckets and the blob
 * object store. Idempotent: a second run reports every item {@code unchanged}.
 *
 * <p>After each create or update it reads the configuration back and fails if the server dropped a setting the mesh
 * relies on (Debian's nats-server 2.9 silently ignores many 2.10+ options).
 */
public final class Provisioner {
  /** What happened to one item. */
  public enum Action { CREATED, UPDATED, UNCHANGED }

  /** One line of the provisioning report. */
  public record Change(String kind, String name, Action action, String detail) {
    @Override
    public String toString() {
      return String.format("%-9s %-10s %-28s %s", action.name().toLowerCase(), kind, name, detail == null ? "" : detail);
    }
  }

  /** The server ignored or refused a setting the mesh relies on. */
  public static final class ProvisioningException extends Exception {
    public ProvisioningException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Connection connection;
  private final JetStreamManagement jsm;
  private final MeshRegistry registry;
  private final boolean replaceLegacyConsumers;

  /**
   * The worker-group (durable consumer) names of the original system, by namespace. jetmesh names them
   * {@code <subject prefix with _>_workers} ({@code image_process_workers}); a job stream still holding the old
   * consumer would share its jobs with it (and a WorkQueue stream refuses the second consumer).
   */
  public static final Map<String, String> LEGACY_WORKER_GROUPS =
      Map.of("image", "image_workers", "text", "text_workers", "audio", "audio_workers");

  public Provisioner(Connection connection, MeshRegistry registry) throws IOException {
    this(connection, registry, false);
  }

  /**
   * @param replaceLegacyConsumers delete a job stream's consumer named in {@link #LEGACY_WORKER_GROUPS} before
   *     creating the worker group; its unacknowledged jobs stay in the stream and go to the new group. Without it,
   *     provisioning stops at such a consumer and says what to do.
   */
  public Provisioner(Connection connection, MeshRegistry registry, boolean replaceLegacyConsumers) throws IOException {
    this.connection = Objects.requireNonNull(connection, "connection == null");
    this.jsm = connection.jetStreamManagement();
    this.registry = Objects.requireNonNull(registry, "registry == null");
    this.replaceLegacyConsumers = replaceLegacyConsumers;
  }

  /** Provisions everything; returns the report in order. */
  public List<Change> provision() throws ProvisioningException {
    String version = connection.getServerInfo().getVersion();
    if (!connection.getServerInfo().isNewerVersionThan("2.8.99")) {
      throw new ProvisioningException("nats-server " + version + " is too old: jetmesh needs 2.9 or newer", null);
    }
    if (!connection.getServerInfo().isJetStreamAvailable()) {
      throw new ProvisioningException("JetStream is not enabled on the server (add a jetstream {} block to its config)", null);
    }
    List<Change> changes = new ArrayList<>();
    MeshSettings mesh = registry.mesh();
    try {
      for (NamespaceSpec ns : registry.namespaces()) {
        changes.add(ensureStream(jobStream(ns), "jobs"));
        changes.add(ensureConsumer(ns));
      }
      changes.add(ensureStream(resultsStream(mesh), "results"));
      changes.add(ensureStream(deadLetterStream(mesh), "dlq"));
      changes.add(ensureKv(Subjects.STATUS_BUCKET, mesh.resultTtl(), mesh));
      changes.add(ensureKv(Subjects.CANCEL_BUCKET, mesh.resultTtl(), mesh));
      // Who owns a job must be known as long as anything of it can be listed or fetched: its result, its blobs and
      // its dead letter (the longest of the three).
      changes.add(ensureKv(Subjects.GATEWAY_JOBS_BUCKET, longest(mesh.resultTtl(), mesh.deadLetterTtl(), mesh.blobTtl()), mesh));
      changes.add(ensureObjectStore(mesh));
    } catch (JetStreamApiException | IOException e) {
      throw new ProvisioningException("provisioning failed: " + e.getMessage(), e);
    }
    return changes;
  }

  private static Duration longest(Duration... ds) {
    Duration max = Duration.ZERO;
    for (Duration d : ds) {
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    return max;
  }

  static StreamConfiguration jobStream(NamespaceSpec ns) {
    ServiceLimits l = ns.limits();
    return StreamConfiguration.builder()
        .name(ns.stream())
        .description(ns.description())
        .subjects(ns.streamSubjects())
        .retentionPolicy(RetentionPolicy.WorkQueue)
        .storageType(storage(l.storage()))
        .replicas(l.replicas())
        .maxMsgSize(l.maxMessageSize())
        .maxAge(l.maxAge())
        .maxMessages(l.maxPending())
        .discardPolicy(DiscardPolicy.New)
        .duplicateWindow(l.duplicateWindow())
        .allowDirect(true)
        .build();
  }

  static StreamConfiguration resultsStream(MeshSettings mesh) {
    return StreamConfiguration.builder()
        .name(Subjects.RESULTS_STREAM)
        .description("jetmesh results by jetmesh.results.<client>.<job id>")
        .subjects(Subjects.RESULTS_PREFIX + ".>")
        .retentionPolicy(RetentionPolicy.Limits)
        .storageType(storage(mesh.storage()))
        .replicas(mesh.replicas())
        .maxAge(mesh.resultTtl())
        .maxMessagesPerSubject(1)
        .discardPolicy(DiscardPolicy.Old)
        .duplicateWindow(Duration.ofMinutes(2))
        .allowDirect(true)
        .build();
  }

  static StreamConfiguration deadLetterStream(MeshSettings mesh) {
    return StreamConfiguration.builder()
        .name(Subjects.DLQ_STREAM)
        .description("jetmesh dead letters by jetmesh.dlq.<namespace>.<job id>")
        .subjects(Subjects.DLQ_PREFIX + ".>")
        .retentionPolicy(RetentionPolicy.Limits)
        .storageType(storage(mesh.storage()))
        .replicas(mesh.replicas())
        .maxAge(mesh.deadLetterTtl())
        .maxMessagesPerSubject(1)
        .duplicateWindow(Duration.ofMinutes(2))
        .allowDirect(true)
        .build();
  }

  static ConsumerConfiguration consumer(NamespaceSpec ns) {
    ServiceLimits l = ns.limits();
    return ConsumerConfiguration.builder()
        .durable(ns.workerGroup())
        .description("workers of " + ns.name())
        .filterSubject(ns.streamSubjects())
        .ackPolicy(AckPolicy.Explicit)
        .deliverPolicy(DeliverPolicy.All)
        .ackWait(l.ackWait())
        .maxDeliver(l.maxDeliver())
        .maxAckPending(l.maxAckPending())
        .maxPullWaiting(512)
        .build();
  }

  private static StorageType storage(String s) {
    return "memory".equals(s) ? StorageType.Memory : StorageType.File;
  }

  private Change ensureStream(StreamConfiguration want, String kind) throws IOException, JetStreamApiException, ProvisioningException {
    StreamInfo existing = null;
    try {
      existing = jsm.getStreamInfo(want.getName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != 10059) {
        throw e;
      }
    }
    Action action;
    String detail;
    StreamInfo after;
    if (existing == null) {
      after = jsm.addStream(want);
      action = Action.CREATED;
      detail = want.getSubjects() + " " + want.getStorageType() + " r" + want.getReplicas();
    } else {
      StreamConfiguration have = existing.getConfiguration();
      List<String> diff = streamDiff(have, want);
      if (diff.isEmpty()) {
        return new Change("stream", want.getName(), Action.UNCHANGED, null);
      }
      if (have.getStorageType() != want.getStorageType() || have.getRetentionPolicy() != want.getRetentionPolicy()) {
        throw new ProvisioningException("stream " + want.getName() + " exists with storage " + have.getStorageType()
            + "/retention " + have.getRetentionPolicy() + "; these cannot be changed in place (wanted "
            + want.getStorageType() + "/" + want.getRetentionPolicy() + "): delete it first", null);
      }
      after = jsm.updateStream(want);
      action = Action.UPDATED;
      detail = String.join(", ", diff);
    }
    List<String> ignored = streamDiff(after.getConfiguration(), want);
    if (!ignored.isEmpty()) {
      throw new ProvisioningException("the server (nats-server " + connection.getServerInfo().getVersion()
          + ") ignored settings of stream " + want.getName() + ": " + String.join(", ", ignored), null);
    }
    return new Change("stream", want.getName(), action, kind + ": " + detail);
  }

  static List<String> streamDiff(StreamConfiguration have, StreamConfiguration want) {
    List<String> d = new ArrayList<>();
    if (!new java.util.HashSet<>(have.getSubjects()).equals(new java.util.HashSet<>(want.getSubjects()))) {
      d.add("subjects " + have.getSubjects() + "->" + want.getSubjects());
    }
    diff(d, "retention", have.getRetentionPolicy(), want.getRetentionPolicy());
    diff(d, "storage", have.getStorageType(), want.getStorageType());
    diff(d, "replicas", have.getReplicas(), want.getReplicas());
    diff(d, "max_msg_size", have.getMaxMsgSize(), want.getMaxMsgSize());
    diff(d, "max_age", have.getMaxAge(), want.getMaxAge());
    diff(d, "max_msgs", have.getMaxMsgs(), want.getMaxMsgs());
    diff(d, "max_msgs_per_subject", have.getMaxMsgsPerSubject(), want.getMaxMsgsPerSubject());
    diff(d, "discard", have.getDiscardPolicy(), want.getDiscardPolicy());
    diff(d, "duplicate_window", have.getDuplicateWindow(), want.getDuplicateWindow());
    diff(d, "allow_direct", have.getAllowDirect(), want.getAllowDirect());
    return d;
  }

  private Change ensureConsumer(NamespaceSpec ns) throws IOException, JetStreamApiException, ProvisioningException {
    ConsumerConfiguration want = consumer(ns);
    ConsumerInfo existing = null;
    try {
      existing = jsm.getConsumerInfo(ns.stream(), ns.workerGroup());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != 10014) {
        throw e;
      }
    }
    Action action;
    String detail;
    if (existing == null) {
      action = Action.CREATED;
      detail = "on " + ns.stream() + " ack_wait=" + ns.limits().ackWait().toSeconds() + "s max_deliver=" + ns.limits().maxDeliver()
          + replaceLegacyConsumer(ns);
    } else {
      List<String> diff = consumerDiff(existing.getConsumerConfiguration(), want);
      if (diff.isEmpty()) {
        return new Change("consumer", ns.workerGroup(), Action.UNCHANGED, null);
      }
      action = Action.UPDATED;
      detail = String.join(", ", diff);
    }
    ConsumerInfo after = jsm.addOrUpdateConsumer(ns.stream(), want);
    List<String> ignored = consumerDiff(after.getConsumerConfiguration(), want);
    if (!ignored.isEmpty()) {
      throw new ProvisioningException("the server ignored settings of consumer " + ns.workerGroup() + ": "
          + String.join(", ", ignored), null);
    }
    return new Change("consumer", ns.workerGroup(), action, detail);
  }

  /**
   * Before a worker group is created: the original system's consumer on the same stream is replaced when asked
   * ({@code jetmesh provision --replace-legacy-consumers}), otherwise provisioning stops with the steps to take.
   * Returns a note for the report ("" when there was none).
   */
  private String replaceLegacyConsumer(NamespaceSpec ns) throws IOException, JetStreamApiException, ProvisioningException {
    String legacy = LEGACY_WORKER_GROUPS.get(ns.name());
    if (legacy == null || legacy.equals(ns.workerGroup()) || !jsm.getConsumerNames(ns.stream()).contains(legacy)) {
      return "";
    }
    ConsumerInfo old = jsm.getConsumerInfo(ns.stream(), legacy);
    String counts = old.getNumPending() + " waiting, " + old.getNumAckPending() + " unacknowledged";
    if (!replaceLegacyConsumers) {
      throw new ProvisioningException("stream " + ns.stream() + " still has the original system's worker group '"
          + legacy + "' (" + counts + "); jetmesh's workers use '" + ns.workerGroup() + "'. Stop the old workers, then"
          + " run `jetmesh provision --replace-legacy-consumers` (the jobs stay in the stream and go to '"
          + ns.workerGroup() + "'), or keep the old name with `worker_group: " + legacy + "` under '" + ns.name()
          + "' in namespaces.yaml (docs/OPERATIONS.md#migrating-from-the-original-system)", null);
    }
    jsm.deleteConsumer(ns.stream(), legacy);
    return " (replaces the original system's '" + legacy + "': " + counts + " carried over)";
  }

  static List<String> consumerDiff(ConsumerConfiguration have, ConsumerConfiguration want) {
    List<String> d = new ArrayList<>();
    diff(d, "filter", have.getFilterSubject(), want.getFilterSubject());
    diff(d, "ack_policy", have.getAckPolicy(), want.getAckPolicy());
    diff(d, "ack_wait", have.getAckWait(), want.getAckWait());
    diff(d, "max_deliver", have.getMaxDeliver(), want.getMaxDeliver());
    diff(d, "max_ack_pending", have.getMaxAckPending(), want.getMaxAckPending());
    return d;
  }

  private Change ensureKv(String bucket, Duration ttl, MeshSettings mesh) throws IOException, JetStreamApiException, ProvisioningException {
    KeyValueManagement kvm = connection.keyValueManagement();
    KeyValueConfiguration want = KeyValueConfiguration.builder()
        .name(bucket)
        .ttl(ttl)
        .maxHistoryPerKey(1)
        .storageType(storage(mesh.storage()))
        .replicas(mesh.replicas())
        .build();
    KeyValueStatus existing = null;
    try {
      existing = kvm.getStatus(bucket);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != 10059) {
        throw e;
      }
    }
    if (existing != null) {
      if (existing.getTtl().equals(ttl) && existing.getReplicas() == mesh.replicas()) {
        return new Change("kv", bucket, Action.UNCHANGED, null);
      }
      KeyValueStatus after = kvm.update(want);
      check(after.getTtl().equals(ttl), "kv " + bucket + " ttl");
      return new Change("kv", bucket, Action.UPDATED, "ttl " + existing.getTtl() + "->" + ttl);
    }
    KeyValueStatus after = kvm.create(want);
    check(after.getTtl().equals(ttl), "kv " + bucket + " ttl");
    return new Change("kv", bucket, Action.CREATED, "ttl=" + ttl.toHours() + "h");
  }

  private Change ensureObjectStore(MeshSettings mesh) throws IOException, JetStreamApiException, ProvisioningException {
    ObjectStoreManagement osm = connection.objectStoreManagement();
    ObjectStoreStatus existing = null;
    try {
      existing = osm.getStatus(Subjects.BLOB_BUCKET);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != 10059) {
        throw e;
      }
    }
    if (existing != null) {
      if (existing.getTtl().equals(mesh.blobTtl())) {
        return new Change("objects", Subjects.BLOB_BUCKET, Action.UNCHANGED, null);
      }
      // The object store API of 2.9 has no update; adjust the backing stream's max age directly.
      StreamConfiguration sc = jsm.getStreamInfo("OBJ_" + Subjects.BLOB_BUCKET).getConfiguration();
      jsm.updateStream(StreamConfiguration.builder(sc).maxAge(mesh.blobTtl()).build());
      return new Change("objects", Subjects.BLOB_BUCKET, Action.UPDATED, "ttl " + existing.getTtl() + "->" + mesh.blobTtl());
    }
    ObjectStoreStatus after = osm.create(ObjectStoreConfiguration.builder(Subjects.BLOB_BUCKET)
        .ttl(mesh.blobTtl())
        .storageType(storage(mesh.storage()))
        .replicas(mesh.replicas())
        .build());
    check(after.getTtl().equals(mesh.blobTtl()), "object store ttl");
    return new Change("objects", Subjects.BLOB_BUCKET, Action.CREATED, "ttl=" + mesh.blobTtl().toHours() + "h");
  }

  private static void check(boolean ok, String what) throws ProvisioningException {
    if (!ok) {
      throw new ProvisioningException("the server ignored " + what, null);
    }
  }

  private static void diff(List<String> d, String name, Object have, Object want) {
    if (!Objects.equals(have, want)) {
      d.add(name + " " + have + "->" + want);
    }
  }
}
