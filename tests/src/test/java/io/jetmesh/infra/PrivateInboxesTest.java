package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private inboxes (always on in setup.sh): each client receives replies only under {@code _INBOX.<user>.>}. */
class PrivateInboxesTest {
  @TempDir static Path prefix;
  static NatsServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    setupOk("--prefix", prefix.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--monitor-port", String.valueOf(monitorPort), "--private-inboxes", "--config-only", "--no-provision");
    server = NatsServerProcess.start(prefix.resolve("etc/jetmesh/nats-server.conf"), port,
        prefix.resolve("nats-server.log"));
    InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(10));
    try (Connection admin = connect("admin", null, new CopyOnWriteArrayList<>())) {
      JetStreamManagement jsm = admin.jetStreamManagement();
      InfraFixtures.Namespace text = InfraFixtures.namespace("text");
      jsm.addStream(StreamConfiguration.builder().name(text.stream()).subjects(text.subjectPrefix() + ".>")
          .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static Connection connect(String user, String inboxPrefix, List<String> errors) throws Exception {
    Options.Builder b = Options.builder().server(server.url())
        .userInfo(user, readEnvFile(prefix.resolve("etc/jetmesh/credentials/" + user + ".env")).get("NATS_PASSWORD"))
        .maxReconnects(0).errorListener(new ErrorListener() {
          @Override
          public void errorOccurred(Connection conn, String error) {
            errors.add(error);
          }
        });
    if (inboxPrefix != null) {
      b.inboxPrefix(inboxPrefix);
    }
    return Nats.connect(b.build());
  }

  @Test
  void clientWithItsOwnInboxPrefixSubmitsJobsAndCannotListenOnOtherInboxes() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection app = connect("app", "_INBOX.app", errors)) {
      PublishAck ack = app.jetStream().publish("text.analyze.stats.app", "{}".getBytes()); // Subjects.job(op, user)
      assertThat(ack.getSeqno()).isPositive();

      Subscription snoop = app.subscribe("_INBOX.gateway.>");
      app.flush(Duration.ofSeconds(2));
      Thread.sleep(200);
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Subscription")
          && e.contains("_INBOX.gateway.>"));
    }
  }

  @Test
  void clientWithTheDefaultInboxGetsNoReplies() throws Exception {
    List<String> errors = new CopyOnWriteArrayList<>();
    try (Connection app = connect("app", null, errors)) {
      assertThatThrownBy(() -> app.jetStream(io.nats.client.JetStreamOptions.builder()
          .requestTimeout(Duration.ofSeconds(1)).build()).publish("text.analyze.stats.app", "{}".getBytes()))
          .isInstanceOf(Exception.class);
      assertThat(errors).anyMatch(e -> e.contains("Permissions Violation for Subscription to \"_INBOX."));
    }
  }
}
