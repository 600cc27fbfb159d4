package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.client.Connections;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamOptions;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the NATS side: an attacker holding an ordinary client credential that setup.sh generated ({@code mallory})
 * attacks another client ({@code app}) on a real nats-server running setup.sh's configuration, with the real runtime
 * and client. Each test is one finding of docs/OPERATIONS.md#threat-model and fails on the configuration before it.
 */
class NatsAttackTest {
  /** diag with a one-delivery consumer: the first unanswered delivery is the last (the max-deliveries path). */
  static final String REGISTRY_YAML = """
      version: 1
      mesh: { result_ttl: 1h, blob_ttl: 1h }
      namespaces:
        diag:
          stream: DIAGNOSTICS
          subject_prefix: diag
          worker_group: diag_workers
          operations: [noop, echo, sleep, fail]
          limits: { ack_wait: 6s, max_deliver: 1, max_ack_pending: 1000, job_timeout: 1m, max_age: 1h, duplicate_window: 1m }
          option_limits: { output_bytes: 1MiB, ms: 60000 }
      """;
  static final MeshRegistry REGISTRY = MeshRegistry.parse(REGISTRY_YAML.getBytes(StandardCharsets.UTF_8), "attack registry");
  static final JetStreamOptions SHORT = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build();

  @TempDir static Path prefix;
  static NatsServerProcess server;
  static String url;
  static Path credentials;

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    Path yaml = Files.writeString(prefix.resolve("namespaces.yaml"), REGISTRY_YAML);
    // no --host: the default must be loopback with TLS off
    setupOk("--prefix", prefix.toString(), "--port", String.valueOf(port), "--monitor-port", String.valueOf(monitorPort),
        "--namespaces", yaml.toString(), "--clients", "app,mallory,gateway-mallory", "--config-only", "--no-provision");
    credentials = prefix.resolve("etc/jetmesh/credentials");
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

  static MeshOptions as(String user) throws Exception {
    Map<String, String> env = readEnvFile(credentials.resolve(user + ".env"));
    return MeshOptions.builder().servers(url).userPassword(env.get("NATS_USER"), env.get("NATS_PASSWORD"))
        .registry(REGISTRY).build();
  }

  /** A raw NATS connection as {@code user}, with the library's default inbox prefix (what an attacker picks). */
  static Connection raw(String user, List<String> errors) throws Exception {
    Map<String, String> env = readEnvFile(credentials.resolve(user + ".env"));
    return Nats.connect(Options.builder().server(url).userInfo(user, env.get("NATS_PASSWORD")).maxReconnects(0)
        .errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        }).build());
  }

  /** A raw connection as {@code user} that receives its JetStream replies (its own inbox prefix). */
  static Connection own(String user, List<String> errors) throws Exception {
    Map<String, String> env = readEnvFile(credentials.resolve(user + ".env"));
    return Nats.connect(Options.builder().server(url).userInfo(user, env.get("NATS_PASSWORD")).maxReconnects(0)
        .inboxPrefix(Subjects.inboxPrefix(user)).errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        }).build());
  }

  static byte[] envelope(String id, String subject, String client) {
    return Json.toBytes(JobEnvelope.builder(subject, io.jetmesh.protocol.InputRef.inline(new byte[0], null, null))
        .id(id).client(client).build());
  }

  static Worker worker(String id) throws Exception {
    return Worker.start(WorkerSettings.builder(as("worker-diag"), REGISTRY.require("diag")).workerId(id)
        .concurrency(2).scratchRoot(prefix.resolve("scratch-" + id)).cacheDir(prefix.resolve("cache"))
        .s3(S3Settings.DEFAULTS).build(), new DiagModule());
  }

  /** High 1: a client listening on every inbox saw other callers' uploads, envelopes and fetched results. */
  @Test
  void aClientCannotListenToAnotherClientsInboxTraffic() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    List<Message> captured = new CopyOnWriteArrayList<>();
    byte[] secret = "the victim's confidential upload".getBytes(StandardCharsets.UTF_8);
    try (Worker w = worker("diag-inbox"); Connection mallory = raw("mallory", errors);
        MeshClient app = MeshClient.connect(as("app"))) {
      mallory.createDispatcher(captured::add).subscribe(Subjects.INBOX_PREFIX + ".>");
      mallory.createDispatcher(captured::add).subscribe(Subjects.inboxPrefix("app") + ".>");
      mallory.createDispatcher(captured::add).subscribe(Subjects.inboxPrefix("worker-diag") + ".>");
      mallory.flush(Duration.ofSeconds(2));

      Path file = Files.write(prefix.resolve("secret.txt"), secret);
      JobSubmission s = app.submit(JobRequest.builder("diag.echo").file(file).build());
      assertThat(s.result().get(30, TimeUnit.SECONDS).output().path("size").asLong()).isEqualTo(secret.length);
      assertThat(app.result(s.jobId()).get(10, TimeUnit.SECONDS)).isPresent();
      Thread.sleep(300);

      assertThat(captured).as("messages mallory captured on other users' inboxes").isEmpty();
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Subscription") && e.contains("\"_INBOX.>\""));
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Subscription") && e.contains("_INBOX.app.>"));
    }
  }

  /** High 7: a job whose last delivery went unanswered was never answered (the worker could not direct-get it). */
  @Test
  void aJobThatExhaustsItsDeliveriesIsAnsweredDeadUnderRoleCredentials() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (MeshClient app = MeshClient.connect(as("app")); Connection crashing = raw("worker-diag", errors)) {
      JobSubmission s = app.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build());
      // a worker that takes the job and dies: the only delivery (max_deliver 1) is never acknowledged
      Subscription inbox = crashing.subscribe(Subjects.inboxPrefix("worker-diag") + ".pull");
      crashing.publish("$JS.API.CONSUMER.MSG.NEXT.DIAGNOSTICS.diag_workers", inbox.getSubject(),
          "{\"batch\":1,\"expires\":3000000000}".getBytes(StandardCharsets.UTF_8));
      Message taken = inbox.nextMessage(Duration.ofSeconds(5));
      assertThat(taken).as("the crashing worker took the job").isNotNull();
      assertThat(Json.fromBytes(taken.getData(), JobEnvelope.class).id()).isEqualTo(s.jobId());
      // the surviving worker hears the server's max-deliveries advisory and answers for it
      try (Worker survivor = worker("diag-survivor")) {
        JobFailedException dead = failure(s, 60);
        assertThat(dead.status()).isEqualTo(JobState.DEAD);
      }
      assertThat(errors).noneMatch(e -> e.contains("Permissions Violation"));
    }
  }

  /**
   * High 3: a job published with the victim's client and job id became the victim's stored result, and the real
   * result was then dropped as a duplicate.
   */
  @Test
  void aClientCannotForgeAnotherClientsResult() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Worker w = worker("diag-forge"); MeshClient app = MeshClient.connect(as("app"));
        Connection mallory = own("mallory", errors)) {
      JobSubmission victim = app.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
          .options("{\"ms\":1500}").build());
      Subscription malloryResults = mallory.subscribe(Subjects.resultsOf("mallory"));
      // 1. straight onto the victim's job subject (and the pre-protocol one): refused by the server
      for (String subject : List.of(Subjects.job("diag.noop", "app"), "diag.noop")) {
        assertThatThrownBy(() -> mallory.jetStream(SHORT).publish(subject, envelope(victim.jobId(), "diag.noop", "app"),
            io.nats.client.PublishOptions.builder().messageId(Subjects.resultMessageId("app", victim.jobId(), 0)).build()))
            .isInstanceOf(Exception.class);
      }
      // 2. on its own subject with the victim's client in the envelope: answered failed, to mallory
      mallory.jetStream(SHORT).publish(Subjects.job("diag.noop", "mallory"), envelope(victim.jobId(), "diag.noop", "app"));
      Message answer = malloryResults.nextMessage(Duration.ofSeconds(30));
      assertThat(answer).as("the forged job is answered to its sender").isNotNull();
      io.jetmesh.protocol.JobResult forged = Json.fromBytes(answer.getData(), io.jetmesh.protocol.JobResult.class);
      assertThat(forged.status()).isEqualTo(JobState.FAILED);
      assertThat(forged.error().code()).isEqualTo(io.jetmesh.protocol.ErrorCode.INVALID_INPUT);
      assertThat(forged.error().message()).contains("client 'app'").contains("diag.noop.mallory");

      io.jetmesh.protocol.JobResult real = victim.result().get(30, TimeUnit.SECONDS);
      assertThat(real.output().path("slept_ms").asLong()).as("the victim gets its own job's result").isEqualTo(1500);
      assertThat(app.result(victim.jobId()).get(10, TimeUnit.SECONDS)).get()
          .extracting(r -> r.output().path("slept_ms").asLong()).isEqualTo(1500L);
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish") && e.contains("diag.noop.app"));
    }
  }

  /**
   * High 4: any client could cancel any job, write or purge any status record and list every job id by reading the
   * status bucket by sequence.
   */
  @Test
  void aClientCannotCancelReadOrRewriteAnotherClientsJobs() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Worker w = worker("diag-tamper"); MeshClient app = MeshClient.connect(as("app"));
        Connection mallory = own("mallory", errors)) {
      JobSubmission victim = app.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
          .options("{\"ms\":2500}").build());
      String id = victim.jobId();
      byte[] cancel = Json.toBytes(new io.jetmesh.protocol.CancelRequest(1, id, "mallory", java.time.Instant.now()));
      byte[] forgedStatus = ("{\"v\":1,\"id\":\"" + id + "\",\"state\":\"failed\",\"subject\":\"diag.sleep\","
          + "\"result_subject\":\"jetmesh.results.mallory.>\",\"updated_at\":\"2026-01-01T00:00:00Z\"}")
          .getBytes(StandardCharsets.UTF_8);
      for (String key : List.of(id, Subjects.jobKey("app", id))) {
        mallory.publish(Subjects.kvSubject(Subjects.CANCEL_BUCKET, key), cancel);
        mallory.publish(Subjects.kvSubject(Subjects.STATUS_BUCKET, key), forgedStatus);
      }
      mallory.flush(Duration.ofSeconds(2));
      var jsm = mallory.jetStreamManagement(SHORT);
      String statusStream = Subjects.kvStream(Subjects.STATUS_BUCKET);
      assertThatThrownBy(() -> jsm.getMessage(statusStream, 1)).as("listing by sequence").isInstanceOf(Exception.class);
      assertThatThrownBy(() -> jsm.getLastMessage(statusStream,
          Subjects.kvSubject(Subjects.STATUS_BUCKET, Subjects.jobKey("app", id)))).isInstanceOf(Exception.class);
      assertThatThrownBy(() -> jsm.purgeStream(statusStream)).isInstanceOf(Exception.class);
      assertThatThrownBy(() -> jsm.getMessage(Subjects.kvStream(Subjects.CANCEL_BUCKET), 1)).isInstanceOf(Exception.class);

      io.jetmesh.protocol.JobResult r = victim.result().get(30, TimeUnit.SECONDS);
      assertThat(r.status()).as("the victim's job was not cancelled").isEqualTo(JobState.COMPLETED);
      var status = app.status(id).get(10, TimeUnit.SECONDS);
      assertThat(status).get().extracting(st -> st.state()).isEqualTo(JobState.COMPLETED);
      assertThat(status.get().isCancelRequested()).isFalse();
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish")
          && e.contains(Subjects.kvSubject(Subjects.CANCEL_BUCKET, Subjects.jobKey("app", id))));

      // the owner itself still cancels its own job
      JobSubmission own = app.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
          .options("{\"ms\":20000}").build());
      Thread.sleep(300);
      app.cancel(own.jobId()).get(10, TimeUnit.SECONDS);
      assertThat(failure(own, 30).status()).isEqualTo(JobState.CANCELLED);
    }
  }

  /** Medium: a client could read and delete any consumer on JETMESH_RESULTS by name. */
  @Test
  void aClientCannotReadOrDeleteAnotherClientsResultConsumer() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection app = own("app", new CopyOnWriteArrayList<>()); Connection mallory = own("mallory", errors);
        Connection admin = Connections.connect(as("admin"), "admin", null)) {
      app.jetStreamManagement(SHORT).addOrUpdateConsumer(Subjects.RESULTS_STREAM, io.nats.client.api.ConsumerConfiguration
          .builder().name("app-replay").filterSubject(Subjects.RESULTS_PREFIX + ".app.>")
          .ackPolicy(io.nats.client.api.AckPolicy.None).inactiveThreshold(Duration.ofMinutes(5)).build());
      var jsm = mallory.jetStreamManagement(SHORT);
      assertThatThrownBy(() -> jsm.getConsumerInfo(Subjects.RESULTS_STREAM, "app-replay")).isInstanceOf(Exception.class);
      assertThatThrownBy(() -> jsm.deleteConsumer(Subjects.RESULTS_STREAM, "app-replay")).isInstanceOf(Exception.class);
      assertThat(admin.jetStreamManagement().getConsumerNames(Subjects.RESULTS_STREAM)).contains("app-replay");
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish")
          && e.contains("$JS.API.CONSUMER.DELETE." + Subjects.RESULTS_STREAM + ".app-replay"));
    }
  }

  /**
   * High 5 and 6: job options raised the PDF worker's pixel guard, and {@code diag.echo output_bytes} stored 100 MB
   * results from 122-byte requests ({@code 2147483647} killed the worker). Options may only tighten the limits.
   */
  @Test
  void aCallerCannotLiftAServiceLimitWithAJobOption() throws Exception {
    try (Worker w = worker("diag-limits"); MeshClient app = MeshClient.connect(as("app"))) {
      for (String options : List.of("{\"output_bytes\":2147483647}", "{\"output_bytes\":104857600}",
          "{\"output_bytes\":1048577}")) {
        JobFailedException refused = failure(app.submit(JobRequest.builder("diag.echo").inline(new byte[1], null, null)
            .options(options).build()), 30);
        assertThat(refused.code()).as(options).isEqualTo(io.jetmesh.protocol.ErrorCode.TOO_LARGE);
        assertThat(refused.getMessage()).contains("output_bytes").contains("1048576");
      }
      JobFailedException sleepy = failure(app.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
          .options("{\"ms\":86400000}").build()), 30);
      assertThat(sleepy.code()).isEqualTo(io.jetmesh.protocol.ErrorCode.TOO_LARGE);
      // within the limit still works, and the worker survived all of it
      assertThat(app.submit(JobRequest.builder("diag.echo").inline(new byte[1], null, null)
          .options("{\"output_bytes\":1000}").build()).result().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }
  }

  /** Low: any client user called gateway* got the gateway's role (other callers' job ownership, results, purge). */
  @Test
  void aClientNamedLikeAGatewayHasNoGatewayRights() throws Exception {
    String conf = Files.readString(prefix.resolve("etc/jetmesh/nats-server.conf"));
    assertThat(conf).as("setup.sh without --host listens on loopback only (TLS off)").contains("listen: \"127.0.0.1:");
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection impostor = Connections.connect(as("gateway-mallory"), "impostor", null);
        Connection gateway = Connections.connect(as("gateway"), "gateway", null)) {
      // the real gateway user (--gateways, default 'gateway') reads the dead letters; the impostor does not
      assertThat(gateway.jetStreamManagement(SHORT).getStreamInfo(Subjects.DLQ_STREAM)).isNotNull();
      assertThatThrownBy(() -> impostor.jetStreamManagement(SHORT).getStreamInfo(Subjects.DLQ_STREAM))
          .isInstanceOf(Exception.class);
      assertThatThrownBy(() -> impostor.jetStreamManagement(SHORT).purgeStream(Subjects.RESULTS_STREAM))
          .isInstanceOf(Exception.class);
      assertThatThrownBy(() -> impostor.keyValue(Subjects.GATEWAY_JOBS_BUCKET).put("x", "y"))
          .isInstanceOf(Exception.class);
      assertThatThrownBy(() -> impostor.jetStreamManagement(SHORT).getMessage(Subjects.DLQ_STREAM, 1))
          .isInstanceOf(Exception.class);
    }
    assertThat(errors).isEmpty();
    List<String> lines = new ArrayList<>();
    for (String line : conf.split("\n")) {
      if (line.contains("user: \"gateway-mallory\"")) {
        lines.add(line);
      }
    }
    assertThat(lines).hasSize(1);
  }

  static JobFailedException failure(JobSubmission s, int seconds) throws Exception {
    try {
      s.result().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JobFailedException jf) {
        return jf;
      }
      throw e;
    }
    throw new AssertionError("job succeeded");
  }
}
