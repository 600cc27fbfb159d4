package io.jetmesh.gateway;

import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshException;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.nats.client.Connection;
import io.jetmesh.protocol.NamespaceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: REST access to the mesh, the web page, OpenAPI, health and metrics. A client of the mesh like
 * any other: it keeps no job state in memory (who owns which job is in the mesh, {@link JobOwnership}), so several
 * gateways can run behind one load balancer (they share the client id {@code gateway} by default, so each of them
 * receives every gateway job's results and progress events).
 *
 * <pre>{@code
 * try (Gateway gw = Gateway.builder().meshOptions(MeshOptions.fromEnvironment()).port(8080)
 *     .auth(AuthConfig.builder().apiKeysFile(Path.of("/etc/jetmesh/api-keys")).build()).start()) {
 *   gw.awaitStop();
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  /** The client id gateways share, so that any of them can stream any gateway job's progress. */
  public static final String DEFAULT_CLIENT_ID = "gateway";
  /** The default listen address: loopback, since the gateway itself speaks plain HTTP (TLS belongs in front of it). */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The default longest life of one event stream. */
  public static final Duration DEFAULT_MAX_STREAM_DURATION = Duration.ofHours(1);

  private final MeshClient mesh;
  private final boolean ownsMesh;
  private final Connection monitorConnection;
  private final ScheduledExecutorService scheduler;
  private final Javalin app;
  private final GatewayMetrics metrics = new GatewayMetrics();
  private final Settings settings;

  /** Everything the routes need, fixed at start. */
  record Settings(String host, int port, Duration idleTimeout, Duration drainTimeout, long maxQueueDepth, Duration syncWait,
                  Duration acceptWait, Path uploadDir, String convertSubject, String textSubject,
                  String tablesSubject, Duration discoveryWait, S3Buckets s3Buckets, Duration maxStreamDuration,
                  HttpSources httpSources, boolean diagnostics) {}

  private Gateway(Builder b) throws MeshException {
    MeshOptions opts;
    if (b.mesh != null) {
      this.mesh = b.mesh;
      this.ownsMesh = false;
      opts = b.mesh.options();
    } else {
      opts = Objects.requireNonNull(b.meshOptions, "meshOptions or meshClient is required");
      MeshOptions.Builder ob = opts.newBuilder().connectionName("jetmesh-gateway");
      if (b.clientId != null) {
        ob.clientId(b.clientId);
      }
      opts = ob.build();
      this.mesh = MeshClient.connect(opts);
      this.ownsMesh = true;
    }
    MeshRegistry registry = opts.registry();
    S3Buckets s3 = b.s3Buckets;
    JobOwnership owners;
    try {
      this.monitorConnection = Connections.connect(opts, "jetmesh-gateway-monitor", null);
      try {
        owners = JobOwnership.open(monitorConnection, registry.mesh());
      } catch (MeshException e) {
        closeConnection(monitorConnection);
        throw e;
      }
    } catch (MeshException e) {
      if (ownsMesh) {
        mesh.close();
      }
      throw e;
    }
    Path spool;
    try {
      spool = privateUploadDir(b.uploadDir != null ? b.uploadDir : Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      closeConnection(monitorConnection);
      if (ownsMesh) {
        mesh.close();
      }
      throw new MeshException("cannot create the gateway's upload directory: " + e.getMessage(), e);
    }
    this.settings = new Settings(b.host, b.port, b.idleTimeout, b.drainTimeout, b.maxQueueDepth, b.syncWait, b.acceptWait,
        spool, b.convertSubject, b.textSubject, b.tablesSubject, b.discoveryWait, s3, b.maxStreamDuration,
        b.httpSources, b.diagnostics);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jetmesh-gateway-timer");
      t.setDaemon(true);
      return t;
    });
    DeadLetterReplayer dlq = new DeadLetterReplayer(monitorConnection, registry);
    MeshView view = new MeshView(monitorConnection, registry, dlq, settings.discoveryWait());
    Authenticator auth = new Authenticator(b.auth);
    Routes routes = new Routes(mesh, registry, auth, new CallerLimiter(),
        new AuthFailureLimiter(b.authFailureRate, b.authFailureBurst, System::nanoTime), owners, view, dlq, metrics,
        new RequestReader(mesh, settings.uploadDir(), metrics), new ProgressHub(), scheduler, settings,
        () -> monitorConnection.getStatus() == Connection.Status.CONNECTED);
    this.app = Javalin.create(config -> {
      config.jsonMapper(new JavalinJackson(Json.mapper(), false));
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = 1L << 20; // JSON bodies; file uploads are multipart and limited per caller
      // close(): stop accepting, let requests in flight finish for up to the drain timeout (graceful Jetty stop)
      config.jetty.modifyServer(server -> server.setStopTimeout(settings.drainTimeout().toMillis()));
      // Jetty's own form limit also counts multipart form fields; it is raised so that a long field reaches
      // RequestReader's check, which names it (a field may have 64 KiB), and kept bounded for url-encoded bodies.
      config.jetty.modifyServletContextHandler(h -> h.setMaxFormContentSize(RequestReader.MAX_FORM_FIELDS));
      config.jetty.addConnector((server, httpConfig) -> {
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        c.setHost(settings.host());
        c.setPort(settings.port());
        c.setIdleTimeout(settings.idleTimeout().toMillis());
        return c;
      });
      routes.register(config.routes);
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      closeQuietly();
      throw new MeshException("cannot start the gateway on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    LOG.info("jetmesh gateway listening on http://{}:{}/ (mesh {}, auth {}, {}, {})", settings.host(), port(), opts.describe(),
        b.auth.describe(), s3.describe(), b.httpSources.describe());
    if (!b.auth.enabled()) {
      LOG.warn("AUTHENTICATION IS DISABLED (--no-auth): anyone who can reach port {} can submit jobs and replay dead letters."
          + " Use this for local development only; requests must name localhost as their Host and come from no other site.",
          port());
    }
    for (String w : b.auth.warnings()) {
      LOG.warn("{}", w);
    }
  }

  /**
   * A directory of this process only (0700, random name) under {@code root} for uploads being spooled: a fixed
   * shared path under /tmp could be created, read or swapped by another local user first.
   */
  static Path privateUploadDir(Path root) throws IOException {
    Files.createDirectories(root);
    try {
      return Files.createTempDirectory(root, "jetmesh-gateway-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      return Files.createTempDirectory(root, "jetmesh-gateway-"); // not POSIX: the platform's private default
    }
  }

  private static void closeConnection(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The gateway of {@code jetmesh dev}: on 127.0.0.1 only, authentication off (local development; requests must
   * name localhost and come from no other web site, see {@link LocalOnlyGuard}), against the given mesh. Port 0
   * picks a free one.
   */
  public static Gateway startDev(MeshOptions mesh, int port) throws MeshException {
    return builder().meshOptions(mesh).host("127.0.0.1").port(port).auth(AuthConfig.disabled()).start();
  }

  /** The port the gateway listens on (the real one when started with port 0). */
  public int port() {
    return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
  }

  public String baseUrl() {
    String h = settings.host();
    return "http://" + (h.equals("0.0.0.0") || h.equals("::") ? "127.0.0.1" : h) + ":" + port();
  }

  public MeshClient mesh() {
    return mesh;
  }

  /**
   * The HTTP routes the server has registered: method and path template, e.g. {@code GET /v1/jobs/{id}}. Read from
   * the server's router, not from a list of our own, so a test can hold them against the OpenAPI document.
   */
  public List<String> registeredRoutes() {
    List<String> out = new ArrayList<>();
    for (ParsedEndpoint pe : app.unsafe.internalRouter.allHttpHandlers()) {
      Endpoint e = pe.endpoint;
      if (e.method.isHttpMethod()) {
        out.add(e.method.name() + " " + e.path);
      }
    }
    return out;
  }

  /** Blocks until the server stops. */
  public void awaitStop() throws InterruptedException {
    app.jettyServer().server().join();
  }

  @Override
  public void close() {
    try {
      app.stop();
    } catch (RuntimeException e) {
      LOG.debug("stop failed: {}", e.toString());
    }
    closeQuietly();
  }

  private void closeQuietly() {
    scheduler.shutdownNow();
    closeConnection(monitorConnection);
    if (ownsMesh) {
      mesh.close();
    }
    try (Stream<Path> walk = Files.walk(settings.uploadDir())) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot remove {}: {}", settings.uploadDir(), e.toString());
    }
  }

  /** The private directory uploads are spooled in while they arrive (removed on {@link #close()}). */
  Path uploadDirectory() {
    return settings.uploadDir();
  }

  public static final class Builder {
    private MeshClient mesh;
    private MeshOptions meshOptions;
    private String clientId = DEFAULT_CLIENT_ID;
    private String host = DEFAULT_HOST;
    private int port = 8080;
    private AuthConfig auth;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private long maxQueueDepth = 10_000;
    private Duration syncWait = Duration.ofSeconds(60);
    private Duration acceptWait = Duration.ofMillis(100);
    private Path uploadDir;
    private String convertSubject = "pdf.docling.convert";
    private String textSubject = "pdf.docling.text";
    private String tablesSubject = "pdf.docling.tables";
    private Duration discoveryWait = Duration.ofMillis(400);
    private S3Buckets s3Buckets = S3Buckets.NONE;
    private boolean diagnostics;
    private Duration maxStreamDuration = DEFAULT_MAX_STREAM_DURATION;
    private HttpSources httpSources = HttpSources.DISABLED;
    private double authFailureRate = 1;
    private int authFailureBurst = 30;

    private Builder() {}

    /** Use this client (not closed by the gateway). Its client id should be shared by all gateways of a mesh. */
    public Builder meshClient(MeshClient client) { this.mesh = client; return this; }
    /** Connect a client of our own with these options (and client id {@link #clientId}). */
    public Builder meshOptions(MeshOptions options) { this.meshOptions = options; return this; }
    /** The result routing token of the gateway's own client (default {@code gateway}). */
    public Builder clientId(String id) { this.clientId = id; return this; }
    /** The listen address (default {@value #DEFAULT_HOST}: this machine only; 0.0.0.0 must be asked for). */
    public Builder host(String host) { this.host = Objects.requireNonNull(host); return this; }
    /** 0 picks a free port; see {@link Gateway#port()}. */
    public Builder port(int port) { this.port = port; return this; }
    /** Required: {@link AuthConfig#disabled()} only for local development. */
    public Builder auth(AuthConfig auth) { this.auth = auth; return this; }
    /** A connection idle this long (a stalled upload, a silent client) is closed. */
    public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }
    /** On {@link Gateway#close()}, how long requests in flight may still finish. */
    public Builder drainTimeout(Duration d) { this.drainTimeout = d; return this; }
    /** New work for a service gets 503 while more than this many of its jobs wait undelivered. */
    public Builder maxQueueDepth(long n) { this.maxQueueDepth = n; return this; }
    /** How long the synchronous endpoints wait for a result before answering 202 with the job link. */
    public Builder syncWait(Duration d) { this.syncWait = d; return this; }
    /** How long a submission waits for the mesh to refuse the job (backpressure) before answering 202. */
    public Builder acceptWait(Duration d) { this.acceptWait = d; return this; }
    /** Where uploads are spooled while they arrive (default: the temp directory). */
    public Builder uploadDir(Path dir) { this.uploadDir = dir; return this; }
    /** The subjects behind {@code /v1/convert}, {@code /extract-text} and {@code /extract-tables}. */
    public Builder syncSubjects(String convert, String text, String tables) {
      this.convertSubject = convert;
      this.textSubject = text;
      this.tablesSubject = tables;
      return this;
    }
    /**
     * Whether and from where docling-serve's {@code kind: http} sources are fetched (default
     * {@link HttpSources#DISABLED}: refused with 403).
     */
    public Builder httpSources(HttpSources h) { this.httpSources = java.util.Objects.requireNonNull(h); return this; }
    /** How long the mesh view waits for workers to answer service discovery. */
    public Builder discoveryWait(Duration d) { this.discoveryWait = d; return this; }

    /**
     * The {@code s3://} buckets callers may name as input, per service (default none; see {@link S3Buckets#parse}
     * for the text form, e.g. {@code pdf=reports,archive;*=shared-inputs}).
     */
    public Builder s3Buckets(String allowList) { this.s3Buckets = S3Buckets.parse(allowList); return this; }

    /**
     * Lets callers with the submit scope run jobs of the operators' {@code diag} service (default off: only admin
     * callers may, so an ordinary key cannot use diag's load generators against the mesh).
     */
    public Builder diagnostics(boolean on) { this.diagnostics = on; return this; }

    /** An event stream is ended after this long (the job goes on; the client reconnects or polls). */
    public Builder maxStreamDuration(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("maxStreamDuration must be > 0: " + d);
      }
      this.maxStreamDuration = d;
      return this;
    }

    /**
     * Refused credentials one client address may send: {@code perSecond} sustained, {@code burst} at once (default
     * 1/s, 30); beyond that its requests get 429 without their credentials being checked.
     */
    public Builder authFailureLimit(double perSecond, int burst) {
      this.authFailureRate = perSecond;
      this.authFailureBurst = burst;
      return this;
    }

    /**
     * @throws IllegalStateException no {@link #auth} chosen
     * @throws IllegalArgumentException the S3 allow-list names a service namespaces.yaml does not define
     * @throws MeshException NATS unreachable, credentials refused, mesh not provisioned, port in use
     */
    public Gateway start() throws MeshException {
      if (auth == null) {
        throw new IllegalStateException("auth is required; AuthConfig.disabled() must be chosen explicitly (local development)");
      }
      MeshRegistry registry = mesh != null ? mesh.options().registry()
          : Objects.requireNonNull(meshOptions, "meshOptions or meshClient is required").registry();
      s3Buckets.requireNamespaces(registry.namespaces().stream().map(NamespaceSpec::name).toList());
      return new Gateway(this);
    }
  }

  static Map<String, String> links(String jobId) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("status", "/v1/jobs/" + jobId);
    m.put("result", "/v1/jobs/" + jobId + "/result");
    m.put("events", "/v1/jobs/" + jobId + "/events");
    m.put("cancel", "/v1/jobs/" + jobId);
    return m;
  }

  static String routeOf(Context ctx) {
    try {
      Endpoint e = ctx.endpoints().lastHttpEndpoint();
      return e == null ? "unmatched" : e.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
