package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.namespace;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.infra.InfraFixtures.Namespace;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueOptions;
import io.nats.client.ObjectStore;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.Subscription;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the least-privilege boundaries of the per-role users that setup.sh writes, against a real nats-server
 * started with that configuration. Streams and consumers are created by the admin user, as `jetmesh provision` does.
 */
class PermissionBoundariesTest {
  /** A refused JetStream API request gets no answer, only a permissions violation: do not wait long for it. */
  static final JetStreamOptions SHORT_TIMEOUT = JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(1)).build();
  @TempDir static Path prefix;
  static NatsServerProcess server;
  static Path credentials;
  static Connection admin;
  static Namespace pdf;
  static Namespace image;

  @BeforeAll
  static void startServerWithGeneratedConfig() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    setupOk("--prefix", prefix.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--monitor-port", String.valueOf(monitorPort), "--config-only", "--no-provision");
    credentials = prefix.resolve("etc/jetmesh/credentials");
    server = NatsServerProcess.start(prefix.resolve("etc/jetmesh/nats-server.conf"), port,
        prefix.resolve("nats-server.log"));
    InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(10));

    pdf = namespace("pdf");
    image = namespace("image");
    admin = connect("admin", new CopyOnWriteArrayList<>());
    JetStreamManagement jsm = admin.jetStreamManagement();
    for (Namespace ns : List.of(pdf, image)) {
      jsm.addStream(StreamConfiguration.builder().name(ns.stream()).subjects(ns.subjectPrefix() + ".>")
          .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
      jsm.addOrUpdateConsumer(ns.stream(), ConsumerConfiguration.builder().durable(ns.workerGroup())
          .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(30)).build());
    }
    jsm.addStream(StreamConfiguration.builder().name("JETMESH_RESULTS").subjects("jetmesh.results.>")
        .storageType(StorageType.File).allowDirect(true).build());
    admin.keyValueManagement().create(KeyValueConfiguration.builder().name("jetmesh-status")
        .storageType(StorageType.File).build());
    admin.objectStoreManagement().create(ObjectStoreConfiguration.builder("jetmesh-blobs")
        .storageType(StorageType.File).build());
  }

  @AfterAll
  static void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static Connection connect(String user, List<String> errors) throws Exception {
    return connect(user, readEnvFile(credentials.resolve(user + ".env")).get("NATS_PASSWORD"), errors);
  }

  static Connection connect(String user, String password, List<String> errors) throws Exception {
    Options options = Options.builder().server(server.url()).userInfo(user, password)
        .inboxPrefix(io.jetmesh.protocol.Subjects.inboxPrefix(user)) // setup.sh: replies only under _INBOX.<user>.>
        .connectionTimeout(Duration.ofSeconds(3)).maxReconnects(0)
        .errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        }).build();
    return Nats.connect(options);
  }

  /** One pull request on a worker consumer, the way every NATS client pulls ($JS.API.CONSUMER.MSG.NEXT). */
  static Message pullOnce(Connection nc, Namespace ns) throws Exception {
    String subject = "$JS.API.CONSUMER.MSG.NEXT." + ns.stream() + "." + ns.workerGroup();
    Subscription inbox = nc.subscribe(nc.createInbox());
    nc.publish(subject, inbox.getSubject(), "{\"batch\":1,\"expires\":1000000000}".getBytes(StandardCharsets.UTF_8));
    Message m = inbox.nextMessage(Duration.ofMillis(1500));
    inbox.unsubscribe();
    return m;
  }

  static PublishAck submitJob(Connection nc, Namespace ns) throws Exception {
    String id = UUID.randomUUID().toString();
    // jobs of client 'app' go on <prefix>.<operation>.app (io.jetmesh.protocol.Subjects.job)
    return nc.jetStream().publish(ns.subjectPrefix() + ".convert.app", ("{\"job_id\":\"" + id + "\"}").getBytes(),
        PublishOptions.builder().messageId(id).build());
  }

  long pending(Namespace ns) throws Exception {
    var info = admin.jetStreamManagement().getConsumerInfo(ns.stream(), ns.workerGroup());
    return info.getNumPending() + info.getNumAckPending();
  }

  @Test
  void clientCanSubmitJobsButCannotConsumeThem() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection app = connect("app", errors)) {
      long before = pending(pdf);
      PublishAck ack = submitJob(app, pdf);
      assertThat(ack.getStream()).isEqualTo(pdf.stream());
      assertThat(pending(pdf)).isEqualTo(before + 1);

      assertThat(pullOnce(app, pdf)).as("a client pull must deliver nothing").isNull();
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish")
          && e.contains("$JS.API.CONSUMER.MSG.NEXT." + pdf.stream()));
      assertThat(pending(pdf)).as("the job is still waiting for a worker").isEqualTo(before + 1);

      // Nor can it make a consumer of its own on a job stream.
      assertThatThrownBy(() -> app.jetStreamManagement(SHORT_TIMEOUT).addOrUpdateConsumer(pdf.stream(),
          ConsumerConfiguration.builder().name("sneaky").filterSubject(pdf.subjectPrefix() + ".>").build()))
          .isInstanceOf(Exception.class);
      assertThat(admin.jetStreamManagement().getConsumerNames(pdf.stream())).containsExactly(pdf.workerGroup());
    }
  }

  @Test
  void pdfWorkerPullsPdfJobsButCannotPullImageJobs() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection app = connect("app", new CopyOnWriteArrayList<>());
        Connection pdfWorker = connect("worker-pdf", errors)) {
      submitJob(app, image);
      long imagePending = pending(image);

      assertThat(pullOnce(pdfWorker, image)).as("a pdf worker pull on the image consumer").isNull();
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish")
          && e.contains("$JS.API.CONSUMER.MSG.NEXT." + image.stream()));
      assertThat(pending(image)).isEqualTo(imagePending);

      // Positive control: the same credential pulls its own namespace's job, publishes the result, acks it.
      submitJob(app, pdf);
      Message job = pullOnce(pdfWorker, pdf);
      assertThat(job).as("the pdf worker pulls a pdf job").isNotNull();
      assertThat(job.getSubject()).isEqualTo(pdf.subjectPrefix() + ".convert.app");
      PublishAck stored = pdfWorker.jetStream().publish("jetmesh.results.app.job-1", "{}".getBytes());
      assertThat(stored.getStream()).isEqualTo("JETMESH_RESULTS");
      job.ack();
      pdfWorker.flush(Duration.ofSeconds(2));
      assertThat(errors).noneMatch(e -> e.contains(pdf.stream()));
    }
  }

  @Test
  void clientCannotReadAnotherClientsResults() throws Exception {
    List<String> appErrors = new CopyOnWriteArrayList<>();
    try (Connection app = connect("app", appErrors);
        Connection gateway = connect("gateway", new CopyOnWriteArrayList<>());
        Connection worker = connect("worker-pdf", new CopyOnWriteArrayList<>())) {
      Subscription snoop = app.subscribe("jetmesh.results.gateway.>");
      Subscription own = gateway.subscribe("jetmesh.results.gateway.>");
      app.flush(Duration.ofSeconds(2));
      gateway.flush(Duration.ofSeconds(2));

      worker.jetStream().publish("jetmesh.results.gateway.job-7", "{\"ok\":true}".getBytes());
      assertThat(own.nextMessage(Duration.ofSeconds(2))).as("gateway receives its own result").isNotNull();
      assertThat(snoop.nextMessage(Duration.ofMillis(500))).as("app must not see gateway's result").isNull();
      assertThat(appErrors).anyMatch(e -> e.contains("Permissions Violation for Subscription")
          && e.contains("jetmesh.results.gateway.>"));

      // The stored results: a consumer filtered on another client's subjects is refused, one on its own works.
      JetStreamManagement appJsm = app.jetStreamManagement(SHORT_TIMEOUT);
      assertThatThrownBy(() -> appJsm.addOrUpdateConsumer("JETMESH_RESULTS", ConsumerConfiguration.builder()
          .name("app-reads-gateway").filterSubject("jetmesh.results.gateway.>").ackPolicy(AckPolicy.None)
          .build())).isInstanceOf(Exception.class);
      var ownConsumer = appJsm.addOrUpdateConsumer("JETMESH_RESULTS", ConsumerConfiguration.builder()
          .name("app-own-results").filterSubject("jetmesh.results.app.>").ackPolicy(AckPolicy.None)
          .inactiveThreshold(Duration.ofMinutes(1)).build());
      assertThat(ownConsumer.getName()).isEqualTo("app-own-results");
      assertThat(admin.jetStreamManagement().getConsumerNames("JETMESH_RESULTS"))
          .doesNotContain("app-reads-gateway");
    }
  }

  @Test
  void workerCannotDeadLetterIntoAnotherNamespace() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection pdfWorker = connect("worker-pdf", errors)) {
      pdfWorker.publish("jetmesh.dlq.image.job-9", "{}".getBytes());
      pdfWorker.flush(Duration.ofSeconds(2));
      Thread.sleep(200);
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Publish")
          && e.contains("jetmesh.dlq.image.job-9"));
    }
  }

  @Test
  void clientUploadsAndWorkerReadsAndWritesBlobsAndStatus() throws Exception {
    List<String> appErrors = new CopyOnWriteArrayList<>();
    List<String> workerErrors = new CopyOnWriteArrayList<>();
    byte[] input = new byte[6_000_000]; // ~46 chunks of 128KiB: get runs an ordered consumer with flow control
    new java.util.Random(7).nextBytes(input);
    try (Connection app = connect("app", appErrors); Connection worker = connect("worker-pdf", workerErrors)) {
      ObjectStore appBlobs = app.objectStore("jetmesh-blobs");
      appBlobs.put(ObjectMeta.builder("inputs/report.pdf").build(), new java.io.ByteArrayInputStream(input));

      ObjectStore workerBlobs = worker.objectStore("jetmesh-blobs");
      java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
      workerBlobs.get("inputs/report.pdf", read);
      assertThat(read.toByteArray()).isEqualTo(input);
      workerBlobs.put(ObjectMeta.builder("outputs/job-1/result.json").build(),
          new java.io.ByteArrayInputStream(input));
      KeyValue workerStatus = worker.keyValue("jetmesh-status");
      workerStatus.put("app.job-1", "{\"state\":\"completed\"}");

      java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
      appBlobs.get("outputs/job-1/result.json", output);
      assertThat(output.toByteArray()).as("the client resolves a large output").isEqualTo(input);
      KeyValueEntry status = app.keyValue("jetmesh-status").get("app.job-1");
      assertThat(status.getValueAsString()).contains("completed");
      // The client records "queued" for the jobs it submits, but cannot delete or purge the status store.
      assertThatThrownBy(() -> app.jetStreamManagement(SHORT_TIMEOUT).purgeStream("KV_jetmesh-status"))
          .isInstanceOf(Exception.class);
      assertThatThrownBy(() -> app.jetStreamManagement(SHORT_TIMEOUT).deleteMessage("KV_jetmesh-status", 1))
          .isInstanceOf(Exception.class);
      assertThat(admin.keyValue("jetmesh-status").get("app.job-1").getValueAsString()).contains("completed");

      // A client reads its own stored result back by subject (results stream, direct get).
      worker.jetStream().publish("jetmesh.results.app.job-1", "{\"job_id\":\"job-1\"}".getBytes());
      MessageInfo own = app.jetStreamManagement(SHORT_TIMEOUT).getLastMessage("JETMESH_RESULTS",
          "jetmesh.results.app.job-1");
      assertThat(new String(own.getData())).contains("job-1");
      worker.jetStream().publish("jetmesh.results.gateway.job-2", "{}".getBytes());
      assertThatThrownBy(() -> app.jetStreamManagement(SHORT_TIMEOUT).getLastMessage("JETMESH_RESULTS",
          "jetmesh.results.gateway.job-2")).isInstanceOf(Exception.class);
      assertThat(workerErrors).isEmpty();
    }
  }

  @Test
  void wrongPasswordIsRefused() {
    assertThatThrownBy(() -> connect("app", "not-the-password", new CopyOnWriteArrayList<>()).close())
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Authorization Violation");
    assertThatThrownBy(() -> connect("nobody", "whatever", new CopyOnWriteArrayList<>()).close())
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void credentialsFilesHoldOnlyTheirOwnUser() throws Exception {
    Map<String, String> env = readEnvFile(credentials.resolve("worker-image.env"));
    assertThat(env).containsEntry("NATS_USER", "worker-image").containsKeys("NATS_URL", "NATS_PASSWORD");
    try (Connection c = connect("worker-image", new CopyOnWriteArrayList<>())) {
      assertThat(c.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    }
  }
}
