package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineAndHealthTest {
  @TempDir Path dir;

  @Test
  void pipelineRoutesEachStageOutputToTheNextServiceAndReportsEveryStage() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-p", 4, dir, null);
        MeshClient client = MeshClient.connect(mesh.options())) {
      List<ProgressEvent> events = new CopyOnWriteArrayList<>();
      JobResult r = client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null).options("{\"ms\":200}")
          .then("diag.echo", Json.objectOf("{\"tag\":\"second\"}")).then("diag.echo", null)
          .progressListener(events::add).build()).result().get(60, TimeUnit.SECONDS);
      assertThat(r.stages()).extracting(s -> s.subject()).containsExactly("diag.sleep", "diag.echo", "diag.echo");
      assertThat(r.subject()).isEqualTo("diag.sleep");
      // the last stage echoed the second stage's output, which echoed the first stage's JSON
      assertThat(r.output().path("size").asLong()).isGreaterThan(0);
      assertThat(r.stages().get(1).outputRef().uri()).contains("/pipelines/" + r.id() + "/stage1.json");
      assertThat(events).anyMatch(e -> "diag.sleep".equals(e.progress().stage()));
    }
  }

  @Test
  void failureInALaterStageReachesTheClientWithTheStageNamed() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-p", 4, dir, null);
        MeshClient client = MeshClient.connect(mesh.options())) {
      try {
        client.submit(JobRequest.builder("diag.echo").inline("x".getBytes(), null, null)
            .then("diag.fail", Json.objectOf("{\"code\":\"UNSUPPORTED\",\"message\":\"stage two says no\"}")).build())
            .result().get(60, TimeUnit.SECONDS);
        throw new AssertionError("pipeline succeeded");
      } catch (ExecutionException e) {
        JobFailedException f = (JobFailedException) e.getCause();
        assertThat(f.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(f.result().error().stage()).isEqualTo("diag.fail");
        assertThat(f.getMessage()).contains("in stage diag.fail");
      }
    }
  }

  @Test
  void workerServesHealthReadinessAndPrometheusMetrics() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir)) {
      int port = NatsServerProcess.freePort();
      try (Worker w = Worker.start(WorkerSettings.builder(mesh.options(), mesh.options().registry().require("diag"))
              .workerId("diag-http").httpPort(port).scratchRoot(dir).cacheDir(dir).s3(S3Settings.DEFAULTS).build(), new DiagModule());
          MeshClient client = MeshClient.connect(mesh.options())) {
        client.submit(JobRequest.builder("diag.noop").inline(new byte[0], null, null).build()).result().get(30, TimeUnit.SECONDS);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("diag-http");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("jetmesh_jobs_total{namespace=\"diag\",operation=\"noop\",outcome=\"completed\"}")
            .contains("jetmesh_job_duration_seconds_bucket").contains("jetmesh_jobs_in_flight");
        mesh.server().stop();
        Thread.sleep(500);
        HttpResponse<String> notReady = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(notReady.statusCode()).isEqualTo(503);
      }
    }
  }
}
