package io.jetmesh.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed {@code namespaces.yaml}: mesh-wide settings and every service type. A new service type is an entry
 * here plus a handler; the runtime needs no change.
 *
 * <p>Lookup order for the file used by the CLI and workers: {@code --namespaces}, then {@code JETMESH_NAMESPACES},
 * then the copy bundled in this jar (identical to the repository's root {@code namespaces.yaml}).
 *
 * <p>The bundled registry is read from {@link #BUNDLED_JSON_RESOURCE}, a JSON rendering of {@code namespaces.yaml}
 * made at build time ({@link BundledRegistryJson}), so the client library needs no YAML parser. Registry files may be
 * JSON or YAML; YAML needs {@code jackson-dataformat-yaml} on the classpath (an optional dependency of this module,
 * which the workers, the CLI and the gateway declare; a client application adds it only to read YAML files).
 */
public final class MeshRegistry {
  /** Classpath location of the bundled {@code namespaces.yaml} (the human-readable source of the bundled registry). */
  public static final String BUNDLED_RESOURCE = "/io/jetmesh/protocol/namespaces.yaml";
  /** Classpath location of the bundled registry as JSON, generated from {@link #BUNDLED_RESOURCE} at build time. */
  public static final String BUNDLED_JSON_RESOURCE = "/io/jetmesh/protocol/namespaces.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MeshSettings mesh;
  private final Map<String, NamespaceSpec> namespaces;

  public MeshRegistry(MeshSettings mesh, Collection<NamespaceSpec> namespaces) {
    this.mesh = mesh;
    Map<String, NamespaceSpec> byName = new LinkedHashMap<>();
    Map<String, String> prefixes = new LinkedHashMap<>();
    Map<String, String> streams = new LinkedHashMap<>();
    for (NamespaceSpec ns : namespaces) {
      if (byName.put(ns.name(), ns) != null) {
        throw new IllegalArgumentException("duplicate namespace '" + ns.name() + "'");
      }
      String other = prefixes.put(ns.subjectPrefix(), ns.name());
      if (other != null) {
        throw new IllegalArgumentException("namespaces '" + other + "' and '" + ns.name() + "' share subject_prefix " + ns.subjectPrefix());
      }
      other = streams.put(ns.stream(), ns.name());
      if (other != null) {
        throw new IllegalArgumentException("namespaces '" + other + "' and '" + ns.name() + "' share stream " + ns.stream());
      }
      if (ns.subjectPrefix().startsWith("jetmesh.") || ns.subjectPrefix().equals("jetmesh")) {
        throw new IllegalArgumentException(ns.name() + ": subject_prefix may not start with 'jetmesh.' (reserved)");
      }
    }
    this.namespaces = Map.copyOf(byName);
    this.order = List.copyOf(byName.keySet());
  }

  private final List<String> order;

  public MeshSettings mesh() {
    return mesh;
  }

  /** All namespaces in file order. */
  public List<NamespaceSpec> namespaces() {
    List<NamespaceSpec> list = new ArrayList<>(order.size());
    for (String name : order) {
      list.add(namespaces.get(name));
    }
    return list;
  }

  public Optional<NamespaceSpec> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  public NamespaceSpec require(String name) {
    NamespaceSpec ns = namespaces.get(name);
    if (ns == null) {
      throw new IllegalArgumentException("unknown namespace '" + name + "' (known: " + String.join(", ", order) + ")");
    }
    return ns;
  }

  /** The namespace whose stream holds {@code subject}, e.g. {@code pdf} for {@code pdf.docling.convert}. */
  public Optional<NamespaceSpec> forSubject(String subject) {
    for (NamespaceSpec ns : namespaces.values()) {
      if (ns.owns(subject)) {
        return Optional.of(ns);
      }
    }
    return Optional.empty();
  }

  /** Like {@link #forSubject} but fails with a message listing the known subjects. */
  public NamespaceSpec requireSubject(String subject) {
    Subjects.requireJobSubject(subject);
    for (NamespaceSpec prefixed : namespaces()) {
      if (prefixed.subjectPrefix().equals(subject)) {
        throw new IllegalArgumentException("'" + subject + "' is the subject prefix of service '" + prefixed.name()
            + "'; a job subject names one of its operations: " + String.join(", ",
                prefixed.operations().stream().map(op -> subject + "." + op).toList()));
      }
    }
    NamespaceSpec ns = forSubject(subject).orElseThrow(() -> new IllegalArgumentException(
        "no service handles '" + subject + "' (known prefixes: "
            + String.join(", ", namespaces().stream().map(NamespaceSpec::subjectPrefix).toList()) + ")"));
    String op = ns.operationOf(subject);
    if (!ns.operations().contains(op)) {
      throw new IllegalArgumentException("service '" + ns.name() + "' has no operation '" + op + "' (operations: "
          + String.join(", ", ns.operations()) + ")");
    }
    return ns;
  }

  /** A copy with every stream and store at {@code replicas} (cluster provisioning). */
  public MeshRegistry withReplicas(int replicas) {
    List<NamespaceSpec> list = new ArrayList<>();
    for (NamespaceSpec ns : namespaces()) {
      ServiceLimits l = ns.limits();
      list.add(new NamespaceSpec(ns.name(), ns.description(), ns.stream(), ns.subjectPrefix(), ns.workerGroup(),
          ns.operations(), new ServiceLimits(l.storage(), replicas, l.maxMessageSize(), l.maxAge(), l.maxPending(),
              l.ackWait(), l.maxDeliver(), l.backoff(), l.maxAckPending(), l.jobTimeout(), l.maxInputSize(),
              l.maxInlineSize(), l.duplicateWindow()), ns.inputFormats(), ns.optionLimits(), ns.s3Buckets()));
    }
    return new MeshRegistry(mesh.withReplicas(replicas), list);
  }

  // ---------------------------------------------------------------- loading

  /** The copy bundled in this jar, parsed once (a registry is immutable). */
  public static MeshRegistry bundled() {
    return Bundled.REGISTRY;
  }

  private static final class Bundled {
    static final MeshRegistry REGISTRY = parseBundled();
  }

  private static MeshRegistry parseBundled() {
    try (InputStream in = MeshRegistry.class.getResourceAsStream(BUNDLED_JSON_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bundled registry missing from the classpath: " + BUNDLED_JSON_RESOURCE
            + " (generated from namespaces.yaml when the protocol module is built)");
      }
      return parse(in.readAllBytes(), "bundled namespaces.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static MeshRegistry load(Path file) {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code path} if given, else {@code JETMESH_NAMESPACES} if set, else the bundled copy. */
  public static MeshRegistry resolve(Path path) {
    if (path != null) {
      return load(path);
    }
    String env = System.getenv("JETMESH_NAMESPACES");
    if (env != null && !env.isBlank()) {
      return load(Path.of(env));
    }
    return bundled();
  }

  /** Parses a registry document, JSON (first non-blank character {@code '{'}) or YAML. */
  public static MeshRegistry parse(byte[] document, String source) {
    return fromTree(readTree(document, source), source);
  }

  /**
   * The document as a tree. JSON is read by plain databind; YAML needs {@code jackson-dataformat-yaml}, found at run
   * time so that this module (and the client library) does not require it.
   */
  static JsonNode readTree(byte[] document, String source) {
    boolean json = looksLikeJson(document);
    try {
      return json ? JSON.readTree(document) : Yaml.mapper(source).readTree(document);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid " + (json ? "JSON" : "YAML") + ": " + e.getMessage(), e);
    }
  }

  private static boolean looksLikeJson(byte[] b) {
    int i = 0;
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      i = 3; // UTF-8 byte order mark
    }
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i < b.length && b[i] == '{';
  }

  /** The YAML mapper, created on first use; absent when jackson-dataformat-yaml is not on the classpath. */
  private static final class Yaml {
    private static final ObjectMapper MAPPER = create();

    private static ObjectMapper create() {
      try {
        Class<?> factory = Class.forName("com.fasterxml.jackson.dataformat.yaml.YAMLFactory");
        return new ObjectMapper((JsonFactory) factory.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }

    static ObjectMapper mapper(String source) {
      if (MAPPER == null) {
        throw new IllegalArgumentException(source + " is YAML, and reading YAML needs "
            + "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml on the classpath (the workers, the CLI and the "
            + "gateway have it); add that dependency or give the registry as JSON (namespaces.json)");
      }
      return MAPPER;
    }
  }

  private static MeshRegistry fromTree(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping at the top level");
    }
    int version = root.path("version").asInt(1);
    if (version != 1) {
      throw new IllegalArgumentException(source + ": unsupported version " + version + " (this build reads version 1)");
    }
    try {
      MeshSettings mesh = parseMesh(root.path("mesh"));
      JsonNode defaults = root.path("defaults");
      JsonNode nss = root.path("namespaces");
      if (!nss.isObject() || nss.isEmpty()) {
        throw new IllegalArgumentException("'namespaces' must be a non-empty mapping");
      }
      List<NamespaceSpec> list = new ArrayList<>();
      Iterator<Map.Entry<String, JsonNode>> it = nss.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        list.add(parseNamespace(e.getKey(), e.getValue(), defaults));
      }
      return new MeshRegistry(mesh, list);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static MeshSettings parseMesh(JsonNode node) {
    MeshSettings d = MeshSettings.DEFAULTS;
    if (node.isMissingNode() || node.isNull()) {
      return d;
    }
    return new MeshSettings(
        text(node, "storage", d.storage()),
        node.path("replicas").asInt(d.replicas()),
        dur(node, "result_ttl", d.resultTtl(), "mesh.result_ttl"),
        dur(node, "dead_letter_ttl", d.deadLetterTtl(), "mesh.dead_letter_ttl"),
        dur(node, "blob_ttl", d.blobTtl(), "mesh.blob_ttl"),
        size(node, "max_result_inline", d.maxResultInline(), "mesh.max_result_inline"));
  }

  private static NamespaceSpec parseNamespace(String name, JsonNode node, JsonNode defaults) {
    String where = "namespaces." + name;
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping");
    }
    String stream = required(node, "stream", where);
    String prefix = required(node, "subject_prefix", where);
    String group = required(node, "worker_group", where);
    List<String> ops = new ArrayList<>();
    JsonNode opsNode = node.path("operations");
    if (!opsNode.isArray() || opsNode.isEmpty()) {
      throw new IllegalArgumentException(where + ".operations must be a non-empty list");
    }
    opsNode.forEach(op -> ops.add(op.asText()));
    JsonNode limits = node.path("limits");
    String lw = where + ".limits";
    ServiceLimits sl = new ServiceLimits(
        pick(limits, defaults, "storage").map(JsonNode::asText).orElse("file"),
        pick(limits, defaults, "replicas").map(JsonNode::asInt).orElse(1),
        pickSize(limits, defaults, "max_message_size", 1L << 20, lw),
        pickDur(limits, defaults, "max_age", Duration.ofDays(7), lw),
        pick(limits, defaults, "max_pending").map(JsonNode::asLong).orElse(100_000L),
        pickDur(limits, defaults, "ack_wait", Duration.ofSeconds(30), lw),
        pick(limits, defaults, "max_deliver").map(JsonNode::asInt).orElse(5),
        pickBackoff(limits, defaults, lw),
        pick(limits, defaults, "max_ack_pending").map(JsonNode::asInt).orElse(1000),
        pickDur(limits, defaults, "job_timeout", Duration.ofMinutes(10), lw),
        pickSize(limits, defaults, "max_input_size", 256L << 20, lw),
        pickSize(limits, defaults, "max_inline_size", 256L << 10, lw),
        pickDur(limits, defaults, "duplicate_window", Duration.ofMinutes(2), lw));
    java.util.Map<String, List<String>> formats = new java.util.LinkedHashMap<>();
    JsonNode fmts = node.path("input_formats");
    if (!fmts.isMissingNode() && !fmts.isNull()) {
      if (!fmts.isObject()) {
        throw new IllegalArgumentException(where + ".input_formats must map operations to lists of formats");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = fmts.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isArray()) {
          throw new IllegalArgumentException(where + ".input_formats." + e.getKey() + " must be a list of formats");
        }
        List<String> list = new ArrayList<>();
        e.getValue().forEach(v -> list.add(v.asText()));
        formats.put(e.getKey(), list);
      }
    }
    return new NamespaceSpec(name, node.path("description").asText(""), stream, prefix, group, ops, sl, formats,
        OptionLimits.parse(node.path("option_limits"), where + ".option_limits"), s3Buckets(node.path("s3_buckets"), where));
  }

  private static List<String> s3Buckets(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ".s3_buckets must be a list of bucket names (or [\"*\"])");
    }
    List<String> list = new ArrayList<>();
    node.forEach(v -> list.add(v.asText()));
    return list;
  }

  private static Optional<JsonNode> pick(JsonNode limits, JsonNode defaults, String key) {
    JsonNode v = limits.path(key);
    if (!v.isMissingNode() && !v.isNull()) {
      return Optional.of(v);
    }
    v = defaults.path(key);
    if (!v.isMissingNode() && !v.isNull()) {
      return Optional.of(v);
    }
    return Optional.empty();
  }

  private static Duration pickDur(JsonNode limits, JsonNode defaults, String key, Duration dflt, String where) {
    return pick(limits, defaults, key).map(v -> Units.duration(v.asText(), where + "." + key)).orElse(dflt);
  }

  private static long pickSize(JsonNode limits, JsonNode defaults, String key, long dflt, String where) {
    return pick(limits, defaults, key).map(v -> Units.bytes(v.asText(), where + "." + key)).orElse(dflt);
  }

  private static List<Duration> pickBackoff(JsonNode limits, JsonNode defaults, String where) {
    Optional<JsonNode> v = pick(limits, defaults, "backoff");
    if (v.isEmpty()) {
      return List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
    if (!v.get().isArray()) {
      throw new IllegalArgumentException(where + ".backoff must be a list of durations");
    }
    List<Duration> list = new ArrayList<>();
    for (JsonNode d : v.get()) {
      list.add(Units.duration(d.asText(), where + ".backoff[]"));
    }
    return list;
  }

  private static String required(JsonNode node, String key, String where) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + "." + key + " is required");
    }
    return v.asText();
  }

  private static String text(JsonNode node, String key, String dflt) {
    JsonNode v = node.path(key);
    return v.isMissingNode() || v.isNull() ? dflt : v.asText();
  }

  private static Duration dur(JsonNode node, String key, Duration dflt, String field) {
    JsonNode v = node.path(key);
    return v.isMissingNode() || v.isNull() ? dflt : Units.duration(v.asText(), field);
  }

  private static long size(JsonNode node, String key, long dflt, String field) {
    JsonNode v = node.path(key);
    return v.isMissingNode() || v.isNull() ? dflt : Units.bytes(v.asText(), field);
  }
}
