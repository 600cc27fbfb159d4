package io.jetmesh.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.Units;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Reads a submission body: {@code multipart/form-data} with a file (streamed to a temp file on disk by Jetty while
 * the size limit is enforced, then streamed into the mesh's object store; never held in the heap), or
 * {@code application/json} with an input reference. Anything else is 415.
 */
final class RequestReader {
  /** Jetty reads the multipart limits of a request from this attribute. */
  static final String MULTIPART_CONFIG_ATTRIBUTE = "org.eclipse.jetty.multipartConfig";
  /** Parts up to this size stay in memory; larger ones go to disk as they arrive. */
  static final int MEMORY_THRESHOLD = 16 * 1024;
  /** Room for multipart headers and form fields beside the file itself. */
  static final long MULTIPART_OVERHEAD = 64 * 1024;
  private static final int MAX_FIELD = 64 * 1024;
  /** All form fields of one request as Jetty counts them; beyond this a request is refused without naming a field. */
  static final int MAX_FORM_FIELDS = 1 << 20;
  /** A JSON submission carries a reference and options, never the document: this is plenty. */
  static final long MAX_JSON = 1L << 20;
  private static final Set<String> RESERVED_FIELDS = Set.of("options", "timeout_ms", "wait_s", "input");

  private final MeshClient mesh;
  private final Path uploadRoot;
  private final GatewayMetrics metrics;

  RequestReader(MeshClient mesh, Path uploadRoot, GatewayMetrics metrics) {
    this.mesh = mesh;
    this.uploadRoot = uploadRoot;
    this.metrics = metrics;
  }

  static boolean isMultipart(Context ctx) {
    String ct = ctx.contentType();
    return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  static boolean isJson(Context ctx) {
    String ct = ctx.contentType();
    return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /** 415 unless the body is multipart or JSON (when {@code jsonAllowed}). */
  static void requireSubmissionType(Context ctx, boolean jsonAllowed) {
    if (isMultipart(ctx) || jsonAllowed && isJson(ctx)) {
      return;
    }
    throw new ApiException(415, "unsupported_media_type", "Content-Type '" + ctx.contentType() + "' is not accepted here; send "
        + (jsonAllowed ? "multipart/form-data with a 'file' part, or application/json with an 'input' reference" : "multipart/form-data with a 'file' part"));
  }

  JobInput read(Context ctx, long maxUploadBytes) {
    return isMultipart(ctx) ? readMultipart(ctx, maxUploadBytes) : readJson(ctx);
  }

  // ------------------------------------------------------------------ JSON

  private JobInput readJson(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_JSON) {
      throw new ApiException(413, "payload_too_large", "a JSON submission is at most " + Units.formatBytes(MAX_JSON)
          + "; upload files as multipart/form-data", null, Map.of("limit_bytes", MAX_JSON));
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(new LimitedInputStream(ctx.bodyInputStream(), MAX_JSON));
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof LimitedInputStream.LimitExceeded) {
        throw new ApiException(413, "payload_too_large", "a JSON submission is at most " + Units.formatBytes(MAX_JSON),
            null, Map.of("limit_bytes", MAX_JSON));
      }
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
    } catch (LimitedInputStream.LimitExceeded e) {
      throw new ApiException(413, "payload_too_large", "a JSON submission is at most " + Units.formatBytes(MAX_JSON),
          null, Map.of("limit_bytes", MAX_JSON));
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the JSON body must be an object like {\"input\":\"s3://bucket/key\",\"options\":{}}");
    }
    String uri = body.path("input").asText(null);
    if (uri == null || uri.isBlank()) {
      throw ApiException.badRequest("'input' is required: an s3://bucket/key or nats-object://bucket/name reference");
    }
    URI parsed;
    try {
      parsed = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'input' is not a valid URI: " + e.getMessage());
    }
    if (!InputRef.SCHEME_S3.equals(parsed.getScheme()) && !InputRef.SCHEME_NATS_OBJECT.equals(parsed.getScheme())) {
      throw ApiException.badRequest("'input' must be an s3:// or nats-object:// reference, not '" + uri + "'");
    }
    JsonNode opts = body.path("options");
    if (!opts.isMissingNode() && !opts.isNull() && !opts.isObject()) {
      throw ApiException.badRequest("'options' must be a JSON object");
    }
    return new JobInput(uri, false, body.path("name").asText(null), body.path("content_type").asText(null), -1,
        opts.isObject() ? (ObjectNode) opts : Json.object(), timeout(body.path("timeout_ms")), waitOf(body.path("wait_s")));
  }

  // ------------------------------------------------------------------ multipart

  private JobInput readMultipart(Context ctx, long maxUploadBytes) {
    Path dir = uploadDir();
    try {
      Form form = parseMultipart(ctx, maxUploadBytes, dir);
      if (form.files().isEmpty()) {
        throw ApiException.badRequest("the multipart body has no file part (send the document as 'file')");
      }
      Map<String, List<String>> fields = form.fields();
      ObjectNode options = Json.object();
      if (fields.containsKey("options")) {
        JsonNode o;
        try {
          o = Json.mapper().readTree(fields.get("options").get(0));
        } catch (JsonProcessingException e) {
          throw ApiException.badRequest("form field 'options' is not valid JSON: " + e.getOriginalMessage());
        }
        if (!o.isObject()) {
          throw ApiException.badRequest("form field 'options' must be a JSON object");
        }
        options.setAll((ObjectNode) o);
      }
      for (Map.Entry<String, List<String>> f : fields.entrySet()) {
        if (RESERVED_FIELDS.contains(f.getKey())) {
          continue;
        }
        options.set(f.getKey(), formValue(f.getKey(), f.getValue()));
      }
      Duration timeout = fields.containsKey("timeout_ms")
          ? timeout(Json.mapper().getNodeFactory().textNode(fields.get("timeout_ms").get(0))) : null;
      Duration wait = fields.containsKey("wait_s") ? waitOf(Json.mapper().getNodeFactory().textNode(fields.get("wait_s").get(0))) : null;
      Part file = form.files().get(0);
      Stored st = store(file, dir);
      String ct = file.getContentType();
      return new JobInput(st.uri(), true, st.name(), ct == null || ct.isBlank() ? null : ct, st.size(), options, timeout, wait);
    } catch (IOException e) {
      throw new ApiException(500, "upload_failed", "cannot store the upload: " + e.getMessage());
    } finally {
      deleteTree(dir);
    }
  }

  /** One file of a multipart request, stored in the mesh's object store. */
  record StoredFile(String uri, String name, String contentType, long size) {}

  /** A multipart request with any number of files (docling-serve's {@code files}) and its form fields. */
  record StoredForm(List<StoredFile> files, Map<String, List<String>> fields) {}

  /**
   * A multipart request whose file parts named {@code fileField} (at most {@code maxFiles}) are each stored in the
   * object store; the other parts are form fields. Each file, and the body as a whole, is held to
   * {@code maxUploadBytes} (the body with {@link #MULTIPART_OVERHEAD} per file for headers and fields).
   */
  StoredForm readFiles(Context ctx, long maxUploadBytes, String fileField, int maxFiles) {
    Path dir = uploadDir();
    try {
      Form form = parseMultipart(ctx, maxUploadBytes, dir);
      List<Part> files = form.files().stream().filter(p -> fileField.equals(p.getName())).toList();
      if (files.isEmpty()) {
        // 422 as docling-serve's validation answers a request without its 'files'
        throw new ApiException(422, "invalid_request", "the multipart body has no file part named '" + fileField
            + "' (send each document as '" + fileField + "', e.g. curl -F " + fileField + "=@report.pdf)");
      }
      if (files.size() > maxFiles) {
        throw new ApiException(422, "too_many_files", files.size() + " files in one request; at most " + maxFiles
            + " (send the rest in another request)");
      }
      long total = 0;
      for (Part p : files) {
        total += p.getSize();
      }
      if (total > maxUploadBytes) {
        throw tooLarge(maxUploadBytes, "the files of this request are " + Units.formatBytes(total) + " in all, larger");
      }
      List<StoredFile> out = new ArrayList<>();
      for (Part p : files) {
        Stored st = store(p, dir);
        String ct = p.getContentType();
        out.add(new StoredFile(st.uri(), st.name(), ct == null || ct.isBlank() ? null : ct, st.size()));
      }
      return new StoredForm(out, form.fields());
    } catch (IOException e) {
      throw new ApiException(500, "upload_failed", "cannot store the upload: " + e.getMessage());
    } finally {
      deleteTree(dir);
    }
  }

  /** Stores a local file (a decoded base64 source, a fetched URL) in the object store. */
  StoredFile storeLocal(Path local, String name, String contentType) {
    try {
      long size = Files.size(local);
      String uri = upload(local);
      metrics.uploadBytes.inc(size);
      return new StoredFile(uri, name, contentType, size);
    } catch (IOException e) {
      throw new ApiException(500, "upload_failed", "cannot store the upload: " + e.getMessage());
    }
  }

  /** A private directory for one request's spooled parts; the caller deletes it. */
  Path uploadDir() {
    try {
      Files.createDirectories(uploadRoot);
      return Files.createTempDirectory(uploadRoot, "upload-");
    } catch (IOException e) {
      throw new ApiException(507, "insufficient_storage", "cannot create an upload directory in " + uploadRoot + ": " + e.getMessage());
    }
  }

  private record Form(List<Part> files, Map<String, List<String>> fields) {}

  private record Stored(String uri, String name, long size) {}

  private Stored store(Part file, Path dir) throws IOException {
    String name = safeName(file.getSubmittedFileName());
    Path local = Files.createTempDirectory(dir, "f-").resolve(name);
    try (InputStream in = file.getInputStream()) {
      Files.copy(in, local);
    }
    long size = Files.size(local);
    file.delete();
    String uri = upload(local);
    metrics.uploadBytes.inc(size);
    return new Stored(uri, name, size);
  }

  /** Parses the parts (spooled to {@code dir}), enforcing the body limit and the size of each form field. */
  private Form parseMultipart(Context ctx, long maxUploadBytes, Path dir) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxUploadBytes + MULTIPART_OVERHEAD) {
      throw tooLarge(maxUploadBytes, "the request declares " + Units.formatBytes(declared));
    }
    // No per-part limit: Jetty's applies to form fields as well as the file, so a long field was refused as an
    // upload over the limit. The whole body is limited while it streams; the file and each field are checked below.
    ctx.req().setAttribute(MULTIPART_CONFIG_ATTRIBUTE,
        new MultipartConfigElement(dir.toString(), -1, maxUploadBytes + MULTIPART_OVERHEAD, MEMORY_THRESHOLD));
    Collection<Part> parts;
    try {
      parts = ctx.req().getParts();
    } catch (Exception e) {
      if (rootMessage(e).contains("Form is larger than max length")) {
        throw ApiException.badRequest("the form fields of this request are larger than " + Units.formatBytes(MAX_FORM_FIELDS)
            + " in all; a form field may have at most " + Units.formatBytes(MAX_FIELD)
            + " (send the document as the file part, options as small fields)");
      }
      if (isSizeLimit(e)) {
        throw new ApiException(413, "payload_too_large", "the request body is larger than the upload limit of "
            + Units.formatBytes(maxUploadBytes) + " for this caller and service (plus "
            + Units.formatBytes(MULTIPART_OVERHEAD) + " for form fields; a field may have at most "
            + Units.formatBytes(MAX_FIELD) + ")", null, Map.of("limit_bytes", maxUploadBytes));
      }
      throw ApiException.badRequest("malformed multipart body: " + rootMessage(e));
    }
    List<Part> files = new ArrayList<>();
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (Part p : parts) {
      if (p.getSubmittedFileName() != null) {
        if (p.getSize() >= 0) {
          if (p.getSize() > maxUploadBytes) {
            throw tooLarge(maxUploadBytes, "the file '" + p.getSubmittedFileName() + "' is " + Units.formatBytes(p.getSize())
                + ", larger");
          }
          files.add(p);
        }
        continue;
      }
      if (p.getSize() > MAX_FIELD) {
        throw ApiException.badRequest("form field '" + p.getName() + "' has " + p.getSize() + " bytes; a form field"
            + " may have at most " + MAX_FIELD + " (send the document as the file part, options as small fields)");
      }
      String v;
      try (InputStream in = p.getInputStream()) {
        v = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      fields.computeIfAbsent(p.getName(), k -> new ArrayList<>()).add(v);
    }
    return new Form(files, fields);
  }

  private String upload(Path local) {
    try {
      return mesh.upload(local).get(10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "mesh_unavailable", "interrupted while storing the upload");
    } catch (ExecutionException | TimeoutException e) {
      Throwable c = e instanceof ExecutionException ? e.getCause() : e;
      throw new ApiException(503, "mesh_unavailable", "cannot store the upload in the object store: " + c.getMessage(), 5L, null);
    }
  }

  /** Form values become option values: true/false and numbers are typed, repeated or comma lists become arrays. */
  private static JsonNode formValue(String key, List<String> values) {
    boolean list = values.size() > 1 || "to_formats".equals(key);
    if (!list) {
      return scalar(values.get(0));
    }
    ArrayNode arr = Json.mapper().createArrayNode();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          arr.add(scalar(part.trim()));
        }
      }
    }
    return arr;
  }

  static JsonNode scalar(String v) {
    var f = Json.mapper().getNodeFactory();
    if ("true".equalsIgnoreCase(v) || "false".equalsIgnoreCase(v)) {
      return f.booleanNode(Boolean.parseBoolean(v));
    }
    if (v.matches("-?\\d{1,18}")) {
      return f.numberNode(Long.parseLong(v));
    }
    if (v.matches("-?\\d+\\.\\d+")) {
      return f.numberNode(Double.parseDouble(v));
    }
    return f.textNode(v);
  }

  /** A time limit in milliseconds; the caller checks it against the service's limit. */
  static Duration timeout(JsonNode n) {
    Long ms = wholeNumber(n, "timeout_ms");
    if (ms == null) {
      return null;
    }
    if (ms <= 0) {
      throw ApiException.badRequest("'timeout_ms' must be > 0, not " + ms);
    }
    return Duration.ofMillis(ms);
  }

  static Duration waitOf(JsonNode n) {
    Long s = wholeNumber(n, "wait_s");
    if (s == null) {
      return null;
    }
    if (s < 0) {
      throw ApiException.badRequest("'wait_s' must be >= 0, not " + s);
    }
    return Duration.ofSeconds(Math.min(s, Duration.ofDays(365).toSeconds()));
  }

  /**
   * A JSON number or a numeric string as a long, or null when absent; anything else (text, fractions, numbers
   * beyond 64 bits, which Jackson would silently wrap) is a 400 naming the field.
   */
  static Long wholeNumber(JsonNode n, String field) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (n.isIntegralNumber()) {
      if (!n.canConvertToLong()) {
        throw ApiException.badRequest("'" + field + "' is out of range: " + n.asText());
      }
      return n.longValue();
    }
    if (n.isTextual()) {
      return parseLong(n.asText(), field);
    }
    throw ApiException.badRequest("'" + field + "' must be a whole number, not " + n);
  }

  static long parseLong(String v, String field) {
    String t = v.trim();
    if (t.length() > 40) {
      t = t.substring(0, 40) + "...";
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + field + "' must be a whole number, not '" + t + "'");
    }
  }

  static ApiException tooLarge(long limit, String what) {
    return new ApiException(413, "payload_too_large", what + " than the upload limit of " + Units.formatBytes(limit)
        + " for this caller and service", null, Map.of("limit_bytes", limit));
  }

  private static boolean isSizeLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("max") && (m.contains("size") || m.contains("length")) || m.contains("too large") || m.contains("exceeds")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /** The file name without directories or characters object-store names and file systems dislike. */
  static String safeName(String submitted) {
    String n = submitted == null ? "" : submitted;
    n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
    n = n.replaceAll("[^A-Za-z0-9._-]", "_");
    if (n.isBlank() || n.chars().allMatch(c -> c == '.')) {
      n = "upload.bin";
    }
    return n.length() > 120 ? n.substring(n.length() - 120) : n;
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp directory: best effort
    }
  }
}
