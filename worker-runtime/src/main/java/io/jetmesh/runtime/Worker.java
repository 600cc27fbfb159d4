package io.jetmesh.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.BlobClient;
import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshException;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Progress;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.WorkerModule;
import io.jetmesh.worker.batch.BatchFunction;
import io.jetmesh.worker.batch.DynamicBatcher;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ConsumerContext;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>The worker wires its parts and owns their lifecycle (start, drain, close, health); each part documents the
 * thread that runs it: {@link FetchLoop} (the fetch thread), {@link JobRunner} (handler invocation, one job-pool
 * thread per delivery), {@link Settlement} (the pure ack/nak/term/dead-letter policy) and {@link Settler} (carrying
 * it out), {@link ResultPublisher}, {@link DeadLetters}, {@link PipelineForwarder}, {@link Watchdog} (deadlines,
 * running status and heartbeats on the timer thread), {@link CancelWatch}, {@link ServicesEndpoint} and
 * {@link ModuleGuard} (the module is closed only when no handler holds it).
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  /** How long close() waits for handlers still inside the module (abandoned ones included) before leaving it open. */
  static final Duration MODULE_CLOSE_WAIT = Watchdog.ABANDON_GRACE;

  private final WorkerSettings settings;
  private final NamespaceSpec ns;
  private final WorkerModule module;
  private final Ticker ticker;
  private final Map<String, JobHandler> handlers = new ConcurrentHashMap<>();
  private final List<DynamicBatcher<?, ?>> batchers = new ArrayList<>();
  private final HeldJobs jobs;
  private final WorkerStats stats = new WorkerStats();
  private final ModuleGuard moduleGuard;
  private final ServicesEndpoint services = new ServicesEndpoint();
  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private volatile boolean draining;
  private volatile boolean stopped;
  private volatile boolean connected = true;
  private Connection connection;
  private JetStreamManagement jsm;
  private BlobClient blobs;
  private InputStores inputs;
  private ResultPublisher publisher;
  private Thread fetchThread;
  private HealthServer health;
  private Dispatcher dispatcher;
  private final String host;

  private Worker(WorkerSettings settings, WorkerModule module, Ticker ticker, ExecutorService pool,
      ScheduledExecutorService timer) {
    this.settings = settings;
    this.ns = settings.namespace();
    this.module = module;
    this.ticker = ticker;
    this.jobs = new HeldJobs(settings.concurrency(), settings.prefetch(),
        () -> RuntimeMetrics.IN_FLIGHT.labelValues(ns.name()).set(inFlight()));
    this.moduleGuard = new ModuleGuard(settings.workerId(), module.namespace(), module);
    this.pool = pool;
    this.timer = timer;
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
    String id = settings.workerId();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> thread(r, id + "-timer"));
    // Every abandon check is scheduled once and usually finds its job done: without this the queue would hold
    // cancelled tasks until they expire.
    timer.setRemoveOnCancelPolicy(true);
    return start(settings, module, Ticker.SYSTEM, Executors.newCachedThreadPool(r -> thread(r, id + "-job")), timer);
  }

  /** Starts with the given time source, job pool and timer (the worker owns and shuts down both executors). */
  static Worker start(WorkerSettings settings, WorkerModule module, Ticker ticker, ExecutorService pool,
      ScheduledExecutorService timer) throws WorkerStartException {
    Objects.requireNonNull(module, "module == null");
    RuntimeDefaults.apply();
    if (!module.namespace().equals(settings.namespace().name())) {
      pool.shutdownNow();
      timer.shutdownNow();
      throw new WorkerStartException("module serves '" + module.namespace() + "' but the worker is set up for '"
          + settings.namespace().name() + "'", null);
    }
    Worker w = new Worker(settings, module, ticker, pool, timer);
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
    JetStream js;
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
    Duration heartbeatEvery = Watchdog.heartbeatInterval(ackWait);
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
    publisher = new ResultPublisher(id, connection, js, jsm, ticker, () -> stopped);
    DeadLetters deadLetters = new DeadLetters(id, ns, jsm, publisher, ticker);
    PipelineForwarder pipelines = new PipelineForwarder(id, blobs, settings.mesh().registry(), publisher);
    Settler settler = new Settler(id, ns, settings.mesh().registry().mesh().maxResultInline(), blobs, publisher,
        deadLetters, pipelines, stats, ticker, () -> stopped);
    CancelWatch cancels = new CancelWatch(id, jobs, ticker, settings.mesh().registry().mesh().resultTtl());
    JobRunner[] runner = new JobRunner[1];
    Watchdog watchdog = new Watchdog(id, ns, jobs, ticker, Scheduler.of(timer), pool, ex -> runner[0].abandon(ex),
        stats.stuck, () -> stopped);
    runner[0] = new JobRunner(id, ns, handlers, jobs, new Host(), publisher, settler, deadLetters, cancels, watchdog,
        moduleGuard, stats);
    dispatcher = connection.createDispatcher();
    dispatcher.subscribe(deadLetters.advisorySubject(), ns.workerGroup() + "_dlq",
        msg -> pool.execute(() -> deadLetters.onMaxDeliveries(msg)));
    cancels.start(connection);
    timer.scheduleWithFixedDelay(cancels::purge, 10, 10, TimeUnit.MINUTES);
    ConsumerContext consumer;
    try {
      consumer = js.getConsumerContext(ns.stream(), ns.workerGroup());
    } catch (IOException | JetStreamApiException e) {
      throw new WorkerStartException(id + " - cannot bind to consumer " + ns.workerGroup() + ": " + e.getMessage(), e);
    }
    services.start(connection, id, host, ns, settings.concurrency(), handlers.keySet(), module, this::statusJson);
    if (settings.httpPort() > 0) {
      try {
        health = new HealthServer(settings.httpPort(), this::isHealthy, this::isReady, this::describe);
      } catch (IOException e) {
        throw new WorkerStartException(id + " - cannot listen on HTTP port " + settings.httpPort() + ": " + e.getMessage(), e);
      }
    }
    timer.scheduleWithFixedDelay(watchdog::heartbeat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::sampleLag, 1, 10, TimeUnit.SECONDS);
    timer.scheduleWithFixedDelay(watchdog::tick, Watchdog.TICK.toMillis(), Watchdog.TICK.toMillis(), TimeUnit.MILLISECONDS);
    JobRunner jobRunner = runner[0];
    fetchThread = thread(new FetchLoop(id, ns.workerGroup(), consumer, jobs, m -> pool.execute(() -> jobRunner.process(m)),
        () -> stopped || draining, d -> Thread.sleep(d.toMillis())), id + "-fetch");
    fetchThread.start();
    LOG.info("{} - serving {} ({}) with concurrency {}, prefetch {}, ack wait {}s, on {}", id, ns.subjectPrefix() + ".*",
        String.join(",", handlers.keySet()), settings.concurrency(), settings.prefetch(), ackWait.toSeconds(),
        settings.mesh().describe());
  }

  /** What executions see of this worker. */
  private final class Host implements ExecutionHost {
    @Override public String workerId() { return settings.workerId(); }
    @Override public NamespaceSpec namespace() { return ns; }
    @Override public Path scratchRoot() { return settings.scratchRoot(); }
    @Override public InputStores inputs() { return inputs; }
    @Override public BlobClient blobs() { return blobs; }
    @Override public Ticker ticker() { return ticker; }

    @Override
    public void publishProgress(Execution ex, Progress p) {
      publisher.publishProgress(ex, p);
    }

    @Override
    public void writeStatus(Execution ex, JobState state, JobError error) {
      publisher.writeStatus(ex, state, error);
    }
  }

  private String id() {
    return settings.workerId();
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
    return jobs.size();
  }

  public boolean isReady() {
    return !stopped && !draining && connected && connection != null
        && connection.getStatus() == Connection.Status.CONNECTED;
  }

  public boolean isHealthy() {
    return !stopped && stats.stuck.get() < settings.concurrency();
  }

  public String describe() {
    return String.format("%s namespace=%s in_flight=%d/%d completed=%d failed=%d stuck=%d connected=%s draining=%s",
        id(), ns.name(), jobs.size(), jobs.capacity(), stats.completed.get(), stats.failed.get(),
        stats.stuck.get(), connected, draining);
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

  // ------------------------------------------------------------ observability

  private void sampleLag() {
    try {
      ConsumerInfo ci = jsm.getConsumerInfo(ns.stream(), ns.workerGroup());
      RuntimeMetrics.CONSUMER_PENDING.labelValues(ns.name()).set(ci.getNumPending());
      RuntimeMetrics.DLQ_MESSAGES.set(jsm.getStreamInfo(Subjects.DLQ_STREAM).getStreamState().getMsgCount());
    } catch (Exception e) {
      LOG.debug("{} - lag sample failed: {}", id(), e.toString());
    }
  }

  private String statusJson() {
    ObjectNode n = Json.object();
    n.put("worker_id", id());
    n.put("namespace", ns.name());
    n.put("host", host);
    n.put("in_flight", jobs.size());
    n.put("running", jobs.running());
    n.put("concurrency", settings.concurrency());
    n.put("completed", stats.completed.get());
    n.put("failed", stats.failed.get());
    n.put("stuck", stats.stuck.get());
    n.put("recent_seconds_per_job", Math.round(stats.recentSecondsPerJob() * 1000) / 1000.0);
    n.put("draining", draining);
    return Json.toString(n);
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
    LOG.info("{} - draining: {} jobs held, waiting up to {}s", id(), jobs.size(), timeout.toSeconds());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!jobs.isEmpty() && System.nanoTime() < deadline) {
      sleepQuietly(50);
    }
    for (Execution ex : jobs.all()) {
      if (ex.markFinished()) {
        ex.cancelRequested = ex.handlerRunning; // let a running handler stop early; its answer is discarded
        Settler.handBack(ex.message);
        LOG.info("{} - handed back job {} (drain deadline)", id(), ex.envelope.id());
      }
    }
    close();
  }

  /**
   * Stops at once: no new fetches, handlers are interrupted and their jobs redelivered, the module is closed once no
   * handler holds it (waiting up to {@link #MODULE_CLOSE_WAIT}), then the connection closes.
   */
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
    services.stop();
    if (health != null) {
      health.close();
    }
    timer.shutdownNow();
    pool.shutdownNow();
    // after the interrupts: handlers that honour them return now; one still inside the module keeps it open
    moduleGuard.close(MODULE_CLOSE_WAIT);
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
    LOG.info("{} - stopped ({} completed, {} failed)", id(), stats.completed.get(), stats.failed.get());
  }

  // ------------------------------------------------------------ helpers

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
