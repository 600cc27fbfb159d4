package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.Connections;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's cases (killed worker, drain on SIGTERM, poison jobs, exhausted deliveries) under the per-role
 * users setup.sh generates, not under the admin token: a worker JVM killed mid-job as {@code worker-diag}, its job
 * redelivered, and every failure answered to client {@code app} (issue 13, High 7).
 */
class RoleCredentialsFaultTest {
  static final String REGISTRY_YAML = """
      version: 1
      mesh: { result_ttl: 1h, blob_ttl: 1h }
      namespaces:
        diag:
          stream: DIAGNOSTICS
          subject_prefix: diag
          worker_group: diag_workers
          operations: [noop, echo, sleep, fail]
          limits: { ack_wait: 2s, max_deliver: 3, backoff: [200ms, 500ms], max_ack_pending: 1000, job_timeout: 1m, max_age: 1h, duplicate_window: 1m }
      """;
  static final MeshRegistry REGISTRY = MeshRegistry.parse(REGISTRY_YAML.getBytes(StandardCharsets.UTF_8), "fault registry");
  @TempDir static Path prefix;
  static NatsServerProcess server;
  static String url;
  static Path yaml;

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    yaml = Files.writeString(prefix.resolve("namespaces.yaml"), REGISTRY_YAML);
    setupOk("--prefix", prefix.toString(), "--port", String.valueOf(port), "--monitor-port", String.valueOf(monitorPort),
        "--namespaces", yaml.toString(), "--config-only", "--no-provision");
    server = NatsServerProcess.start(prefix.resolve("etc/jetmesh/nats-server.conf"), port, prefix.resolve("nats-server.log"));
    InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(10));
    url = "nats://127.0.0.1:" + port;
    try (Connection admin = Connections.connect(as("admin"), "provision", null)) {
      new Provisioner(admin, REGISTRY).provision();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static Map<String, String> env(String user) throws IOException {
    return readEnvFile(prefix.resolve("etc/jetmesh/credentials").resolve(user + ".env"));
  }

  static MeshOptions as(String user) throws Exception {
    Map<String, String> env = env(user);
    return MeshOptions.builder().servers(url).userPassword(env.get("NATS_USER"), env.get("NATS_PASSWORD"))
        .registry(REGISTRY).build();
  }

  /** The real worker command in its own JVM, as user worker-diag. */
  static Process childWorker(String id, String... extra) throws Exception {
    Path log = prefix.resolve(id + ".log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-cp", System.getProperty("java.class.path"), "io.jetmesh.runtime.cli.WorkerCommand", "diag",
        "--nats-url", url, "--user", "worker-diag", "--password", env("worker-diag").get("NATS_PASSWORD"),
        "--worker-id", id, "--scratch-dir", prefix.resolve("scratch-" + id).toString(), "--namespaces", yaml.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("NATS_URL");
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("serving")) {
        return p;
      }
      if (!p.isAlive()) {
        throw new AssertionError("worker exited: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new AssertionError("worker did not start: " + Files.readString(log));
  }

  static Worker inProcess(String id) throws Exception {
    return Worker.start(WorkerSettings.builder(as("worker-diag"), REGISTRY.require("diag")).workerId(id).concurrency(2)
        .scratchRoot(prefix.resolve("scratch-" + id)).cacheDir(prefix.resolve("cache")).drainTimeout(Duration.ofSeconds(5))
        .s3(S3Settings.DEFAULTS).build(), new DiagModule());
  }

  static JobRequest sleep(long ms) {
    return JobRequest.builder("diag.sleep").inline(new byte[0], null, null).options("{\"ms\":" + ms + "}").build();
  }

  static void awaitRunningOn(MeshClient client, String jobId, String worker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Optional<JobStatus> s = client.status(jobId).get(10, TimeUnit.SECONDS);
      if (s.isPresent() && s.get().state() == JobState.RUNNING && worker.equals(s.get().worker())) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + jobId + " never ran on " + worker);
  }

  @Test
  void aKilledWorkersJobIsRedeliveredAndAnsweredOnce() throws Exception {
    try (MeshClient client = MeshClient.connect(as("app"))) {
      Process victim = childWorker("diag-victim");
      try {
        JobSubmission s = client.submit(sleep(3000));
        awaitRunningOn(client, s.jobId(), "diag-victim");
        victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try (Worker survivor = inProcess("diag-survivor")) {
          JobResult r = s.result().get(60, TimeUnit.SECONDS);
          assertThat(r.worker()).isEqualTo("diag-survivor");
          assertThat(r.attempts()).isGreaterThanOrEqualTo(2);
          assertThat(client.result(s.jobId()).get(10, TimeUnit.SECONDS)).get().extracting(JobResult::worker)
              .isEqualTo("diag-survivor");
        }
      } finally {
        victim.destroyForcibly();
      }
    }
  }

  @Test
  void sigtermDrainsAndPoisonJobsAreAnsweredUnderRoleUsers() throws Exception {
    try (MeshClient client = MeshClient.connect(as("app"))) {
      Process worker = childWorker("diag-drain", "--drain-timeout", "20s");
      try {
        JobSubmission s = client.submit(sleep(1500));
        awaitRunningOn(client, s.jobId(), "diag-drain");
        worker.destroy();
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JobResult r = s.result().get(10, TimeUnit.SECONDS);
        assertThat(r.worker()).isEqualTo("diag-drain");
        assertThat(r.attempts()).isEqualTo(1);
      } finally {
        worker.destroyForcibly();
      }
      try (Worker w = inProcess("diag-poison")) {
        // a retryable failure on every delivery: dead-lettered and answered dead after max_deliver (3)
        JobFailedException dead = failure(client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
            .options("{\"code\":\"UNAVAILABLE\"}").build()));
        assertThat(dead.status()).isEqualTo(JobState.DEAD);
        assertThat(dead.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        // a handler that throws (a bug) is retried the same way
        JobFailedException crash = failure(client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
            .options("{\"throw_runtime\":true}").build()));
        assertThat(crash.status()).isEqualTo(JobState.DEAD);
      }
    }
  }

  static JobFailedException failure(JobSubmission s) throws Exception {
    try {
      s.result().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JobFailedException jf) {
        return jf;
      }
      throw e;
    }
    throw new AssertionError("job succeeded");
  }
}
