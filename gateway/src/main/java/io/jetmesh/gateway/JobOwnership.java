package io.jetmesh.gateway;

import io.jetmesh.client.MeshException;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshSettings;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which gateway caller submitted which job and uploaded which blob, kept in the mesh (the key-value bucket
 * {@value Subjects#GATEWAY_JOBS_BUCKET}) rather than in this process: a gateway that restarts, or another gateway
 * behind the same load balancer, answers the same. Keys: {@code job.<job id>}, {@code upload.<sha256 of the
 * blob URI>} and {@code task.<task id>} (a docling-serve task: the jobs of one request, see {@link DoclingServeApi}).
 *
 * <p>A record is written with "create" (only if the key is absent) before its job is published, and never changed,
 * so nobody can take over a job by writing its record again, and records can be cached here without invalidation.
 * Only gateways write the bucket; NATS permissions keep other clients out of it.
 */
final class JobOwnership {
  /** The durable facts about a job submitted through a gateway. */
  record JobRecord(String owner, String subject, String input, Instant submittedAt) {
    JobRecord {
      Objects.requireNonNull(owner, "owner == null");
    }
  }

  /** Who uploaded a blob through a gateway. */
  record UploadRecord(String owner, String uri) {}

  private static final int CACHE_SIZE = 10_000;
  /**
   * How long "no record" is remembered. Safe to cache: a job's record is written before its id is known to anyone,
   * so an id without a record is one that no gateway submitted (or whose record expired).
   */
  private static final long MISSING_TTL_NANOS = Duration.ofSeconds(30).toNanos();

  private final KeyValue kv;
  private final io.nats.client.JetStreamManagement jsm;
  private final Map<String, JobRecord> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JobRecord> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  private final Map<String, Long> missing = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  private JobOwnership(KeyValue kv, io.nats.client.JetStreamManagement jsm) {
    this.kv = kv;
    this.jsm = jsm;
  }

  /**
   * Binds to the bucket; creates it when it is missing and this connection may (an embedded or admin-run mesh).
   *
   * @throws MeshException the bucket is missing and cannot be created: the message says to run {@code jetmesh provision}
   */
  static JobOwnership open(Connection connection, MeshSettings mesh) throws MeshException {
    String bucket = Subjects.GATEWAY_JOBS_BUCKET;
    try {
      KeyValueManagement kvm = connection.keyValueManagement();
      try {
        kvm.getStatus(bucket);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != 10059) {
          throw e;
        }
        // as 'jetmesh provision' does: as long as the longest-lived thing of a job (result, blobs, dead letter)
        Duration ttl = mesh.resultTtl();
        for (Duration d : new Duration[] {mesh.deadLetterTtl(), mesh.blobTtl()}) {
          ttl = d.compareTo(ttl) > 0 ? d : ttl;
        }
        kvm.create(KeyValueConfiguration.builder().name(bucket).ttl(ttl).maxHistoryPerKey(1)
            .storageType("memory".equals(mesh.storage()) ? StorageType.Memory : StorageType.File)
            .replicas(mesh.replicas()).build());
      }
      return new JobOwnership(connection.keyValue(bucket), connection.jetStreamManagement());
    } catch (JetStreamApiException | IOException e) {
      throw new MeshException("the gateway's job ownership bucket '" + bucket + "' is not usable (" + e.getMessage()
          + "): run 'jetmesh provision' against this mesh, and give the gateway's NATS user access to $KV." + bucket
          + ".> (see docs/gateway.md)", e);
    }
  }

  /**
   * Records a job before it is published.
   *
   * @throws IOException the record cannot be written (the job must then not be submitted)
   */
  void recordJob(String jobId, JobRecord record) throws IOException {
    try {
      kv.create("job." + jobId, Json.toBytes(record));
    } catch (JetStreamApiException e) {
      throw new IOException("cannot record the owner of job " + jobId + ": " + e.getMessage(), e);
    }
    synchronized (cache) {
      cache.put(jobId, record);
      missing.remove(jobId);
    }
  }

  /** The job's record, or empty when no gateway submitted it (or its record expired). */
  Optional<JobRecord> job(String jobId) throws IOException {
    if (!Subjects.isToken(jobId)) {
      return Optional.empty();
    }
    synchronized (cache) {
      JobRecord r = cache.get(jobId);
      if (r != null) {
        return Optional.of(r);
      }
      Long since = missing.get(jobId);
      if (since != null && System.nanoTime() - since < MISSING_TTL_NANOS) {
        return Optional.empty();
      }
    }
    KeyValueEntry e;
    try {
      e = kv.get("job." + jobId);
    } catch (JetStreamApiException ex) {
      throw new IOException("cannot read the owner of job " + jobId + ": " + ex.getMessage(), ex);
    }
    if (e == null || e.getValue() == null) {
      synchronized (cache) {
        missing.put(jobId, System.nanoTime());
      }
      return Optional.empty();
    }
    JobRecord r = Json.fromBytes(e.getValue(), JobRecord.class);
    synchronized (cache) {
      cache.put(jobId, r);
      missing.remove(jobId);
    }
    return Optional.of(r);
  }

  /**
   * Records a docling-serve task (its owner and jobs) before its id is given to anyone. Only
   * {@code /v1/clear/results} removes one.
   */
  void recordTask(String taskId, DoclingServeApi.TaskRecord record) throws IOException {
    try {
      kv.create("task." + taskId, Json.toBytes(record));
    } catch (JetStreamApiException e) {
      throw new IOException("cannot record task " + taskId + ": " + e.getMessage(), e);
    }
  }

  /** The task's record, or empty when no gateway made it (or it expired or was cleared). */
  Optional<DoclingServeApi.TaskRecord> task(String taskId) throws IOException {
    if (!Subjects.isToken(taskId)) {
      return Optional.empty();
    }
    try {
      KeyValueEntry e = kv.get("task." + taskId);
      if (e == null || e.getValue() == null) {
        return Optional.empty();
      }
      return Optional.of(Json.fromBytes(e.getValue(), DoclingServeApi.TaskRecord.class));
    } catch (JetStreamApiException e) {
      throw new IOException("cannot read task " + taskId + ": " + e.getMessage(), e);
    }
  }

  /**
   * The ids of all recorded tasks (for {@code /v1/clear/results}), from the bucket stream's subject list: stream
   * info is a request the gateway's NATS user may already make, where listing keys would need a consumer.
   */
  java.util.List<String> taskIds() throws IOException {
    String prefix = io.nats.client.support.NatsKeyValueUtil.toKeyPrefix(Subjects.GATEWAY_JOBS_BUCKET) + "task.";
    try {
      io.nats.client.api.StreamInfo info = jsm.getStreamInfo(
          io.nats.client.support.NatsKeyValueUtil.toStreamName(Subjects.GATEWAY_JOBS_BUCKET),
          io.nats.client.api.StreamInfoOptions.filterSubjects(prefix + "*"));
      java.util.List<io.nats.client.api.Subject> subjects = info.getStreamState().getSubjects();
      return subjects == null ? java.util.List.of()
          : subjects.stream().map(io.nats.client.api.Subject::getName).filter(n -> n.startsWith(prefix))
              .map(n -> n.substring(prefix.length())).toList();
    } catch (JetStreamApiException e) {
      throw new IOException("cannot list tasks: " + e.getMessage(), e);
    }
  }

  /** Removes a task's record: its id is unknown from now on (its jobs' results expire with the mesh's result_ttl). */
  void deleteTask(String taskId) throws IOException {
    try {
      kv.purge("task." + taskId);
    } catch (JetStreamApiException e) {
      throw new IOException("cannot remove task " + taskId + ": " + e.getMessage(), e);
    }
  }

  /** Records who uploaded the blob at {@code uri}. */
  void recordUpload(String uri, String owner) throws IOException {
    try {
      kv.create("upload." + sha256(uri), Json.toBytes(new UploadRecord(owner, uri)));
    } catch (JetStreamApiException e) {
      throw new IOException("cannot record the owner of " + uri + ": " + e.getMessage(), e);
    }
  }

  /** Who uploaded {@code uri} through a gateway, if one did. */
  Optional<String> uploadOwner(String uri) throws IOException {
    try {
      KeyValueEntry e = kv.get("upload." + sha256(uri));
      if (e == null || e.getValue() == null) {
        return Optional.empty();
      }
      UploadRecord r = Json.fromBytes(e.getValue(), UploadRecord.class);
      return uri.equals(r.uri()) ? Optional.of(r.owner()) : Optional.empty();
    } catch (JetStreamApiException e) {
      throw new IOException("cannot read the owner of " + uri + ": " + e.getMessage(), e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
