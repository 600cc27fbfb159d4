package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.Env;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.JobIds;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.Connection;
import io.nats.client.PublishOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevAndIdempotencyTest {
  @TempDir Path dir;

  @Test
  void redeliveredJobWhoseResultIsAlreadyStoredIsNotRunAgain() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir)) {
      int port = NatsServerProcess.freePort();
      try (Worker w = Worker.start(WorkerSettings.builder(mesh.options(), mesh.options().registry().require("diag"))
              .workerId("diag-idem").httpPort(port).scratchRoot(dir).cacheDir(dir).s3(S3Settings.DEFAULTS).build(), new DiagModule());
          MeshClient client = MeshClient.connect(mesh.options());
          Connection nc = io.jetmesh.client.Connections.connect(mesh.options(), "t", null)) {
        String id = JobIds.newId();
        // The first delivery fails retryably; before the retry, a result for the job appears (as if an earlier
        // attempt had stored it and died before acking). The retry must find it and not run the job again.
        JobSubmission s = client.submit(JobRequest.builder("diag.fail").jobId(id).inline(new byte[0], null, null)
            .options("{\"code\":\"UNAVAILABLE\",\"succeed_on_attempt\":2}").build());
        JobResult stored = JobResult.completed(id, "diag.fail").output(Json.objectOf("{\"from\":\"earlier attempt\"}"))
            .worker("diag-gone").attempts(1).submittedAt(Instant.now()).startedAt(Instant.now()).finishedAt(Instant.now())
            .build();
        Thread.sleep(50);
        nc.jetStream().publish(Subjects.result(client.options().clientId(), id), Json.toBytes(stored),
            PublishOptions.builder().messageId("test-" + id).build());
        assertThat(s.result().get(30, TimeUnit.SECONDS).output().path("from").asText()).isEqualTo("earlier attempt");
        String metrics = "";
        for (int i = 0; i < 50 && !metrics.contains("skipped_duplicate"); i++) {
          Thread.sleep(100);
          metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body();
        }
        assertThat(metrics).contains("jetmesh_jobs_total{namespace=\"diag\",operation=\"fail\",outcome=\"skipped_duplicate\"} 1.0");
        assertThat(client.result(id).get(10, TimeUnit.SECONDS)).get().extracting(JobResult::worker).isEqualTo("diag-gone");
      }
    }
  }

  @Test
  void devKeepsAnEmbeddedMeshUpForOtherClients() throws Exception {
    Path env = dir.resolve("dev.env");
    Path yaml = MeshFixture.writeRegistry(dir);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), "io.jetmesh.cli.JetmeshCli", "dev", "--env-file", env.toString(),
        "--namespaces", yaml.toString(), "--gateway-port", "-1"));
    Process dev = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("dev.log").toFile()).start();
    try {
      for (int i = 0; i < 600 && !Files.exists(env); i++) {
        Thread.sleep(100);
      }
      assertThat(env).as(Files.exists(dir.resolve("dev.log")) ? Files.readString(dir.resolve("dev.log")) : "no log").exists();
      Map<String, String> vars = Env.parseDotEnv(env);
      MeshOptions options = MeshOptions.builder().applyEnvironment(vars).registry(MeshFixture.diagRegistry()).build();
      try (MeshClient client = MeshClient.connect(options)) {
        JobResult r = client.submit(JobRequest.builder("diag.echo").inline("dev".getBytes(), null, null).build())
            .result().get(60, TimeUnit.SECONDS);
        assertThat(r.output().path("size").asInt()).isEqualTo(3);
      }
      assertThat(Files.readString(dir.resolve("dev.log"))).contains("export NATS_URL=").contains("diag-embedded");
    } finally {
      dev.destroy();
      dev.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
