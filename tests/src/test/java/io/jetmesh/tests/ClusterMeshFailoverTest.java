package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.Batch;
import io.jetmesh.client.Connections;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.infra.RideOverElections;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.runtime.Worker;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mesh itself (client, runtime, R3 streams) on a 3-node JetStream cluster: the node leading the job stream is
 * killed mid-load, and every job still completes exactly once as the client sees it, with exactly one stored result.
 */
class ClusterMeshFailoverTest {
  @TempDir Path dir;

  @Test
  void everyJobCompletesOnceWhenTheStreamLeaderDiesMidLoad() throws Exception {
    int[] client = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort()};
    int[] route = {NatsServerProcess.freePort(), NatsServerProcess.freePort(), NatsServerProcess.freePort()};
    String routes = "nats-route://127.0.0.1:" + route[0] + ", nats-route://127.0.0.1:" + route[1] + ", nats-route://127.0.0.1:" + route[2];
    List<NatsServerProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(NatsServerProcess.builder(dir.resolve("n" + i)).serverName("n" + i).port(client[i]).token("cluster-token")
            .extraConfig("cluster { name: jetmesh-test, listen: 127.0.0.1:" + route[i] + ", routes: [" + routes + "] }").start());
      }
      MeshRegistry registry = MeshFixture.diagRegistry().withReplicas(3);
      MeshOptions options = MeshOptions.builder()
          .servers(nodes.get(0).url() + "," + nodes.get(1).url() + "," + nodes.get(2).url())
          .token("cluster-token").registry(registry).build();
      try (Connection admin = connectWhenJetStreamIsReady(options)) {
        new Provisioner(admin, registry).provision();
      }
      try (Worker a = MeshFixture.inProcessWorker(options, "diag-c1", 4, dir, null);
          Worker b = MeshFixture.inProcessWorker(options, "diag-c2", 4, dir, null);
          MeshClient mesh = MeshClient.connect(options);
          Connection admin = Connections.connect(options, "admin", null)) {
        Batch batch = mesh.batch(64);
        List<JobSubmission> subs = new ArrayList<>();
        int total = 300;
        for (int i = 0; i < total; i++) {
          subs.add(batch.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null).options("{\"ms\":10}").build()));
          if (i == 80) {
            String leader = RideOverElections.call("info of DIAGNOSTICS",
                () -> admin.jetStreamManagement().getStreamInfo("DIAGNOSTICS")).getClusterInfo().getLeader();
            int index = Integer.parseInt(leader.substring(1));
            nodes.get(index).kill();
          }
        }
        Set<String> ids = new HashSet<>();
        for (JobSubmission s : subs) {
          JobResult r = s.result().get(120, TimeUnit.SECONDS);
          assertThat(r.succeeded()).isTrue();
          assertThat(ids.add(r.id())).as("one result per job").isTrue();
        }
        assertThat(ids).hasSize(total);
        // exactly one stored result per job
        for (JobSubmission s : subs) {
          assertThat(mesh.result(s.jobId()).get(10, TimeUnit.SECONDS)).isPresent();
        }
        long stored = RideOverElections.call("info of " + Subjects.RESULTS_STREAM,
            () -> admin.jetStreamManagement().getStreamInfo(Subjects.RESULTS_STREAM)).getStreamState().getMsgCount();
        assertThat(stored).isEqualTo(total);
      }
    } finally {
      nodes.forEach(NatsServerProcess::close);
    }
  }

  static Connection connectWhenJetStreamIsReady(MeshOptions options) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Connection c = Connections.connect(options, "provision", null);
      try {
        c.jetStreamManagement().getAccountStatistics();
        return c;
      } catch (Exception e) {
        c.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
