package io.jetmesh.gateway;

import io.jetmesh.cli.support.CliLogging;
import io.jetmesh.cli.support.EnvDefaults;
import io.jetmesh.cli.support.ExitCodes;
import io.jetmesh.cli.support.StopOnSignal;
import io.jetmesh.cli.support.HelpLayout;
import io.jetmesh.cli.support.NatsConnectionOptions;
import io.jetmesh.client.Env;
import io.jetmesh.client.MeshAuthenticationException;
import io.jetmesh.client.MeshException;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jetmesh gateway} (and the standalone {@code jetmesh-gateway} launcher): runs the HTTP gateway against a
 * mesh until SIGTERM. Every option also reads an environment variable (and a {@code .env} file in the working
 * directory: the connection options through {@link NatsConnectionOptions}, the gateway's own through
 * {@link EnvDefaults}). The connection options, exit codes and {@code --help}
 * layout are cli-support's, the same as every jetmesh command's.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, sortOptions = false,
    defaultValueProvider = EnvDefaults.class,
    description = {"Runs the HTTP gateway: REST API, web page at /, API docs at /docs, /healthz, /readyz, /metrics.",
        "Authentication is required unless --no-auth is given (local development only)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped (SIGTERM)", "2:bad option or configuration",
        "3:NATS unreachable or the mesh not provisioned", "4:NATS refused the credentials",
        "5:other error (e.g. the HTTP port is in use)"})
public final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "${env:JETMESH_GATEWAY_PORT}", description = "HTTP port (env JETMESH_GATEWAY_PORT, else JETMESH_HTTP_PORT; default 8080; 0 = any free port)")
  Integer port;

  @Option(names = "--host", defaultValue = "${env:JETMESH_GATEWAY_HOST:-127.0.0.1}", description = "Listen address (env JETMESH_GATEWAY_HOST; default ${DEFAULT-VALUE}, this machine only: the gateway speaks plain HTTP, so give 0.0.0.0 only behind a TLS proxy or on a private network)")
  String host;

  @Option(names = "--api-keys-file", defaultValue = "${env:JETMESH_GATEWAY_API_KEYS_FILE}", description = "API keys, one per line: '<key|sha256:hex> <name> [read,submit,admin] [max_upload=.. concurrent=.. rate=../s burst=..]' (env JETMESH_GATEWAY_API_KEYS_FILE)")
  Path apiKeysFile;

  @Option(names = "--jwt-hs256-secret", defaultValue = "${env:JETMESH_GATEWAY_JWT_HS256_SECRET}", description = "Accept HS256 JWTs signed with this secret, at least 32 bytes (env JETMESH_GATEWAY_JWT_HS256_SECRET)")
  String jwtSecret;

  @Option(names = "--jwt-hs256-secret-file", defaultValue = "${env:JETMESH_GATEWAY_JWT_HS256_SECRET_FILE}", description = "The HS256 secret from a file (env JETMESH_GATEWAY_JWT_HS256_SECRET_FILE)")
  Path jwtSecretFile;

  @Option(names = "--jwt-rs256-public-key", defaultValue = "${env:JETMESH_GATEWAY_JWT_RS256_PUBLIC_KEY}", description = "Accept RS256 JWTs verified with this PEM public key file (env JETMESH_GATEWAY_JWT_RS256_PUBLIC_KEY)")
  Path jwtPublicKey;

  @Option(names = "--jwt-issuer", defaultValue = "${env:JETMESH_GATEWAY_JWT_ISSUER}", description = "Require this 'iss' claim (env JETMESH_GATEWAY_JWT_ISSUER)")
  String jwtIssuer;

  @Option(names = "--jwt-audience", defaultValue = "${env:JETMESH_GATEWAY_JWT_AUDIENCE}", description = "Require this 'aud' claim (env JETMESH_GATEWAY_JWT_AUDIENCE)")
  String jwtAudience;

  @Option(names = "--jwt-scope-claim", defaultValue = "${env:JETMESH_GATEWAY_JWT_SCOPE_CLAIM:-scope}", description = "JWT claim with the scopes jetmesh:read, jetmesh:submit, jetmesh:admin (env JETMESH_GATEWAY_JWT_SCOPE_CLAIM; default ${DEFAULT-VALUE})")
  String jwtScopeClaim;

  @Option(names = "--jwt-default-scopes", defaultValue = "${env:JETMESH_GATEWAY_JWT_DEFAULT_SCOPES:-read,submit}", description = "Scopes of a JWT without the scope claim: read,submit, read, or none; never admin (env JETMESH_GATEWAY_JWT_DEFAULT_SCOPES; default ${DEFAULT-VALUE})")
  String jwtDefaultScopes;

  @Option(names = "--jwt-max-lifetime", defaultValue = "${env:JETMESH_GATEWAY_JWT_MAX_LIFETIME:-24h}", description = "Refuse JWTs without 'exp' or valid for longer than this (env JETMESH_GATEWAY_JWT_MAX_LIFETIME; default ${DEFAULT-VALUE})")
  String jwtMaxLifetime;

  @Option(names = "--no-auth", description = "Switch authentication OFF: every caller is an admin. Local development only.")
  boolean noAuth;

  @Option(names = "--max-upload", defaultValue = "${env:JETMESH_GATEWAY_MAX_UPLOAD:-100MiB}", description = "Default per-caller upload limit (env JETMESH_GATEWAY_MAX_UPLOAD; default ${DEFAULT-VALUE})")
  String maxUpload;

  @Option(names = "--max-concurrent-jobs", defaultValue = "${env:JETMESH_GATEWAY_MAX_CONCURRENT_JOBS:-16}", description = "Default per-caller unfinished jobs (default ${DEFAULT-VALUE})")
  int maxConcurrentJobs;

  @Option(names = "--rate", defaultValue = "${env:JETMESH_GATEWAY_RATE:-20}", description = "Default per-caller requests per second (default ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--burst", defaultValue = "${env:JETMESH_GATEWAY_BURST:-60}", description = "Default per-caller request burst (default ${DEFAULT-VALUE})")
  int burst;

  @Option(names = "--max-streams", defaultValue = "${env:JETMESH_GATEWAY_MAX_STREAMS:-32}", description = "Default per-caller open event streams (env JETMESH_GATEWAY_MAX_STREAMS; default ${DEFAULT-VALUE})")
  int maxStreams;

  @Option(names = "--max-stream-duration", defaultValue = "${env:JETMESH_GATEWAY_MAX_STREAM_DURATION:-1h}", description = "End an event stream after this long (env JETMESH_GATEWAY_MAX_STREAM_DURATION; default ${DEFAULT-VALUE})")
  String maxStreamDuration;

  @Option(names = "--auth-failure-rate", defaultValue = "${env:JETMESH_GATEWAY_AUTH_FAILURE_RATE:-1}", description = "Refused credentials per second one client address may send before it gets 429 (env JETMESH_GATEWAY_AUTH_FAILURE_RATE; default ${DEFAULT-VALUE}, burst --auth-failure-burst)")
  double authFailureRate;

  @Option(names = "--auth-failure-burst", defaultValue = "${env:JETMESH_GATEWAY_AUTH_FAILURE_BURST:-30}", description = "Refused credentials one address may send at once (default ${DEFAULT-VALUE})")
  int authFailureBurst;

  @Option(names = "--diagnostics", defaultValue = "${env:JETMESH_GATEWAY_DIAGNOSTICS:-false}", description = "Let callers with the submit scope run diag jobs (env JETMESH_GATEWAY_DIAGNOSTICS; default ${DEFAULT-VALUE}: admin keys only)")
  boolean diagnostics;

  @Option(names = "--s3-buckets", defaultValue = "${env:JETMESH_GATEWAY_S3_BUCKETS}", description = "s3:// buckets callers may name as input, per service: 'pdf=reports,archive;*=shared' (env JETMESH_GATEWAY_S3_BUCKETS; default none)")
  String s3Buckets;

  @Option(names = "--http-sources", defaultValue = "${env:JETMESH_GATEWAY_HTTP_SOURCES}", description = "Hosts whose URLs docling-serve's kind 'http' sources may name, fetched by the gateway: 'docs.example.org,*.cdn.example.org' ('*' any public host) (env JETMESH_GATEWAY_HTTP_SOURCES; default none: http sources are refused)")
  String httpSources;

  @Option(names = "--http-sources-private", description = "Also fetch http sources from loopback, link-local and private addresses (refused by default; only for a gateway inside a network you trust)")
  boolean httpSourcesPrivate;

  @Option(names = "--http-source-max-size", defaultValue = "${env:JETMESH_GATEWAY_HTTP_SOURCE_MAX_SIZE:-100MiB}", description = "Largest document fetched for an http source (env JETMESH_GATEWAY_HTTP_SOURCE_MAX_SIZE; default ${DEFAULT-VALUE}; the caller's upload limit also applies)")
  String httpSourceMaxSize;

  @Option(names = "--http-source-timeout", defaultValue = "${env:JETMESH_GATEWAY_HTTP_SOURCE_TIMEOUT:-60s}", description = "Time limit of one http source fetch (env JETMESH_GATEWAY_HTTP_SOURCE_TIMEOUT; default ${DEFAULT-VALUE})")
  String httpSourceTimeout;

  @Option(names = "--max-queue-depth", defaultValue = "${env:JETMESH_GATEWAY_MAX_QUEUE_DEPTH:-10000}", description = "Answer 503 to new work for a service with more jobs waiting than this (default ${DEFAULT-VALUE})")
  long maxQueueDepth;

  @Option(names = "--sync-wait", defaultValue = "${env:JETMESH_GATEWAY_SYNC_WAIT:-60s}", description = "Longest wait of /v1/convert and /extract-* before answering 202 (default ${DEFAULT-VALUE})")
  String syncWait;

  @Option(names = "--idle-timeout", defaultValue = "${env:JETMESH_GATEWAY_IDLE_TIMEOUT:-30s}", description = "Close connections idle this long, e.g. stalled uploads (default ${DEFAULT-VALUE})")
  String idleTimeout;

  @Option(names = "--drain-timeout", defaultValue = "${env:JETMESH_GATEWAY_DRAIN_TIMEOUT}", description = "On SIGTERM, wait this long for requests in flight (env JETMESH_GATEWAY_DRAIN_TIMEOUT, else JETMESH_DRAIN_TIMEOUT; default 30s)")
  String drainTimeout;

  @Option(names = "--upload-dir", defaultValue = "${env:JETMESH_GATEWAY_UPLOAD_DIR}", description = "Where uploads are spooled while they arrive (default: the temp directory)")
  Path uploadDir;

  /** How to reach the mesh (servers, credentials, NKEY, TLS, registry), as every jetmesh command reads them. */
  @Mixin NatsConnectionOptions connection;

  /**
   * The gateway's own {@code --client-id}: not {@link io.jetmesh.cli.support.ConnectionOptions}'s per-client one
   * (default user name or random, env JETMESH_CLIENT_ID), because every gateway of a mesh shares one routing token
   * so that any of them can answer for a job another accepted.
   */
  @Option(names = "--client-id", paramLabel = "ID", defaultValue = "${env:JETMESH_GATEWAY_CLIENT_ID:-gateway}", description = "Result routing token shared by all gateways of a mesh (env JETMESH_GATEWAY_CLIENT_ID; default ${DEFAULT-VALUE})")
  String clientId;

  /** The standalone launcher's entry point; {@code jetmesh gateway} runs {@link #call()} inside the CLI instead. */
  public static void main(String[] args) {
    CliLogging.init(CliLogging.LONG_RUNNING); // before the first logger: logback.xml reads its levels
    System.exit(ExitCodes.execute(commandLine(), args));
  }

  /** The standalone command line: the exit codes and {@code --help} layout of every jetmesh command. */
  public static CommandLine commandLine() {
    return HelpLayout.apply(new ExitCodes().install(new CommandLine(new GatewayCommand())));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    MeshOptions mesh;
    AuthConfig auth;
    Gateway.Builder gb;
    try {
      Map<String, String> env = connection.environment();
      mesh = connection.toMeshOptions("jetmesh-gateway", env);
      auth = authConfig(err);
      int httpPort = port != null ? port
          : env.get("JETMESH_HTTP_PORT") != null && !env.get("JETMESH_HTTP_PORT").isBlank()
              ? Integer.parseInt(env.get("JETMESH_HTTP_PORT").trim()) : 8080;
      String drain = drainTimeout != null ? drainTimeout : env.getOrDefault("JETMESH_DRAIN_TIMEOUT", "30s");
      gb = Gateway.builder().meshOptions(mesh).clientId(clientId).host(host).port(httpPort).auth(auth)
          .drainTimeout(Units.duration(drain, "--drain-timeout"))
          .maxQueueDepth(maxQueueDepth).syncWait(Units.duration(syncWait, "--sync-wait"))
          .idleTimeout(Units.duration(idleTimeout, "--idle-timeout")).uploadDir(uploadDir)
          .s3Buckets(s3Buckets).diagnostics(diagnostics).maxStreamDuration(Units.duration(maxStreamDuration, "--max-stream-duration"))
          .authFailureLimit(authFailureRate, authFailureBurst);
      if (httpSources != null && !httpSources.isBlank()) {
        gb.httpSources(HttpSources.allow(httpSources, httpSourcesPrivate,
            Units.bytes(httpSourceMaxSize, "--http-source-max-size"), Units.duration(httpSourceTimeout, "--http-source-timeout")));
      }
    } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
      err.println("jetmesh gateway: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Gateway gw;
    StopOnSignal<Gateway> life = StopOnSignal.install("jetmesh-gateway-shutdown", Gateway::close);
    try {
      gw = life.start(gb::start);
    } catch (MeshAuthenticationException e) {
      err.println("jetmesh gateway: NATS refused the credentials: " + e.getMessage());
      return ExitCodes.AUTH;
    } catch (MeshException e) {
      err.println("jetmesh gateway: " + e.getMessage());
      return new ExitCodes().getExitCode(e);
    } catch (IllegalArgumentException e) {
      err.println("jetmesh gateway: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    out.printf("jetmesh gateway on %s/ (API docs %s/docs) - mesh %s - auth %s%n", gw.baseUrl(), gw.baseUrl(),
        mesh.describe(), auth.describe());
    out.flush();
    gw.awaitStop();
    return ExitCodes.OK;
  }


  private static Set<Scope> scopeList(String text, String option) {
    Set<Scope> out = EnumSet.noneOf(Scope.class);
    if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("none")) {
      return out;
    }
    for (String s : text.split("[,\\s]+")) {
      Scope sc = Scope.parse(s);
      if (sc == null) {
        throw new IllegalArgumentException(option + ": unknown scope '" + s + "' (read, submit, or none)");
      }
      out.add(sc);
    }
    return out;
  }

  private AuthConfig authConfig(PrintWriter err) throws IOException {
    if (noAuth) {
      if (apiKeysFile != null || jwtSecret != null || jwtSecretFile != null || jwtPublicKey != null) {
        throw new IllegalArgumentException("--no-auth cannot be combined with API keys or JWT settings");
      }
      err.println("################################################################################");
      err.println("#  WARNING: AUTHENTICATION IS OFF (--no-auth). Anyone who can reach this port  #");
      err.println("#  can submit jobs, read results and replay dead letters. Development only.    #");
      err.println("################################################################################");
      err.flush();
      return AuthConfig.disabled();
    }
    Limits limits = new Limits(Units.bytes(maxUpload, "--max-upload"), maxConcurrentJobs, rate, burst, maxStreams);
    AuthConfig.Builder b = AuthConfig.builder().defaultLimits(limits).jwtIssuer(jwtIssuer).jwtAudience(jwtAudience)
        .jwtScopeClaim(jwtScopeClaim).jwtDefaultScopes(scopeList(jwtDefaultScopes, "--jwt-default-scopes"))
        .jwtMaxLifetime(Units.duration(jwtMaxLifetime, "--jwt-max-lifetime"));
    if (apiKeysFile != null) {
      b.apiKeysFile(apiKeysFile);
    }
    if (jwtSecret != null && !jwtSecret.isEmpty()) {
      b.jwtHs256Secret(jwtSecret.getBytes(StandardCharsets.UTF_8));
    } else if (jwtSecretFile != null) {
      b.jwtHs256Secret(Env.readSecretFile(jwtSecretFile, "--jwt-hs256-secret-file").getBytes(StandardCharsets.UTF_8));
    }
    if (jwtPublicKey != null) {
      b.jwtRs256PublicKeyPem(Files.readString(jwtPublicKey));
    }
    return b.build();
  }
}
