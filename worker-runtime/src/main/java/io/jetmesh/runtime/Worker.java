package io.jetmesh.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.BlobClient;
import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshException;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.PipelineStage;
import io.jetmesh.protocol.Progress;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.ProtocolException;
import io.jetmesh.protocol.StageSummary;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.WorkerModule;
import io.jetmesh.worker.batch.BatchFunction;
import io.jetmesh.worker.batch.DynamicBatcher;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.support.JsonParser;
import io.nats.service.Service;
import io.nats.service.ServiceBuilder;
import io.nats.service.ServiceEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker of one service: pulls jobs from the namespace's durable consumer and runs the module's handlers, with
 * all the plumbing handlers never see.
 *
 * <ul>
 *   <li>Bounded work: at most {@code concurrency} handlers run and {@code prefetch} more jobs are held; a fetch asks
 *       for exactly the free slots, so nothing piles up unheartbeated in a client buffer.</li>
 *   <li>Heartbeats: every held job gets {@code inProgress()} each third of the consumer's ack wait, so a short ack
 *       wait detects a dead worker without killing long jobs.</li>
 *   <li>Ack after durable result: the result's PubAck is awaited before the job is acked. A redelivered job whose
 *       result already exists is acked without running again.</li>
 *   <li>Failures: retryable codes are nak'ed with the yaml backoff; the last allowed delivery, and jobs whose worker
 *       died on the last delivery (the server's max-deliveries advisory), become a {@code dead} result plus a
 *       dead-letter record; permanent failures get a {@code failed} result and are terminated at once.</li>
 *   <li>Time limits and cancellation: the context reports cancelled at the deadline; a handler that ignores it is
 *       abandoned after a grace period and answered {@code TIMEOUT}, so the worker keeps serving.</li>
 * </ul>
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  /** How long a handler may run past its deadline (after being told) before it is abandoned. */
  static final Duration ABANDON_GRACE = Duration.ofSeconds(3);
  /** How often deadlines and the delayed running status are checked (deadlines fire at most this late). */
  static final Duration WATCHDOG_TICK = Duration.ofMillis(50);
  /** Jobs still running after this get a {@code running} status record; shorter jobs only get their result. */
  static final Duration RUNNING_STATUS_AFTER = Duration.ofMillis(250);
  private static final Duration FETCH_EXPIRY = Duration.ofSeconds(2);
  private static final int MAX_FETCH = 256;
  private static final Duration PUBLISH_PATIENCE = Duration.ofSeconds(30);
  private static final String VERSION = io.jetmesh.protocol.JetmeshVersion.get();

  private final WorkerSettings settings;
  private final NamespaceSpec ns;
  private final WorkerModule module;
  private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
  private final Map<String, Execution> held = new ConcurrentHashMap<>();
  private final Map<String, Long> cancelRequests = new ConcurrentHashMap<>();
  private final List<DynamicBatcher<?, ?>> batchers = new ArrayList<>();
  private final Semaphore slots;
  private final Semaphore runners;
  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private final AtomicInteger stuck = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong totalRunMillis = new AtomicLong();
  private volatile double recentSecondsPerJob;
  private volatile boolean draining;
  private volatile boolean stopped;
  private volatile boolean connected = true;
  private Connection connection;
  private JetStream js;
  private JetStreamManagement jsm;
  private BlobClient blobs;
  private InputStores inputs;
  private ConsumerContext consumer;
  private Thread fetchThread;
  private Service service;
  private HealthServer health;
  private Dispatcher dispatcher;
  private Duration heartbeatEvery;
  private final String host;

  private Worker(WorkerSettings settings, WorkerModule module) {
    this.settings = settings;
    this.ns = settings.namespace();
    this.module = module;
    this.slots = new Semaphore(settings.concurrency() + settings.prefetch());
    this.runners = new Semaphore(settings.concurrency());
    this.pool = Executors.newCachedThreadPool(r -> thread(r, settings.workerId() + "-job"));
    java.util.concurrent.ScheduledThreadPoolExecutor t =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> thread(r, settings.workerId() + "-timer"));
    // Every job schedules its deadline and cancels it when done: without this the queue would hold every
    // finished job's deadline task until it expires.
    t.setRemoveOnCancelPolicy(true);
    this.timer = t;
    String h;
    try {
      h = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      h = "unknown";
    }
    this.host = h;
  }

  /**
   * Connects, checks that the namespace is provisioned, registers the module's handlers, and starts pulling.
   *
   * @throws WorkerStartException with a message naming the problem (bad URL, refused credentials, missing stream or
   *     consumer, a module that failed to load its models)
   */
  public static Worker start(WorkerSettings settings, WorkerModule module) throws WorkerStartException {
    Objects.requireNonNull(module, "module == null");
    RuntimeDefaults.apply();
    if (!module.namespace().equals(settings.namespace().name())) {
      throw new WorkerStartException("module serves '" + module.namespace() + "' but the worker is set up for '"
          + settings.namespace().name() + "'", null);
    }
    Worker w = new Worker(settings, module);
    try {
      w.startInternal();
      return w;
    } catch (WorkerStartException e) {
      w.close();
      throw e;
    } catch (RuntimeException e) {
      w.close();
      throw new WorkerStartException(settings.workerId() + " - failed to start: " + e, e);
    }
  }

  private void startInternal() throws WorkerStartException {
    String id = settings.workerId();
    try {
      connection = Connections.connect(settings.mesh(), id, new ConnectionListener() {
        @Override
        public void connectionEvent(Connection conn, Events type) {
          switch (type) {
            case DISCONNECTED -> {
              connected = false;
              if (!stopped) {
                LOG.warn("{} - disconnected from NATS; reconnecting", id);
              }
            }
            case CLOSED -> connected = false;
            case RECONNECTED, CONNECTED, RESUBSCRIBED -> connected = true;
            default -> { }
          }
        }
      });
      js = connection.jetStream();
      jsm = connection.jetStreamManagement();
    } catch (MeshException e) {
      throw new WorkerStartException(id + " - " + e.getMessage(), e);
    } catch (IOException e) {
      throw new WorkerStartException(id + " - JetStream unavailable: " + e.getMessage(), e);
    }
    ConsumerInfo ci;
    try {
      ci = jsm.getConsumerInfo(ns.stream(), ns.workerGroup());
    } catch (JetStreamApiException e) {
      String what = e.getApiErrorCode() == 10059 ? "stream " + ns.stream() + " does not exist"
          : e.getApiErrorCode() == 10014 ? "consumer " + ns.workerGroup() + " does not exist on stream " + ns.stream()
          : e.getMessage();
      throw new WorkerStartException(id + " - " + what + ": run 'jetmesh provision' against " + settings.mesh().describe(), e);
    } catch (IOException e) {
      throw new WorkerStartException(id + " - cannot read consumer " + ns.workerGroup() + ": " + e.getMessage()
          + " (is JetStream enabled, and may this user read the JetStream API?)", e);
    }
    Duration ackWait = ci.getConsumerConfiguration().getAckWait();
    heartbeatEvery = Duration.ofMillis(Math.max(200, ackWait.toMillis() / 3));
    blobs = new BlobClient(connection);
    inputs = new InputStores(blobs, settings.s3(), settings.allowFileInputs(), ns::allowsS3Bucket);
    if (ns.s3Buckets() == null && settings.s3().endpoint() != null) {
      LOG.warn("{} - jobs of {} may name any s3:// bucket this worker's credentials reach; list the allowed ones in"
          + " namespaces.yaml s3_buckets", id, ns.name());
    }
    try {
      Files.createDirectories(settings.scratchRoot());
      Files.createDirectories(settings.cacheDir());
    } catch (IOException e) {
      throw new WorkerStartException(id + " - cannot create scratch/cache directories: " + e.getMessage(), e);
    }
    try {
      module.register(new Registry());
    } catch (Exception e) {
      throw new WorkerStartException(id + " - module " + module.namespace() + " failed to initialise: " + e.getMessage(), e);
    }
    for (String op : ns.operations()) {
      if (!handlers.containsKey(op)) {
        LOG.warn("{} - no handler for {}.{}; such jobs get an UNSUPPORTED failure", id, ns.subjectPrefix(), op);
      }
    }
    dispatcher = connection.createDispatcher();
    dispatcher.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + ns.stream() + "." + ns.workerGroup(),
        ns.workerGroup() + "_dlq", msg -> pool.execute(() -> onMaxDeliveries(msg)));
    watchCancellations();
    try {
      consumer = js.getConsumerContext(ns.stream(), ns.workerGroup());
    } catch (IOException | JetStreamApiException e) {
      throw new WorkerStartException(id + " - cannot bind to consumer " + ns.workerGroup() + ": " + e.getMessage(), e);
    }
    startService();
    if (settings.httpPort() > 0) {
      try {
        health = new HealthServer(settings.httpPort(), this::isHealthy, this::isReady, this::describe);
      } catch (IOException e) {
        throw new WorkerStartException(id + " - cannot listen on HTTP port " + settings.httpPort() + ": " + e.getMessage(), e);
      }
    }
    timer.scheduleWithFixedDelay(this::heartbeat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::sampleLag, 1, 10, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(this::watchdog, WATCHDOG_TICK.toMillis(), WATCHDOG_TICK.toMillis(), TimeUnit.MILLISECONDS);
    fetchThread = thread(this::fetchLoop, id + "-fetch");
    fetchThread.start();
    LOG.info("{} - serving {} ({}) with concurrency {}, prefetch {}, ack wait {}s, on {}", id, ns.subjectPrefix() + ".*",
        String.join(",", handlers.keySet()), settings.concurrency(), settings.prefetch(), ackWait.toSeconds(),
        settings.mesh().describe());
  }

  // ------------------------------------------------------------ accessors for Execution

  String id() {
    return settings.workerId();
  }

  NamespaceSpec namespace() {
    return ns;
  }

  WorkerSettings settings() {
    return settings;
  }

  BlobClient blobs() {
    return blobs;
  }

  InputStores inputs() {
    return inputs;
  }

  /** The namespaces.yaml entry this worker serves, e.g. {@code pdf}. */
  public String namespaceName() {
    return ns.name();
  }

  public String workerId() {
    return settings.workerId();
  }

  /** Jobs held (running or fetched ahead). */
  public int inFlight() {
    return held.size();
  }

  public boolean isReady() {
    return !stopped && !draining && connected && connection != null
        && connection.getStatus() == Connection.Status.CONNECTED;
  }

  public boolean isHealthy() {
    return !stopped && stuck.get() < settings.concurrency();
  }

  public String describe() {
    return String.format("%s namespace=%s in_flight=%d/%d completed=%d failed=%d stuck=%d connected=%s draining=%s",
        id(), ns.name(), held.size(), settings.concurrency() + settings.prefetch(), completed.get(), failed.get(),
        stuck.get(), connected, draining);
  }

  /** The HTTP port actually bound (0 when off). */
  public int httpPort() {
    return health == null ? 0 : health.port();
  }

  // ------------------------------------------------------------ registration

  private final class Registry implements HandlerRegistry, WorkerEnvironment {
    @Override
    public HandlerRegistry handle(String operation, JobHandler handler) {
      if (!ns.operations().contains(operation)) {
        throw new IllegalArgumentException("namespace " + ns.name() + " has no operation '" + operation
            + "' in namespaces.yaml (operations: " + ns.operations() + ")");
      }
      handlers.put(operation, Objects.requireNonNull(handler, "handler == null"));
      return this;
    }

    @Override public WorkerEnvironment environment() { return this; }
    @Override public String workerId() { return id(); }
    @Override public int concurrency() { return settings.concurrency(); }
    @Override public Path cacheDir() { return settings.cacheDir(); }

    @Override
    public InputStream openBlob(String uri) throws IOException {
      return inputs.openBlob(uri);
    }

    @Override
    public <I, O> DynamicBatcher<I, O> batcher(String name, int maxBatch, Duration maxWait, BatchFunction<I, O> function) {
      DynamicBatcher<I, O> b = new DynamicBatcher<>(name, maxBatch, maxWait, function,
          n -> RuntimeMetrics.BATCH_SIZE.labelValues(name).observe(n));
      synchronized (batchers) {
        batchers.add(b);
      }
      return b;
    }
  }

  // ------------------------------------------------------------ pulling

  private void fetchLoop() {
    long backoffMs = 100;
    while (!stopped && !draining) {
      int want;
      try {
        if (!slots.tryAcquire(500, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      want = 1 + slots.drainPermits();
      if (want > MAX_FETCH) {
        slots.release(want - MAX_FETCH);
        want = MAX_FETCH;
      }
      int got = 0;
      try {
        FetchConsumer fc = consumer.fetch(FetchConsumeOptions.builder().maxMessages(want)
            .expiresIn(FETCH_EXPIRY.toMillis()).build());
        Message m;
        while ((m = fc.nextMessage()) != null) {
          got++;
          if (draining || stopped) {
            handBack(m);
            slots.release();
            continue;
          }
          Message msg = m;
          pool.execute(() -> process(msg));
        }
        backoffMs = 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        slots.release(want - got);
        return;
      } catch (Exception e) {
        if (!stopped && !draining) {
          LOG.warn("{} - fetch from {} failed: {}; retrying in {}ms", id(), ns.workerGroup(), e.getMessage(), backoffMs);
          sleepQuietly(backoffMs);
          backoffMs = Math.min(5000, backoffMs * 2);
        }
      }
      slots.release(want - got);
    }
  }

  private static void handBack(Message m) {
    try {
      m.nak();
    } catch (RuntimeException ignored) {
      // the server redelivers after the ack wait anyway
    }
  }

  // ------------------------------------------------------------ processing one delivery

  private void process(Message msg) {
    NatsJetStreamMetaData meta;
    JobEnvelope env;
    try {
      meta = msg.metaData();
    } catch (RuntimeException e) {
      LOG.warn("{} - got a non-JetStream message on {}: {}", id(), msg.getSubject(), e.getMessage());
      slots.release();
      return;
    }
    int delivery = (int) meta.deliveredCount();
    // The client a result goes to comes from the subject (<operation subject>.<client>), which setup.sh's
    // permissions tie to the publishing user; an envelope naming another client is refused, answered to the sender.
    String publisher = Subjects.clientOfJob(msg.getSubject());
    String forgedClient = null;
    try {
      env = Json.fromBytes(msg.getData(), JobEnvelope.class);
      if (!ns.owns(env.subject()) || !env.messageSubject().equals(msg.getSubject())) {
        if (ns.owns(env.subject()) && Subjects.job(env.subject(), publisher).equals(msg.getSubject())
            && Subjects.isToken(publisher)) {
          forgedClient = env.client();
          env = env.forClient(publisher);
        } else {
          throw new ProtocolException("envelope subject " + env.subject() + " and client " + env.client()
              + " do not match message subject " + msg.getSubject() + " (expected " + env.messageSubject() + ")");
        }
      }
    } catch (ProtocolException e) {
      malformed(msg, meta, e.getMessage());
      slots.release();
      return;
    }
    long timeoutMs = env.timeoutMs() != null ? Math.min(env.timeoutMs(), ns.limits().jobTimeout().toMillis())
        : ns.limits().jobTimeout().toMillis();
    Execution ex = new Execution(this, msg, env, delivery, meta.streamSequence(), timeoutMs);
    String key = env.id() + "#" + meta.streamSequence();
    held.put(key, ex);
    RuntimeMetrics.IN_FLIGHT.labelValues(ns.name()).set(held.size());
    if (delivery > 1) {
      RuntimeMetrics.REDELIVERIES.labelValues(ns.name()).inc();
    }
    boolean gotRunner = false;
    try {
      if (forgedClient != null) {
        answerFailure(ex, new JobException(ErrorCode.INVALID_INPUT, "the envelope's client '" + forgedClient
            + "' is not the client '" + publisher + "' of the subject " + msg.getSubject()
            + ": a client submits only its own jobs (publish to " + Subjects.job(env.subject(), "<your client id>") + ")"));
        return;
      }
      java.util.Optional<String> overLimit = ns.optionLimits().violation(env.options());
      if (overLimit.isPresent()) {
        // options may only tighten the service's limits (namespaces.yaml option_limits), never loosen them
        answerFailure(ex, JobException.tooLarge(overLimit.get()));
        return;
      }
      if (delivery > 1 && env.pipeline().isEmpty() && resultExists(env)) {
        // A previous attempt stored the result but its ack was lost (the worker died in between).
        ex.markFinished();
        ackQuietly(msg);
        count(ex, "skipped_duplicate");
        return;
      }
      if (cancelRequests.containsKey(Subjects.jobKey(env.client(), env.reportId()))) {
        ex.cancelRequested = true;
        answerFailure(ex, new JobException(ErrorCode.CANCELLED, "job " + env.reportId() + " was cancelled before it started"));
        return;
      }
      runners.acquire();
      gotRunner = true;
      if (ex.isFinished()) {
        return; // handed back during drain while waiting for a runner
      }
      run(ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (ex.markFinished()) {
        handBack(msg);
      }
    } finally {
      if (gotRunner) {
        releaseRunner(ex);
      }
      release(ex, key);
    }
  }

  /** Returns the execution's runner permit exactly once (its own thread, or the abandon path for a stuck handler). */
  private void releaseRunner(Execution ex) {
    if (ex.markRunnerReleased()) {
      runners.release();
    }
  }

  private void release(Execution ex, String key) {
    if (ex.markReleased()) {
      held.remove(key);
      RuntimeMetrics.IN_FLIGHT.labelValues(ns.name()).set(held.size());
      ex.cleanup();
      slots.release();
    }
  }

  private void run(Execution ex) {
    JobEnvelope env = ex.envelope;
    String op = ns.operationOf(env.subject());
    JobHandler handler = handlers.get(op);
    if (handler == null) {
      answerFailure(ex, JobException.unsupported("this worker (" + id() + ") has no handler for " + env.subject()));
      return;
    }
    ex.runner = Thread.currentThread();
    long timeoutMs = ex.deadline().toEpochMilli() - ex.startedAt.toEpochMilli();
    // the watchdog writes the running status and enforces the deadline (no timer task per job: see watchdog())
    long now = System.nanoTime();
    ex.runningStatusDueNanos = now + RUNNING_STATUS_AFTER.toNanos();
    ex.deadlineDueNanos = now + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    ex.watched = true;
    HandlerResult result = null;
    JobException failure = null;
    ex.handlerRunning = true;
    try {
      result = handler.handle(ex);
      if (result == null) {
        failure = new JobException(ErrorCode.INTERNAL, "handler for " + env.subject() + " returned no result");
      }
    } catch (JobException e) {
      failure = e;
    } catch (StackOverflowError e) {
      failure = JobException.invalidInput("input is nested too deeply to process (stack overflow in the " + op + " handler)");
    } catch (OutOfMemoryError e) {
      failure = new JobException(ErrorCode.INTERNAL, "out of memory while processing; the job will be retried", e);
    } catch (Throwable t) {
      InputStores.InputTooLargeException tooLarge = causeOf(t, InputStores.InputTooLargeException.class);
      failure = tooLarge != null ? JobException.tooLarge(tooLarge.getMessage())
          : ex.timedOut && (t instanceof InterruptedException || t.getCause() instanceof InterruptedException)
          ? new JobException(ErrorCode.TIMEOUT, "interrupted at the time limit")
          : new JobException(ErrorCode.INTERNAL, "unexpected " + t.getClass().getSimpleName() + " in the " + op
              + " handler: " + t.getMessage(), t);
      if (failure.code() == ErrorCode.INTERNAL) {
        ex.log().warn("handler failed unexpectedly", t);
      }
    } finally {
      ex.handlerRunning = false;
      ex.runner = null;
      Thread.interrupted(); // clear an interrupt sent at the deadline
      ex.watched = false;
    }
    long ms = ex.elapsedMillis();
    RuntimeMetrics.DURATION.labelValues(ns.name(), op).observe(ms / 1000.0);
    totalRunMillis.addAndGet(ms);
    recentSecondsPerJob = recentSecondsPerJob == 0 ? ms / 1000.0 : 0.9 * recentSecondsPerJob + 0.1 * ms / 1000.0;
    if (ex.cancelRequested) {
      answerFailure(ex, new JobException(ErrorCode.CANCELLED, "job " + env.reportId() + " was cancelled"));
    } else if (failure != null) {
      if (ex.timedOut && failure.code() == ErrorCode.CANCELLED) {
        failure = new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of " + timeoutMs + "ms");
      }
      answerFailure(ex, failure);
    } else if (ex.timedOut) {
      answerFailure(ex, new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of " + timeoutMs + "ms"));
    } else {
      answerSuccess(ex, result);
    }
  }

  /**
   * Every {@link #WATCHDOG_TICK}: writes {@code running} for jobs that have run longer than
   * {@link #RUNNING_STATUS_AFTER} and starts the deadline path of jobs past their time limit. One periodic task
   * instead of two timer tasks per job: scheduling a task that becomes the head of the timer's queue wakes the timer
   * thread, and on two cores that wake-up competed with every short job's own threads (a p99 latency cost).
   */
  private void watchdog() {
    long now = System.nanoTime();
    for (Execution ex : held.values()) {
      if (!ex.watched || ex.isFinished()) {
        continue;
      }
      try {
        if (!ex.runningStatusDone && now - ex.runningStatusDueNanos >= 0) {
          ex.runningStatusDone = true;
          writeStatus(ex, JobState.RUNNING, null);
        }
        if (!ex.deadlineFired && now - ex.deadlineDueNanos >= 0) {
          ex.deadlineFired = true;
          onDeadline(ex);
        }
      } catch (RuntimeException e) {
        // never let one job end the periodic task (an exception would cancel it, and with it every deadline)
        if (!stopped) {
          LOG.warn("{} - watchdog: job {}: {}", id(), ex.envelope.id(), e.toString());
        }
      }
    }
  }

  /** At the deadline: tell the handler; if it does not return within the grace period, answer and abandon it. */
  private void onDeadline(Execution ex) {
    ex.timedOut = true;
    timer.schedule(() -> {
      if (ex.handlerRunning && !ex.isFinished()) {
        Thread t = ex.runner;
        if (t != null) {
          t.interrupt();
        }
        int n = stuck.incrementAndGet();
        RuntimeMetrics.STUCK.labelValues(ns.name()).set(n);
        LOG.warn("{} - job {} ignored its time limit; answering TIMEOUT and abandoning the handler thread (stuck={}, inFlight={}/{}, delivery={}/{})",
            id(), ex.envelope.id(), n, held.size(), settings.concurrency(), ex.delivery, ns.limits().maxDeliver());
        pool.execute(() -> {
          answerFailure(ex, new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of "
              + (ex.deadline().toEpochMilli() - ex.startedAt.toEpochMilli()) + "ms and did not stop"));
          // Free the slot so the worker keeps serving; the stuck thread is counted, not waited for.
          releaseRunner(ex);
          release(ex, ex.envelope.id() + "#" + ex.streamSequence);
        });
      }
    }, ABANDON_GRACE.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------ answering

  private void answerSuccess(Execution ex, HandlerResult result) {
    if (!ex.markFinished()) {
      return;
    }
    JobEnvelope env = ex.envelope;
    try {
      if (!env.pipeline().isEmpty()) {
        forwardToNextStage(ex, result);
        ack(ex.message);
        count(ex, "completed");
        ex.log().info("stage completed in {} ms; next stage published", elapsedMs(ex));
        return;
      }
      JsonNode output = result.output();
      BlobRef outputRef = null;
      byte[] bytes = Json.toBytes(output);
      if (bytes.length > settings.mesh().registry().mesh().maxResultInline()) {
        outputRef = blobs.put("results/" + env.reportId() + "/output.json", bytes, Protocol.CONTENT_TYPE_JSON);
        output = null;
      }
      JobResult r = new JobResult(Protocol.VERSION, env.reportId(), rootSubject(env), JobState.COMPLETED, output, outputRef,
          result.artifacts(), null, id(), ex.delivery, env.submittedAt(), ex.startedAt, Instant.now(), stages(ex, null));
      publishResult(env, r);
      ack(ex.message);
      completed.incrementAndGet();
      count(ex, "completed");
      ex.log().info("completed in {} ms", elapsedMs(ex));
    } catch (Exception e) {
      // The result could not be stored, or its storing was not confirmed: hand the job back so a later attempt can
      // (a result that did get stored makes that attempt a duplicate, answered from the stored result).
      handBackUnconfirmed(ex, "result", e);
      count(ex, "retried");
    }
  }

  /** The job line's duration: this delivery's run time (the operator's question is "how long did it take here"). */
  private static long elapsedMs(Execution ex) {
    return Duration.between(ex.startedAt, Instant.now()).toMillis();
  }

  private void handBackUnconfirmed(Execution ex, String what, Exception e) {
    if (stopped) {
      // Closed (not drained) while the job's thread waited for the PubAck: expected, not a fault. drain() waits.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.info("{} - job {}: worker closed before its {} was confirmed; the job is redelivered", id(), ex.envelope.id(), what);
    } else {
      LOG.warn("{} - job {}: cannot store the {} ({}); handing the job back for redelivery", id(), ex.envelope.id(), what,
          e.toString());
    }
    nakQuietly(ex.message, ns.limits().backoffFor(ex.delivery));
  }

  private void answerFailure(Execution ex, JobException failure) {
    if (!ex.markFinished()) {
      return;
    }
    JobEnvelope env = ex.envelope;
    JobError error = new JobError(failure.code(), failure.getMessage(), failure.retryable(),
        env.rootId() != null || !env.pipeline().isEmpty() ? env.subject() : null);
    try {
      if (failure.retryable() && ex.delivery < ns.limits().maxDeliver()) {
        Duration delay = ns.limits().backoffFor(ex.delivery);
        ex.log().info("retryable failure {}: {}; retry in {}ms", failure.code(), failure.getMessage(), delay.toMillis());
        writeStatus(ex, JobState.QUEUED, error);
        ex.message.nakWithDelay(delay);
        count(ex, "retried");
        return;
      }
      if (failure.retryable()) {
        deadLetter(env, ex.streamSequence, "retries exhausted after " + ex.delivery + " deliveries: " + failure.getMessage(),
            ex.delivery, error);
        termQuietly(ex.message);
        failed.incrementAndGet();
        count(ex, "dead");
        return;
      }
      JobState state = failure.code() == ErrorCode.CANCELLED ? JobState.CANCELLED : JobState.FAILED;
      JobResult r = new JobResult(Protocol.VERSION, env.reportId(), rootSubject(env), state, null, null, null, error, id(),
          ex.delivery, env.submittedAt(), ex.startedAt, Instant.now(), stages(ex, null));
      publishResult(env, r);
      termQuietly(ex.message);
      failed.incrementAndGet();
      count(ex, state == JobState.CANCELLED ? "cancelled" : "failed");
      ex.log().info("{} in {} ms: {} {}", state == JobState.CANCELLED ? "cancelled" : "failed", elapsedMs(ex),
          failure.code(), failure.getMessage());
    } catch (Exception e) {
      handBackUnconfirmed(ex, "failure", e);
    }
  }

  private void forwardToNextStage(Execution ex, HandlerResult result) throws Exception {
    JobEnvelope env = ex.envelope;
    int stage = env.stageIndex() == null ? 0 : env.stageIndex();
    BlobRef out = blobs.put("pipelines/" + env.reportId() + "/stage" + stage + ".json", Json.toBytes(result.output()),
        Protocol.CONTENT_TYPE_JSON);
    PipelineStage next = env.pipeline().get(0);
    List<StageSummary> done = stages(ex, out);
    String nextId = env.reportId() + "-s" + (stage + 1) + (env.replayCount() > 0 ? "r" + env.replayCount() : "");
    JobEnvelope nextEnv = new JobEnvelope(Protocol.VERSION, nextId, next.subject(),
        new InputRef(out.uri(), null, "stage" + stage + ".json", Protocol.CONTENT_TYPE_JSON), next.options(),
        env.client(), env.submittedAt(), env.timeoutMs(), env.pipeline().subList(1, env.pipeline().size()),
        env.reportId(), stage + 1, done, env.replay());
    NamespaceSpec nextNs = settings.mesh().registry().forSubject(next.subject()).orElseThrow(
        () -> new JobException(ErrorCode.INVALID_INPUT, "pipeline stage " + next.subject() + " has no service"));
    Headers h = new Headers().put(Protocol.HEADER_VERSION, "1").put(Protocol.HEADER_JOB_ID, nextId);
    publishWithRetry(nextEnv.messageSubject(), h, Json.toBytes(nextEnv),
        PublishOptions.builder().messageId(Subjects.jobMessageId(env.client(), nextId)).expectedStream(nextNs.stream()).build());
    publishProgress(ex, new Progress(stage + 1, stage + 1 + env.pipeline().size(), "stages",
        "stage " + env.subject() + " done; next " + next.subject(), env.subject()));
  }

  private List<StageSummary> stages(Execution ex, BlobRef out) {
    JobEnvelope env = ex.envelope;
    if (env.rootId() == null && env.pipeline().isEmpty()) {
      return null;
    }
    List<StageSummary> list = new ArrayList<>(env.stagesDone() == null ? List.of() : env.stagesDone());
    list.add(new StageSummary(env.subject(), env.id(), id(), ex.elapsedMillis(), out));
    return list;
  }

  private static String rootSubject(JobEnvelope env) {
    if (env.stagesDone() != null && !env.stagesDone().isEmpty()) {
      return env.stagesDone().get(0).subject();
    }
    return env.subject();
  }

  private void publishResult(JobEnvelope env, JobResult r) throws Exception {
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

  /**
   * Publishes to a stream and waits for the PubAck, retrying "no responders" (503) and timeouts with backoff for up
   * to {@link #PUBLISH_PATIENCE}: long enough to ride over a cluster leader election (about 6 s measured on 2.9),
   * short enough that a lost server hands the job back for redelivery instead of blocking a runner.
   */
  private PublishAck publishWithRetry(String subject, Headers h, byte[] body, PublishOptions po) throws Exception {
    long deadline = System.nanoTime() + PUBLISH_PATIENCE.toNanos();
    Exception last = null;
    long backoff = 100;
    while (true) {
      try {
        return js.publishAsync(subject, h, body, po).get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        last = e.getCause() instanceof Exception c ? c : e;
        if (last instanceof JetStreamApiException api && api.getApiErrorCode() != 503 && api.getErrorCode() != 503) {
          throw api;
        }
      } catch (java.util.concurrent.TimeoutException e) {
        last = e;
      }
      if (System.nanoTime() + backoff * 1_000_000 > deadline || stopped) {
        throw last;
      }
      sleepQuietly(backoff);
      backoff = Math.min(2000, backoff * 2);
    }
  }

  private boolean resultExists(JobEnvelope env) {
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

  // ------------------------------------------------------------ dead letters

  private void deadLetter(JobEnvelope env, long seq, String reason, int attempts, JobError error) throws Exception {
    DeadLetter dl = new DeadLetter(Protocol.VERSION, env.reportId(), env.subject(), ns.stream(), seq, reason, attempts,
        env.input().describe(), error, id(), Instant.now(), env);
    publishWithRetry(Subjects.deadLetter(ns.name(), env.reportId()), new Headers().put(Protocol.HEADER_JOB_ID, env.reportId()),
        Json.toBytes(dl), PublishOptions.builder().messageId("dlq-" + env.id() + "-" + seq).expectedStream(Subjects.DLQ_STREAM).build());
    JobResult r = new JobResult(Protocol.VERSION, env.reportId(), rootSubject(env), JobState.DEAD, null, null, null,
        new JobError(error.code(), error.message() + " (dead-lettered after " + attempts + " deliveries; replay with 'jetmesh dlq replay "
            + env.reportId() + "')", error.retryable(), error.stage()), id(), attempts, env.submittedAt(), null, Instant.now(), null);
    publishResult(env, r);
    LOG.warn("{} - job {} is dead after {} deliveries: {}", id(), env.reportId(), attempts, reason);
  }

  /** The server gave up redelivering (the last delivery's worker died or never answered). */
  private void onMaxDeliveries(Message advisory) {
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
      if (!resultExists(env)) {
        deadLetter(env, seq, "no worker answered on any of " + deliveries + " deliveries (worker crash, kill or hang)",
            deliveries, new JobError(ErrorCode.INTERNAL, "every delivery ended without an answer (the worker died or hung)", true, null));
      }
      jsm.deleteMessage(ns.stream(), seq);
      RuntimeMetrics.JOBS.labelValues(ns.name(), ns.operationOf(env.subject()), "dead").inc();
    } catch (Exception e) {
      LOG.warn("{} - cannot dead-letter after max deliveries: {}", id(), e.toString());
    }
  }

  private void malformed(Message msg, NatsJetStreamMetaData meta, String problem) {
    LOG.warn("{} - malformed job message seq {} on {}: {}", id(), meta.streamSequence(), msg.getSubject(), problem);
    try {
      ObjectNode raw = Json.object();
      raw.put("subject", msg.getSubject());
      raw.put("stream_sequence", meta.streamSequence());
      raw.put("problem", problem);
      raw.put("body", new String(msg.getData(), 0, Math.min(msg.getData().length, 4096), java.nio.charset.StandardCharsets.UTF_8));
      String id = "malformed-" + meta.streamSequence();
      publishWithRetry(Subjects.deadLetter(ns.name(), id), new Headers(), Json.toBytes(raw),
          PublishOptions.builder().messageId("dlq-" + ns.stream() + "-" + meta.streamSequence()).expectedStream(Subjects.DLQ_STREAM).build());
    } catch (Exception e) {
      LOG.warn("{} - cannot dead-letter malformed message: {}", id(), e.toString());
    }
    termQuietly(msg);
  }

  // ------------------------------------------------------------ status, progress, cancellation

  void writeStatus(Execution ex, JobState state, JobError error) {
    JobEnvelope env = ex.envelope;
    ex.statusWritten = true;
    JobStatus s = new JobStatus(Protocol.VERSION, env.reportId(), state, env.subject(),
        Subjects.result(env.client(), env.reportId()), ex.delivery, id(), env.submittedAt(), ex.startedAt, Instant.now(),
        null, ex.lastProgress, error, null);
    try {
      connection.publish(Subjects.kvSubject(Subjects.STATUS_BUCKET, Subjects.jobKey(env.client(), env.reportId())),
          Json.toBytes(s));
    } catch (RuntimeException e) {
      LOG.debug("{} - status write failed: {}", id(), e.toString());
    }
  }

  void publishProgress(Execution ex, Progress p) {
    JobEnvelope env = ex.envelope;
    try {
      connection.publish(Subjects.progress(env.client(), env.reportId()),
          Json.toBytes(new ProgressEvent(Protocol.VERSION, env.reportId(), p, id(), ex.delivery, Instant.now())));
    } catch (RuntimeException e) {
      LOG.debug("{} - progress publish failed: {}", id(), e.toString());
    }
  }

  private void watchCancellations() throws WorkerStartException {
    try {
      KeyValue kv = connection.keyValue(Subjects.CANCEL_BUCKET);
      kv.watchAll(new KeyValueWatcher() {
        @Override
        public void watch(KeyValueEntry entry) {
          if (entry.getOperation() != KeyValueOperation.PUT) {
            return;
          }
          String key = entry.getKey(); // <client>.<job id>
          cancelRequests.put(key, System.currentTimeMillis());
          for (Execution ex : held.values()) {
            if (Subjects.jobKey(ex.envelope.client(), ex.envelope.reportId()).equals(key)) {
              ex.cancelRequested = true;
              ex.log().info("cancel requested");
            }
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
      throw new WorkerStartException(id() + " - cannot watch the cancel bucket " + Subjects.CANCEL_BUCKET
          + " (run 'jetmesh provision'): " + e.getMessage(), e);
    }
    timer.scheduleWithFixedDelay(() -> {
      long cutoff = System.currentTimeMillis() - settings.mesh().registry().mesh().resultTtl().toMillis();
      cancelRequests.values().removeIf(t -> t < cutoff);
    }, 10, 10, TimeUnit.MINUTES);
  }

  // ------------------------------------------------------------ heartbeats and observability

  private void heartbeat() {
    for (Execution ex : held.values()) {
      if (!ex.isFinished()) {
        try {
          ex.message.inProgress();
        } catch (RuntimeException e) {
          LOG.debug("{} - heartbeat for {} failed: {}", id(), ex.envelope.id(), e.toString());
        }
      }
    }
  }

  private void sampleLag() {
    try {
      ConsumerInfo ci = jsm.getConsumerInfo(ns.stream(), ns.workerGroup());
      RuntimeMetrics.CONSUMER_PENDING.labelValues(ns.name()).set(ci.getNumPending());
      RuntimeMetrics.DLQ_MESSAGES.set(jsm.getStreamInfo(Subjects.DLQ_STREAM).getStreamState().getMsgCount());
    } catch (Exception e) {
      LOG.debug("{} - lag sample failed: {}", id(), e.toString());
    }
  }

  private void startService() throws WorkerStartException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("worker_id", id());
    meta.put("host", host);
    meta.put("namespace", ns.name());
    // What a client in any language needs to find this service's subjects (PROTOCOL.md 10.1).
    meta.put("subject_prefix", ns.subjectPrefix());
    meta.put("stream", ns.stream());
    meta.put("dead_letters", Subjects.DLQ_PREFIX + "." + ns.name() + ".>");
    meta.put("operations", String.join(",", handlers.keySet()));
    meta.put("concurrency", String.valueOf(settings.concurrency()));
    meta.put("java", System.getProperty("java.version"));
    meta.putIfAbsent("device", "cpu");
    try {
      meta.putAll(module.serviceMetadata());
    } catch (RuntimeException e) {
      LOG.warn("{} - module metadata failed: {}", id(), e.toString());
    }
    ServiceEndpoint status = ServiceEndpoint.builder()
        .endpointName("status")
        .endpointSubject("jetmesh.worker." + id() + ".status")
        .handler(m -> m.respond(connection, statusJson()))
        .statsDataSupplier(() -> JsonParser.parseUnchecked(statusJson()))
        .build();
    try {
      service = new ServiceBuilder().connection(connection).name(Subjects.SERVICE_PREFIX + ns.name()).version(VERSION)
          .description(ns.description()).metadata(meta).addServiceEndpoint(status).build();
      service.startService();
    } catch (RuntimeException e) {
      throw new WorkerStartException(id() + " - cannot register with the NATS Services API: " + e.getMessage(), e);
    }
  }

  private String statusJson() {
    ObjectNode n = Json.object();
    n.put("worker_id", id());
    n.put("namespace", ns.name());
    n.put("host", host);
    n.put("in_flight", held.size());
    n.put("running", settings.concurrency() - runners.availablePermits());
    n.put("concurrency", settings.concurrency());
    n.put("completed", completed.get());
    n.put("failed", failed.get());
    n.put("stuck", stuck.get());
    n.put("recent_seconds_per_job", Math.round(recentSecondsPerJob * 1000) / 1000.0);
    n.put("draining", draining);
    return Json.toString(n);
  }

  private void count(Execution ex, String outcome) {
    RuntimeMetrics.JOBS.labelValues(ns.name(), ns.operationOf(ex.envelope.subject()), outcome).inc();
  }

  // ------------------------------------------------------------ shutdown

  /**
   * Graceful stop: no new fetches, running jobs get up to {@code timeout} to finish, what is left is handed back
   * (nak, redelivered at once to another worker), then the connection closes.
   */
  public void drain(Duration timeout) {
    if (draining || stopped) {
      return;
    }
    draining = true;
    LOG.info("{} - draining: {} jobs held, waiting up to {}s", id(), held.size(), timeout.toSeconds());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!held.isEmpty() && System.nanoTime() < deadline) {
      sleepQuietly(50);
    }
    for (Execution ex : held.values()) {
      if (ex.markFinished()) {
        ex.cancelRequested = ex.handlerRunning; // let a running handler stop early; its answer is discarded
        handBack(ex.message);
        LOG.info("{} - handed back job {} (drain deadline)", id(), ex.envelope.id());
      }
    }
    close();
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (fetchThread != null) {
      fetchThread.interrupt();
    }
    synchronized (batchers) {
      batchers.forEach(DynamicBatcher::close);
    }
    try {
      module.close();
    } catch (Exception e) {
      LOG.warn("{} - module close failed: {}", id(), e.toString());
    }
    if (service != null) {
      try {
        service.stop(false);
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
    if (health != null) {
      health.close();
    }
    timer.shutdownNow();
    pool.shutdownNow();
    if (inputs != null) {
      inputs.close();
    }
    if (connection != null) {
      try {
        connection.flush(Duration.ofSeconds(2));
      } catch (Exception ignored) {
        // best effort: acks were sent synchronously anyway
      }
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("{} - stopped ({} completed, {} failed)", id(), completed.get(), failed.get());
  }

  // ------------------------------------------------------------ helpers

  private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
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

  private static void termQuietly(Message m) {
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

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
