package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.freePort;
import static io.jetmesh.infra.InfraFixtures.readEnvFile;
import static io.jetmesh.infra.InfraFixtures.setupOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.gateway.AuthConfig;
import io.jetmesh.gateway.Gateway;
import io.jetmesh.gateway.Scope;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.Connection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP gateway under the NATS user setup.sh generates for it (not the admin): it must start (its ownership
 * bucket is within that user's permissions), run jobs for its callers, stream their large outputs from the object
 * store, and keep its callers apart.
 */
class GatewayWithRoleCredentialsTest {
  @TempDir static Path prefix;
  static NatsServerProcess server;
  static String url;
  static Worker worker;
  static Gateway gateway;
  static final MeshRegistry REGISTRY = MeshRegistry.bundled();
  static final String ALICE = "alice-key-0000000000000001";
  static final String BOB = "bob-key-000000000000000002";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static MeshOptions as(String user) throws Exception {
    Map<String, String> env = readEnvFile(prefix.resolve("etc/jetmesh/credentials").resolve(user + ".env"));
    return MeshOptions.builder().servers(url).userPassword(env.get("NATS_USER"), env.get("NATS_PASSWORD"))
        .registry(REGISTRY).build();
  }

  @BeforeAll
  static void start() throws Exception {
    int port = freePort();
    int monitorPort = freePort();
    setupOk("--prefix", prefix.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
        "--monitor-port", String.valueOf(monitorPort), "--config-only", "--no-provision");
    server = NatsServerProcess.start(prefix.resolve("etc/jetmesh/nats-server.conf"), port, prefix.resolve("nats-server.log"));
    InfraFixtures.awaitHealthy(monitorPort, Duration.ofSeconds(10));
    url = "nats://127.0.0.1:" + port;
    try (Connection admin = Connections.connect(as("admin"), "provision", null)) {
      new Provisioner(admin, REGISTRY).provision();
    }
    worker = Worker.start(WorkerSettings.builder(as("worker-diag"), REGISTRY.require("diag")).workerId("diag-role")
        .concurrency(2).scratchRoot(prefix.resolve("scratch")).cacheDir(prefix.resolve("cache"))
        .s3(S3Settings.DEFAULTS).build(), new DiagModule());
    AuthConfig auth = AuthConfig.builder().apiKey(ALICE, "alice", Scope.DEFAULT, null).apiKey(BOB, "bob", Scope.DEFAULT, null).build();
    // the synchronous and docling-serve conversions routed to diag.echo: their bookkeeping is what needs the permissions
    gateway = Gateway.builder().diagnostics(true).meshOptions(as("gateway")).host("127.0.0.1").port(0).auth(auth)
        .syncSubjects("diag.echo", "diag.echo", "diag.echo").start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<String> get(String path, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).header("X-API-Key", key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callersRunJobsAndDownloadLargeOutputsAndCannotSeeEachOther() throws Exception {
    String boundary = "b0undary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"output_bytes\"\r\n\r\n300000\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nalice's text\r\n--" + boundary + "--\r\n";
    HttpResponse<String> sub = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/jobs/diag.echo"))
        .header("X-API-Key", ALICE).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(sub.statusCode()).as(sub.body()).isEqualTo(202);
    String id = Json.tree(sub.body()).path("job_id").asText();
    JsonNode result = null;
    for (int i = 0; i < 300 && result == null; i++) {
      HttpResponse<String> r = get("/v1/jobs/" + id + "/result", ALICE);
      if (r.statusCode() == 200) {
        result = Json.tree(r.body());
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(result).as("no result within 30 s").isNotNull();
    assertThat(result.path("output").path("padding").asText()).as("output streamed from the object store").hasSize(300_000);
    HttpResponse<String> dl = get(result.path("links").path("output").asText(), ALICE);
    assertThat(dl.statusCode()).isEqualTo(200);
    assertThat(Json.tree(dl.body()).path("padding").asText()).hasSize(300_000);
    assertThat(get("/v1/jobs/" + id, BOB).statusCode()).isEqualTo(404);
    assertThat(get(result.path("links").path("output").asText(), BOB).statusCode()).isEqualTo(404);
    assertThat(get("/v1/mesh", BOB).statusCode()).isEqualTo(200);
  }

  @Test
  void callersCannotCancelEachOthersJobs() throws Exception {
    HttpResponse<String> sub = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/jobs/diag.noop"))
        .header("X-API-Key", ALICE).header("Content-Type", "multipart/form-data; boundary=b")
        .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nx\r\n--b--\r\n"))
        .build(), HttpResponse.BodyHandlers.ofString());
    String id = Json.tree(sub.body()).path("job_id").asText();
    HttpResponse<String> cancel = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/jobs/" + id))
        .header("X-API-Key", BOB).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(404);
    assertThat(Set.of(200, 202)).contains(get("/v1/jobs/" + id + "/result", ALICE).statusCode());
  }

  /** docling-serve's task endpoints: the task record, its listing for /v1/clear/results and its removal. */
  @Test
  void doclingServeTasksLiveWithinTheGatewaysPermissions() throws Exception {
    HttpResponse<String> sub = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/convert/file/async"))
        .header("X-Api-Key", ALICE).header("Content-Type", "multipart/form-data; boundary=b")
        .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.md\"\r\n\r\n# A\r\n--b--\r\n"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(sub.statusCode()).as(sub.body()).isEqualTo(200);
    String task = Json.tree(sub.body()).path("task_id").asText();
    HttpResponse<String> poll = get("/v1/status/poll/" + task + "?wait=20", ALICE);
    assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);
    assertThat(Json.tree(poll.body()).path("task_status").asText()).isEqualTo("success");
    assertThat(get("/v1/result/" + task, ALICE).statusCode()).isEqualTo(200);
    assertThat(get("/v1/status/poll/" + task, BOB).statusCode()).isEqualTo(404);
    HttpResponse<String> clear = get("/v1/clear/results?older_then=0", ALICE);
    assertThat(clear.statusCode()).as(clear.body()).isEqualTo(200);
    assertThat(get("/v1/status/poll/" + task, ALICE).statusCode()).isEqualTo(404);
  }

  /**
   * Issue 13, High 6: diag.echo's output_bytes was unbounded and reachable by any submit key. A gateway without
   * --diagnostics refuses diag jobs of non-admin callers; one with it still cannot lift diag's bounds.
   */
  @Test
  void diagIsForOperatorsAndBoundedEvenWhenAllowed() throws Exception {
    String admin = "admin-key-0000000000000003";
    AuthConfig auth = AuthConfig.builder().apiKey(ALICE, "alice", Scope.DEFAULT, null)
        .apiKey(admin, "ops", java.util.EnumSet.allOf(Scope.class), null).build();
    try (Gateway plain = Gateway.builder().meshOptions(as("gateway")).host("127.0.0.1").port(0).auth(auth).start()) {
      HttpResponse<String> refused = postFile(plain, "/v1/jobs/diag.echo", ALICE, "output_bytes", "100000000");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
      assertThat(refused.body()).contains("diagnostics_off").contains("--diagnostics");
      assertThat(postFile(plain, "/v1/jobs/diag.noop", admin, "x", "y").statusCode()).isEqualTo(202);
    }
    HttpResponse<String> sub = postFile(gateway, "/v1/jobs/diag.echo", ALICE, "output_bytes", "2147483647");
    assertThat(sub.statusCode()).as(sub.body()).isEqualTo(202);
    String id = Json.tree(sub.body()).path("job_id").asText();
    JsonNode result = null;
    for (int i = 0; i < 300 && result == null; i++) {
      HttpResponse<String> r = get("/v1/jobs/" + id + "/result", ALICE);
      if (r.statusCode() == 200) {
        result = Json.tree(r.body());
      } else {
        Thread.sleep(100);
      }
    }
    assertThat(result).as("no result within 30 s").isNotNull();
    assertThat(result.path("status").asText()).isEqualTo("failed");
    assertThat(result.path("error").path("code").asText()).isEqualTo("TOO_LARGE");
  }

  static HttpResponse<String> postFile(Gateway g, String path, String key, String field, String value) throws Exception {
    String body = "--b\r\nContent-Disposition: form-data; name=\"" + field + "\"\r\n\r\n" + value
        + "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\nx\r\n--b--\r\n";
    return HTTP.send(HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).header("X-API-Key", key)
        .header("Content-Type", "multipart/form-data; boundary=b")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
