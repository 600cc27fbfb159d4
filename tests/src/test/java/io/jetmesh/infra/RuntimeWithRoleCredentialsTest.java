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
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runtime and client under the per-role users that setup.sh generates: the permission set must allow
 * everything the mesh does (provision as admin, work as worker-diag, submit/status/result/cancel/upload as a client)
 * and nothing more.
 */
class RuntimeWithRoleCredentialsTest {
  @TempDir static Path prefix;
  static NatsServerProcess server;
  static String url;
  static Path credentials;
  static Worker worker;
  static final MeshRegistry REGISTRY = MeshRegistry.bundled();

  static MeshOptions as(String user) throws Exception {
    Map<String, String> env = readEnvFile(credentials.resolve(user + ".env"));
    return MeshOptions.builder().servers(url).userPassword(env.get("NATS_USER"), env.get("NATS_PASSWORD"))
        .registry(REGISTRY).build();
  }

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    setupOk("--prefix", prefix.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--monitor-port", String.valueOf(monitorPort), "--clients", "app,billing,gateway", "--config-only", "--no-provision");
    credentials = prefix.resolve("etc/jetmesh/credentials");
    server = NatsServerProcess.start(prefix.resolve("etc/jetmesh/nats-server.conf"), port, prefix.resolve("nats-server.log"));
    InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(10));
    url = "nats://127.0.0.1:" + port;
    try (Connection admin = Connections.connect(as("admin"), "provision", null)) {
      new Provisioner(admin, REGISTRY).provision();
    }
    MeshOptions workerOpts = as("worker-diag");
    worker = Worker.start(WorkerSettings.builder(workerOpts, REGISTRY.require("diag")).workerId("diag-role")
        .concurrency(2).scratchRoot(prefix.resolve("scratch")).cacheDir(prefix.resolve("cache"))
        .s3(S3Settings.DEFAULTS).build(), new DiagModule());
  }

  @AfterAll
  static void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void clientWithItsOwnUserRunsJobsEndToEnd() throws Exception {
    try (MeshClient client = MeshClient.connect(as("app"))) {
      assertThat(client.options().clientId()).isEqualTo("app");
      JobResult r = client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build())
          .result().get(30, TimeUnit.SECONDS);
      assertThat(r.succeeded()).isTrue();
      Path f = Files.writeString(prefix.resolve("upload.txt"), "uploaded through the object store");
      JobResult echo = client.submit(JobRequest.builder("diag.echo").file(f).build()).result().get(30, TimeUnit.SECONDS);
      assertThat(echo.output().path("size").asLong()).isEqualTo(33);
      List<ProgressEvent> events = new CopyOnWriteArrayList<>();
      JobSubmission s = client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
          .options("{\"ms\":500}").progressListener(events::add).build());
      s.result().get(30, TimeUnit.SECONDS);
      assertThat(events).isNotEmpty();
      assertThat(client.status(s.jobId()).get(10, TimeUnit.SECONDS)).get().extracting(st -> st.state()).isEqualTo(JobState.COMPLETED);
      assertThat(client.result(s.jobId()).get(10, TimeUnit.SECONDS)).isPresent();
    }
  }

  @Test
  void clientCancelsAndPoisonJobsAreDeadLetteredUnderRoleUsers() throws Exception {
    try (MeshClient client = MeshClient.connect(as("app"))) {
      JobSubmission s = client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null).options("{\"ms\":20000}").build());
      Thread.sleep(500);
      client.cancel(s.jobId()).get(10, TimeUnit.SECONDS);
      assertThat(failure(s).status()).isEqualTo(JobState.CANCELLED);
      JobFailedException dead = failure(client.submit(JobRequest.builder("diag.fail").inline(new byte[0], null, null)
          .options("{\"code\":\"UNAVAILABLE\"}").build()));
      assertThat(dead.status()).isEqualTo(JobState.DEAD);
      assertThat(dead.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
  }

  @Test
  void anotherClientCannotFetchAppsResults() throws Exception {
    String jobId;
    try (MeshClient app = MeshClient.connect(as("app"))) {
      JobSubmission s = app.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build());
      s.result().get(30, TimeUnit.SECONDS);
      jobId = s.jobId();
    }
    // (the gateway user may read every result: it serves jobs that other clients submitted)
    try (MeshClient other = MeshClient.connect(as("billing"))) {
      Optional<JobResult> r;
      try {
        // refused reads look like timeouts to a NATS client, which retries them as it would during an election
        r = other.result(jobId).get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        r = Optional.empty();
      }
      assertThat(r).isEmpty();
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
