package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability claim of OPERATIONS.md for a single node: a job whose PubAck the client received survives a
 * SIGKILL of nats-server (the file store hands the message to the OS before acknowledging it). Power loss is a
 * different matter (no fsync per message on 2.9) and cannot be simulated by a test.
 */
class SingleNodeCrashTest {
  @TempDir Path prefix;

  @Test
  void acknowledgedJobsSurviveAKilledServer() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    setupOk("--prefix", prefix.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port), "--monitor-port",
        String.valueOf(monitorPort), "--config-only", "--no-provision");
    Path conf = prefix.resolve("etc/jetmesh/nats-server.conf");
    String password = readEnvFile(prefix.resolve("etc/jetmesh/credentials/admin.env")).get("NATS_PASSWORD");
    Options options = Options.builder().server("nats://127.0.0.1:" + port).userInfo("admin", password)
        .maxReconnects(0).errorListener(new io.nats.client.ErrorListener() {}).build();

    int jobs = 3000;
    long lastAcked;
    try (NatsServerProcess server = NatsServerProcess.start(conf, port, prefix.resolve("nats-1.log"))) {
      InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(10));
      try (Connection nc = Nats.connect(options)) {
        JetStreamManagement jsm = nc.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name("CRASH_JOBS").subjects("crash.jobs.>")
            .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).build());
        JetStream js = nc.jetStream();
        // Async publishing keeps many writes in flight, as a busy client does, right up to the kill.
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
          acks.add(js.publishAsync("crash.jobs.j" + i, new byte[256],
              PublishOptions.builder().messageId("crash-" + i).build()));
        }
        lastAcked = 0;
        for (CompletableFuture<PublishAck> ack : acks) {
          lastAcked = Math.max(lastAcked, ack.get().getSeqno());
        }
        assertThat(lastAcked).isEqualTo(jobs);
        server.kill(); // SIGKILL right after the last ack: no clean JetStream shutdown
      }
    }

    try (NatsServerProcess restarted = NatsServerProcess.start(conf, port, prefix.resolve("nats-2.log"))) {
      InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(20));
      try (Connection nc = Nats.connect(options)) {
        // JetStream recovers the stream's files after the restart: a read may time out meanwhile
        var state = RideOverElections.call("info of CRASH_JOBS", () -> nc.jetStreamManagement().getStreamInfo("CRASH_JOBS"))
            .getStreamState();
        assertThat(state.getMsgCount()).as("acknowledged jobs after kill -9 and restart").isEqualTo(jobs);
        assertThat(state.getLastSequence()).isEqualTo(lastAcked);
      }
    }
  }
}
