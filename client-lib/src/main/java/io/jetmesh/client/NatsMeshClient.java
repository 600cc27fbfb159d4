package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.internal.Backoff;
import io.jetmesh.client.internal.Retry;
import io.jetmesh.protocol.CancelRequest;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobIds;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.protocol.Subjects;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.PublishOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MeshClient} over one NATS connection. Results of this client's jobs arrive on one core subscription
 * ({@code jetmesh.results.<client>.*}); since a core subscription misses what was published while the connection
 * was down, pending jobs are re-checked against the results stream after every reconnect and periodically.
 */
final class NatsMeshClient implements MeshClient {
  /** Between job publish attempts (plus up to 50 ms jitter), after the first failure: 200 ms, 400 ms, ... 5 s. */
  private static final Backoff PUBLISH_BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(5));
  /** Between lookup retries (status, result) while a stream has no leader. */
  private static final Backoff LOOKUP_BACKOFF = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(2));
  private static final Logger LOG = LoggerFactory.getLogger(NatsMeshClient.class);
  /** Extra time past a job's own limit before the client gives up waiting (the worker reports TIMEOUT itself). */
  private static final Duration TIMEOUT_GRACE = Duration.ofSeconds(10);
  private static final Duration SWEEP_AGE = Duration.ofSeconds(20);

  private final MeshOptions options;
  private final Connection connection;
  private final JetStream js;
  private final JetStreamManagement jsm;
  private final BlobClient blobs;
  private final String client;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService io;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile KeyValue statusKv;
  private volatile KeyValue cancelKv;

  /** A job whose result this client is waiting for. */
  private static final class Pending {
    final String jobId;
    final CompletableFuture<JobResult> future = new CompletableFuture<>();
    /** Completed on the stream's acknowledgement; {@link #close()} waits for it (or fails it). */
    final CompletableFuture<Void> stored = new CompletableFuture<>();
    final ProgressListener listener;
    final long createdNanos = System.nanoTime();
    volatile String resultSubject;
    volatile long lastCheckNanos = System.nanoTime();

    Pending(String jobId, ProgressListener listener, String resultSubject) {
      this.jobId = jobId;
      this.listener = listener;
      this.resultSubject = resultSubject;
    }
  }

  private NatsMeshClient(MeshOptions options, Connection connection) throws MeshException {
    this.options = options;
    this.connection = connection;
    this.client = options.clientId();
    try {
      this.js = connection.jetStream();
      this.jsm = connection.jetStreamManagement();
    } catch (IOException e) {
      throw new MeshException("JetStream is not available at " + options.describe() + ": " + e.getMessage(), e);
    }
    this.blobs = new BlobClient(connection);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "jetmesh-client-timer"));
    this.io = Executors.newCachedThreadPool(r -> daemon(r, "jetmesh-client-io"));
    this.dispatcher = connection.createDispatcher();
    dispatcher.subscribe(Subjects.resultsOf(client), this::onResult);
    dispatcher.subscribe(Subjects.progressOf(client), this::onProgress);
    try {
      connection.flush(options.requestTimeout());
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new MeshException("no answer from NATS at " + options.describe() + " within " + options.requestTimeout().toMillis() + "ms", e);
    }
    scheduler.scheduleWithFixedDelay(this::sweep, 5, 5, TimeUnit.SECONDS);
  }

  static NatsMeshClient connect(MeshOptions options) throws MeshException {
    Holder holder = new Holder();
    Connection nc = Connections.connect(options, options.connectionName() + "-" + options.clientId(), holder);
    try {
      NatsMeshClient c = new NatsMeshClient(options, nc);
      holder.client = c;
      c.requireProvisioned();
      return c;
    } catch (MeshException | RuntimeException e) {
      try {
        nc.close();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
  }

  /** Re-checks pending jobs after a reconnect; the holder breaks the construction cycle with the listener. */
  private static final class Holder implements ConnectionListener {
    volatile NatsMeshClient client;

    @Override
    public void connectionEvent(Connection conn, Events type) {
      NatsMeshClient c = client;
      if (c != null && (type == Events.RECONNECTED || type == Events.RESUBSCRIBED)) {
        LOG.info("jetmesh client {} reconnected; re-checking {} pending jobs", c.client, c.pending.size());
        c.io.execute(() -> c.recheck(true));
      }
    }
  }

  private void requireProvisioned() throws MeshException {
    try {
      jsm.getStreamInfo(Subjects.RESULTS_STREAM);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == 10059) {
        throw new MeshException("the mesh at " + options.describe() + " is not provisioned (stream "
            + Subjects.RESULTS_STREAM + " missing): run 'jetmesh provision'", e);
      }
      if (e.getErrorCode() == 403 || String.valueOf(e.getMessage()).contains("ermission")) {
        return; // a least-privilege client may not read stream info; the mesh may well be there
      }
      throw new MeshException("cannot check the mesh at " + options.describe() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      // No answer to a JetStream API request: JetStream disabled or not permitted. Jobs will fail visibly later.
      LOG.debug("cannot verify results stream: {}", e.toString());
    }
  }

  @Override
  public MeshOptions options() {
    return options;
  }

  // ------------------------------------------------------------------ submit

  @Override
  public JobSubmission submit(JobRequest request) {
    String jobId = request.jobId() != null ? request.jobId() : JobIds.newId();
    Pending p = new Pending(jobId, request.progressListener(), Subjects.result(client, jobId));
    Pending existing = pending.putIfAbsent(jobId, p);
    if (existing != null) {
      return new JobSubmission(jobId, existing.stored, existing.future);
    }
    CompletableFuture<JobResult> future = p.future;
    // A job that failed before it was stored (upload, validation, publish) fails its stored future the same way.
    future.whenComplete((r, e) -> {
      if (e != null) {
        p.stored.completeExceptionally(e);
      } else {
        p.stored.complete(null);
      }
    });
    future.whenComplete((r, e) -> {
      pending.remove(jobId, p);
      if (e instanceof CancellationException && !closed.get()) {
        cancel(jobId);
      }
    });
    if (closed.get()) {
      future.completeExceptionally(new MeshException("client is closed"));
      return new JobSubmission(jobId, p.stored, future);
    }
    NamespaceSpec ns;
    try {
      ns = options.registry().requireSubject(request.subject());
    } catch (IllegalArgumentException e) {
      future.completeExceptionally(e);
      return new JobSubmission(jobId, p.stored, future);
    }
    if (request.timeout() != null) {
      Duration wait = request.timeout().plus(TIMEOUT_GRACE);
      scheduler.schedule(() -> future.completeExceptionally(new TimeoutException(
          "no result for job " + jobId + " within " + request.timeout().toMillis() + "ms (+" + TIMEOUT_GRACE.toSeconds() + "s grace)")),
          wait.toMillis(), TimeUnit.MILLISECONDS);
    }
    CompletableFuture<InputRef> input = request.localFile() != null
        ? CompletableFuture.supplyAsync(() -> uploadForJob(request.localFile(), jobId), io)
        : CompletableFuture.completedFuture(request.input());
    input.thenCompose(in -> {
      if (in.isInline() && in.data().length > ns.limits().maxInlineSize()) {
        throw new CompletionException(new IllegalArgumentException("inline input of " + in.data().length
            + " bytes exceeds " + ns.name() + ".max_inline_size " + ns.limits().maxInlineSize() + "; upload it instead"));
      }
      JobEnvelope env = JobEnvelope.builder(request.subject(), in)
          .id(jobId)
          .options(request.options())
          .client(client)
          .submittedAt(Instant.now())
          .timeoutMs(request.timeout() == null ? null : request.timeout().toMillis())
          .pipeline(request.pipeline())
          .build();
      return publishJob(ns, env, 1);
    }).whenComplete((ack, e) -> {
      if (e != null) {
        future.completeExceptionally(unwrap(e));
        return;
      }
      p.stored.complete(null);
      if (ack.isDuplicate()) {
        // Submitted before (same id within the duplicate window): its result may already be stored.
        io.execute(() -> checkStored(p));
      } else if (options.trackQueuedStatus() && !options.queuedStatusDelay().isZero()) {
        scheduler.schedule(() -> recordQueued(jobId, request.subject(), future), options.queuedStatusDelay().toMillis(),
            TimeUnit.MILLISECONDS);
      }
    });
    return new JobSubmission(jobId, p.stored, future);
  }

  /**
   * Records {@code queued} for a job still waiting after {@link MeshOptions#queuedStatusDelay()}: jobs that finish
   * quickly cost no status write at all, and "only if no status exists yet" keeps a worker's {@code running} from
   * being overwritten.
   */
  private void recordQueued(String jobId, String subject, CompletableFuture<JobResult> future) {
    if (future.isDone() || closed.get()) {
      return;
    }
    try {
      js.publishAsync(statusSubject(jobId), Json.toBytes(queuedStatus(jobId, subject, Instant.now())),
          PublishOptions.builder().expectedLastSubjectSequence(0).build());
    } catch (RuntimeException e) {
      LOG.debug("status write for {} failed: {}", jobId, e.toString());
    }
  }

  private JobStatus queuedStatus(String jobId, String subject, Instant at) {
    return JobStatus.builder(jobId, JobState.QUEUED)
        .subject(subject)
        .resultSubject(Subjects.result(client, jobId))
        .submittedAt(at)
        .updatedAt(at)
        .build();
  }

  private String statusSubject(String jobId) {
    return Subjects.kvSubject(Subjects.STATUS_BUCKET, Subjects.jobKey(client, jobId));
  }

  private InputRef uploadForJob(Path file, String jobId) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new CompletionException(new MeshException("no such file: " + file));
      }
      String name = "uploads/" + jobId + "/" + file.getFileName();
      blobs.putFile(name, file, null);
      return new InputRef(new BlobClient.ObjectLocation(Subjects.BLOB_BUCKET, name).uri(), null,
          file.getFileName().toString(), null);
    } catch (MeshException e) {
      throw new CompletionException(e);
    }
  }

  private CompletableFuture<PublishAck> publishJob(NamespaceSpec ns, JobEnvelope env, int attempt) {
    byte[] body = Json.toBytes(env);
    if (body.length > ns.limits().maxMessageSize()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("job message of " + body.length
          + " bytes exceeds " + ns.name() + ".max_message_size " + ns.limits().maxMessageSize()));
    }
    Headers h = new Headers()
        .put(Protocol.HEADER_VERSION, String.valueOf(Protocol.VERSION))
        .put(Protocol.HEADER_JOB_ID, env.id())
        .put(Protocol.HEADER_CONTENT_TYPE, Protocol.CONTENT_TYPE_JSON);
    if (attempt == 1 && options.trackQueuedStatus() && options.queuedStatusDelay().isZero()) {
      // Written before the job on the same connection, so a worker's "running" cannot be overtaken by it.
      try {
        connection.publish(statusSubject(env.id()), Json.toBytes(queuedStatus(env.id(), env.subject(), env.submittedAt())));
      } catch (RuntimeException e) {
        LOG.debug("status write for {} failed: {}", env.id(), e.toString());
      }
    }
    PublishOptions po = PublishOptions.builder().messageId(Subjects.jobMessageId(client, env.id()))
        .expectedStream(ns.stream()).build();
    CompletableFuture<PublishAck> result = new CompletableFuture<>();
    CompletableFuture<PublishAck> f;
    try {
      f = js.publishAsync(env.messageSubject(), h, body, po);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((ack, e) -> {
      if (e == null) {
        result.complete(ack);
        return;
      }
      Throwable cause = unwrap(e);
      if (cause instanceof JetStreamApiException api && isStreamFull(api)) {
        result.completeExceptionally(new MeshBackpressureException("service '" + ns.name() + "' is backed up: stream "
            + ns.stream() + " holds its max_pending (" + ns.limits().maxPending() + ") jobs; retry later", api));
        return;
      }
      if (cause instanceof JetStreamApiException api && api.getApiErrorCode() == 10060) {
        result.completeExceptionally(new MeshException("stream " + ns.stream() + " does not take " + env.subject()
            + ": run 'jetmesh provision'", api));
        return;
      }
      if (attempt < options.publishAttempts() && !scheduler.isShutdown()) {
        long delay = PUBLISH_BACKOFF.delay(attempt).toMillis() + ThreadLocalRandom.current().nextLong(50);
        LOG.debug("publish of job {} failed ({}), retry {} in {}ms", env.id(), cause.toString(), attempt, delay);
        try {
          scheduler.schedule(() -> publishJob(ns, env, attempt + 1).whenComplete((a2, e2) -> {
            if (e2 != null) {
              result.completeExceptionally(unwrap(e2));
            } else {
              result.complete(a2);
            }
          }), delay, TimeUnit.MILLISECONDS);
          return;
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          // closed meanwhile: fail below instead of leaving the job's futures open
        }
      }
      result.completeExceptionally(new MeshException("cannot submit job " + env.id() + " to " + env.subject()
          + " after " + attempt + " attempts: " + cause.getMessage()
          + (String.valueOf(cause.getMessage()).contains("503") ? " (no JetStream responder: is the mesh provisioned?)" : ""), cause));
    });
    return result;
  }

  private static boolean isStreamFull(JetStreamApiException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase();
    return e.getApiErrorCode() == 10077 || m.contains("maximum messages exceeded") || m.contains("maximum bytes exceeded");
  }

  // ------------------------------------------------------------------ results and progress

  private void onResult(Message msg) {
    String jobId = Subjects.lastToken(msg.getSubject());
    Pending p = pending.get(jobId);
    if (p == null || p.future.isDone()) {
      return; // not ours any more, or a duplicate publish of a result we already have
    }
    complete(p, msg.getData());
  }

  private void complete(Pending p, byte[] data) {
    try {
      JobResult r = Json.fromBytes(data, JobResult.class);
      if (r.status() == JobState.COMPLETED) {
        p.future.complete(r);
      } else {
        p.future.completeExceptionally(new JobFailedException(r));
      }
    } catch (RuntimeException e) {
      p.future.completeExceptionally(new MeshException("malformed result for job " + p.jobId + ": " + e.getMessage(), e));
    }
  }

  private void onProgress(Message msg) {
    String jobId = Subjects.lastToken(msg.getSubject());
    Pending p = pending.get(jobId);
    if (p == null || p.listener == ProgressListener.NONE) {
      return;
    }
    try {
      p.listener.onProgress(Json.fromBytes(msg.getData(), ProgressEvent.class));
    } catch (RuntimeException e) {
      LOG.debug("progress listener of {} failed: {}", jobId, e.toString());
    }
  }

  /** Periodic safety net: jobs pending for a while are checked against the results stream. */
  private void sweep() {
    try {
      recheck(false);
    } catch (RuntimeException e) {
      LOG.debug("sweep failed: {}", e.toString());
    }
  }

  private void recheck(boolean all) {
    long now = System.nanoTime();
    for (Pending p : pending.values()) {
      if (p.future.isDone()) {
        continue;
      }
      if (all || now - p.createdNanos > SWEEP_AGE.toNanos() && now - p.lastCheckNanos > SWEEP_AGE.toNanos()) {
        checkStored(p);
      }
    }
  }

  private void checkStored(Pending p) {
    p.lastCheckNanos = System.nanoTime();
    try {
      MessageInfo mi = jsm.getLastMessage(Subjects.RESULTS_STREAM, p.resultSubject);
      if (mi != null && mi.getData() != null) {
        complete(p, mi.getData());
      }
    } catch (JetStreamApiException e) {
      // 10037: no message yet
    } catch (IOException | RuntimeException e) {
      LOG.debug("result check for {} failed: {}", p.jobId, e.toString());
    }
  }

  // ------------------------------------------------------------------ queries

  private KeyValue statusKv() throws IOException {
    KeyValue kv = statusKv;
    if (kv == null) {
      kv = connection.keyValue(Subjects.STATUS_BUCKET);
      statusKv = kv;
    }
    return kv;
  }

  private KeyValue cancelKv() throws IOException {
    KeyValue kv = cancelKv;
    if (kv == null) {
      kv = connection.keyValue(Subjects.CANCEL_BUCKET);
      cancelKv = kv;
    }
    return kv;
  }

  /** A job's status record and the client it belongs to (the first part of its key). */
  private record Located(String client, JobStatus status) {}

  /**
   * This client's status record of {@code jobId}; without a user name (token or no authentication, where one
   * process may look at another's jobs) also another client's, found by the key pattern {@code *.<job id>}. Under
   * per-user credentials a client may read only its own keys, so it does not ask for others.
   */
  private Optional<Located> locate(String jobId) throws IOException, JetStreamApiException {
    KeyValueEntry e = statusKv().get(Subjects.jobKey(client, jobId));
    if (e != null && e.getValue() != null && e.getValue().length > 0) {
      return Optional.of(new Located(client, Json.fromBytes(e.getValue(), JobStatus.class)));
    }
    if (options.user() != null) {
      return Optional.empty();
    }
    try {
      String kvPrefix = Subjects.kvSubject(Subjects.STATUS_BUCKET, "");
      MessageInfo mi = jsm.getLastMessage(Subjects.kvStream(Subjects.STATUS_BUCKET), kvPrefix + Subjects.jobKey("*", jobId));
      if (mi == null || mi.getData() == null || mi.getData().length == 0 || !mi.getSubject().startsWith(kvPrefix)) {
        return Optional.empty();
      }
      String owner = Subjects.clientOfKey(mi.getSubject().substring(kvPrefix.length()));
      return Optional.of(new Located(owner, Json.fromBytes(mi.getData(), JobStatus.class)));
    } catch (JetStreamApiException notFound) {
      return Optional.empty();
    }
  }

  private Optional<JobStatus> statusRecord(String jobId) throws IOException, JetStreamApiException {
    return locate(jobId).map(Located::status);
  }

  private Optional<JobResult> storedResult(String jobId, String resultSubject) throws IOException {
    try {
      MessageInfo mi = jsm.getLastMessage(Subjects.RESULTS_STREAM,
          resultSubject != null ? resultSubject : Subjects.RESULTS_PREFIX + ".*." + jobId);
      return mi == null || mi.getData() == null ? Optional.empty() : Optional.of(Json.fromBytes(mi.getData(), JobResult.class));
    } catch (JetStreamApiException e) {
      return Optional.empty();
    }
  }

  @Override
  public CompletableFuture<Optional<JobStatus>> status(String jobId) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return withRetry(() -> statusNow(jobId));
      } catch (IOException | JetStreamApiException e) {
        throw new CompletionException(new MeshException("cannot read status of " + jobId + ": " + e.getMessage(), e));
      }
    }, io);
  }

  private Optional<JobStatus> statusNow(String jobId) throws IOException, JetStreamApiException {
    Optional<Located> located = locate(jobId);
    Optional<JobStatus> rec = located.map(Located::status);
    String owner = located.map(Located::client).orElse(client);
    Optional<JobResult> res = storedResult(jobId, Subjects.result(owner, jobId));
    if (res.isEmpty() && rec.isEmpty() && options.user() == null) {
      res = storedResult(jobId, null); // any client's result subject for this id
    }
    boolean cancelRequested = cancelKv().get(Subjects.jobKey(owner, jobId)) != null;
    if (res.isPresent()) {
      JobResult r = res.get();
      JobStatus base = rec.orElse(null);
      return Optional.of(JobStatus.builder(jobId, r.status())
          .subject(r.subject())
          .resultSubject(base != null ? base.resultSubject() : null)
          .attempts(r.attempts())
          .worker(r.worker())
          .submittedAt(r.submittedAt())
          .startedAt(r.startedAt())
          .updatedAt(r.finishedAt())
          .finishedAt(r.finishedAt())
          .progress(base != null ? base.progress() : null)
          .error(r.error())
          .cancelRequested(cancelRequested ? true : null)
          .build());
    }
    return rec.map(s -> cancelRequested && !s.isCancelRequested()
        ? s.toBuilder().cancelRequested(true).build()
        : s);
  }

  @Override
  public CompletableFuture<Optional<JobResult>> result(String jobId) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return withRetry(() -> {
          // This client's own jobs need no status lookup; another client's result subject is in the status record.
          Optional<JobResult> own = storedResult(jobId, Subjects.result(client, jobId));
          if (own.isPresent()) {
            return own;
          }
          // the owner comes from the status record's key, never from its (writable) result_subject field
          Optional<Located> located = locate(jobId);
          if (located.isEmpty()) {
            return storedResult(jobId, null); // any client's result subject for this id
          }
          String owner = located.get().client();
          return owner.equals(client) ? own : storedResult(jobId, Subjects.result(owner, jobId));
        });
      } catch (IOException | JetStreamApiException e) {
        throw new CompletionException(new MeshException("cannot read result of " + jobId + ": " + e.getMessage(), e));
      }
    }, io);
  }

  private interface Lookup<T> {
    T get() throws IOException, JetStreamApiException;
  }

  /**
   * Retries a read that timed out for up to {@link MeshOptions#requestTimeout()} x 2: in a cluster, a stream whose
   * leader just died answers nothing for a few seconds until a new leader is elected.
   */
  private <T> T withRetry(Lookup<T> lookup) throws IOException, JetStreamApiException {
    try {
      return Retry.of(LOOKUP_BACKOFF, options.requestTimeout().multipliedBy(2)).stopWhen(closed::get)
          .call(lookup::get, e -> {
            if (!(e instanceof IOException)) {
              return false;
            }
            statusKv = null; // rebind after a leader change
            cancelKv = null;
            return true;
          });
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("unexpected " + e, e); // Lookup declares only the two above
    }
  }

  @Override
  public CompletableFuture<JobResult> await(String jobId, ProgressListener listener) {
    Pending fresh = new Pending(jobId, listener == null ? ProgressListener.NONE : listener, null);
    Pending existing = pending.putIfAbsent(jobId, fresh);
    Pending p = existing != null ? existing : fresh;
    if (existing == null) {
      p.future.whenComplete((r, e) -> pending.remove(jobId, p));
      io.execute(() -> {
        try {
          Optional<Located> located = locate(jobId);
          String subject = located.map(l -> Subjects.result(l.client(), jobId)).orElse(null);
          if (subject != null && !located.get().client().equals(client)) {
            // Another client's job: listen on its result subject directly.
            io.nats.client.Subscription sub = dispatcher.subscribe(subject, m -> complete(p, m.getData()));
            p.future.whenComplete((r, e) -> dispatcher.unsubscribe(sub));
          }
          p.resultSubject = subject != null ? subject : Subjects.RESULTS_PREFIX + ".*." + jobId;
          checkStored(p);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
          p.future.completeExceptionally(new MeshException("cannot look up job " + jobId + ": " + e.getMessage(), e));
        }
      });
    }
    return p.future;
  }

  @Override
  public CompletableFuture<Void> cancel(String jobId) {
    return CompletableFuture.runAsync(() -> {
      try {
        String owner = locate(jobId).map(Located::client).orElse(client);
        cancelKv().put(Subjects.jobKey(owner, jobId), Json.toBytes(new CancelRequest(Protocol.VERSION, jobId, "cancelled by client " + client, Instant.now())));
      } catch (IOException | JetStreamApiException e) {
        throw new CompletionException(new MeshException("cannot cancel " + jobId + ": " + e.getMessage(), e));
      }
    }, io);
  }

  @Override
  public CompletableFuture<JsonNode> output(JobResult result) {
    if (result.output() != null || result.outputRef() == null) {
      return CompletableFuture.completedFuture(result.output());
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return Json.tree(blobs.getBytes(result.outputRef().uri()));
      } catch (MeshException e) {
        throw new CompletionException(e);
      }
    }, io);
  }

  @Override
  public CompletableFuture<String> upload(Path file) {
    return CompletableFuture.supplyAsync(() -> uploadForJob(file, JobIds.newId()).uri(), io);
  }

  @Override
  public InputStream openBlob(String uri) throws MeshException {
    return blobs.open(uri);
  }

  @Override
  public Batch batch(int maxInFlight) {
    return new Batch(this, maxInFlight);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    awaitStored();
    for (Pending p : pending.values()) {
      p.stored.completeExceptionally(new MeshException("client closed before the mesh acknowledged job " + p.jobId
          + ": it may or may not be stored; submit it again with the same job id (duplicates are dropped)"));
      p.future.completeExceptionally(new MeshException("client closed while waiting for job " + p.jobId));
    }
    scheduler.shutdownNow();
    io.shutdown();
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits (up to {@link MeshOptions#requestTimeout()} x 2, long enough for a stream leader election) for the
   * submissions still uploading or publishing: a job handed to {@link #submit} is stored or visibly failed, never
   * dropped because the caller closed the client right after submitting.
   */
  private void awaitStored() {
    CompletableFuture<?>[] inFlight = pending.values().stream().map(p -> p.stored).filter(f -> !f.isDone())
        .toArray(CompletableFuture[]::new);
    if (inFlight.length == 0) {
      return;
    }
    long waitMs = options.requestTimeout().toMillis() * 2;
    try {
      CompletableFuture.allOf(inFlight).get(waitMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      // the failed or still unacknowledged ones are failed by close()
    }
  }

  private static Throwable unwrap(Throwable e) {
    // jnats completes a failed publishAsync with RuntimeException(JetStreamApiException): unwrap that too, so a full
    // stream is recognised as backpressure instead of being retried as a transport failure.
    while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException
        || e.getClass() == RuntimeException.class && e.getCause() instanceof JetStreamApiException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
