package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nats-server processes on loopback, configured by {@code setup.sh --cluster}: a stream of jobs flows through
 * R3 streams while the stream-leader node is SIGKILLed, and every job still ends with exactly one stored result.
 *
 * <p>This is the protocol the mesh relies on, done with plain jnats: the publisher retries on 503/timeouts with
 * backoff reusing the job id as {@code Nats-Msg-Id}; the worker publishes the result with its own stable msg id and
 * acks only afterwards, so a redelivered job re-publishes a result that the results stream de-duplicates.
 * The same scenario through the jetmesh client and runtime belongs to the end-to-end tests once they exist.
 */
class ClusterFailoverTest {
  static final int JOBS = 400;
  static final String JOBS_STREAM = "FAILOVER_JOBS";
  static final String RESULTS_STREAM = "FAILOVER_RESULTS";
  static final String WORKERS = "failover_workers";

  @TempDir static Path dir;
  static final Map<String, NatsServerProcess> nodes = new LinkedHashMap<>();
  static final List<String> urls = new ArrayList<>();
  static String adminPassword;

  @BeforeAll
  static void startThreeNodeCluster() throws Exception {
    int[] client = {freePort(), freePort(), freePort()};
    int[] monitor = {freePort(), freePort(), freePort()};
    int[] route = {freePort(), freePort(), freePort()};
    String routes = "127.0.0.1:" + route[0] + ",127.0.0.1:" + route[1] + ",127.0.0.1:" + route[2];
    // Node 1 generates the credentials; nodes 2 and 3 copy them (--credentials-from) and are set up in parallel.
    List<java.util.concurrent.CompletableFuture<String>> setups = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path prefix = dir.resolve("n" + (i + 1));
      List<String> args = new ArrayList<>(List.of("--prefix", prefix.toString(), "--cluster", "--routes", routes,
          "--node-index", String.valueOf(i + 1), "--cluster-port", String.valueOf(route[i]),
          "--host", "127.0.0.1", "--port", String.valueOf(client[i]), "--monitor-port", String.valueOf(monitor[i]),
          "--config-only", "--no-provision"));
      if (i == 0) {
        setupOk(args.toArray(String[]::new));
        continue;
      }
      args.addAll(List.of("--credentials-from", dir.resolve("n1/etc/jetmesh/credentials").toString()));
      setups.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return setupOk(args.toArray(String[]::new));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (var setup : setups) {
      setup.join();
    }
    for (int i = 0; i < 3; i++) {
      Path prefix = dir.resolve("n" + (i + 1));
      nodes.put("jetmesh-n" + (i + 1), NatsServerProcess.start(prefix.resolve("etc/jetmesh/nats-server.conf"),
          client[i], prefix.resolve("nats-server.log")));
      urls.add("nats://127.0.0.1:" + client[i]);
    }
    for (int m : monitor) {
      InfraFixtures.awaitHealthy(m, Duration.ofSeconds(30));
    }
    adminPassword = readEnvFile(dir.resolve("n1/etc/jetmesh/credentials/admin.env")).get("NATS_PASSWORD");
    assertThat(readEnvFile(dir.resolve("n3/etc/jetmesh/credentials/admin.env")).get("NATS_PASSWORD"))
        .as("--credentials-from gives every node the same users").isEqualTo(adminPassword);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (NatsServerProcess node : nodes.values()) {
      node.close();
    }
  }

  static Connection connect() throws Exception {
    return Nats.connect(Options.builder().servers(urls.toArray(String[]::new)).userInfo("admin", adminPassword)
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(200)).connectionTimeout(Duration.ofSeconds(2))
        .errorListener(new io.nats.client.ErrorListener() {}).build());
  }

  /** Stream info, riding over elections: the test's own management calls must not fail where the client would not. */
  static StreamInfo streamInfo(JetStreamManagement jsm, String stream) throws Exception {
    return RideOverElections.call("info of " + stream, () -> jsm.getStreamInfo(stream));
  }

  /** Publishes until the stream acknowledges, riding over leader elections; the msg id makes retries safe. */
  static void publishWithRetry(JetStream js, String subject, String msgId, byte[] body) throws Exception {
    long deadline = System.nanoTime() + RideOverElections.DEFAULT_BOUND.toNanos();
    long backoffMs = 50;
    while (true) {
      try {
        js.publish(subject, body, PublishOptions.builder().messageId(msgId).build());
        return;
      } catch (IOException | JetStreamApiException e) { // 503 no responders, timeouts, "no leader" API errors
        if (System.nanoTime() > deadline) {
          throw new AssertionError("publish of " + msgId + " failed for " + RideOverElections.DEFAULT_BOUND, e);
        }
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 1000);
      }
    }
  }

  @Test
  void everyJobCompletesExactlyOnceWhenTheStreamLeaderIsKilledMidLoad() throws Exception {
    try (Connection admin = connect()) {
      JetStreamManagement jsm = admin.jetStreamManagement();
      jsm.addStream(StreamConfiguration.builder().name(JOBS_STREAM).subjects("failover.jobs.>")
          .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.File).replicas(3)
          .duplicateWindow(Duration.ofMinutes(5)).build());
      jsm.addStream(StreamConfiguration.builder().name(RESULTS_STREAM).subjects("failover.results.>")
          .storageType(StorageType.File).replicas(3).duplicateWindow(Duration.ofMinutes(5)).build());
      jsm.addOrUpdateConsumer(JOBS_STREAM, ConsumerConfiguration.builder().durable(WORKERS)
          .ackPolicy(AckPolicy.Explicit).ackWait(Duration.ofSeconds(4)).maxAckPending(200).build());
      // The server must really have made 3 replicas (2.9 ignores some settings silently: read back, never assume).
      assertThat(streamInfo(jsm, JOBS_STREAM).getConfiguration().getReplicas()).isEqualTo(3);
      assertThat(streamInfo(jsm, RESULTS_STREAM).getConfiguration().getReplicas()).isEqualTo(3);

      Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        Thread t = new Thread(() -> workerLoop(stop, processed), "failover-worker-" + w);
        t.start();
        workers.add(t);
      }

      String killed = null;
      int publishedAfterKill = 0;
      try (Connection publisher = connect()) {
        JetStream js = publisher.jetStream();
        for (int i = 0; i < JOBS; i++) {
          if (i == JOBS / 3) {
            killed = streamInfo(jsm, JOBS_STREAM).getClusterInfo().getLeader();
            nodes.get(killed).kill();
          }
          String id = "job-" + i;
          publishWithRetry(js, "failover.jobs." + id, id, id.getBytes(StandardCharsets.UTF_8));
          if (killed != null) {
            publishedAfterKill++;
          }
        }
      }
      assertThat(killed).isNotNull();
      assertThat(publishedAfterKill).isEqualTo(JOBS - JOBS / 3);

      // Wait (bounded, generously: other builds share the CPU) until every job has a result and has left the work
      // queue: a job whose ack was lost in the election is redelivered after the ack wait and acked then.
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while ((streamInfo(jsm, RESULTS_STREAM).getStreamState().getMsgCount() < JOBS
          || streamInfo(jsm, JOBS_STREAM).getStreamState().getMsgCount() > 0) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      stop.set(true);
      for (Thread t : workers) {
        t.join(10_000);
      }

      StreamInfo results = streamInfo(jsm, RESULTS_STREAM);
      Map<String, Integer> resultsPerJob = new HashMap<>();
      for (long seq = results.getStreamState().getFirstSequence(); seq <= results.getStreamState().getLastSequence();
          seq++) {
        long s = seq;
        MessageInfo m = RideOverElections.call("message " + s + " of " + RESULTS_STREAM, () -> jsm.getMessage(RESULTS_STREAM, s));
        resultsPerJob.merge(m.getSubject().substring("failover.results.".length()), 1, Integer::sum);
      }
      List<String> missing = new ArrayList<>();
      List<String> duplicated = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        int n = resultsPerJob.getOrDefault("job-" + i, 0);
        if (n == 0) {
          missing.add("job-" + i);
        } else if (n > 1) {
          duplicated.add("job-" + i);
        }
      }
      assertThat(missing).as("jobs without a stored result").isEmpty();
      assertThat(duplicated).as("jobs with more than one stored result").isEmpty();
      assertThat(resultsPerJob).hasSize(JOBS);
      assertThat(streamInfo(jsm, JOBS_STREAM).getStreamState().getMsgCount())
          .as("every job was acknowledged and left the work queue").isZero();

      String newLeader = streamInfo(jsm, JOBS_STREAM).getClusterInfo().getLeader();
      assertThat(newLeader).isNotNull().isNotEqualTo(killed);
      int deliveries = processed.values().stream().mapToInt(AtomicInteger::get).sum();
      System.out.printf("ClusterFailoverTest: killed stream leader %s, new leader %s, %d jobs, %d deliveries"
          + " (%d redelivered after the failover)%n", killed, newLeader, JOBS, deliveries, deliveries - JOBS);
    }
  }

  /** A worker: pull, publish the result with a stable msg id, then ack. Survives node loss by re-subscribing. */
  static void workerLoop(AtomicBoolean stop, Map<String, AtomicInteger> processed) {
    try (Connection nc = connect()) {
      JetStream js = nc.jetStream();
      JetStreamSubscription sub = null;
      while (!stop.get()) {
        try {
          if (sub == null) {
            sub = js.subscribe(null, PullSubscribeOptions.bind(JOBS_STREAM, WORKERS));
          }
          for (Message job : sub.fetch(25, Duration.ofMillis(500))) {
            String id = job.getSubject().substring("failover.jobs.".length());
            processed.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            publishWithRetry(js, "failover.results." + id, "result-" + id,
                ("done " + id).getBytes(StandardCharsets.UTF_8));
            try {
              job.ackSync(Duration.ofSeconds(2));
            } catch (Exception lostAck) {
              // Redelivered after ack wait; the re-published result is de-duplicated by its msg id.
            }
          }
        } catch (Exception e) {
          sub = null;
          sleepQuietly(200);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
