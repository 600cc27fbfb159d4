package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.ProgressListener;
import io.jetmesh.protocol.JobIds;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.StageSummary;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * docling-serve's v1 HTTP API on the gateway, so that a docling-serve client works with only its base URL changed:
 * {@code /v1/convert/file|source[/async]}, {@code /v1/chunk/{hybrid|hierarchical}/file|source[/async]},
 * {@code /v1/status/poll/{task_id}}, {@code /v1/result/{task_id}}, {@code /v1/clear/results}, {@code /health},
 * {@code /version}.
 *
 * <p>A docling-serve task is the set of documents of one request; here each document is one mesh job
 * ({@code pdf.docling.convert}, or that followed by {@code text.analyze.chunk} for the chunk endpoints) submitted
 * through the same path as every other gateway job (owner record, limits, backpressure). The task itself is a record in
 * the gateway jobs bucket ({@code task.<id>}) naming its owner and jobs, so any gateway answers for it and only its
 * owner (or an admin) sees it.
 */
final class DoclingServeApi {
  /** Documents in one request (each is a job of the caller's, within its concurrent-jobs limit as well). */
  static final int MAX_DOCUMENTS = 64;
  /** The longest {@code wait} of a status poll. */
  static final Duration MAX_POLL_WAIT = Duration.ofSeconds(60);
  static final String CHUNK_SUBJECT = io.jetmesh.client.TextService.CHUNK;
  private static final List<String> PATH_PREFIXES = List.of("/v1/convert/", "/v1/chunk/", "/v1/status/", "/v1/result/",
      "/v1/clear/");

  /** One document of a task: its job, or why it never became one (a fetch that failed). */
  record TaskDoc(String filename, String jobId, String error) {}

  /**
   * A task: who made it, what it converts into, its documents. Written once, before its id is given out.
   *
   * @param type {@code convert} or {@code chunk} (docling-serve's {@code task_type})
   * @param target {@code inbody} or {@code zip}
   */
  record TaskRecord(String owner, String type, String chunker, String target, List<String> toFormats,
                    List<String> fromFormats, boolean abortOnError, boolean includeConvertedDoc, List<String> warnings,
                    List<TaskDoc> docs, Instant submittedAt) {}

  /** A parsed request: options mapped, sources not yet stored. */
  private record Spec(String type, String chunker, DoclingServeOptions.Mapped convert, ObjectNode chunkOptions,
                      String target, boolean includeConvertedDoc, List<String> warnings) {}

  /** One document of a request, stored in the object store, or the reason it could not be. */
  private record Source(String filename, RequestReader.StoredFile stored, String error) {}

  private final Routes routes;
  private final MeshClient mesh;
  private final JobOwnership owners;
  private final RequestReader reader;
  private final MeshView view;
  private final ProgressListener progress;
  private final Gateway.Settings settings;
  private final HttpSources http;

  DoclingServeApi(Routes routes, MeshClient mesh, JobOwnership owners, RequestReader reader, MeshView view,
                  ProgressListener progress, Gateway.Settings settings, HttpSources http) {
    this.routes = routes;
    this.mesh = mesh;
    this.owners = owners;
    this.reader = reader;
    this.view = view;
    this.progress = progress;
    this.settings = settings;
    this.http = http;
  }

  /** Whether an error on this path is answered with docling-serve's {@code detail} beside jetmesh's {@code error}. */
  static boolean isDoclingPath(String path) {
    return PATH_PREFIXES.stream().anyMatch(path::startsWith) || path.equals("/health") || path.equals("/version");
  }

  void register(RoutesConfig r) {
    r.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
    r.get("/version", this::version);
    r.post("/v1/convert/file", ctx -> fromFiles(ctx, false, null));
    r.post("/v1/convert/file/async", ctx -> fromFiles(ctx, true, null));
    r.post("/v1/convert/source", ctx -> fromSources(ctx, false, null));
    r.post("/v1/convert/source/async", ctx -> fromSources(ctx, true, null));
    for (String chunker : List.of("hybrid", "hierarchical")) {
      r.post("/v1/chunk/" + chunker + "/file", ctx -> fromFiles(ctx, false, chunker));
      r.post("/v1/chunk/" + chunker + "/file/async", ctx -> fromFiles(ctx, true, chunker));
      r.post("/v1/chunk/" + chunker + "/source", ctx -> fromSources(ctx, false, chunker));
      r.post("/v1/chunk/" + chunker + "/source/async", ctx -> fromSources(ctx, true, chunker));
    }
    r.get("/v1/status/poll/{task_id}", this::poll);
    r.addWsHandler(io.javalin.websocket.WsHandlerType.WEBSOCKET, "/v1/status/ws/{task_id}", this::socket);
    r.get("/v1/result/{task_id}", this::result);
    r.get("/v1/clear/results", this::clear);
  }

  private void version(Context ctx) {
    String v = Optional.ofNullable(Gateway.class.getPackage().getImplementationVersion()).orElse("development");
    ObjectNode o = Json.object().put("jetmesh", v).put("docling-serve-api", "v1")
        .put("platform", System.getProperty("os.name") + " " + System.getProperty("os.arch"))
        .put("java", System.getProperty("java.version"));
    ctx.json(o);
  }

  // ------------------------------------------------------------------ submission

  /** The checks before a submission's body is read: scope, content type, the service's backlog. */
  private Caller admit(Context ctx, boolean multipart, NamespaceSpec ns) {
    Caller caller = Routes.caller(ctx);
    Authenticator.require(caller, Scope.SUBMIT);
    if (multipart && !RequestReader.isMultipart(ctx)) {
      throw new ApiException(415, "unsupported_media_type", "send multipart/form-data with each document as a 'files'"
          + " part (curl -F files=@report.pdf -F to_formats=md)");
    }
    if (!multipart && !RequestReader.isJson(ctx)) {
      throw new ApiException(415, "unsupported_media_type", "send application/json: {\"sources\": [{\"kind\": \"file\","
          + " \"base64_string\": \"...\", \"filename\": \"a.pdf\"}], \"options\": {...}}");
    }
    routes.checkBackpressure(ns);
    return caller;
  }

  private void fromFiles(Context ctx, boolean async, String chunker) throws IOException {
    NamespaceSpec ns = routes.service(settings.convertSubject());
    Caller caller = admit(ctx, true, ns);
    RequestReader.StoredForm form = reader.readFiles(ctx, uploadLimit(caller, ns), "files", MAX_DOCUMENTS);
    Map<String, List<String>> f = form.fields();
    Spec spec;
    if (chunker == null) {
      ObjectNode opts = DoclingServeOptions.fromForm(f, "", Set.of("target_type", "files"));
      spec = spec("convert", null, opts, null, target(one(f, "target_type"), opts), false);
    } else {
      ObjectNode conv = DoclingServeOptions.fromForm(f, "convert_", Set.of("convert_to_formats"));
      ObjectNode chunk = DoclingServeOptions.fromForm(f, "chunking_", Set.of());
      boolean include = Boolean.parseBoolean(Optional.ofNullable(one(f, "include_converted_doc")).orElse("false"));
      spec = spec("chunk", chunker, conv, chunk, target(one(f, "target_type"), conv), include);
    }
    List<Source> sources = form.files().stream().map(s -> new Source(s.name(), s, null)).toList();
    answerSubmitted(ctx, caller, spec, sources, async);
  }

  private void fromSources(Context ctx, boolean async, String chunker) throws IOException {
    NamespaceSpec ns = routes.service(settings.convertSubject());
    Caller caller = admit(ctx, false, ns);
    long limit = uploadLimit(caller, ns);
    Path dir = reader.uploadDir();
    try {
      DoclingSourceBody.SourceBody body = DoclingSourceBody.read(ctx.bodyInputStream(), dir, limit, MAX_DOCUMENTS);
      Spec spec;
      if (chunker == null) {
        ObjectNode opts = body.options == null ? Json.object() : body.options;
        spec = spec("convert", null, opts, null, body.targetKind != null ? body.targetKind : target(null, opts), false);
      } else {
        ObjectNode conv = body.convertOptions == null ? Json.object() : body.convertOptions;
        conv.remove("to_formats");
        spec = spec("chunk", chunker, conv, body.chunkingOptions == null ? Json.object() : body.chunkingOptions,
            body.targetKind != null ? body.targetKind : "inbody", body.includeConvertedDoc);
      }
      if (body.sources.isEmpty()) {
        throw new ApiException(422, "invalid_request", "'sources' must name at least one document");
      }
      List<Source> sources = new ArrayList<>();
      for (DoclingSourceBody.RawSource s : body.sources) {
        if (s.local != null) {
          sources.add(new Source(s.filename, reader.storeLocal(s.local, s.filename, null), null));
          continue;
        }
        try {
          Path fetched = http.fetch(s.url, s.headers, dir, limit);
          String name = RequestReader.safeName(nameFromUrl(s.url));
          sources.add(new Source(name, reader.storeLocal(fetched, name, null), null));
        } catch (HttpSources.FetchException e) {
          if (e.status == 403 || e.status == 422) {
            // a refusal by policy or a malformed source: nothing in this request can work, as docling-serve's validation
            throw new ApiException(e.status, e.status == 403 ? "source_not_allowed" : "invalid_source", e.getMessage());
          }
          sources.add(new Source(RequestReader.safeName(nameFromUrl(s.url)), null, e.getMessage()));
        }
      }
      answerSubmitted(ctx, caller, spec, sources, async);
    } finally {
      RequestReader.deleteTree(dir);
    }
  }

  private static String nameFromUrl(String url) {
    String path = url.replaceFirst("[?#].*$", "");
    String n = path.substring(path.lastIndexOf('/') + 1);
    return n.isBlank() ? "document" : n;
  }

  private static long uploadLimit(Caller caller, NamespaceSpec ns) {
    return Math.min(caller.limits().maxUploadBytes(), ns.limits().maxInputSize());
  }

  private static String one(Map<String, List<String>> fields, String name) {
    List<String> v = fields.get(name);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
  }

  /** docling-serve's {@code target_type} (inbody | zip); the older {@code return_as_file=true} also asks for a zip. */
  private static String target(String targetType, ObjectNode options) {
    if (targetType != null) {
      String t = targetType.toLowerCase(Locale.ROOT);
      if (!t.equals("inbody") && !t.equals("zip")) {
        throw DoclingServeOptions.invalid("target_type", "must be inbody or zip, not '" + targetType + "'");
      }
      return t;
    }
    JsonNode asFile = options.get("return_as_file");
    return asFile != null && (asFile.asBoolean(false) || "true".equalsIgnoreCase(asFile.asText())) ? "zip" : "inbody";
  }

  private static Spec spec(String type, String chunker, ObjectNode convert, ObjectNode chunk, String target,
                           boolean includeConverted) {
    DoclingServeOptions.Mapped m = DoclingServeOptions.convert(convert, chunker != null);
    List<String> warnings = new ArrayList<>(m.warnings());
    ObjectNode chunkOpts = chunker == null ? null : DoclingServeOptions.chunking(chunk, chunker, warnings);
    return new Spec(type, chunker, m, chunkOpts, target, includeConverted, List.copyOf(warnings));
  }

  /** Submits one job per stored source, records the task, and answers (now for async, at the end for sync). */
  private void answerSubmitted(Context ctx, Caller caller, Spec spec, List<Source> sources, boolean async) throws IOException {
    TaskRecord task;
    String taskId = JobIds.newId();
    NamespaceSpec ns = routes.service(settings.convertSubject());
    Duration timeout = spec.convert().timeout() == null ? null
        : spec.convert().timeout().compareTo(ns.limits().jobTimeout()) > 0 ? ns.limits().jobTimeout() : spec.convert().timeout();
    List<TaskDoc> docs = new ArrayList<>();
    // every document's job slot first, so that a request is taken whole or refused whole (429)
    long needed = sources.stream().filter(s -> s.error() == null).count();
    int held = 0;
    try {
      for (; held < needed; held++) {
        routes.limiter().acquireJob(caller);
      }
    } catch (ApiException e) {
      for (int i = 0; i < held; i++) {
        routes.limiter().releaseJob(caller);
      }
      throw new ApiException(429, "too_many_jobs", "this request has " + needed + " documents, and '" + caller.id()
          + "' may have " + caller.limits().maxConcurrentJobs() + " unfinished jobs through this gateway at once: "
          + e.getMessage(), 1L, null);
    }
    boolean anySubmitted = false;
    for (Source s : sources) {
      if (s.error() != null) {
        docs.add(new TaskDoc(s.filename(), null, s.error()));
        continue;
      }
      RequestReader.StoredFile f = s.stored();
      ObjectNode opts = spec.convert().options().deepCopy();
      opts.put("filename", f.name());
      JobInput in = new JobInput(f.uri(), true, f.name(), f.contentType(), f.size(), opts, timeout, null);
      held--; // publish() owns this slot now: it releases it when the job ends, or at once if it is never submitted
      try {
        Routes.Submitted sub = routes.publish(caller, settings.convertSubject(), in, b -> {
          if (spec.chunker() != null) {
            b.then(CHUNK_SUBJECT, spec.chunkOptions());
          }
        });
        docs.add(new TaskDoc(s.filename(), sub.submission().jobId(), null));
        anySubmitted = true;
      } catch (RuntimeException e) {
        if (!anySubmitted && docs.isEmpty() || !(e instanceof ApiException)) {
          for (int i = 0; i < held; i++) {
            routes.limiter().releaseJob(caller);
          }
          throw e; // nothing started (503, ...), or not a refusal of this one document: the request fails as a whole
        }
        docs.add(new TaskDoc(s.filename(), null, "not submitted: " + e.getMessage()));
      }
    }
    task = new TaskRecord(caller.id(), spec.type(), spec.chunker(), spec.target(), spec.convert().toFormats(),
        List.copyOf(spec.convert().fromFormats()), spec.convert().abortOnError(), spec.includeConvertedDoc(),
        spec.warnings(), List.copyOf(docs), Instant.now());
    TaskRecord recorded = task;
    Routes.record(() -> owners.recordTask(taskId, recorded), "record the task");
    if (async) {
      ctx.json(statusBody(taskId, task, states(task)));
      return;
    }
    if (!awaitAll(task, settings.syncWait())) {
      throw new ApiException(504, "TIMEOUT", "Conversion is taking too long: not finished within the gateway's sync wait ("
          + settings.syncWait().toSeconds() + "s). The task goes on: poll /v1/status/poll/" + taskId + " and fetch /v1/result/"
          + taskId + ", or use the /async endpoints", null, Map.of("task_id", taskId));
    }
    writeResult(ctx, task);
  }

  // ------------------------------------------------------------------ tasks

  private TaskRecord requireTask(Caller caller, String taskId) {
    Optional<TaskRecord> t;
    try {
      t = owners.task(taskId);
    } catch (IOException e) {
      throw new ApiException(503, "mesh_unavailable", e.getMessage(), 5L, null);
    }
    if (t.isEmpty() || !caller.may(Scope.ADMIN) && !t.get().owner().equals(caller.id())) {
      throw ApiException.notFound("task_not_found", "Task not found.");
    }
    return t.get();
  }

  /** Each document's job status (null for a document that never became a job, or whose job expired). */
  private List<JobStatus> states(TaskRecord t) {
    List<CompletableFuture<Optional<JobStatus>>> fs = new ArrayList<>();
    for (TaskDoc d : t.docs()) {
      fs.add(d.jobId() == null ? CompletableFuture.completedFuture(Optional.empty()) : mesh.status(d.jobId()));
    }
    List<JobStatus> out = new ArrayList<>();
    for (CompletableFuture<Optional<JobStatus>> f : fs) {
      out.add(Routes.join(f, "read the job status").orElse(null));
    }
    return out;
  }

  private static boolean complete(List<JobStatus> states) {
    return states.stream().allMatch(s -> s == null || s.state().terminal());
  }

  private ObjectNode statusBody(String taskId, TaskRecord t, List<JobStatus> states) {
    int done = 0;
    int ok = 0;
    int failed = 0;
    boolean running = false;
    for (int i = 0; i < states.size(); i++) {
      JobStatus s = states.get(i);
      if (s == null || s.state().terminal()) {
        done++;
        if (s != null && s.state() == JobState.COMPLETED) {
          ok++;
        } else {
          failed++;
        }
      } else if (s.state() == JobState.RUNNING) {
        running = true;
      }
    }
    String status = done < states.size() ? (running || done > 0 ? "started" : "pending") : ok == 0 ? "failure" : "success";
    ObjectNode o = Json.object().put("task_id", taskId).put("task_type", t.type()).put("task_status", status);
    if (status.equals("pending")) {
      o.put("task_position", view.backlog(routes.service(settings.convertSubject())).queued());
    } else {
      o.putNull("task_position");
    }
    o.putObject("task_meta").put("num_docs", states.size()).put("num_processed", done).put("num_succeeded", ok)
        .put("num_failed", failed);
    return o;
  }

  /** Waits until every job of the task has ended, up to {@code wait}; true when they have. */
  private boolean awaitAll(TaskRecord t, Duration wait) {
    List<CompletableFuture<JobResult>> fs = new ArrayList<>();
    for (TaskDoc d : t.docs()) {
      if (d.jobId() != null) {
        fs.add(mesh.await(d.jobId(), progress));
      }
    }
    try {
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      // a failed job has ended too; whether all have is for the status to say
      return complete(states(t));
    }
  }

  private void poll(Context ctx) {
    Caller caller = Routes.caller(ctx);
    Authenticator.require(caller, Scope.READ);
    String id = ctx.pathParam("task_id");
    TaskRecord t = requireTask(caller, id);
    String w = ctx.queryParam("wait");
    if (w != null) {
      double s;
      try {
        s = Double.parseDouble(w);
      } catch (NumberFormatException e) {
        throw new ApiException(422, "invalid_request", "'wait' must be a number of seconds, not '" + w + "'");
      }
      if (s > 0) {
        awaitAll(t, Duration.ofMillis((long) Math.min(s * 1000, MAX_POLL_WAIT.toMillis())));
      }
    }
    ctx.json(statusBody(id, t, states(t)));
  }

  /**
   * docling-serve's status socket: a {@code connection} message with the task, an {@code update} for every message the
   * client sends and one when the task ends; an {@code error} message (then close) for an unknown task or refused
   * credentials. The socket is closed after the gateway's longest event-stream time.
   */
  private void socket(io.javalin.websocket.WsConfig ws) {
    ws.onConnect(ctx -> {
      String id = ctx.pathParam("task_id");
      // the connection's address, never a header a client could set (as for HTTP requests)
      String address = ctx.session.getRemoteSocketAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
          ? a.getAddress().getHostAddress() : String.valueOf(ctx.session.getRemoteSocketAddress());
      Caller caller;
      TaskRecord t;
      try {
        String key = Optional.ofNullable(ctx.queryParam("api_key")).orElse(ctx.header("X-Api-Key"));
        caller = routes.authenticateSocket(address, ctx.header("Host"), ctx.header("Origin"), ctx.header("Sec-Fetch-Site"),
            key, ctx.header("Authorization"));
        Authenticator.require(caller, Scope.READ);
        t = requireTask(caller, id);
        routes.limiter().acquireStream(caller); // counted with the caller's event streams; released on close
      } catch (ApiException e) {
        ctx.send(Json.toString(Json.object().put("message", "error").put("error", e.getMessage())));
        ctx.closeSession();
        return;
      }
      ctx.attribute("caller", caller);
      ctx.attribute("task", t);
      send(ctx, "connection", id, t);
      List<CompletableFuture<JobResult>> fs = new ArrayList<>();
      for (TaskDoc d : t.docs()) {
        if (d.jobId() != null) {
          fs.add(mesh.await(d.jobId(), progress));
        }
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
          .orTimeout(settings.maxStreamDuration().toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((v, e) -> {
            if (!(e instanceof TimeoutException) && !(e != null && e.getCause() instanceof TimeoutException)) {
              send(ctx, "update", id, t);
            }
            if (e instanceof TimeoutException || e != null && e.getCause() instanceof TimeoutException) {
              ctx.closeSession(io.javalin.websocket.WsCloseStatus.NORMAL_CLOSURE, "stream time limit; poll /v1/status/poll/" + id);
            }
          });
    });
    ws.onMessage(ctx -> {
      TaskRecord t = ctx.attribute("task");
      Long last = ctx.attribute("last-update");
      long now = System.nanoTime();
      // each message asks for an update (docling-serve's protocol); a flood of them is answered at most 5 times a
      // second (one socket's messages are handled one after the other, so waiting here slows only that socket)
      if (t != null) {
        long wait = last == null ? 0 : 200_000_000L - (now - last);
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L);
        }
        ctx.attribute("last-update", System.nanoTime());
        send(ctx, "update", ctx.pathParam("task_id"), t);
      }
    });
    ws.onClose(ctx -> {
      Caller c = ctx.attribute("caller");
      if (c != null) {
        ctx.attribute("caller", null);
        routes.limiter().releaseStream(c);
      }
    });
  }

  private void send(io.javalin.websocket.WsContext ctx, String kind, String id, TaskRecord t) {
    ObjectNode msg = Json.object().put("message", kind);
    try {
      msg.set("task", statusBody(id, t, states(t)));
    } catch (ApiException e) {
      msg.put("message", "error").put("error", e.getMessage());
    }
    synchronized (ctx.session) {
      if (ctx.session.isOpen()) {
        ctx.send(Json.toString(msg));
      }
    }
  }

  private void result(Context ctx) throws IOException {
    Caller caller = Routes.caller(ctx);
    Authenticator.require(caller, Scope.READ);
    TaskRecord t = requireTask(caller, ctx.pathParam("task_id"));
    if (!complete(states(t))) {
      throw ApiException.notFound("result_not_ready", "Task result not found. Please wait for a completion status.");
    }
    writeResult(ctx, t);
  }

  /** {@code older_then} (docling-serve's spelling) seconds: the caller's tasks submitted before that are forgotten. */
  private void clear(Context ctx) throws IOException {
    Caller caller = Routes.caller(ctx);
    Authenticator.require(caller, Scope.SUBMIT);
    String q = Optional.ofNullable(ctx.queryParam("older_then")).orElse(ctx.queryParam("older_than"));
    double seconds;
    try {
      seconds = q == null ? 3600 : Double.parseDouble(q);
    } catch (NumberFormatException e) {
      throw new ApiException(422, "invalid_request", "'older_then' must be a number of seconds, not '" + q + "'");
    }
    Instant before = Instant.now().minusMillis((long) (Math.max(0, seconds) * 1000));
    for (String id : owners.taskIds()) {
      Optional<TaskRecord> t = owners.task(id);
      if (t.isPresent() && (caller.may(Scope.ADMIN) || t.get().owner().equals(caller.id()))
          && t.get().submittedAt() != null && !t.get().submittedAt().isAfter(before)) {
        owners.deleteTask(id);
      }
    }
    ctx.json(Map.of("status", "ok"));
  }

  // ------------------------------------------------------------------ results

  /** One finished document: docling-serve's per-document status, errors and exports. */
  private record DocResult(TaskDoc doc, String status, ArrayNode errors, JsonNode output, JobResult job) {}

  private List<DocResult> documents(TaskRecord t) {
    List<DocResult> out = new ArrayList<>();
    boolean aborted = false;
    for (TaskDoc d : t.docs()) {
      ArrayNode errors = Json.mapper().createArrayNode();
      t.warnings().forEach(w -> errors.add(error("user_input", "jetmesh-gateway", w)));
      if (aborted) {
        errors.add(error("user_input", "jetmesh-gateway", "skipped: abort_on_error is set and an earlier document failed"));
        out.add(new DocResult(d, "skipped", errors, null, null));
        continue;
      }
      if (d.jobId() == null) {
        errors.add(error("document_backend", "jetmesh-gateway", d.error()));
        out.add(new DocResult(d, "failure", errors, null, null));
        aborted = t.abortOnError();
        continue;
      }
      Optional<JobResult> r = Routes.join(mesh.result(d.jobId()), "read the result");
      if (r.isEmpty()) {
        errors.add(error("document_backend", "jetmesh", "the result of job " + d.jobId()
            + " has expired (the mesh keeps results for its result_ttl)"));
        out.add(new DocResult(d, "failure", errors, null, null));
        continue;
      }
      JobResult jr = r.get();
      if (!jr.succeeded()) {
        String stage = jr.error().stage() != null ? jr.error().stage() : jr.subject();
        errors.add(error("document_backend", stage, jr.error().code().name() + ": " + jr.error().message()));
        out.add(new DocResult(d, "failure", errors, null, jr));
        aborted = t.abortOnError();
        continue;
      }
      JsonNode output = Routes.join(mesh.output(jr), "read the job output");
      String status = "success";
      JsonNode format = output.path("input_format");
      if (!t.fromFormats().isEmpty() && !format.isMissingNode() && !t.fromFormats().contains(doclingFormat(format.asText()))) {
        errors.add(error("user_input", "jetmesh-gateway", "the document is " + format.asText() + " (docling's '"
            + doclingFormat(format.asText()) + "'), not among from_formats " + t.fromFormats()));
        out.add(new DocResult(d, "skipped", errors, null, jr));
        continue;
      }
      for (JsonNode w : output.path("warnings")) {
        errors.add(error("document_backend", settings.convertSubject(), w.asText()));
      }
      out.add(new DocResult(d, status, errors, output, jr));
    }
    return out;
  }

  /** jetmesh's detected input type as docling's {@code InputFormat}. */
  static String doclingFormat(String jetmesh) {
    return switch (jetmesh) {
      case "png", "jpeg", "tiff", "bmp", "gif", "webp" -> "image";
      case "text" -> "md"; // docling reads plain text with its Markdown backend
      default -> jetmesh;
    };
  }

  private static ObjectNode error(String component, String module, String message) {
    return Json.object().put("component_type", component).put("module_name", module).put("error_message", message);
  }

  private static double processingTime(List<DocResult> docs, TaskRecord t) {
    Instant start = t.submittedAt();
    Instant end = null;
    for (DocResult d : docs) {
      if (d.job() != null && d.job().finishedAt() != null && (end == null || d.job().finishedAt().isAfter(end))) {
        end = d.job().finishedAt();
      }
      if (d.job() != null && d.job().submittedAt() != null && (start == null || d.job().submittedAt().isBefore(start))) {
        start = d.job().submittedAt();
      }
    }
    return start == null || end == null ? 0 : Math.max(0, Duration.between(start, end).toMillis()) / 1000.0;
  }

  private void writeResult(Context ctx, TaskRecord t) throws IOException {
    List<DocResult> docs = documents(t);
    double time = processingTime(docs, t);
    if (t.type().equals("chunk")) {
      ctx.json(chunkBody(t, docs, time));
      return;
    }
    if (t.target().equals("inbody") && docs.size() == 1) {
      DocResult d = docs.get(0);
      ObjectNode body = Json.object();
      body.set("document", exportDocument(d, t.toFormats()));
      body.put("status", d.status());
      body.set("errors", d.errors());
      body.put("processing_time", time);
      body.putObject("timings");
      ctx.json(body);
      return;
    }
    writeZip(ctx, t, docs);
  }

  /** docling-serve's {@code ExportDocumentResponse}: the exports asked for, null for the others. */
  private static ObjectNode exportDocument(DocResult d, List<String> toFormats) {
    ObjectNode doc = Json.object().put("filename", d.doc().filename());
    JsonNode out = d.output();
    doc.set("md_content", export(out, toFormats, "md", "markdown"));
    doc.set("json_content", export(out, toFormats, "json", "document"));
    doc.set("html_content", export(out, toFormats, "html", "html"));
    doc.set("text_content", export(out, toFormats, "text", "text"));
    doc.set("doctags_content", export(out, toFormats, "doctags", "doctags"));
    return doc;
  }

  private static JsonNode export(JsonNode out, List<String> toFormats, String format, String field) {
    if (out == null || !toFormats.contains(format) || !out.has(field)) {
      return Json.mapper().nullNode();
    }
    return out.get(field);
  }

  /** Several documents, or {@code target_type=zip}: {@code converted_docs.zip} with one file per document and format. */
  private void writeZip(Context ctx, TaskRecord t, List<DocResult> docs) throws IOException {
    ctx.contentType("application/zip");
    ctx.header("Content-Disposition", "attachment; filename=\"converted_docs.zip\"");
    Map<String, String> ext = new LinkedHashMap<>();
    ext.put("md", "markdown");
    ext.put("json", "document");
    ext.put("html", "html");
    ext.put("text", "text");
    ext.put("doctags", "doctags");
    Set<String> names = new HashSet<>();
    try (ZipOutputStream zip = new ZipOutputStream(ctx.outputStream())) {
      for (DocResult d : docs) {
        if (d.output() == null) {
          continue; // as docling-serve: a document that did not convert has no files
        }
        String stem = stem(d.doc().filename(), names);
        for (Map.Entry<String, String> e : ext.entrySet()) {
          if (!t.toFormats().contains(e.getKey()) || !d.output().has(e.getValue())) {
            continue;
          }
          JsonNode v = d.output().get(e.getValue());
          String suffix = e.getKey().equals("text") ? "txt" : e.getKey();
          zip.putNextEntry(new ZipEntry(stem + "." + suffix));
          zip.write(v.isTextual() ? v.asText().getBytes(StandardCharsets.UTF_8) : Json.toBytes(v));
          zip.closeEntry();
        }
      }
    }
  }

  private static String stem(String filename, Set<String> taken) {
    String base = filename.contains(".") ? filename.substring(0, filename.lastIndexOf('.')) : filename;
    String s = base;
    for (int i = 1; !taken.add(s); i++) {
      s = base + "_" + i;
    }
    return s;
  }

  /** docling-serve's {@code ChunkDocumentResponse}: every document's chunks in order, and the documents. */
  private ObjectNode chunkBody(TaskRecord t, List<DocResult> docs, double time) {
    ObjectNode body = Json.object();
    ArrayNode chunks = body.putArray("chunks");
    ArrayNode documents = body.putArray("documents");
    for (DocResult d : docs) {
      if (d.output() != null) {
        for (JsonNode c : d.output().path("chunks")) {
          ObjectNode o = chunks.addObject();
          o.put("filename", d.doc().filename());
          o.put("chunk_index", c.path("index").asInt());
          o.set("text", c.path("contextualized_text").isMissingNode() ? c.get("text") : c.get("contextualized_text"));
          o.set("raw_text", c.has("text") ? c.get("text") : Json.mapper().nullNode());
          if ("hybrid".equals(t.chunker()) && c.has("token_count")) {
            o.put("num_tokens", c.get("token_count").asInt());
          } else {
            o.putNull("num_tokens");
          }
          o.set("headings", nonEmpty(c.path("headings")));
          o.putNull("captions");
          ArrayNode refs = Json.mapper().createArrayNode();
          c.path("doc_items").forEach(i -> refs.add(i.path("self_ref").asText()));
          o.set("doc_items", refs);
          o.set("page_numbers", nonEmpty(c.path("pages")));
          o.putNull("metadata");
        }
      }
      ObjectNode res = documents.addObject();
      res.put("kind", "ExportResult");
      ObjectNode content = res.putObject("content").put("filename", d.doc().filename());
      if (t.includeConvertedDoc() && d.job() != null && d.output() != null) {
        content.set("json_content", convertedDocument(d.job()));
      }
      res.put("status", d.status());
      res.set("errors", d.errors());
      res.putObject("timings");
    }
    body.put("processing_time", time);
    return body;
  }

  private static JsonNode nonEmpty(JsonNode a) {
    return a.isArray() && !a.isEmpty() ? a : Json.mapper().nullNode();
  }

  /** The conversion stage's DoclingDocument of a convert-then-chunk pipeline, read from its stored output. */
  private JsonNode convertedDocument(JobResult chunkResult) {
    List<StageSummary> stages = chunkResult.stages();
    if (stages == null || stages.isEmpty() || stages.get(0).outputRef() == null) {
      return Json.mapper().nullNode();
    }
    try (InputStream in = mesh.openBlob(stages.get(0).outputRef().uri())) {
      JsonNode out = Json.mapper().readTree(in);
      return out.has("document") ? out.get("document") : Json.mapper().nullNode();
    } catch (Exception e) {
      return Json.mapper().nullNode();
    }
  }
}
