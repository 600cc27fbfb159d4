package io.jetmesh.gateway;

import static io.jetmesh.gateway.GatewayApiTest.awaitResult;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.runtime.EmbeddedMesh;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Callers of one gateway attack each other over HTTP: several API keys (alice and bob submit, a read-only key, an
 * admin) and a JWT whose subject is also "alice", against a real gateway on a real nats-server. A caller sees and
 * touches only its own jobs and blobs; an admin sees all; and ownership lives in the mesh, so a restarted or second
 * gateway enforces the same.
 */
class OwnershipAttackTest {
  static EmbeddedMesh mesh;
  static Gateway gateway;
  static Http http;
  static final String[] ALICE = {"X-API-Key", TestMesh.ALICE_KEY};
  static final String[] BOB = {"X-API-Key", TestMesh.BOB_KEY};
  static final String[] READER = {"X-API-Key", TestMesh.READ_KEY};
  static final String[] ADMIN = {"X-API-Key", TestMesh.ADMIN_KEY};
  /** A token whose subject has the same name as alice's key: a different caller all the same. */
  static String[] jwtAlice;

  @BeforeAll
  static void start() throws Exception {
    mesh = TestMesh.mesh();
    gateway = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start();
    http = new Http(gateway.baseUrl());
    jwtAlice = new String[] {"Authorization", "Bearer " + JWT.create().withSubject("alice")
        .withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(TestMesh.HS256_SECRET))};
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String submitSleep(Http h, int ms, String[] who) throws Exception {
    Http.Response r = h.postFile("/v1/jobs/diag.sleep", "x.bin", new byte[1], Map.of("ms", String.valueOf(ms)), who);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().path("job_id").asText();
  }

  private static void assertInvisible(Http h, String id, String[]... attackers) throws Exception {
    for (String[] who : attackers) {
      for (String path : List.of("/v1/jobs/" + id, "/v1/jobs/" + id + "/result")) {
        Http.Response r = h.get(path, who);
        assertThat(r.status()).as(who[1] + " GET " + path + ": " + r.body()).isEqualTo(404);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("job_not_found");
      }
      Http.Response ev = h.get("/v1/jobs/" + id + "/events", who[0], who[1], "Accept", "text/event-stream");
      assertThat(ev.status()).as(who[1] + " events").isEqualTo(404);
      Http.Response cancel = h.delete("/v1/jobs/" + id, who);
      // 403 for a read-only key (no submit scope at all), 404 for a submitter: never 202
      assertThat(cancel.status()).as(who[1] + " DELETE: " + cancel.body()).isIn(403, 404);
    }
  }

  @Test
  void anotherCallerCanNeitherSeeNorCancelAJob() throws Exception {
    String id = submitSleep(http, 1500, ALICE);
    assertInvisible(http, id, BOB, READER, jwtAlice);
    JsonNode result = awaitResult(http, id, ALICE);
    assertThat(result.path("status").asText()).as("bob's cancel must not have reached the job").isEqualTo("completed");
    assertThat(http.get("/v1/jobs/" + id, ALICE).json().path("state").asText()).isEqualTo("completed");
  }

  @Test
  void anAdminSeesAndCancelsAnyCallersJob() throws Exception {
    String id = submitSleep(http, 20_000, ALICE);
    assertThat(http.get("/v1/jobs/" + id, ADMIN).status()).isEqualTo(200);
    Http.Response cancel = http.delete("/v1/jobs/" + id, ADMIN);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    assertThat(awaitResult(http, id, ALICE).path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void meshViewAndDeadLettersListOnlyTheCallersOwnJobs() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.fail", "secret-report.bin", new byte[1],
        Map.of("throw_runtime", "true", "message", "alice's poison"), ALICE);
    String id = r.json().path("job_id").asText();
    String upload = r.json().path("input").asText();
    assertThat(awaitResult(http, id, ALICE).path("status").asText()).isEqualTo("dead");
    for (String[] who : List.of(BOB, READER, jwtAlice)) {
      String dlq = http.get("/v1/dlq?limit=500", who).body();
      assertThat(dlq).as(who[1] + " /v1/dlq").doesNotContain(id).doesNotContain(upload).doesNotContain("secret-report");
      Http.Response view = http.get("/v1/mesh", who);
      assertThat(view.status()).isEqualTo(200);
      assertThat(view.body()).as(who[1] + " /v1/mesh").doesNotContain(id).doesNotContain("alice's poison");
      assertThat(view.json().path("workers").size()).as("the mesh itself stays visible").isPositive();
    }
    assertThat(http.get("/v1/dlq?limit=500", ALICE).body()).contains(id, upload);
    assertThat(http.get("/v1/dlq?limit=500", ADMIN).body()).contains(id);
    assertThat(http.get("/v1/mesh", ADMIN).body()).contains(id);
  }

  @Test
  void anotherCallersUploadsAndOutputsCannotBeDownloaded() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.echo", "contract.bin", "alice's contract".getBytes(),
        Map.of("output_bytes", "300000"), ALICE);
    String id = r.json().path("job_id").asText();
    String upload = r.json().path("input").asText();
    JsonNode result = awaitResult(http, id, ALICE);
    String outputLink = result.path("links").path("output").asText();
    assertThat(outputLink).as(result.toString()).startsWith("/v1/blobs?");
    String outputUri = result.path("output_ref").path("uri").asText();
    List<String> links = List.of(outputLink, blobs(upload, null), blobs(upload, id), blobs(outputUri, null), blobs(outputUri, id));
    for (String link : links) {
      for (String[] who : List.of(READER, BOB, jwtAlice)) {
        Http.Response dl = http.get(link, who);
        assertThat(dl.status()).as(who[1] + " " + link + ": " + brief(dl.body())).isEqualTo(404);
        assertThat(dl.body()).doesNotContain("alice's contract");
      }
      assertThat(http.get(link, ALICE).status()).as("alice " + link).isEqualTo(200);
      assertThat(http.get(link, ADMIN).status()).as("admin " + link).isEqualTo(200);
    }
    assertThat(http.get(blobs(upload, null), ALICE).body()).isEqualTo("alice's contract");
  }

  @Test
  void anotherCallersBlobCannotBeNamedAsInput() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.echo", "contract.bin", "alice's contract".getBytes(),
        Map.of("output_bytes", "300000"), ALICE);
    String id = r.json().path("job_id").asText();
    String upload = r.json().path("input").asText();
    String outputUri = awaitResult(http, id, ALICE).path("output_ref").path("uri").asText();
    for (String uri : List.of(upload, outputUri)) {
      Http.Response steal = http.postJson("/v1/jobs/diag.echo", "{\"input\":\"" + uri + "\"}", BOB);
      assertThat(steal.status()).as("bob names " + uri + ": " + steal.body()).isEqualTo(403);
      assertThat(steal.json().path("error").path("code").asText()).isEqualTo("input_not_allowed");
      Http.Response own = http.postJson("/v1/jobs/diag.echo", "{\"input\":\"" + uri + "\"}", ALICE);
      assertThat(own.status()).as("alice reuses her own " + uri + ": " + own.body()).isEqualTo(202);
    }
  }

  /** Ownership is in the mesh: a gateway started later, or a second one beside it, enforces the same. */
  @Test
  void ownershipHoldsAcrossGatewayRestartsAndInstances() throws Exception {
    String id;
    try (Gateway first = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start()) {
      id = submitSleep(new Http(first.baseUrl()), 1500, ALICE);
    }
    try (Gateway restarted = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start()) {
      Http h = new Http(restarted.baseUrl());
      assertInvisible(h, id, BOB, READER);
      assertInvisible(http, id, BOB);
      assertThat(awaitResult(h, id, ALICE).path("status").asText()).isEqualTo("completed");
      assertThat(awaitResult(http, id, ALICE).path("status").asText()).isEqualTo("completed");
    }
  }

  private static String brief(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }

  private static String blobs(String uri, String job) {
    return "/v1/blobs?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8) + (job == null ? "" : "&job=" + job);
  }
}
