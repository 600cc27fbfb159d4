package io.jetmesh.tests;

import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Shared set-up: a diag-only registry with a short ack wait so that dead-worker redelivery takes seconds. */
final class MeshFixture {
  static final String DIAG_YAML = """
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

  private MeshFixture() {}

  static MeshRegistry diagRegistry() {
    return MeshRegistry.parse(DIAG_YAML.getBytes(StandardCharsets.UTF_8), "test diag registry");
  }

  static Path writeRegistry(Path dir) throws java.io.IOException {
    return Files.writeString(dir.resolve("namespaces.yaml"), DIAG_YAML);
  }

  /** A provisioned mesh with no workers (tests start their own). */
  static EmbeddedMesh serverOnly(Path dir) throws Exception {
    return EmbeddedMesh.builder().dir(dir.resolve("mesh")).registry(diagRegistry()).modules(List.of()).start();
  }

  static Worker inProcessWorker(MeshOptions options, String id, int concurrency, Path dir, S3Settings s3) throws Exception {
    return Worker.start(WorkerSettings.builder(options, options.registry().require("diag"))
        .workerId(id).concurrency(concurrency).scratchRoot(dir.resolve("scratch")).cacheDir(dir.resolve("cache"))
        .drainTimeout(Duration.ofSeconds(5)).s3(s3 != null ? s3 : S3Settings.DEFAULTS).build(), new DiagModule());
  }
}
