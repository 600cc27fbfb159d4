package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.httpGet;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.runSetup;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static io.jetmesh.infra.InfraFixtures.setupScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.infra.InfraFixtures.ScriptRun;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs infrastructure/nats-server/setup.sh unprivileged in a temporary prefix on free ports (background mode with a
 * pid file) and checks what it leaves behind: the configuration, 0600 credentials, a healthy server, idempotence.
 *
 * <p>Provisioning: when the system property {@code jetmesh.cli} names the built jetmesh command, the main run
 * provisions the mesh through it and the test checks the streams; otherwise the run uses --no-provision, and
 * {@link #provisionsThroughTheJetmeshCommandWithAdminCredentialsFromTheEnvironment} checks the hand-over to the
 * command with a recording stand-in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupScriptTest {
  @TempDir static Path prefix;
  static int port;
  static int monitorPort;
  static String firstRunOutput;
  static List<String> baseArgs;
  /** Where the stand-in jetmesh command records its call; null when the real CLI (-Djetmesh.cli) provisions. */
  static Path provisionRecord;

  static Path conf() {
    return prefix.resolve("etc/jetmesh/nats-server.conf");
  }

  static Path credentials() {
    return prefix.resolve("etc/jetmesh/credentials");
  }

  static Path pidFile() {
    return prefix.resolve("run/jetmesh/nats-server.pid");
  }

  @BeforeAll
  static void runSetupInATemporaryPrefix(@TempDir Path tools) throws Exception {
    port = freePort();
    monitorPort = freePort();
    baseArgs = new ArrayList<>(List.of("--prefix", prefix.toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--monitor-port", String.valueOf(monitorPort), "--background"));
    String cli = System.getProperty("jetmesh.cli", "");
    if (cli.isBlank()) {
      // Without the built CLI, a stand-in records how setup.sh hands over to `jetmesh provision`.
      provisionRecord = tools.resolve("provision-call.txt");
      Path fake = tools.resolve("fake-jetmesh");
      Files.writeString(fake, "#!/bin/sh\n{ echo \"ARGS $*\"; echo \"USER $NATS_USER\"; echo \"PASSWORD $NATS_PASSWORD\"; }"
          + " > '" + provisionRecord + "'\necho 'provisioned 5 streams'\n");
      assertThat(fake.toFile().setExecutable(true)).isTrue();
      cli = fake.toString();
    }
    baseArgs.addAll(List.of("--jetmesh", cli));
    firstRunOutput = setupOk(baseArgs.toArray(String[]::new));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (prefix != null && Files.exists(pidFile())) {
      setupOk("--prefix", prefix.toString(), "--stop");
    }
  }

  static Connection connectAsAdmin() throws Exception {
    Map<String, String> env = readEnvFile(credentials().resolve("admin.env"));
    return Nats.connect(Options.builder().server(env.get("NATS_URL"))
        .userInfo(env.get("NATS_USER"), env.get("NATS_PASSWORD")).maxReconnects(0).build());
  }

  @Test
  @Order(1)
  void writesACommentedConfigWithJetStreamLimitsAndLocalMonitoring() throws Exception {
    String config = Files.readString(conf());
    assertThat(config)
        .contains("listen: \"127.0.0.1:" + port + "\"")
        .contains("http: \"127.0.0.1:" + monitorPort + "\"")
        .contains("max_payload: 2MB")
        .contains("store_dir: \"" + prefix.resolve("var/lib/jetmesh/nats") + "\"")
        .contains("max_file_store:")
        .contains("max_memory_store:")
        .contains("# Monitoring:");
    assertThat(config).doesNotContain("sync_interval"); // nats-server 2.9 refuses the field
    Process check = new ProcessBuilder("nats-server", "-c", conf().toString(), "-t").redirectErrorStream(true).start();
    assertThat(check.waitFor()).as(new String(check.getInputStream().readAllBytes())).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf()))).isEqualTo("rw-r-----");
  }

  @Test
  @Order(1)
  void credentialsAreGeneratedPerRoleReadableOnlyByTheOwnerAndNeverInTheConfig() throws Exception {
    String config = Files.readString(conf());
    List<String> users = new ArrayList<>(List.of("admin", "app", "gateway"));
    for (InfraFixtures.Namespace ns : InfraFixtures.namespaces()) {
      users.add("worker-" + ns.name());
    }
    for (String user : users) {
      Path env = credentials().resolve(user + ".env");
      assertThat(env).exists();
      Map<String, String> vars = readEnvFile(env);
      assertThat(vars).containsEntry("NATS_USER", user).containsEntry("NATS_URL", "nats://127.0.0.1:" + port)
          .containsKey("JETMESH_NAMESPACES");
      assertThat(vars.get("NATS_PASSWORD")).hasSizeGreaterThanOrEqualTo(32);
      assertThat(config).as("clear-text secret of %s in the config", user).doesNotContain(vars.get("NATS_PASSWORD"));
      assertThat(config).contains("user: \"" + user + "\"");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials()))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(credentials())) {
      for (Path f : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  @Order(1)
  void serverIsHealthyAndAcceptsTheAdminCredential() throws Exception {
    assertThat(httpGet("http://127.0.0.1:" + monitorPort + "/healthz")).contains("\"ok\"");
    assertThat(firstRunOutput).contains("clients connect to:  nats://127.0.0.1:" + port).contains("admin.env");
    try (Connection nc = connectAsAdmin()) {
      assertThat(nc.getServerInfo().isJetStreamAvailable()).isTrue();
      assertThat(nc.jetStreamManagement().getAccountStatistics()).isNotNull();
      assertThat(firstRunOutput).contains("provisioned:         yes");
      if (provisionRecord == null) {
        List<String> streams = nc.jetStreamManagement().getStreamNames();
        for (InfraFixtures.Namespace ns : InfraFixtures.namespaces()) {
          assertThat(streams).as("provisioned by the jetmesh CLI").contains(ns.stream());
        }
      }
    }
  }

  @Test
  @Order(1)
  void provisionsThroughTheJetmeshCommandWithAdminCredentialsFromTheEnvironment() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(provisionRecord != null,
        "the real jetmesh CLI provisioned (-Djetmesh.cli); serverIsHealthyAndAcceptsTheAdminCredential checks it");
    assertThat(firstRunOutput).contains("provisioned 5 streams");
    String call = Files.readString(provisionRecord);
    String adminPassword = readEnvFile(credentials().resolve("admin.env")).get("NATS_PASSWORD");
    assertThat(call).contains("ARGS provision --nats-url nats://127.0.0.1:" + port + " --replicas 1 --namespaces "
        + prefix.resolve("etc/jetmesh/namespaces.yaml"));
    assertThat(call).contains("USER admin").contains("PASSWORD " + adminPassword);
    assertThat(call.lines().filter(l -> l.startsWith("ARGS")).findFirst().orElseThrow())
        .as("secrets never on the command line").doesNotContain(adminPassword);
  }

  @Test
  @Order(2)
  void secondRunChangesNothingAndKeepsTheServerRunning() throws Exception {
    String pid = Files.readString(pidFile()).trim();
    Map<Path, FileTime> before = modificationTimes();
    String output = setupOk(baseArgs.toArray(String[]::new));
    assertThat(output).contains("changed: nothing").contains("already running with this configuration");
    assertThat(Files.readString(pidFile()).trim()).isEqualTo(pid);
    assertThat(modificationTimes()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void changedFlagRewritesTheConfigAndRestartsTheServer() throws Exception {
    String pid = Files.readString(pidFile()).trim();
    String password = readEnvFile(credentials().resolve("app.env")).get("NATS_PASSWORD");
    List<String> args = new ArrayList<>(baseArgs);
    args.addAll(List.of("--max-payload", "4MB"));
    String output = setupOk(args.toArray(String[]::new));
    assertThat(output).contains("restarting nats-server").contains(conf().toString());
    assertThat(Files.readString(conf())).contains("max_payload: 4MB");
    assertThat(Files.readString(pidFile()).trim()).isNotEqualTo(pid);
    assertThat(readEnvFile(credentials().resolve("app.env")).get("NATS_PASSWORD"))
        .as("existing secrets survive a re-run").isEqualTo(password);
    try (Connection nc = connectAsAdmin()) {
      assertThat(nc.getServerInfo().getMaxPayload()).isEqualTo(4L * 1024 * 1024);
    }
  }

  @Test
  @Order(4)
  void stopEndsTheBackgroundServer() throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile()).trim());
    setupOk("--prefix", prefix.toString(), "--stop");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(pidFile()).doesNotExist();
  }

  @Test
  void helpDocumentsEveryFlagTheScriptAccepts() throws Exception {
    ScriptRun help = runSetup(Duration.ofSeconds(10), "--help");
    assertThat(help.exitCode()).isZero();
    Matcher flags = Pattern.compile("^\\s+(--[a-z-]+)(\\|-h)?\\)", Pattern.MULTILINE)
        .matcher(Files.readString(setupScript()));
    List<String> accepted = new ArrayList<>();
    while (flags.find()) {
      accepted.add(flags.group(1));
    }
    assertThat(accepted).hasSizeGreaterThan(30).contains("--prefix", "--port", "--cluster", "--auth", "--tls");
    for (String flag : accepted) {
      assertThat(help.output()).as("--help documents %s", flag).containsPattern("(?m)^\\s+" + flag + "\\b");
    }
    ScriptRun unknown = runSetup(Duration.ofSeconds(10), "--no-such-flag");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("unknown option '--no-such-flag'");
  }

  @Test
  void tokenModeAcceptsTheGeneratedTokenAndRefusesAWrongOne(@TempDir Path dir) throws Exception {
    int p = freePort();
    int m = freePort();
    String output = setupOk("--prefix", dir.toString(), "--host", "127.0.0.1", "--port", String.valueOf(p),
        "--monitor-port", String.valueOf(m), "--auth", "token", "--config-only", "--no-provision");
    Path tokenFile = dir.resolve("etc/jetmesh/credentials/token");
    String token = Files.readString(tokenFile).trim();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    assertThat(output).contains("NATS_TOKEN=" + token);
    assertThat(Files.readString(dir.resolve("etc/jetmesh/nats-server.conf"))).doesNotContain(token);
    try (NatsServerProcess server = NatsServerProcess.start(dir.resolve("etc/jetmesh/nats-server.conf"), p,
        dir.resolve("nats.log"))) {
      try (Connection nc = Nats.connect(Options.builder().server(server.url()).token(token.toCharArray()).build())) {
        assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
      }
      assertThatThrownBy(() -> Nats.connect(Options.builder().server(server.url())
          .token("wrong-token".toCharArray()).maxReconnects(0).build()).close())
          .isInstanceOf(AuthenticationException.class).hasMessageContaining("Authorization Violation");
    }
  }

  /**
   * The seed's README: {@code cd infrastructure/nats-server && ./setup.sh}, then "Save the generated token". In token
   * mode the script prints the token and the exact lines a worker host and a client need, and token.env is a
   * self-contained copy for another host (the token itself, not only a path to a file on this host).
   */
  @Test
  void tokenModeRunLikeTheSeedPrintsTheTokenAndLinesThatConnect(@TempDir Path dir) throws Exception {
    int p = freePort();
    int m = freePort();
    Path log = dir.resolve("setup.log");
    Process setup = new ProcessBuilder("./setup.sh", "--auth", "token", "--prefix", dir.resolve("root").toString(),
        "--host", "127.0.0.1", "--port", String.valueOf(p), "--monitor-port", String.valueOf(m), "--config-only",
        "--no-provision").directory(setupScript().getParent().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertThat(setup.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(setup.exitValue()).as(output).isZero();
    Path credentials = dir.resolve("root/etc/jetmesh/credentials");
    String token = Files.readString(credentials.resolve("token")).trim();
    String url = "nats://127.0.0.1:" + p;

    assertThat(output).contains("Save the generated token").contains("  NATS_TOKEN=" + token + "\n");
    Matcher worker = Pattern.compile("(?m)^On a worker host.*\\n  (NATS_URL=\\S+ NATS_TOKEN=\\S+) jetmesh worker pdf$")
        .matcher(output);
    assertThat(worker.find()).as(output).isTrue();
    assertThat(worker.group(1)).isEqualTo("NATS_URL=" + url + " NATS_TOKEN=" + token);
    Matcher client = Pattern.compile("(?m)^In a client.*\\n  export (NATS_URL=\\S+) (NATS_TOKEN=\\S+)$").matcher(output);
    assertThat(client.find()).as(output).isTrue();

    Map<String, String> tokenEnv = readEnvFile(credentials.resolve("token.env"));
    assertThat(tokenEnv).containsEntry("NATS_URL", url).containsEntry("NATS_TOKEN", token);
    assertThat(Files.readString(credentials.resolve("token.env")))
        .contains("copy this file (0600) to worker and client hosts").contains("NATS_TOKEN_FILE=" + credentials.resolve("token"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.resolve("token.env"))))
        .isEqualTo("rw-------");

    try (NatsServerProcess server = NatsServerProcess.start(dir.resolve("root/etc/jetmesh/nats-server.conf"), p,
        dir.resolve("nats.log"))) {
      // The printed client line, read as a client library reads its environment.
      Map<String, String> printed = new TreeMap<>();
      for (String assignment : List.of(client.group(1), client.group(2))) {
        printed.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
      }
      for (Map<String, String> env : List.of(printed, tokenEnv)) {
        // read by the Java client's own environment mapping, so the printed names are the ones clients read
        io.jetmesh.client.MeshOptions options = io.jetmesh.client.MeshOptions.builder().applyEnvironment(env).build();
        assertThat(options.servers()).containsExactly(url);
        try (Connection nc = Nats.connect(Options.builder().server(options.servers().get(0))
            .token(options.token()).maxReconnects(0).build())) {
          assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
      }
    }
  }

  @Test
  void selfSignedTlsServesCertificatesThatClientsVerifyWithTheGeneratedCa(@TempDir Path dir) throws Exception {
    int p = freePort();
    int m = freePort();
    setupOk("--prefix", dir.toString(), "--host", "127.0.0.1", "--port", String.valueOf(p), "--monitor-port",
        String.valueOf(m), "--tls", "self-signed", "--config-only", "--no-provision");
    Path tls = dir.resolve("etc/jetmesh/tls");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("ca.key"))))
        .isEqualTo("rw-------");
    Map<String, String> env = readEnvFile(dir.resolve("etc/jetmesh/credentials/app.env"));
    assertThat(env).containsEntry("NATS_URL", "tls://127.0.0.1:" + p)
        .containsEntry("NATS_TLS_CA", tls.resolve("ca.pem").toString());
    byte[] serverCert = Files.readAllBytes(tls.resolve("server.pem"));

    // A re-run keeps the CA and the certificate.
    setupOk("--prefix", dir.toString(), "--host", "127.0.0.1", "--port", String.valueOf(p), "--monitor-port",
        String.valueOf(m), "--tls", "self-signed", "--config-only", "--no-provision");
    assertThat(Files.readAllBytes(tls.resolve("server.pem"))).isEqualTo(serverCert);

    try (NatsServerProcess server = NatsServerProcess.start(dir.resolve("etc/jetmesh/nats-server.conf"), p,
        dir.resolve("nats.log"))) {
      Options tlsOptions = Options.builder().server("tls://127.0.0.1:" + p).sslContext(trusting(tls.resolve("ca.pem")))
          .userInfo("app", env.get("NATS_PASSWORD")).maxReconnects(0)
          // a TLS handshake on a machine that other builds load can take longer than jnats' 2 s default
          .connectionTimeout(java.time.Duration.ofSeconds(20)).build();
      try (Connection nc = Nats.connect(tlsOptions)) {
        assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        assertThat(nc.getServerInfo().isTLSRequired()).isTrue();
      }
      // Without TLS the server refuses the connection.
      assertThatThrownBy(() -> Nats.connect(Options.builder().server("nats://127.0.0.1:" + p)
          .userInfo("app", env.get("NATS_PASSWORD")).maxReconnects(0).noRandomize().build()).close())
          .isInstanceOf(Exception.class);
    }
  }

  @Test
  void syncSettingIsNotWrittenForAServerThatLacksIt(@TempDir Path dir) throws Exception {
    Process version = new ProcessBuilder("nats-server", "--version").redirectErrorStream(true).start();
    String v = new String(version.getInputStream().readAllBytes()).trim();
    org.junit.jupiter.api.Assumptions.assumeTrue(v.contains("v2.9."), "needs nats-server 2.9 (found " + v + ")");
    String output = setupOk("--prefix", dir.toString(), "--host", "127.0.0.1", "--port", String.valueOf(freePort()),
        "--monitor-port", String.valueOf(freePort()), "--sync", "always", "--config-only", "--no-provision");
    assertThat(output).contains("has no 'sync_interval' (2.10+): --sync always is NOT applied");
    assertThat(Files.readString(dir.resolve("etc/jetmesh/nats-server.conf"))).doesNotContain("sync_interval");
  }

  @Test
  void foregroundModeServesUntilTerminated(@TempDir Path dir) throws Exception {
    int p = freePort();
    int m = freePort();
    Path log = dir.resolve("foreground.log");
    Process setup = new ProcessBuilder("bash", setupScript().toString(), "--prefix", dir.resolve("fg").toString(),
        "--host", "127.0.0.1", "--port", String.valueOf(p), "--monitor-port", String.valueOf(m), "--foreground",
        "--no-provision").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path pidFile = dir.resolve("fg/run/jetmesh/nats-server.pid");
    long serverPid = -1;
    try {
      InfraFixtures.awaitHealthy(m, Duration.ofSeconds(30));
      serverPid = Long.parseLong(Files.readString(pidFile).trim());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!Files.readString(log).contains("changed:") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(log)).contains("(nats-server 2.", "foreground)");
      assertThat(setup.isAlive()).as("the script stays in the foreground with the server").isTrue();

      setup.destroy(); // SIGTERM to the script, as a container runtime or supervisor sends it
      assertThat(setup.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false))
          .as("nats-server stopped with the script").isFalse();
      assertThat(httpGet("http://127.0.0.1:" + m + "/healthz")).isNull();
      assertThat(pidFile).doesNotExist();
    } finally {
      setup.destroyForcibly();
      if (serverPid > 0) {
        ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("jetmesh-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLSv1.2");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  static Map<Path, FileTime> modificationTimes() throws Exception {
    Map<Path, FileTime> times = new TreeMap<>();
    try (Stream<Path> files = Files.walk(prefix.resolve("etc"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        times.put(f, Files.getLastModifiedTime(f));
      }
    }
    return times;
  }
}
