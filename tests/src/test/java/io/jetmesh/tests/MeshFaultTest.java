package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshAuthenticationException;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshException;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.WorkerStartException;
import io.jetmesh.runtime.diag.DiagModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mesh under real faults: dead workers, restarts, refused credentials, unreachable servers, load sharing. */
class MeshFaultTest {
  @TempDir Path dir;

  private static JobRequest sleep(long ms) {
    return JobRequest.builder("diag.sleep").inline(new byte[0], null, null).options("{\"ms\":" + ms + "}").build();
  }

  @Test
  void twoWorkersShareOneDurableConsumerAndEveryJobCompletesOnce() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker a = MeshFixture.inProcessWorker(mesh.options(), "diag-a", 2, dir, null);
        Worker b = MeshFixture.inProcessWorker(mesh.options(), "diag-b", 2, dir, null);
        MeshClient client = MeshClient.connect(mesh.options())) {
      List<JobSubmission> subs = new ArrayList<>();
      // 100 ms jobs: 3 s of work for one worker alone, so the other one is certainly pulling before the queue
      // is empty, however loaded the machine is
      for (int i = 0; i < 60; i++) {
        subs.add(client.submit(sleep(100)));
      }
      Map<String, Integer> byWorker = new HashMap<>();
      Set<String> ids = new HashSet<>();
      for (JobSubmission s : subs) {
        JobResult r = s.result().get(60, TimeUnit.SECONDS);
        assertThat(ids.add(r.id())).isTrue();
        byWorker.merge(r.worker(), 1, Integer::sum);
      }
      assertThat(ids).hasSize(60);
      assertThat(byWorker).containsOnlyKeys("diag-a", "diag-b");
      // both took jobs; how evenly depends on which pull the server serves first, which the CPU load decides
      assertThat(byWorker.values()).allMatch(n -> n >= 1);
    }
  }

  @Test
  void jobOfAKilledWorkerIsRedeliveredAndTheClientSeesExactlyOneResult() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        MeshClient client = MeshClient.connect(mesh.options())) {
      Path yaml = MeshFixture.writeRegistry(dir);
      ChildWorker victim = ChildWorker.start(mesh.options(), "diag", "diag-victim", dir, "--namespaces", yaml.toString());
      JobSubmission s = client.submit(sleep(3000));
      awaitState(client, s.jobId(), JobState.RUNNING, "diag-victim");
      victim.kill();
      try (Worker survivor = MeshFixture.inProcessWorker(mesh.options(), "diag-survivor", 2, dir, null)) {
        JobResult r = s.result().get(60, TimeUnit.SECONDS);
        assertThat(r.worker()).isEqualTo("diag-survivor");
        // at least one redelivery; a loaded machine may delay the victim's heartbeat past the 2 s ack wait before
        // the kill, which redelivers once more (a third attempt, still within max_deliver)
        assertThat(r.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(client.result(s.jobId()).get(10, TimeUnit.SECONDS)).get().extracting(JobResult::worker).isEqualTo("diag-survivor");
      }
    }
  }

  @Test
  void sigtermDrainsRunningJobsBeforeExiting() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        MeshClient client = MeshClient.connect(mesh.options())) {
      Path yaml = MeshFixture.writeRegistry(dir);
      ChildWorker worker = ChildWorker.start(mesh.options(), "diag", "diag-drain", dir, "--namespaces", yaml.toString(), "--drain-timeout", "20s");
      JobSubmission s = client.submit(sleep(1500));
      awaitState(client, s.jobId(), JobState.RUNNING, "diag-drain");
      int exit = worker.terminate(30);
      assertThat(exit).as("JVM exit status after SIGTERM (143 = 128+15, a clean signal exit)").isIn(0, 143);
      JobResult r = s.result().get(10, TimeUnit.SECONDS);
      assertThat(r.worker()).isEqualTo("diag-drain");
      assertThat(r.attempts()).isEqualTo(1);
      assertThat(worker.isAlive()).isFalse();
    }
  }

  @Test
  void jobsQueuedAndRunningSurviveANatsServerRestart() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-restart", 4, dir, null);
        MeshClient client = MeshClient.connect(mesh.options())) {
      List<JobSubmission> subs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        subs.add(client.submit(sleep(100)));
      }
      Thread.sleep(300);
      mesh.server().stop();
      Thread.sleep(1500);
      mesh.server().startProcess();
      for (JobSubmission s : subs) {
        assertThat(s.result().get(90, TimeUnit.SECONDS).status()).isEqualTo(JobState.COMPLETED);
      }
      // and new work still flows through the reconnected client and worker
      assertThat(client.submit(sleep(1)).result().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
    }
  }

  @Test
  void resultIsStillThereForAClientThatDisconnectedAndReturned() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-r", 2, dir, null)) {
      MeshOptions opts = mesh.options().newBuilder().clientId("returning-client").build();
      String jobId;
      try (MeshClient first = MeshClient.connect(opts)) {
        jobId = first.submit(sleep(800)).jobId();
        Thread.sleep(100);
      } // gone before the result is published
      try (MeshClient again = MeshClient.connect(opts)) {
        // the job finishes while no client is connected (how long after depends on the load): poll for its result
        Optional<JobResult> r = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r.isEmpty() && System.nanoTime() < deadline) {
          r = again.result(jobId).get(10, TimeUnit.SECONDS);
          if (r.isEmpty()) {
            Thread.sleep(200);
          }
        }
        assertThat(r).get().extracting(JobResult::status).isEqualTo(JobState.COMPLETED);
        assertThat(again.await(jobId, null).get(10, TimeUnit.SECONDS).id()).isEqualTo(jobId);
      }
    }
  }

  @Test
  void waitingJobIsQueuedThenRunningThenCompleted() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        MeshClient client = MeshClient.connect(mesh.options())) {
      // long enough that a status poll sees it running even when status reads take a second on a loaded machine
      JobSubmission s = client.submit(sleep(4000));
      awaitState(client, s.jobId(), JobState.QUEUED, null);
      try (Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-late", 1, dir, null)) {
        awaitState(client, s.jobId(), JobState.RUNNING, "diag-late");
        assertThat(s.result().get(30, TimeUnit.SECONDS).succeeded()).isTrue();
        awaitState(client, s.jobId(), JobState.COMPLETED, "diag-late");
      }
    }
  }

  @Test
  void wrongTokenIsRefusedWithAClearError() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir)) {
      MeshOptions bad = mesh.options().newBuilder().token("wrong-token").build();
      assertThatThrownBy(() -> MeshClient.connect(bad))
          .isInstanceOf(MeshAuthenticationException.class)
          .hasMessageContaining("refused the credentials");
      WorkerSettings ws = WorkerSettings.builder(bad, bad.registry().require("diag")).scratchRoot(dir).cacheDir(dir).build();
      assertThatThrownBy(() -> Worker.start(ws, new DiagModule()))
          .isInstanceOf(WorkerStartException.class).hasMessageContaining("refused the credentials");
    }
  }

  @Test
  void unreachableServerGivesAClearError() throws Exception {
    int port = NatsServerProcess.freePort();
    MeshOptions nowhere = MeshOptions.builder().servers("nats://127.0.0.1:" + port).registry(MeshFixture.diagRegistry())
        .connectTimeout(Duration.ofSeconds(1)).build();
    assertThatThrownBy(() -> MeshClient.connect(nowhere))
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("cannot connect to NATS at nats://127.0.0.1:" + port);
    assertThatThrownBy(() -> MeshClient.connect(MeshOptions.builder().servers("http://x:1").build()))
        .isInstanceOf(MeshException.class).hasMessageContaining("bad NATS URL");
  }

  @Test
  void workerRefusesToStartOnAnUnprovisionedMesh() throws Exception {
    try (NatsServerProcess bare = NatsServerProcess.builder(dir.resolve("bare")).token("t").start()) {
      MeshOptions opts = MeshOptions.builder().servers(bare.url()).token("t").registry(MeshFixture.diagRegistry()).build();
      WorkerSettings ws = WorkerSettings.builder(opts, opts.registry().require("diag")).scratchRoot(dir).cacheDir(dir).build();
      assertThatThrownBy(() -> Worker.start(ws, new DiagModule()))
          .isInstanceOf(WorkerStartException.class)
          .hasMessageContaining("stream DIAGNOSTICS does not exist")
          .hasMessageContaining("jetmesh provision");
    }
  }

  static void awaitState(MeshClient client, String jobId, JobState state, String worker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Optional<JobStatus> s = client.status(jobId).get(5, TimeUnit.SECONDS);
      if (s.isPresent() && s.get().state() == state && (worker == null || worker.equals(s.get().worker()))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + jobId + " never reached " + state + " on " + worker + ": " + client.status(jobId).get());
  }
}
