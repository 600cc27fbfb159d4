package io.jetmesh.client;

import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.Subjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * How to reach the mesh. Immutable; build with {@link #builder()}, derive per-call variants with
 * {@link #newBuilder()}, or read the standard environment with {@link #fromEnvironment()}.
 *
 * <table>
 *   <caption>Settings and their environment variables</caption>
 *   <tr><th>setting</th><th>env</th><th>default</th></tr>
 *   <tr><td>servers</td><td>NATS_URL (comma-separated)</td><td>nats://127.0.0.1:4222</td></tr>
 *   <tr><td>token</td><td>NATS_TOKEN, NATS_TOKEN_FILE</td><td>none</td></tr>
 *   <tr><td>user/password</td><td>NATS_USER, NATS_PASSWORD</td><td>none</td></tr>
 *   <tr><td>credentials file (JWT+NKey)</td><td>NATS_CREDS</td><td>none</td></tr>
 *   <tr><td>NKey seed file</td><td>NATS_NKEY_SEED_FILE</td><td>none</td></tr>
 *   <tr><td>TLS CA / client cert / key (PEM)</td><td>NATS_TLS_CA, NATS_TLS_CERT, NATS_TLS_KEY</td><td>none</td></tr>
 *   <tr><td>client id (result routing token)</td><td>JETMESH_CLIENT_ID</td><td>user name, else random</td></tr>
 *   <tr><td>namespaces.yaml</td><td>JETMESH_NAMESPACES</td><td>bundled copy</td></tr>
 *   <tr><td>default S3 bucket for bare input keys</td><td>JETMESH_S3_BUCKET</td><td>none (bare keys are refused)</td></tr>
 * </table>
 */
public final class MeshOptions {
  public static final String DEFAULT_URL = "nats://127.0.0.1:4222";

  private final List<String> servers;
  private final char[] token;
  private final String user;
  private final char[] password;
  private final Path credsFile;
  private final Path nkeySeedFile;
  private final Path tlsCa;
  private final Path tlsCert;
  private final Path tlsKey;
  private final String clientId;
  private final String connectionName;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxReconnects;
  private final Duration reconnectWait;
  private final int publishAttempts;
  private final boolean trackQueuedStatus;
  private final Duration queuedStatusDelay;
  private final MeshRegistry registry;
  private final String defaultS3Bucket;

  private MeshOptions(Builder b) {
    this.servers = List.copyOf(b.servers);
    this.token = b.token;
    this.user = b.user;
    this.password = b.password;
    this.credsFile = b.credsFile;
    this.nkeySeedFile = b.nkeySeedFile;
    this.tlsCa = b.tlsCa;
    this.tlsCert = b.tlsCert;
    this.tlsKey = b.tlsKey;
    this.clientId = b.clientId != null ? b.clientId
        : b.user != null && Subjects.isToken(b.user) ? b.user
        : "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.connectionName = b.connectionName;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxReconnects = b.maxReconnects;
    this.reconnectWait = b.reconnectWait;
    this.publishAttempts = b.publishAttempts;
    this.trackQueuedStatus = b.trackQueuedStatus;
    this.queuedStatusDelay = b.queuedStatusDelay;
    this.registry = b.registry != null ? b.registry : MeshRegistry.resolve(null);
    this.defaultS3Bucket = b.defaultS3Bucket;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options from the environment variables in the class comment and a {@code .env} file in the working directory. */
  public static MeshOptions fromEnvironment() {
    return builder().applyEnvironment(Env.load()).build();
  }

  public Builder newBuilder() {
    return new Builder(this);
  }

  public List<String> servers() { return servers; }
  public char[] token() { return token; }
  public String user() { return user; }
  public char[] password() { return password; }
  public Path credsFile() { return credsFile; }
  public Path nkeySeedFile() { return nkeySeedFile; }
  public Path tlsCa() { return tlsCa; }
  public Path tlsCert() { return tlsCert; }
  public Path tlsKey() { return tlsKey; }
  /** The routing token results come back under ({@code jetmesh.results.<clientId>.<jobId>}). */
  public String clientId() { return clientId; }
  public String connectionName() { return connectionName; }
  public Duration connectTimeout() { return connectTimeout; }
  public Duration requestTimeout() { return requestTimeout; }
  public int maxReconnects() { return maxReconnects; }
  public Duration reconnectWait() { return reconnectWait; }
  /** How often a job publish is tried when the server answers 503/timeout (e.g. during a leader election). */
  public int publishAttempts() { return publishAttempts; }
  /** Whether the client records {@code queued} in the status store for the jobs it submits. */
  public boolean trackQueuedStatus() { return trackQueuedStatus; }
  /**
   * When {@code queued} is recorded: zero (the default) writes it with the job, so any process sees the job at once;
   * a positive delay writes it only for jobs still waiting that long, which saves one write per job for clients
   * that submit many short jobs.
   */
  public Duration queuedStatusDelay() { return queuedStatusDelay; }
  public MeshRegistry registry() { return registry; }
  /** The bucket a bare input key ({@code reports/q3.pdf}) is read from, or {@code null}. */
  public String defaultS3Bucket() { return defaultS3Bucket; }

  /**
   * An input reference for a job: {@code s3://bucket/key} and {@code nats-object://bucket/name} pass unchanged; a
   * bare key such as {@code reports/q3.pdf} (the original system's {@code s3_key}) becomes
   * {@code s3://<defaultS3Bucket>/reports/q3.pdf}.
   *
   * @throws IllegalArgumentException for an empty reference, another scheme, or a bare key without a default bucket
   */
  public String resolveInput(String reference) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("no input: give s3://bucket/key, nats-object://bucket/name or a bare key");
    }
    String ref = reference.strip();
    if (ref.startsWith(InputRef.SCHEME_S3 + "://") || ref.startsWith(InputRef.SCHEME_NATS_OBJECT + "://")) {
      return ref;
    }
    if (ref.contains("://")) {
      throw new IllegalArgumentException("unsupported input reference '" + ref
          + "': use s3://bucket/key or nats-object://bucket/name");
    }
    if (defaultS3Bucket == null) {
      throw new IllegalArgumentException("a bare key ('" + ref + "') needs a default bucket: set JETMESH_S3_BUCKET"
          + " (or MeshOptions.Builder.defaultS3Bucket), or pass s3://bucket/" + stripLeadingSlashes(ref));
    }
    return "s3://" + defaultS3Bucket + "/" + encodeKey(stripLeadingSlashes(ref));
  }

  private static String stripLeadingSlashes(String key) {
    int i = 0;
    while (i < key.length() && key.charAt(i) == '/') {
      i++;
    }
    return key.substring(i);
  }

  /**
   * A bare key is a literal S3 key; in the {@code s3://} URI every byte outside {@code [A-Za-z0-9-._~/]} is
   * percent-encoded (UTF-8), so that spaces, {@code ?}, {@code #}, {@code %} and {@code +} survive the worker's
   * URI parsing and decoding unchanged. Keys of only those characters stay as they are.
   */
  private static String encodeKey(String key) {
    StringBuilder out = new StringBuilder(key.length());
    for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** A description for error messages: servers and auth mode, never secrets. */
  public String describe() {
    String auth = credsFile != null ? "creds " + credsFile
        : nkeySeedFile != null ? "nkey " + nkeySeedFile
        : user != null ? "user " + user
        : token != null ? "token" : "no auth";
    return String.join(",", servers) + " (" + auth + (tlsCa != null || tlsCert != null ? ", tls" : "") + ")";
  }

  public static final class Builder {
    private List<String> servers = List.of(DEFAULT_URL);
    private char[] token;
    private String user;
    private char[] password;
    private Path credsFile;
    private Path nkeySeedFile;
    private Path tlsCa;
    private Path tlsCert;
    private Path tlsKey;
    private String clientId;
    private String connectionName = "jetmesh-client";
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(5);
    private int maxReconnects = -1;
    private Duration reconnectWait = Duration.ofMillis(500);
    private int publishAttempts = 8;
    private boolean trackQueuedStatus = true;
    private Duration queuedStatusDelay = Duration.ZERO;
    private MeshRegistry registry;
    private String defaultS3Bucket;

    Builder() {}

    Builder(MeshOptions o) {
      servers = o.servers;
      token = o.token;
      user = o.user;
      password = o.password;
      credsFile = o.credsFile;
      nkeySeedFile = o.nkeySeedFile;
      tlsCa = o.tlsCa;
      tlsCert = o.tlsCert;
      tlsKey = o.tlsKey;
      clientId = o.clientId;
      connectionName = o.connectionName;
      connectTimeout = o.connectTimeout;
      requestTimeout = o.requestTimeout;
      maxReconnects = o.maxReconnects;
      reconnectWait = o.reconnectWait;
      publishAttempts = o.publishAttempts;
      trackQueuedStatus = o.trackQueuedStatus;
      queuedStatusDelay = o.queuedStatusDelay;
      registry = o.registry;
      defaultS3Bucket = o.defaultS3Bucket;
    }

    /** One or more server URLs, or one comma-separated string ({@code nats://a:4222,nats://b:4222}). */
    public Builder servers(String... urls) {
      Objects.requireNonNull(urls, "urls == null");
      java.util.ArrayList<String> list = new java.util.ArrayList<>();
      for (String u : urls) {
        Objects.requireNonNull(u, "url == null");
        for (String part : u.split(",")) {
          String p = part.trim();
          if (!p.isEmpty()) {
            list.add(p.contains("://") ? p : "nats://" + p);
          }
        }
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException("servers: at least one URL is required");
      }
      this.servers = list;
      return this;
    }

    public Builder token(String token) {
      this.token = token == null ? null : token.toCharArray();
      return this;
    }

    public Builder userPassword(String user, String password) {
      this.user = user;
      this.password = password == null ? null : password.toCharArray();
      return this;
    }

    public Builder credsFile(Path file) {
      this.credsFile = file;
      return this;
    }

    public Builder nkeySeedFile(Path file) {
      this.nkeySeedFile = file;
      return this;
    }

    public Builder tls(Path caFile, Path certFile, Path keyFile) {
      this.tlsCa = caFile;
      this.tlsCert = certFile;
      this.tlsKey = keyFile;
      return this;
    }

    /** The result routing token, {@code [A-Za-z0-9_-]}; defaults to the user name or a random id. */
    public Builder clientId(String clientId) {
      if (clientId != null && !Subjects.isToken(clientId)) {
        throw new IllegalArgumentException("clientId must match [A-Za-z0-9_-]{1,128}: '" + clientId + "'");
      }
      this.clientId = clientId;
      return this;
    }

    public Builder connectionName(String name) {
      this.connectionName = Objects.requireNonNull(name, "name == null");
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** Reconnect attempts after a lost connection; -1 (the default) retries forever. */
    public Builder maxReconnects(int n) {
      if (n < -1) {
        throw new IllegalArgumentException("maxReconnects < -1: " + n);
      }
      this.maxReconnects = n;
      return this;
    }

    public Builder reconnectWait(Duration wait) {
      this.reconnectWait = positive(wait, "reconnectWait");
      return this;
    }

    public Builder publishAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("publishAttempts < 1: " + attempts);
      }
      this.publishAttempts = attempts;
      return this;
    }

    public Builder trackQueuedStatus(boolean track) {
      this.trackQueuedStatus = track;
      return this;
    }

    public Builder queuedStatusDelay(Duration delay) {
      Objects.requireNonNull(delay, "delay == null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("queuedStatusDelay < 0: " + delay);
      }
      this.queuedStatusDelay = delay;
      return this;
    }

    public Builder registry(MeshRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry == null");
      return this;
    }

    /**
     * The bucket bare input keys resolve against ({@link MeshOptions#resolveInput}); {@code null} refuses bare keys.
     * A bucket name, not a URI: {@code docs}, not {@code s3://docs}.
     */
    public Builder defaultS3Bucket(String bucket) {
      if (bucket != null && (bucket.isBlank() || bucket.contains("/") || bucket.contains(":"))) {
        throw new IllegalArgumentException("defaultS3Bucket must be a bucket name such as 'docs' (no s3://, no '/'): '"
            + bucket + "'");
      }
      this.defaultS3Bucket = bucket;
      return this;
    }

    /** Applies NATS_URL, NATS_TOKEN(_FILE), NATS_USER/PASSWORD, NATS_CREDS, NATS_NKEY_SEED_FILE, NATS_TLS_*, JETMESH_*. */
    public Builder applyEnvironment(Map<String, String> env) {
      String url = env.get("NATS_URL");
      if (url != null && !url.isBlank()) {
        servers(url);
      }
      String tok = env.get("NATS_TOKEN");
      String tokFile = env.get("NATS_TOKEN_FILE");
      if (tok != null && !tok.isBlank()) {
        token(tok.trim());
      } else if (tokFile != null && !tokFile.isBlank()) {
        token(Env.readSecretFile(Path.of(tokFile), "NATS_TOKEN_FILE"));
      }
      if (env.get("NATS_USER") != null && !env.get("NATS_USER").isBlank()) {
        userPassword(env.get("NATS_USER"), env.getOrDefault("NATS_PASSWORD", ""));
      }
      if (env.get("NATS_CREDS") != null && !env.get("NATS_CREDS").isBlank()) {
        credsFile(Path.of(env.get("NATS_CREDS")));
      }
      if (env.get("NATS_NKEY_SEED_FILE") != null && !env.get("NATS_NKEY_SEED_FILE").isBlank()) {
        nkeySeedFile(Path.of(env.get("NATS_NKEY_SEED_FILE")));
      }
      Path ca = Env.path(env, "NATS_TLS_CA");
      Path cert = Env.path(env, "NATS_TLS_CERT");
      Path key = Env.path(env, "NATS_TLS_KEY");
      if (ca != null || cert != null || key != null) {
        tls(ca, cert, key);
      }
      if (env.get("JETMESH_CLIENT_ID") != null && !env.get("JETMESH_CLIENT_ID").isBlank()) {
        clientId(env.get("JETMESH_CLIENT_ID").trim());
      }
      if (env.get("JETMESH_NAMESPACES") != null && !env.get("JETMESH_NAMESPACES").isBlank()) {
        registry(MeshRegistry.load(Path.of(env.get("JETMESH_NAMESPACES"))));
      }
      if (env.get("JETMESH_S3_BUCKET") != null && !env.get("JETMESH_S3_BUCKET").isBlank()) {
        defaultS3Bucket(env.get("JETMESH_S3_BUCKET").trim());
      }
      return this;
    }

    public MeshOptions build() {
      if (tlsCert != null && tlsKey == null || tlsCert == null && tlsKey != null) {
        throw new IllegalStateException("TLS client certificate and key must be given together (NATS_TLS_CERT, NATS_TLS_KEY)");
      }
      int modes = (token != null ? 1 : 0) + (user != null ? 1 : 0) + (credsFile != null ? 1 : 0) + (nkeySeedFile != null ? 1 : 0);
      if (modes > 1) {
        throw new IllegalStateException("choose one authentication: token, user/password, creds file or nkey seed");
      }
      return new MeshOptions(this);
    }

    private static Duration positive(Duration d, String field) {
      Objects.requireNonNull(d, field + " == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0: " + d);
      }
      return d;
    }
  }
}
