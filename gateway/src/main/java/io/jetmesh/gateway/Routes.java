package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.BlobClient;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshBackpressureException;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshException;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.JobIds;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.protocol.Subjects;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every HTTP route of the gateway and the request pipeline around them (auth, limits, errors, metrics). */
final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String CALLER = "jetmesh.caller";
  private static final String STARTED = "jetmesh.started";
  private static final String STATUS = "jetmesh.status";
  private static final String STREAM_CALLER = "jetmesh.stream-caller";
  /** Dead letters scanned for a caller's own ones in {@code /v1/dlq}. */
  private static final int DLQ_SCAN = 5_000;
  /** Paths anyone may read: the page, its assets, the API description, health and metrics. */
  private static final Set<String> PUBLIC = Set.of("/", "/docs", "/openapi.json", "/healthz", "/readyz", "/metrics",
      "/favicon.ico", "/health", "/version");
  /** The page and its documents (besides {@code /assets/*}): they carry their own caching and content policy. */
  private static final Set<String> PAGES = Set.of("/", "/docs", "/openapi.json", "/favicon.ico");

  private final MeshClient mesh;
  private final MeshRegistry registry;
  private final Authenticator auth;
  private final CallerLimiter limiter;
  private final AuthFailureLimiter authFailures;
  private final JobOwnership owners;
  private final MeshView view;
  private final DeadLetterReplayer dlq;
  private final GatewayMetrics metrics;
  private final RequestReader reader;
  private final ProgressHub hub;
  private final ScheduledExecutorService scheduler;
  private final Gateway.Settings settings;
  private final BooleanSupplier meshConnected;
  private final StaticAssets assets = new StaticAssets();
  private final DoclingServeApi docling;

  Routes(MeshClient mesh, MeshRegistry registry, Authenticator auth, CallerLimiter limiter,
         AuthFailureLimiter authFailures, JobOwnership owners, MeshView view,
         DeadLetterReplayer dlq, GatewayMetrics metrics, RequestReader reader, ProgressHub hub,
         ScheduledExecutorService scheduler, Gateway.Settings settings, BooleanSupplier meshConnected) {
    this.mesh = mesh;
    this.registry = registry;
    this.auth = auth;
    this.limiter = limiter;
    this.authFailures = authFailures;
    this.owners = owners;
    this.view = view;
    this.dlq = dlq;
    this.metrics = metrics;
    this.reader = reader;
    this.hub = hub;
    this.scheduler = scheduler;
    this.settings = settings;
    this.meshConnected = meshConnected;
    this.docling = new DoclingServeApi(this, mesh, owners, reader, view, hub, settings, settings.httpSources());
  }

  CallerLimiter limiter() {
    return limiter;
  }

  void register(RoutesConfig r) {
    r.before(this::authenticate);
    r.before("/v1/jobs/{id}/events", this::requireKnownJob);
    r.after(this::record);
    r.exception(ApiException.class, (e, ctx) -> error(ctx, e));
    r.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(e.getStatus(),
        e.getStatus() == 404 ? "not_found" : e.getStatus() == 413 ? "payload_too_large" : "http_" + e.getStatus(),
        e.getStatus() == 404 ? "no route " + ctx.method().name() + " " + ctx.path() + " (see /openapi.json)" : e.getMessage())));
    r.exception(Exception.class, (e, ctx) -> {
      String ref = Long.toString(System.nanoTime() & 0xffffffffL, 36);
      LOG.error("unhandled error {} on {} {}", ref, ctx.method().name(), ctx.path(), e);
      // the exception's text stays in the log: it can name files, hosts and internals the caller has no business seeing
      error(ctx, new ApiException(500, "internal", "internal error (reference " + ref + " in the gateway's log)"));
    });

    // the web page, its API description, health and metrics
    r.get("/", ctx -> assets.serve(ctx, "index.html"));
    r.get("/assets/{file}", ctx -> assets.serve(ctx, ctx.pathParam("file")));
    r.get("/docs", ctx -> assets.serve(ctx, "docs.html"));
    r.get("/openapi.json", ctx -> assets.serve(ctx, "openapi.json"));
    r.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    r.get("/readyz", this::ready);
    r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

    // jobs
    r.post("/v1/jobs/{subject}", this::submitJob);
    r.get("/v1/jobs/{id}", this::status);
    r.delete("/v1/jobs/{id}", this::cancel);
    r.get("/v1/jobs/{id}/result", this::result);
    r.sse("/v1/jobs/{id}/events", this::events);
    r.get("/v1/blobs", this::blob);

    // synchronous conveniences
    r.post("/v1/convert", this::convert);
    r.post("/extract-text", ctx -> extract(ctx, settings.textSubject()));
    r.post("/extract-tables", ctx -> extract(ctx, settings.tablesSubject()));

    // the mesh
    r.get("/v1/services", this::services);
    r.get("/v1/mesh", this::meshView);
    r.get("/v1/dlq", this::listDeadLetters);
    r.post("/v1/dlq/{id}/replay", this::replay);

    // docling-serve's v1 API (docs/gateway.md, "Using jetmesh as a docling-serve replacement")
    docling.register(r);

    r.get("/v1/whoami", ctx -> {
      Caller c = caller(ctx);
      ObjectNode o = Json.object().put("id", c.id()).put("auth_enabled", auth.enabled());
      ArrayNode s = o.putArray("scopes");
      c.scopes().stream().map(Scope::wire).sorted().forEach(s::add);
      o.putObject("limits").put("max_upload_bytes", c.limits().maxUploadBytes())
          .put("max_concurrent_jobs", c.limits().maxConcurrentJobs())
          .put("rate_per_second", c.limits().ratePerSecond()).put("burst", c.limits().burst())
          .put("max_streams", c.limits().maxStreams())
          .put("running_jobs", limiter.runningJobs(c)).put("open_streams", limiter.openStreams(c));
      ctx.json(o);
    });
  }

  // ------------------------------------------------------------------ pipeline

  private void authenticate(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    String path = ctx.path();
    boolean asset = PAGES.contains(path) || path.startsWith("/assets/");
    securityHeaders(ctx, asset);
    if (!auth.enabled()) {
      LocalOnlyGuard.check(ctx.header("Host"), ctx.header("Origin"), ctx.header("Sec-Fetch-Site"));
    }
    if (PUBLIC.contains(path) || path.startsWith("/assets/")) {
      return;
    }
    String address = ctx.req().getRemoteAddr(); // the connection's, never a header a client could set
    authFailures.check(address);
    Caller c;
    try {
      c = auth.authenticate(ctx.header("X-API-Key"), ctx.header("Authorization"));
    } catch (ApiException e) {
      if (e.status() == 401) {
        authFailures.failed(address);
      }
      throw e;
    }
    ctx.attribute(CALLER, c);
    limiter.acquireRequest(c);
  }

  /**
   * The caller of a WebSocket ({@code /v1/status/ws/...}), checked as {@link #authenticate} checks a request: the
   * local-only guard without auth, the credential-guessing throttle, then the key (docling-serve's {@code api_key} query
   * parameter, or the headers).
   */
  Caller authenticateSocket(String address, String host, String origin, String fetchSite, String apiKey,
                            String authorization) {
    if (!auth.enabled()) {
      LocalOnlyGuard.check(host, origin, fetchSite);
    }
    authFailures.check(address);
    try {
      Caller c = auth.authenticate(apiKey, authorization);
      limiter.acquireRequest(c);
      return c;
    } catch (ApiException e) {
      if (e.status() == 401) {
        authFailures.failed(address);
      }
      throw e;
    }
  }

  /**
   * On every answer: no framing (clickjacking), no content sniffing. API answers are never cached (they carry job
   * data for one caller) and may not run anything in a browser; the page and its assets set their own policy.
   */
  private static void securityHeaders(Context ctx, boolean asset) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    if (!asset) {
      ctx.header("Cache-Control", "no-store");
      ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
    }
  }

  static Caller caller(Context ctx) {
    Caller c = ctx.attribute(CALLER);
    if (c == null) {
      throw new ApiException(401, "missing_credentials", "no credentials");
    }
    return c;
  }

  private void record(Context ctx) {
    Long started = ctx.attribute(STARTED);
    String route = Gateway.routeOf(ctx);
    String method = ctx.method().name();
    metrics.requests.labelValues(method, route, String.valueOf(ctx.statusCode())).inc();
    if (started != null) {
      metrics.latency.labelValues(method, route).observe((System.nanoTime() - started) / 1e9);
    }
  }

  private static void error(Context ctx, ApiException e) {
    ObjectNode body = Json.object();
    if (DoclingServeApi.isDoclingPath(ctx.path())) {
      body.put("detail", e.getMessage()); // what docling-serve's clients read (FastAPI's error shape)
    }
    ObjectNode err = body.putObject("error");
    err.put("code", e.code());
    err.put("message", e.getMessage());
    e.details().forEach((k, v) -> err.set(k, Json.mapper().valueToTree(v)));
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    if (e.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"jetmesh\"");
    }
    ctx.status(e.status()).json(body);
  }

  private void ready(Context ctx) {
    if (meshConnected.getAsBoolean()) {
      ctx.json(Map.of("status", "ready"));
    } else {
      throw new ApiException(503, "mesh_unavailable", "the gateway is not connected to NATS", 5L, null);
    }
  }

  // ------------------------------------------------------------------ submission

  /** The built-in diagnostic service (noop, echo, sleep, fail): operators only unless the gateway allows it. */
  static final String DIAGNOSTICS_SERVICE = "diag";

  NamespaceSpec service(String subject) {
    try {
      return registry.requireSubject(subject);
    } catch (IllegalArgumentException e) {
      throw new ApiException(404, "unknown_subject", e.getMessage(), null, Map.of("known_subjects", knownSubjects()));
    }
  }

  private List<String> knownSubjects() {
    return registry.namespaces().stream().flatMap(ns -> ns.operations().stream().map(ns::subjectFor)).toList();
  }

  void checkBackpressure(NamespaceSpec ns) {
    MeshView.Backlog b = view.backlog(ns);
    if (b.streamMessages() >= ns.limits().maxPending()) {
      throw new ApiException(503, "mesh_backed_up", "service '" + ns.name() + "' is full: its stream " + ns.stream()
          + " holds its max_pending (" + ns.limits().maxPending() + ") jobs; retry later", 10L,
          Map.of("queued", b.queued()));
    }
    if (b.queued() > settings.maxQueueDepth()) {
      throw new ApiException(503, "mesh_backed_up", "service '" + ns.name() + "' has " + b.queued()
          + " jobs waiting (limit " + settings.maxQueueDepth() + "); retry later", 10L,
          Map.of("queued", b.queued()));
    }
  }

  /** The common path of every submitting route; returns the submission once the mesh has not refused it. */
  private Submitted submit(Context ctx, String subject, boolean jsonAllowed) {
    Caller caller = caller(ctx);
    Authenticator.require(caller, Scope.SUBMIT);
    NamespaceSpec ns = service(subject);
    if (ns.name().equals(DIAGNOSTICS_SERVICE) && !settings.diagnostics() && !caller.may(Scope.ADMIN)) {
      throw new ApiException(403, "diagnostics_off", "the " + DIAGNOSTICS_SERVICE + " service is for operators: use an"
          + " admin key, or start the gateway with --diagnostics (JETMESH_GATEWAY_DIAGNOSTICS=true)", null, null);
    }
    RequestReader.requireSubmissionType(ctx, jsonAllowed);
    checkBackpressure(ns);
    limiter.acquireJob(caller);
    JobInput in;
    try {
      in = reader.read(ctx, Math.min(caller.limits().maxUploadBytes(), ns.limits().maxInputSize()));
    } catch (RuntimeException e) {
      limiter.releaseJob(caller);
      throw e;
    }
    return publish(caller, subject, in, b -> {});
  }

  /**
   * Publishes a job for an input that has been read: records its owner first, then submits, and returns once the
   * mesh has stored it ({@link #awaitAcceptance}). The caller holds one of {@code caller}'s job slots ({@link CallerLimiter#acquireJob});
   * it is released here when the job ends, or at once when it is never submitted.
   */
  Submitted publish(Caller caller, String subject, JobInput in, java.util.function.Consumer<JobRequest.Builder> extra) {
    boolean released = false;
    try {
      NamespaceSpec ns = service(subject);
      Duration timeout = timeoutWithin(in, ns, subject);
      if (in.uploaded()) {
        record(() -> owners.recordUpload(in.uri(), caller.id()), "record the upload's owner");
      } else {
        requireInputAllowed(caller, ns, in.uri());
      }
      String jobId = JobIds.newId();
      // Before the job exists anywhere: a job of this gateway is never without its owner.
      record(() -> owners.recordJob(jobId, new JobOwnership.JobRecord(caller.id(), subject, in.uri(), Instant.now())),
          "record the job's owner");
      JobRequest.Builder rb = JobRequest.builder(subject)
          .jobId(jobId)
          .input(new InputRef(in.uri(), null, in.name(), in.contentType()))
          .options(in.options())
          .progressListener(hub);
      extra.accept(rb);
      // A time limit always, so the gateway's bookkeeping of this job ends even if the mesh loses it.
      rb.timeout(timeout);
      JobSubmission s = mesh.submit(rb.build());
      s.result().whenComplete((r, e) -> limiter.releaseJob(caller));
      released = true;
      awaitAcceptance(s);
      metrics.jobs.labelValues(subject).inc();
      LOG.debug("{} submitted {} to {} ({})", caller.id(), s.jobId(), subject, in.uri());
      return new Submitted(s, in);
    } finally {
      if (!released) {
        limiter.releaseJob(caller);
      }
    }
  }

  record Submitted(JobSubmission submission, JobInput input) {}

  /** The request's time limit, which may only tighten the service's {@code job_timeout} (its default). */
  private static Duration timeoutWithin(JobInput in, NamespaceSpec ns, String subject) {
    Duration max = ns.limits().jobTimeout();
    if (in.timeout() == null) {
      return max;
    }
    if (in.timeout().compareTo(max) > 0) {
      throw ApiException.badRequest("'timeout_ms' may be at most " + max.toMillis() + " for " + subject
          + " (the service's job_timeout, also its default), not " + in.timeout().toMillis());
    }
    return in.timeout();
  }

  interface MeshWrite {
    void run() throws IOException;
  }

  static void record(MeshWrite write, String what) {
    try {
      write.run();
    } catch (IOException e) {
      throw new ApiException(503, "mesh_unavailable", "cannot " + what + ": " + e.getMessage(), 5L, null);
    }
  }

  /**
   * The input a caller names by reference: an {@code s3://} bucket on this gateway's allow-list for the service
   * (workers fetch S3 inputs with their own credentials), or a blob of the mesh bucket that is the caller's own
   * (an upload, or an input or output of one of its jobs; admins may name any).
   */
  private void requireInputAllowed(Caller caller, NamespaceSpec ns, String uri) {
    URI u = URI.create(uri);
    if (InputRef.SCHEME_S3.equals(u.getScheme())) {
      String bucket = u.getHost() != null ? u.getHost() : u.getAuthority();
      if (bucket == null || !settings.s3Buckets().allows(ns.name(), bucket)) {
        Set<String> allowed = settings.s3Buckets().allowed(ns.name());
        throw new ApiException(403, "input_not_allowed", "this gateway does not let callers name s3 bucket '" + bucket
            + "' as input for service '" + ns.name() + "' ("
            + (allowed.isEmpty() ? "no bucket is allowed: upload the file instead" : "allowed: " + String.join(", ", allowed))
            + "; operators set the list with --s3-buckets)");
      }
      return;
    }
    BlobClient.ObjectLocation loc;
    try {
      loc = BlobClient.ObjectLocation.parse(uri);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'input' is not a valid nats-object:// reference: " + e.getMessage());
    }
    if (!Subjects.BLOB_BUCKET.equals(loc.bucket())) {
      throw new ApiException(403, "input_not_allowed", "only blobs of the mesh bucket " + Subjects.BLOB_BUCKET
          + " can be named as input here");
    }
    if (!caller.may(Scope.ADMIN) && ownedBlob(caller, uri, null).isEmpty()) {
      throw new ApiException(403, "input_not_allowed", "'" + uri + "' is not one of your uploads or of your jobs'"
          + " inputs and outputs; upload the file instead");
    }
  }

  /**
   * Answers only once the mesh has stored the job (its stream's PubAck), so a job id the gateway hands out always
   * exists; a refusal (stream full, not provisioned, unreachable) becomes the caller's error. The client retries the
   * publish itself within its request timeout; {@link #STORE_WAIT} only bounds a mesh that neither stores nor refuses.
   */
  private static final Duration STORE_WAIT = Duration.ofSeconds(30);

  private void awaitAcceptance(JobSubmission s) {
    try {
      s.stored().get(Math.max(settings.acceptWait().toMillis(), STORE_WAIT.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ApiException(503, "mesh_unavailable", "the mesh did not confirm job " + s.jobId() + " within "
          + STORE_WAIT.toSeconds() + "s; it may still run: check GET /v1/jobs/" + s.jobId() + " before resubmitting", 5L, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof MeshBackpressureException) {
        throw new ApiException(503, "mesh_backed_up", c.getMessage(), 10L, null);
      }
      if (c instanceof IllegalArgumentException) {
        throw ApiException.badRequest(c.getMessage());
      }
      if (c instanceof MeshException) {
        throw new ApiException(503, "mesh_unavailable", c.getMessage(), 5L, null);
      }
      // JobFailedException, TimeoutException: the job existed and ended; its result tells the rest
    }
  }

  private void submitJob(Context ctx) {
    Submitted s = submit(ctx, ctx.pathParam("subject"), true);
    String id = s.submission().jobId();
    ObjectNode body = Json.object();
    body.put("job_id", id);
    body.put("subject", ctx.pathParam("subject"));
    body.put("status", "queued");
    body.put("input", s.input().uri());
    body.set("links", Json.mapper().valueToTree(Gateway.links(id)));
    ctx.header("Location", "/v1/jobs/" + id);
    ctx.status(202).json(body);
  }

  // ------------------------------------------------------------------ queries

  private static String jobId(Context ctx) {
    String id = ctx.pathParam("id");
    if (!Subjects.isToken(id)) {
      throw ApiException.notFound("job_not_found", "no job '" + id + "' (job ids match [A-Za-z0-9_-]{1,128})");
    }
    return id;
  }

  static <T> T join(CompletableFuture<T> f, String what) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "mesh_unavailable", "interrupted while " + what);
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e instanceof ExecutionException ? e.getCause() : e;
      throw new ApiException(503, "mesh_unavailable", "cannot " + what + ": " + c.getMessage(), 5L, null);
    }
  }

  /**
   * The job's record if {@code caller} may see the job: its owner, or an admin (who also sees jobs no gateway
   * submitted). Everyone else gets the same 404 as for an unknown id, so ids of other callers' jobs reveal nothing.
   */
  private Optional<JobOwnership.JobRecord> requireAccess(Caller caller, String id) {
    Optional<JobOwnership.JobRecord> r;
    try {
      r = owners.job(id);
    } catch (IOException e) {
      throw new ApiException(503, "mesh_unavailable", e.getMessage(), 5L, null);
    }
    if (!caller.may(Scope.ADMIN) && (r.isEmpty() || !r.get().owner().equals(caller.id()))) {
      throw unknownJob(id);
    }
    return r;
  }

  private static ApiException unknownJob(String id) {
    return ApiException.notFound("job_not_found", "no job '" + id + "' is known to the mesh (never submitted, or its record expired)");
  }

  private JobStatus requireStatus(String id) {
    return join(mesh.status(id), "read the job status").orElseThrow(() -> unknownJob(id));
  }

  private void status(Context ctx) {
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.READ);
    String id = jobId(ctx);
    requireAccess(c, id);
    JobStatus st = requireStatus(id);
    ObjectNode body = Json.mapper().valueToTree(st);
    body.set("links", Json.mapper().valueToTree(Gateway.links(id)));
    ctx.json(body);
  }

  private void cancel(Context ctx) {
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.SUBMIT);
    String id = jobId(ctx);
    requireAccess(c, id);
    JobStatus st = requireStatus(id);
    if (st.state().terminal()) {
      throw new ApiException(409, "job_finished", "job " + id + " already ended: " + st.state().wire());
    }
    join(mesh.cancel(id), "cancel the job");
    ctx.status(202).json(Json.object().put("job_id", id).put("cancel_requested", true)
        .put("status", st.state().wire()));
  }

  private void result(Context ctx) throws IOException {
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.READ);
    String id = jobId(ctx);
    requireAccess(c, id);
    Optional<JobResult> r = join(mesh.result(id), "read the result");
    if (r.isEmpty()) {
      JobStatus st = requireStatus(id);
      ObjectNode body = Json.mapper().valueToTree(st);
      body.set("links", Json.mapper().valueToTree(Gateway.links(id)));
      ctx.header("Retry-After", "1").status(202).json(body);
      return;
    }
    writeResult(ctx, r.get());
  }

  /** The result as JSON; an output stored by reference is streamed from the object store into the body as it is read. */
  private void writeResult(Context ctx, JobResult r) throws IOException {
    ObjectNode node = Json.mapper().valueToTree(r);
    node.remove("output");
    if (r.artifacts() != null) {
      ObjectNode dl = node.putObject("downloads");
      r.artifacts().forEach((name, ref) -> dl.put(name, blobLink(ref, name, r.id())));
    }
    if (r.outputRef() != null) {
      node.putObject("links").put("output", blobLink(r.outputRef(), r.id() + ".json", r.id()));
    }
    if (r.output() != null || r.outputRef() == null) {
      if (r.output() != null) {
        node.set("output", r.output());
      }
      ctx.json(node);
      return;
    }
    String head = Json.toString(node);
    InputStream blob;
    try {
      blob = mesh.openBlob(r.outputRef().uri()); // metadata only: the output is read while it is sent
    } catch (MeshException e) {
      throw new ApiException(502, "output_unavailable", "the result's output " + r.outputRef().uri()
          + " cannot be read from the object store: " + e.getMessage());
    }
    ctx.contentType("application/json");
    try (blob) {
      OutputStream out = ctx.outputStream();
      out.write(head.substring(0, head.length() - 1).getBytes(StandardCharsets.UTF_8));
      out.write(",\"output\":".getBytes(StandardCharsets.UTF_8));
      blob.transferTo(out);
      out.write('}');
      out.flush();
    }
  }

  /** A download link of one of a job's blobs; {@code job} names the job it belongs to, so the owner check is direct. */
  static String blobLink(BlobRef ref, String name, String jobId) {
    return "/v1/blobs?uri=" + URLEncoder.encode(ref.uri(), StandardCharsets.UTF_8)
        + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
        + (ref.contentType() != null ? "&type=" + URLEncoder.encode(ref.contentType(), StandardCharsets.UTF_8) : "")
        + "&job=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
  }

  /**
   * The blob's reference if it belongs to one of the caller's jobs (its input, output or an artifact) or is the
   * caller's own upload. The job is {@code jobHint} when given, else any path segment of the object name that is a
   * job of the caller's (workers name outputs {@code results/<job id>/...}, {@code artifacts/<job id>/...}); the
   * blob must then really be listed in that job, so a name alone never grants anything.
   */
  private Optional<BlobRef> ownedBlob(Caller caller, String uri, String jobHint) {
    Set<String> candidates = new LinkedHashSet<>();
    if (jobHint != null) {
      candidates.add(jobHint);
    } else {
      for (String seg : BlobClient.ObjectLocation.parse(uri).name().split("/")) {
        if (Subjects.isToken(seg) && candidates.size() < 4) {
          candidates.add(seg);
        }
      }
    }
    try {
      for (String id : candidates) {
        Optional<JobOwnership.JobRecord> rec = owners.job(id);
        if (rec.isEmpty() || !rec.get().owner().equals(caller.id())) {
          continue;
        }
        if (uri.equals(rec.get().input())) {
          return Optional.of(new BlobRef(uri, 0, null, null));
        }
        Optional<JobResult> res = join(mesh.result(id), "read the result");
        if (res.isPresent()) {
          JobResult jr = res.get();
          if (jr.outputRef() != null && uri.equals(jr.outputRef().uri())) {
            return Optional.of(jr.outputRef());
          }
          if (jr.artifacts() != null) {
            for (BlobRef a : jr.artifacts().values()) {
              if (uri.equals(a.uri())) {
                return Optional.of(a);
              }
            }
          }
        }
      }
      if (owners.uploadOwner(uri).filter(caller.id()::equals).isPresent()) {
        return Optional.of(new BlobRef(uri, 0, null, null));
      }
    } catch (IOException e) {
      throw new ApiException(503, "mesh_unavailable", e.getMessage(), 5L, null);
    }
    return Optional.empty();
  }

  private void blob(Context ctx) throws IOException {
    Caller caller = caller(ctx);
    Authenticator.require(caller, Scope.READ);
    String uri = ctx.queryParam("uri");
    if (uri == null || uri.isBlank()) {
      throw ApiException.badRequest("query parameter 'uri' (a nats-object:// reference) is required");
    }
    BlobClient.ObjectLocation loc;
    try {
      loc = BlobClient.ObjectLocation.parse(uri);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!Subjects.BLOB_BUCKET.equals(loc.bucket())) {
      throw new ApiException(403, "forbidden", "only blobs of the mesh bucket " + Subjects.BLOB_BUCKET + " can be downloaded here");
    }
    String job = ctx.queryParam("job");
    if (job != null && !Subjects.isToken(job)) {
      throw ApiException.badRequest("'job' must be a job id ([A-Za-z0-9_-]{1,128})");
    }
    Optional<BlobRef> ref = ownedBlob(caller, uri, job);
    if (ref.isEmpty() && !caller.may(Scope.ADMIN)) {
      throw ApiException.notFound("blob_not_found", "no blob " + uri + " among your uploads and your jobs' inputs and outputs");
    }
    InputStream in;
    try {
      in = mesh.openBlob(uri);
    } catch (MeshException e) {
      throw ApiException.notFound("blob_not_found", "no blob " + uri + ": " + e.getMessage());
    }
    String name = RequestReader.safeName(Optional.ofNullable(ctx.queryParam("name")).orElse(loc.name()));
    String stored = ref.map(BlobRef::contentType).orElse(null);
    String type = DownloadTypes.of(stored != null ? stored : ctx.queryParam("type"));
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox");
    ctx.contentType(type).result(in);
  }

  // ------------------------------------------------------------------ events

  private void requireKnownJob(Context ctx) {
    if (!"GET".equals(ctx.method().name())) {
      return;
    }
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.READ);
    String id = jobId(ctx);
    requireAccess(c, id);
    ctx.attribute(STATUS, requireStatus(id));
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new ApiException(406, "not_acceptable", "this is a Server-Sent Events stream: send 'Accept: text/event-stream'"
          + " (EventSource does; with curl add -H 'Accept: text/event-stream')");
    }
    limiter.acquireStream(c); // the last check: released when the stream ends
    ctx.attribute(STREAM_CALLER, c);
  }

  private void events(SseClient client) {
    Context ctx = client.ctx();
    String id = ctx.pathParam("id");
    JobStatus st = ctx.attribute(STATUS);
    Caller streamCaller = ctx.attribute(STREAM_CALLER);
    client.keepAlive();
    metrics.sseStreams.inc();
    send(client, "status", Json.toString(st));
    AutoCloseable sub = hub.subscribe(id, e -> sendProgress(client, e));
    ScheduledFuture<?> ping = scheduler.scheduleAtFixedRate(() -> {
      synchronized (client) {
        if (!client.terminated()) {
          client.sendComment("keep-alive");
        }
      }
    }, 15, 15, TimeUnit.SECONDS);
    ScheduledFuture<?>[] expiry = new ScheduledFuture<?>[1];
    Runnable cleanup = new Runnable() {
      private boolean done;

      @Override
      public synchronized void run() {
        if (done) {
          return;
        }
        done = true;
        ping.cancel(false);
        if (expiry[0] != null) {
          expiry[0].cancel(false);
        }
        if (streamCaller != null) {
          limiter.releaseStream(streamCaller);
        }
        metrics.sseStreams.dec();
        try {
          sub.close();
        } catch (Exception ignored) {
          // removing a subscriber cannot fail
        }
      }
    };
    client.onClose(cleanup);
    // The keep-alive comments keep the connection from ever being idle, so the stream itself has a lifetime.
    expiry[0] = scheduler.schedule(() -> {
      send(client, "error", Json.toString(Json.object().put("code", "stream_expired").put("message",
          "this event stream ended after " + settings.maxStreamDuration() + " (the gateway's limit); the job goes on:"
              + " open the stream again or poll /v1/jobs/" + id + "/result")));
      cleanup.run();
      client.close();
    }, settings.maxStreamDuration().toMillis(), TimeUnit.MILLISECONDS);
    mesh.await(id, hub).whenComplete((r, e) -> {
      try {
        if (r != null) {
          send(client, "result", Json.toString(resultEvent(r)));
        } else {
          Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (c instanceof JobFailedException jf) {
            send(client, "result", Json.toString(resultEvent(jf.result())));
          } else {
            send(client, "error", Json.toString(Json.object().put("code", "mesh_unavailable")
                .put("message", String.valueOf(c.getMessage()))));
          }
        }
      } finally {
        cleanup.run();
        client.close();
      }
    });
  }

  /** Events come from the NATS dispatcher, the keep-alive timer and the result callback: one writer at a time. */
  private static void send(SseClient client, String event, String data) {
    synchronized (client) {
      if (!client.terminated()) {
        client.sendEvent(event, data);
      }
    }
  }

  private static void sendProgress(SseClient client, ProgressEvent e) {
    ObjectNode o = Json.mapper().valueToTree(e.progress());
    o.put("job_id", e.id());
    o.put("fraction", e.progress().fraction());
    o.put("worker", e.worker());
    o.put("attempt", e.attempt());
    o.put("ts", e.ts() == null ? null : e.ts().toString());
    send(client, "progress", Json.toString(o));
  }

  /** The final SSE event: the result without a possibly huge output; the result link fetches that. */
  private static ObjectNode resultEvent(JobResult r) {
    ObjectNode node = Json.mapper().valueToTree(r);
    JsonNode out = node.remove("output");
    node.put("output_inline_bytes", out == null ? 0 : Json.toBytes(out).length);
    node.set("links", Json.mapper().valueToTree(Gateway.links(r.id())));
    return node;
  }

  // ------------------------------------------------------------------ synchronous conveniences

  /** Waits up to the request's (capped) wait for the result. Empty when it did not come in time. */
  private Optional<JobResult> awaitSync(Submitted s) {
    Duration wait = s.input().syncWait() == null ? settings.syncWait()
        : s.input().syncWait().compareTo(settings.syncWait()) > 0 ? settings.syncWait() : s.input().syncWait();
    try {
      return Optional.of(s.submission().result().get(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof JobFailedException jf) {
        throw jobFailed(jf.result());
      }
      if (c instanceof TimeoutException) {
        throw new ApiException(504, "TIMEOUT", "no result for job " + s.submission().jobId() + " within its time limit");
      }
      throw new ApiException(503, "mesh_unavailable", String.valueOf(c.getMessage()), 5L, null);
    }
  }

  static ApiException jobFailed(JobResult r) {
    JobError err = r.error();
    ErrorCode code = err == null ? ErrorCode.INTERNAL : err.code();
    int status = switch (code) {
      case INVALID_INPUT, INPUT_NOT_FOUND, UNSUPPORTED -> 422;
      case TOO_LARGE -> 413;
      case TIMEOUT -> 504;
      case CANCELLED -> 409;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("job_id", r.id());
    details.put("status", r.status().wire());
    details.put("retryable", code.retryable());
    return new ApiException(status, code.name(), err == null ? "job " + r.status().wire() : err.message(), null, details);
  }

  private void accepted(Context ctx, String id) {
    ObjectNode body = Json.object().put("job_id", id).put("status", "running")
        .put("message", "not finished within the wait limit; follow the links");
    body.set("links", Json.mapper().valueToTree(Gateway.links(id)));
    ctx.header("Location", "/v1/jobs/" + id).status(202).json(body);
  }

  private JsonNode outputOf(JobResult r) {
    return join(mesh.output(r), "read the job output");
  }

  /** docling-serve style: file in; Markdown, docling JSON and/or text out. */
  private void convert(Context ctx) {
    Submitted s = submit(ctx, settings.convertSubject(), true);
    Optional<JobResult> r = awaitSync(s);
    if (r.isEmpty()) {
      accepted(ctx, s.submission().jobId());
      return;
    }
    JobResult res = r.get();
    JsonNode out = outputOf(res);
    ObjectNode body = Json.object();
    ObjectNode doc = body.putObject("document");
    doc.put("filename", s.input().name());
    doc.set("md_content", out.path("markdown").isMissingNode() ? null : out.get("markdown"));
    doc.set("json_content", out.path("document").isMissingNode() ? null : out.get("document"));
    doc.set("text_content", out.path("text").isMissingNode() ? null : out.get("text"));
    body.put("status", "success");
    body.put("processing_time", seconds(res));
    body.put("job_id", res.id());
    body.set("output", out);
    ctx.json(body);
  }

  /** The original systems' {@code /extract-text} and {@code /extract-tables}: PDF file in, JSON out. */
  private void extract(Context ctx, String subject) {
    Submitted s = submit(ctx, subject, false);
    Optional<JobResult> r = awaitSync(s);
    if (r.isEmpty()) {
      accepted(ctx, s.submission().jobId());
      return;
    }
    JsonNode out = outputOf(r.get());
    ObjectNode body = out != null && out.isObject() ? ((ObjectNode) out).deepCopy() : Json.object();
    if (!body.has("text") && body.path("pages").isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode p : body.get("pages")) {
        if (p.has("text")) {
          if (sb.length() > 0) {
            sb.append("\n\n");
          }
          sb.append(p.get("text").asText());
        }
      }
      body.put("text", sb.toString());
    }
    body.put("job_id", r.get().id());
    body.put("filename", s.input().name());
    body.put("processing_time", seconds(r.get()));
    ctx.json(body);
  }

  static double seconds(JobResult r) {
    Instant a = r.submittedAt() != null ? r.submittedAt() : r.startedAt();
    Instant b = r.finishedAt();
    return a == null || b == null ? 0 : Duration.between(a, b).toMillis() / 1000.0;
  }

  // ------------------------------------------------------------------ mesh

  private void services(Context ctx) {
    Authenticator.require(caller(ctx), Scope.READ);
    ObjectNode body = Json.object();
    ArrayNode arr = body.putArray("services");
    for (NamespaceSpec ns : registry.namespaces()) {
      ObjectNode o = arr.addObject();
      o.put("namespace", ns.name());
      o.put("description", ns.description());
      ArrayNode subs = o.putArray("subjects");
      ns.operations().forEach(op -> subs.add(ns.subjectFor(op)));
      o.put("max_input_size", ns.limits().maxInputSize());
      o.put("job_timeout_ms", ns.limits().jobTimeout().toMillis());
    }
    body.putObject("sync").put("convert", settings.convertSubject()).put("extract_text", settings.textSubject())
        .put("extract_tables", settings.tablesSubject());
    ctx.json(body);
  }

  /** Whether a listed job may be shown to {@code caller}: admins see every job, others only their own. */
  private boolean mayList(Caller caller, String jobId) {
    if (caller.may(Scope.ADMIN)) {
      return true;
    }
    try {
      return owners.job(jobId).map(r -> r.owner().equals(caller.id())).orElse(false);
    } catch (IOException e) {
      return false; // unknown owner: not shown
    }
  }

  /** The mesh view; dead letters and recent failures only of the caller's own jobs unless it is an admin. */
  private void meshView(Context ctx) {
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.READ);
    ObjectNode snap = view.snapshot().deepCopy();
    ObjectNode dead = (ObjectNode) snap.path("dead_letters");
    if (dead.has("recent")) {
      dead.set("recent", ownEntries(c, dead.get("recent"), MeshView.DEAD_LETTERS_SHOWN));
    }
    snap.set("recent_failures", ownEntries(c, snap.path("recent_failures"), MeshView.FAILURES_SHOWN));
    snap.put("jobs_shown", c.may(Scope.ADMIN) ? "all" : "own");
    ctx.json(snap);
  }

  private ArrayNode ownEntries(Caller c, JsonNode entries, int max) {
    ArrayNode out = Json.mapper().createArrayNode();
    for (JsonNode e : entries) {
      if (out.size() >= max) {
        break;
      }
      if (mayList(c, e.path("root_id").asText(e.path("job_id").asText()))) {
        out.add(e);
      }
    }
    return out;
  }

  private void listDeadLetters(Context ctx) throws IOException {
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.READ);
    int limit = (int) Math.min(500, Math.max(1, RequestReader.parseLong(Optional.ofNullable(ctx.queryParam("limit")).orElse("50"), "limit")));
    ObjectNode body = Json.object();
    boolean all = c.may(Scope.ADMIN);
    // a pipeline stage's dead letter belongs to the pipeline's root job, the one its caller submitted
    List<DeadLetter> letters = all ? dlq.list(limit)
        : dlq.list(limit, DLQ_SCAN, d -> mayList(c, d.envelope() != null ? d.envelope().reportId() : d.id()));
    body.put("count", all ? dlq.count() : letters.size());
    body.put("jobs_shown", all ? "all" : "own");
    body.set("dead_letters", Json.mapper().valueToTree(letters.stream().map(d -> {
      ObjectNode o = Json.object();
      o.put("job_id", d.id()).put("subject", d.subject()).put("reason", d.reason()).put("attempts", d.attempts())
          .put("input", d.input()).put("worker", d.worker()).put("ts", d.ts() == null ? null : d.ts().toString())
          .put("replays", d.envelope() == null ? 0 : d.envelope().replayCount());
      o.set("error", Json.mapper().valueToTree(d.error()));
      return o;
    }).toList()));
    ctx.json(body);
  }

  private void replay(Context ctx) throws IOException {
    Caller c = caller(ctx);
    Authenticator.require(c, Scope.ADMIN);
    String id = jobId(ctx);
    DeadLetterReplayer.Replayed r;
    try {
      r = dlq.replay(id);
    } catch (NoSuchElementException e) {
      throw ApiException.notFound("dead_letter_not_found", e.getMessage());
    }
    LOG.info("{} replayed dead job {} ({}, replay {})", c.id(), r.jobId(), r.subject(), r.replay());
    ObjectNode body = Json.object().put("job_id", r.jobId()).put("subject", r.subject()).put("replay", r.replay())
        .put("duplicate", r.duplicate());
    body.set("links", Json.mapper().valueToTree(Gateway.links(r.jobId())));
    ctx.status(202).json(body);
  }
}
