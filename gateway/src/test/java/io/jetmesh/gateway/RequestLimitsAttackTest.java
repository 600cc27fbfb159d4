package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.runtime.EmbeddedMesh;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A caller with an ordinary key tries to get more out of the gateway than its operator configured: workers reading
 * S3 buckets for it, time limits above the service's, event streams without end, free credential guessing, and a
 * 500 with Java internals for a malformed number. Real gateway, real nats-server, plain HTTP.
 */
class RequestLimitsAttackTest {
  static EmbeddedMesh mesh;
  static Gateway gateway;
  static Http http;
  static final String[] ALICE = {"X-API-Key", TestMesh.ALICE_KEY};

  @BeforeAll
  static void start() throws Exception {
    mesh = TestMesh.mesh();
    gateway = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start();
    http = new Http(gateway.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  // ------------------------------------------------------------------ confused deputy

  @Test
  void s3InputsAreRefusedUnlessTheirBucketIsAllowedForTheService() throws Exception {
    for (String uri : List.of("s3://payroll/2025/salaries.pdf", "s3://jetmesh-worker-secrets/key")) {
      Http.Response r = http.postJson("/v1/jobs/diag.echo", "{\"input\":\"" + uri + "\"}", ALICE);
      assertThat(r.status()).as(uri + ": " + r.body()).isEqualTo(403);
      assertThat(r.json().path("error").path("code").asText()).isEqualTo("input_not_allowed");
    }
    Http.Response admin = http.postJson("/v1/jobs/diag.echo", "{\"input\":\"s3://payroll/x\"}", "X-API-Key", TestMesh.ADMIN_KEY);
    assertThat(admin.status()).as("the allow-list binds admins too: " + admin.body()).isEqualTo(403);
  }

  @Test
  void anAllowedBucketIsAcceptedForItsServiceOnly() throws Exception {
    try (Gateway gw = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
        .s3Buckets("diag=inbox;pdf=reports").start()) {
      Http h = new Http(gw.baseUrl());
      Http.Response ok = h.postJson("/v1/jobs/diag.noop", "{\"input\":\"s3://inbox/a.pdf\"}", ALICE);
      assertThat(ok.status()).as(ok.body()).isEqualTo(202);
      Http.Response other = h.postJson("/v1/jobs/diag.noop", "{\"input\":\"s3://reports/a.pdf\"}", ALICE);
      assertThat(other.status()).as("a bucket of another service: " + other.body()).isEqualTo(403);
      assertThat(other.json().path("error").path("message").asText()).contains("allowed: inbox;");
    }
  }

  // ------------------------------------------------------------------ request parameters

  @Test
  void malformedOrHugeTimeoutsAre400WithoutInternals() throws Exception {
    String ref = "{\"input\":\"" + ownUpload() + "\",\"timeout_ms\":%s}";
    for (String v : List.of("9223372036854775807", "99999999999999999999", "1.5", "\"abc\"", "-5", "0")) {
      Http.Response r = http.postJson("/v1/jobs/diag.echo", ref.formatted(v), ALICE);
      assertThat(r.status()).as("timeout_ms " + v + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).contains("timeout_ms").doesNotContain("Exception").doesNotContain("java.");
    }
    for (String v : List.of("abc", "99999999999999999999", "9223372036854775807")) {
      Http.Response r = http.postFile("/v1/jobs/diag.echo", "a.bin", new byte[1], Map.of("timeout_ms", v), ALICE);
      assertThat(r.status()).as("multipart timeout_ms " + v + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("java.");
    }
  }

  /** diag's job_timeout is 1m: a caller may shorten it, never lengthen it. */
  @Test
  void aTimeoutAboveTheServicesJobTimeoutIsRefused() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.sleep", "a.bin", new byte[1], Map.of("ms", "10", "timeout_ms", "3600000"), ALICE);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").path("message").asText()).contains("60000", "job_timeout");
    Http.Response shorter = http.postFile("/v1/jobs/diag.sleep", "a.bin", new byte[1], Map.of("ms", "10", "timeout_ms", "30000"), ALICE);
    assertThat(shorter.status()).as(shorter.body()).isEqualTo(202);
  }

  @Test
  void aLongFormFieldIs400NamingTheFieldNotAnUploadOverTheLimit() throws Exception {
    // 300 KB: over the key's 256 KiB upload limit (which is what the old answer blamed), within the body's allowance
    Http.Response r = http.postFile("/v1/jobs/diag.echo", "a.bin", new byte[10], Map.of("notes", "x".repeat(300_000)),
        "X-API-Key", TestMesh.TINY_UPLOAD_KEY);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").path("message").asText()).contains("'notes'");
    Http.Response huge = http.postFile("/v1/jobs/diag.echo", "a.bin", new byte[10], Map.of("notes", "x".repeat(2 << 20)), ALICE);
    assertThat(huge.status()).as("2 MiB of form fields, well within alice's upload limit: " + huge.body()).isEqualTo(400);
    assertThat(huge.json().path("error").path("message").asText()).contains("form field");
  }

  // ------------------------------------------------------------------ event streams

  @Test
  void oneCallerCannotHoldMoreEventStreamsThanItsLimit() throws Exception {
    Http.Response sub = http.postFile("/v1/jobs/diag.sleep", "x.bin", new byte[1], Map.of("ms", "30000"), ALICE);
    String id = sub.json().path("job_id").asText();
    HttpClient client = HttpClient.newHttpClient();
    List<HttpResponse<Stream<String>>> open = new ArrayList<>();
    try {
      int limit = Limits.DEFAULT_MAX_STREAMS;
      for (int i = 0; i < limit; i++) {
        HttpResponse<Stream<String>> s = client.send(http.req("/v1/jobs/" + id + "/events", ALICE)
            .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(s.statusCode()).as("stream " + (i + 1)).isEqualTo(200);
        open.add(s);
      }
      Http.Response over = http.get("/v1/jobs/" + id + "/events", ALICE[0], ALICE[1], "Accept", "text/event-stream");
      assertThat(over.status()).as("stream " + (limit + 1) + ": " + over.body()).isEqualTo(429);
      assertThat(over.json().path("error").path("code").asText()).isEqualTo("too_many_streams");
      assertThat(http.get("/v1/whoami", ALICE).json().path("limits").path("open_streams").asInt()).isEqualTo(limit);
    } finally {
      open.forEach(s -> s.body().close());
      http.delete("/v1/jobs/" + id, ALICE);
    }
  }

  @Test
  void anEventStreamEndsAfterTheMaximumDurationDespiteTheKeepAlive() throws Exception {
    try (Gateway gw = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
        .maxStreamDuration(Duration.ofSeconds(2)).start()) {
      Http h = new Http(gw.baseUrl());
      String id = h.postFile("/v1/jobs/diag.sleep", "x.bin", new byte[1], Map.of("ms", "40000"), ALICE).json().path("job_id").asText();
      CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> {
        List<String> seen = new ArrayList<>();
        try {
          HttpResponse<Stream<String>> s = HttpClient.newHttpClient().send(h.req("/v1/jobs/" + id + "/events", ALICE)
              .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
          for (Iterator<String> it = s.body().iterator(); it.hasNext(); ) {
            seen.add(it.next());
          }
        } catch (Exception e) {
          seen.add("failed: " + e);
        }
        return seen;
      });
      List<String> seen = events.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(String.join("\n", seen)).contains("event: error", "stream_expired");
      assertThat(h.get("/v1/whoami", ALICE).json().path("limits").path("open_streams").asInt()).isZero();
      h.delete("/v1/jobs/" + id, ALICE);
    }
  }

  // ------------------------------------------------------------------ credential guessing

  /** With the shipped default (1 refused credential a second, 30 at once) on a gateway of its own. */
  @Test
  void guessingKeysIsThrottledPerAddressAndAGoodGuessIsNotRecognisedMeanwhile() throws Exception {
    try (Gateway gw = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start()) {
      Http h = new Http(gw.baseUrl());
      int refused = 0;
      Http.Response last = null;
      for (int i = 0; i < 200; i++) {
        last = h.get("/v1/whoami", "X-API-Key", "guess-" + i + "-0000000000000000");
        if (last.status() == 401) {
          refused++;
        } else {
          break;
        }
      }
      assertThat(refused).as("refused credentials before the throttle (burst 30, plus what refilled meanwhile)").isBetween(30, 60);
      assertThat(last.status()).isEqualTo(429);
      assertThat(last.json().path("error").path("code").asText()).isEqualTo("too_many_failed_logins");
      assertThat(last.header("Retry-After")).isNotNull();
      assertThat(h.get("/v1/whoami", ALICE).status()).as("even the right key, while throttled").isEqualTo(429);
      assertThat(h.get("/healthz").status()).as("public routes stay open").isEqualTo(200);
    }
  }

  // ------------------------------------------------------------------ spooling

  @Test
  void uploadsAreSpooledInAPrivateDirectoryOfEachGatewayProcess() throws Exception {
    Path root = Files.createTempDirectory("shared-tmp");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dir1;
    try (Gateway a = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
             .uploadDir(root).start();
         Gateway b = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
             .uploadDir(root).start()) {
      dir1 = a.uploadDirectory();
      assertThat(dir1.getParent()).isEqualTo(root);
      assertThat(b.uploadDirectory()).isNotEqualTo(dir1);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir1))).isEqualTo("rwx------");
      Http.Response r = new Http(a.baseUrl()).postFile("/v1/jobs/diag.noop", "a.bin", new byte[100_000], Map.of(), ALICE);
      assertThat(r.status()).as(r.body()).isEqualTo(202);
    }
    assertThat(dir1).as("removed when the gateway stops").doesNotExist();
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).as("nothing spooled into the shared directory itself").isEmpty();
    }
  }

  private static String ownUpload() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.noop", "own.bin", new byte[3], Map.of(), ALICE);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("input").asText();
  }
}
