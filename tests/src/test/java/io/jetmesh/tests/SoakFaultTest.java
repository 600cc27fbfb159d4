package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.Batch;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's process faults at CI size: 50 SIGKILLs of worker processes in the middle of a run of jobs, and 10,000
 * queued jobs drained by two memory-capped worker processes.
 */
class SoakFaultTest {
  static final String YAML = """
      version: 1
      mesh: { result_ttl: 1h, blob_ttl: 1h }
      namespaces:
        diag:
          stream: DIAGNOSTICS
          subject_prefix: diag
          worker_group: diag_workers
          operations: [noop, echo, sleep, fail]
          limits: { ack_wait: 2s, max_deliver: 30, backoff: [200ms], max_ack_pending: 20000, max_pending: 50000, job_timeout: 1m, max_age: 1h, duplicate_window: 1m }
      """;

  @TempDir Path dir;

  @Test
  void fiftyKilledWorkersLoseAndDuplicateNothing() throws Exception {
    MeshRegistry registry = MeshRegistry.parse(YAML.getBytes(StandardCharsets.UTF_8), "soak");
    Path yaml = Files.writeString(dir.resolve("soak.yaml"), YAML);
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).registry(registry).modules(List.of()).start();
        Worker steady = MeshFixture.inProcessWorker(mesh.options(), "diag-steady", 1, dir, null);
        MeshClient client = MeshClient.connect(mesh.options())) {
      Batch batch = client.batch(400);
      List<JobSubmission> subs = new ArrayList<>();
      Random rnd = new Random(50);
      for (int i = 0; i < 400; i++) {
        subs.add(batch.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null)
            .options("{\"ms\":" + (50 + rnd.nextInt(250)) + "}").build()));
      }
      int kills = 0;
      while (kills < 50) {
        ChildWorker a = ChildWorker.start(mesh.options(), "diag", "diag-k" + kills, dir, "--namespaces", yaml.toString(),
            "--concurrency", "4");
        Thread.sleep(300 + rnd.nextInt(500));
        a.kill();
        kills++;
      }
      Set<String> ids = new HashSet<>();
      int redelivered = 0;
      for (JobSubmission s : subs) {
        JobResult r = s.result().get(180, TimeUnit.SECONDS);
        assertThat(r.succeeded()).isTrue();
        assertThat(ids.add(r.id())).as("exactly one result per job").isTrue();
        if (r.attempts() > 1) {
          redelivered++;
        }
      }
      assertThat(ids).hasSize(400);
      System.out.printf("SoakFaultTest: 50 worker processes killed with SIGKILL; 400 jobs, %d of them redelivered, all answered once%n", redelivered);
      assertThat(redelivered).as("some jobs were running on killed workers").isPositive();
    }
  }

  @Test
  void tenThousandQueuedJobsAreDrainedByTwoMemoryCappedWorkers() throws Exception {
    MeshRegistry registry = MeshRegistry.parse(YAML.getBytes(StandardCharsets.UTF_8), "soak");
    Path yaml = Files.writeString(dir.resolve("soak.yaml"), YAML);
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).registry(registry).modules(List.of()).start();
        MeshClient client = MeshClient.connect(mesh.options())) {
      List<JobSubmission> subs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        subs.add(client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build()));
      }
      Runtime rt = Runtime.getRuntime();
      // Workers with a 64 MiB heap: holding more than concurrency + prefetch jobs would not fit.
      try (ChildWorker a = ChildWorker.start(mesh.options(), "diag", "diag-lag-a", dir, "--namespaces", yaml.toString(), "--concurrency", "16");
          ChildWorker b = ChildWorker.start(mesh.options(), "diag", "diag-lag-b", dir, "--namespaces", yaml.toString(), "--concurrency", "16")) {
        Set<String> ids = new HashSet<>();
        for (JobSubmission s : subs) {
          ids.add(s.result().get(300, TimeUnit.SECONDS).id());
        }
        assertThat(ids).hasSize(10_000);
        assertThat(a.isAlive()).isTrue();
        assertThat(b.isAlive()).isTrue();
        assertThat(a.output() + b.output()).doesNotContain("OutOfMemoryError");
      }
      System.gc();
      long usedMiB = (rt.totalMemory() - rt.freeMemory()) >> 20;
      System.out.printf("SoakFaultTest: 10,000 queued jobs drained by 2 workers (-Xmx64m each); client JVM heap after GC %d MiB%n", usedMiB);
    }
  }
}
