package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.DeadLetter;
import io.jetmesh.protocol.Json;
import io.jetmesh.runtime.EmbeddedMesh;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every route of the gateway over HTTP, against a real mesh (nats-server + the diag worker). */
class GatewayApiTest {
  static EmbeddedMesh mesh;
  static Gateway gateway;
  /** /v1/convert and /extract-* routed to diag.echo / diag.fail, to test the synchronous paths without a PDF worker. */
  static Gateway diagSync;
  static Http http;
  static Http httpDiag;
  static final String[] SUBMIT = {"X-API-Key", TestMesh.SUBMIT_KEY};

  @BeforeAll
  static void start() throws Exception {
    mesh = TestMesh.mesh();
    gateway = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
        .syncWait(Duration.ofSeconds(20)).start();
    diagSync = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).clientId("gateway-diag").host("127.0.0.1").port(0)
        .auth(TestMesh.auth()).syncSubjects("diag.echo", "diag.echo", "diag.fail").syncWait(Duration.ofSeconds(20)).start();
    http = new Http(gateway.baseUrl());
    httpDiag = new Http(diagSync.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (diagSync != null) {
      diagSync.close();
    }
  }

  static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static JsonNode awaitResult(Http h, String jobId, String... headers) throws Exception {
    return awaitResultWithin(h, jobId, 30, headers);
  }

  static JsonNode awaitResultWithin(Http h, String jobId, int seconds, String... headers) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (System.nanoTime() < end) {
      Http.Response r = h.get("/v1/jobs/" + jobId + "/result", headers);
      if (r.status() == 200) {
        return r.json();
      }
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      Thread.sleep(100);
    }
    throw new AssertionError("no result for " + jobId);
  }

  // ------------------------------------------------------------------ jobs

  @Test
  void uploadedFileIsProcessedAndTheResultCarriesItsDigest() throws Exception {
    byte[] data = randomBytes(700_000, 1);
    Http.Response r = http.postFile("/v1/jobs/diag.echo", "sample.bin", data, Map.of("options", "{\"k\":7}"), SUBMIT);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode body = r.json();
    String id = body.path("job_id").asText();
    assertThat(body.path("links").path("events").asText()).isEqualTo("/v1/jobs/" + id + "/events");
    assertThat(body.path("input").asText()).startsWith("nats-object://jetmesh-blobs/").endsWith("/sample.bin");
    assertThat(r.header("Location")).isEqualTo("/v1/jobs/" + id);
    JsonNode result = awaitResult(http, id, SUBMIT);
    assertThat(result.path("status").asText()).isEqualTo("completed");
    assertThat(result.path("output").path("size").asLong()).isEqualTo(data.length);
    assertThat(result.path("output").path("sha256").asText()).isEqualTo(sha256(data));
    assertThat(result.path("output").path("options").path("k").asInt()).isEqualTo(7);
    Http.Response st = http.get("/v1/jobs/" + id, SUBMIT);
    assertThat(st.status()).isEqualTo(200);
    assertThat(st.json().path("state").asText()).isEqualTo("completed");
  }

  @Test
  void jsonSubmissionTakesAnObjectStoreReferenceOfTheCallersOwnOrAnyForAnAdmin() throws Exception {
    Http.Response first = http.postFile("/v1/jobs/diag.echo", "hello.txt", "hello".getBytes(), Map.of(), SUBMIT);
    String own = first.json().path("input").asText();
    awaitResult(http, first.json().path("job_id").asText(), SUBMIT);
    Http.Response r = http.postJson("/v1/jobs/diag.echo", "{\"input\":\"" + own + "\",\"options\":{\"x\":1},\"timeout_ms\":20000}", SUBMIT);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonNode result = awaitResult(http, r.json().path("job_id").asText(), SUBMIT);
    assertThat(result.path("output").path("sha256").asText())
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    // a blob another mesh client stored: only an admin may name it
    Path f = Files.createTempFile("gw", ".txt");
    Files.writeString(f, "hello");
    String uri;
    try (MeshClient c = MeshClient.connect(mesh.options())) {
      uri = c.upload(f).get();
    }
    String body = "{\"input\":\"" + uri + "\"}";
    assertThat(http.postJson("/v1/jobs/diag.echo", body, SUBMIT).status()).isEqualTo(403);
    Http.Response admin = http.postJson("/v1/jobs/diag.echo", body, "X-API-Key", TestMesh.ADMIN_KEY);
    assertThat(admin.status()).as(admin.body()).isEqualTo(202);
  }

  @Test
  void resultIs202WhileTheJobRunsThenCancelEndsIt() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.sleep", "x.bin", new byte[1], Map.of("ms", "20000"), SUBMIT);
    String id = r.json().path("job_id").asText();
    Http.Response running = http.get("/v1/jobs/" + id + "/result", SUBMIT);
    assertThat(running.status()).isEqualTo(202);
    assertThat(running.header("Retry-After")).isEqualTo("1");
    assertThat(running.json().path("state").asText()).isIn("queued", "running");
    Thread.sleep(300);
    Http.Response cancel = http.delete("/v1/jobs/" + id, SUBMIT);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    JsonNode result = awaitResult(http, id, SUBMIT);
    assertThat(result.path("status").asText()).isEqualTo("cancelled");
    assertThat(result.path("error").path("code").asText()).isEqualTo("CANCELLED");
    assertThat(http.delete("/v1/jobs/" + id, SUBMIT).status()).isEqualTo(409);
  }

  @Test
  void unknownJobIs404OnEveryJobRoute() throws Exception {
    for (String path : List.of("/v1/jobs/nope123", "/v1/jobs/nope123/result", "/v1/jobs/nope123/events")) {
      Http.Response r = http.get(path, "X-API-Key", TestMesh.SUBMIT_KEY, "Accept", "text/event-stream");
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.json().path("error").path("code").asText()).isEqualTo("job_not_found");
    }
    assertThat(http.delete("/v1/jobs/nope123", SUBMIT).status()).isEqualTo(404);
  }

  @Test
  void eventStreamDeliversProgressAndTheFinalResult() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.sleep", "x.bin", new byte[1], Map.of("ms", "1500"), SUBMIT);
    String id = r.json().path("job_id").asText();
    HttpResponse<Stream<String>> sse = java.net.http.HttpClient.newHttpClient().send(
        http.req("/v1/jobs/" + id + "/events", SUBMIT).header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(http.get("/v1/jobs/" + id + "/events", SUBMIT).status()).isEqualTo(406);
    assertThat(sse.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    List<String> events = new ArrayList<>();
    JsonNode last = null;
    JsonNode finalResult = null;
    String event = null;
    Iterator<String> lines = sse.body().iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
        events.add(event);
      } else if (line.startsWith("data:") && event != null) {
        JsonNode data = Json.tree(line.substring(5).trim());
        if (event.equals("progress")) {
          last = data;
        } else if (event.equals("result")) {
          finalResult = data;
          break;
        }
      }
    }
    assertThat(events.get(0)).isEqualTo("status");
    assertThat(events).contains("progress");
    assertThat(last.path("unit").asText()).isEqualTo("ms");
    assertThat(last.path("total").asLong()).isEqualTo(1500);
    assertThat(finalResult.path("status").asText()).isEqualTo("completed");
    assertThat(finalResult.path("links").path("result").asText()).isEqualTo("/v1/jobs/" + id + "/result");
  }

  /** Gateways share no state but the client id: a job accepted by one streams its progress from another. */
  @Test
  void secondGatewayStreamsTheProgressOfAJobTheFirstAccepted() throws Exception {
    try (Gateway other = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start()) {
      Http.Response r = http.postFile("/v1/jobs/diag.sleep", "x.bin", new byte[1], Map.of("ms", "1500"), SUBMIT);
      String id = r.json().path("job_id").asText();
      HttpResponse<Stream<String>> sse = java.net.http.HttpClient.newHttpClient().send(
          new Http(other.baseUrl()).req("/v1/jobs/" + id + "/events", SUBMIT).header("Accept", "text/event-stream").GET().build(),
          HttpResponse.BodyHandlers.ofLines());
      List<String> events = new ArrayList<>();
      String resultData = null;
      Iterator<String> lines = sse.body().iterator();
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("event:")) {
          events.add(line.substring(6).trim());
        } else if (line.startsWith("data:") && !events.isEmpty() && events.get(events.size() - 1).equals("result")) {
          resultData = line.substring(5).trim();
          break;
        }
      }
      assertThat(events).contains("progress");
      assertThat(Json.tree(resultData).path("status").asText()).isEqualTo("completed");
      assertThat(new Http(other.baseUrl()).get("/v1/jobs/" + id + "/result", SUBMIT).json().path("output").path("slept_ms").asInt())
          .isEqualTo(1500);
    }
  }

  @Test
  void largeOutputStoredByReferenceIsStreamedThroughAndDownloadable() throws Exception {
    int bytes = 400_000; // above max_result_inline (256KiB): the worker stores the output in the object store
    Http.Response r = http.postFile("/v1/jobs/diag.echo", "x.bin", new byte[10], Map.of("output_bytes", String.valueOf(bytes)), SUBMIT);
    JsonNode result = awaitResult(http, r.json().path("job_id").asText(), SUBMIT);
    assertThat(result.path("output_ref").path("uri").asText()).startsWith("nats-object://");
    assertThat(result.path("output").path("padding").asText()).hasSize(bytes);
    Http.Response dl = http.get(result.path("links").path("output").asText(), SUBMIT);
    assertThat(dl.status()).isEqualTo(200);
    assertThat(dl.header("Content-Disposition")).contains("attachment");
    assertThat(Json.tree(dl.body()).path("padding").asText()).hasSize(bytes);
    assertThat(http.get("/v1/blobs?uri=nats-object%3A%2F%2Fother-bucket%2Fx", SUBMIT).status()).isEqualTo(403);
    assertThat(http.get("/v1/blobs?uri=nats-object%3A%2F%2Fjetmesh-blobs%2Fmissing", SUBMIT).status()).isEqualTo(404);
  }

  // ------------------------------------------------------------------ bad requests

  @Test
  void unknownSubjectIs404WithTheKnownSubjects() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/pdf.docling.nosuch", "a.pdf", new byte[10], Map.of(), SUBMIT);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("unknown_subject");
    assertThat(r.json().path("error").path("known_subjects").toString()).contains("pdf.docling.convert", "diag.echo");
    assertThat(http.postJson("/v1/jobs/nosuch.op", "{}", SUBMIT).status()).isEqualTo(404);
  }

  @Test
  void malformedJsonIs400() throws Exception {
    Http.Response r = http.postJson("/v1/jobs/diag.echo", "{\"input\": ", SUBMIT);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("bad_request");
    assertThat(r.json().path("error").path("message").asText()).contains("malformed JSON");
    assertThat(http.postJson("/v1/jobs/diag.echo", "{\"input\":\"http://x/y\"}", SUBMIT).status()).isEqualTo(400);
    assertThat(http.postJson("/v1/jobs/diag.echo", "[1,2]", SUBMIT).status()).isEqualTo(400);
  }

  @Test
  void oversizedJsonBodyIs413() throws Exception {
    String huge = "{\"input\":\"nats-object://jetmesh-blobs/x\",\"options\":{\"pad\":\"" + "x".repeat(2 << 20) + "\"}}";
    Http.Response r = http.postJson("/v1/jobs/diag.echo", huge, SUBMIT);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("payload_too_large");
  }

  /** A client that stalls mid-upload is cut off after the idle timeout instead of holding a thread forever. */
  @Test
  void stalledUploadIsClosedAfterTheIdleTimeout() throws Exception {
    try (Gateway quick = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).clientId("gateway-idle").host("127.0.0.1").port(0)
        .auth(TestMesh.auth()).idleTimeout(Duration.ofMillis(800)).start();
         Socket s = new Socket("127.0.0.1", quick.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /v1/jobs/diag.echo HTTP/1.1\r\nHost: x\r\nX-API-Key: " + TestMesh.SUBMIT_KEY
          + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      long t0 = System.nanoTime();
      byte[] answer = s.getInputStream().readAllBytes(); // returns when the gateway closes the connection
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(ms).isLessThan(8_000);
      String text = new String(answer, StandardCharsets.US_ASCII);
      assertThat(text.isEmpty() || text.startsWith("HTTP/1.1 4") || text.startsWith("HTTP/1.1 5")).as(text).isTrue();
    }
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    Http.Response r = http.post("/v1/jobs/diag.echo", "text/plain", "hello".getBytes(), SUBMIT);
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("unsupported_media_type");
    assertThat(http.postJson("/extract-text", "{\"input\":\"nats-object://jetmesh-blobs/x\"}", SUBMIT).status()).isEqualTo(415);
  }

  @Test
  void oversizedUploadWithDeclaredLengthIs413() throws Exception {
    // A raw socket, not an HTTP client: the gateway answers from the declared length and closes the connection
    // while the body is still on its way, and an HTTP client that is still sending then often reports a reset
    // instead of the answer (seen under load). Here the body is sent by another thread and the answer read as such.
    int length = 1 << 20;
    String boundary = "b0undary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/jobs/diag.echo HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + TestMesh.TINY_UPLOAD_KEY
          + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
          + (head.length + length + tail.length) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread writer = new Thread(() -> {
        try {
          out.write(head);
          out.write(new byte[length]);
          out.write(tail);
          out.flush();
        } catch (Exception e) {
          // the gateway refused the upload and closed the connection: expected
        }
      });
      writer.start();
      String response = readResponse(s.getInputStream());
      writer.join(30_000);
      assertThat(response).startsWith("HTTP/1.1 413");
      JsonNode body = Json.mapper().readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(body.path("error").path("code").asText()).isEqualTo("payload_too_large");
      assertThat(body.path("error").path("limit_bytes").asLong()).isEqualTo(256 * 1024);
    }
  }

  /** The status line, headers and a Content-Length body of one HTTP/1.1 response. */
  private static String readResponse(InputStream in) throws Exception {
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      headers.append((char) b);
    }
    int contentLength = 0;
    for (String line : headers.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        contentLength = Integer.parseInt(line.substring(15).trim());
      }
    }
    return headers + new String(in.readNBytes(contentLength), StandardCharsets.UTF_8);
  }

  /**
   * A chunked upload (no declared length) far larger than the caller's limit is refused while it streams: the
   * gateway answers 413 long before the client could send it all, so it never buffered the body.
   */
  @Test
  void oversizedStreamedUploadIsRefusedWhileItArrives() throws Exception {
    long total = 200L << 20;
    AtomicLong sent = new AtomicLong();
    String boundary = "b0undary";
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("POST /v1/jobs/diag.echo HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + TestMesh.TINY_UPLOAD_KEY
          + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      Thread writer = new Thread(() -> {
        try {
          byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.bin\"\r\n\r\n").getBytes();
          writeChunk(out, head);
          byte[] chunk = new byte[64 * 1024];
          while (sent.get() < total) {
            writeChunk(out, chunk);
            sent.addAndGet(chunk.length);
          }
        } catch (Exception e) {
          // the gateway closed the connection after refusing the upload: expected
        }
      });
      writer.start();
      String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(statusLine).isEqualTo("HTTP/1.1 413");
      writer.join(30_000);
    }
    assertThat(sent.get()).as("bytes the client got to send").isLessThan(total / 4);
  }

  private static void writeChunk(OutputStream out, byte[] data) throws Exception {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  // ------------------------------------------------------------------ auth and limits

  @Test
  void missingOrWrongCredentialsAre401() throws Exception {
    Http.Response none = http.get("/v1/services");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().path("error").path("code").asText()).isEqualTo("missing_credentials");
    assertThat(none.header("WWW-Authenticate")).contains("Bearer");
    Http.Response wrong = http.get("/v1/services", "X-API-Key", "not-a-key-0000000000000");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().path("error").path("code").asText()).isEqualTo("invalid_api_key");
    assertThat(http.get("/v1/services", "Authorization", "Basic dXNlcjpwYXNz").status()).isEqualTo(401);
    assertThat(http.get("/v1/services", "Authorization", "Bearer " + TestMesh.READ_KEY).status()).isEqualTo(200);
  }

  @Test
  void readOnlyKeyCannotSubmitAndOnlyAdminsReplay() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.echo", "a.bin", new byte[1], Map.of(), "X-API-Key", TestMesh.READ_KEY);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().path("error").path("message").asText()).contains("submit");
    assertThat(http.post("/v1/dlq/abc/replay", "application/json", new byte[0], SUBMIT).status()).isEqualTo(403);
    assertThat(http.post("/v1/dlq/abc/replay", "application/json", new byte[0], "X-API-Key", TestMesh.ADMIN_KEY).status()).isEqualTo(404);
  }

  @Test
  void hs256AndRs256TokensAreAcceptedAndScopesApply() throws Exception {
    String hs = JWT.create().withSubject("alice").withExpiresAt(Instant.now().plusSeconds(300))
        .sign(Algorithm.HMAC256(TestMesh.HS256_SECRET));
    Http.Response me = http.get("/v1/whoami", "Authorization", "Bearer " + hs);
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.json().path("id").asText()).isEqualTo("jwt:alice");
    assertThat(me.json().path("scopes").toString()).contains("read", "submit").doesNotContain("admin");
    String rs = JWT.create().withSubject("bob").withClaim("scope", "jetmesh:read").withExpiresAt(Instant.now().plusSeconds(300))
        .sign(Algorithm.RSA256(null, TestMesh.rsaPrivate()));
    Http.Response bob = http.get("/v1/whoami", "Authorization", "Bearer " + rs);
    assertThat(bob.status()).isEqualTo(200);
    assertThat(bob.json().path("id").asText()).isEqualTo("jwt:bob");
    assertThat(http.postFile("/v1/jobs/diag.noop", "a", new byte[1], Map.of(), "Authorization", "Bearer " + rs).status()).isEqualTo(403);
    Http.Response submitted = http.postFile("/v1/jobs/diag.noop", "a", new byte[1], Map.of(), "Authorization", "Bearer " + hs);
    assertThat(submitted.status()).isEqualTo(202);
  }

  @Test
  void expiredForgedOrAlienTokensAre401() throws Exception {
    String expired = JWT.create().withSubject("alice").withExpiresAt(Instant.now().minusSeconds(3600))
        .sign(Algorithm.HMAC256(TestMesh.HS256_SECRET));
    Http.Response r = http.get("/v1/whoami", "Authorization", "Bearer " + expired);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("token_expired");
    String forged = JWT.create().withSubject("mallory").sign(Algorithm.HMAC256("another-secret-of-at-least-32-bytes!!"));
    Http.Response f = http.get("/v1/whoami", "Authorization", "Bearer " + forged);
    assertThat(f.status()).isEqualTo(401);
    assertThat(f.json().path("error").path("message").asText()).contains("signature");
    String hs512 = JWT.create().withSubject("x").sign(Algorithm.HMAC512(TestMesh.HS256_SECRET));
    assertThat(http.get("/v1/whoami", "Authorization", "Bearer " + hs512).json().path("error").path("message").asText())
        .contains("HS512");
    assertThat(http.get("/v1/whoami", "Authorization", "Bearer a.b.c").status()).isEqualTo(401);
  }

  @Test
  void requestRateAboveTheKeysBucketIs429WithRetryAfter() throws Exception {
    String[] slow = {"X-API-Key", TestMesh.SLOW_KEY};
    assertThat(http.get("/v1/whoami", slow).status()).isEqualTo(200);
    assertThat(http.get("/v1/whoami", slow).status()).isEqualTo(200);
    Http.Response r = http.get("/v1/whoami", slow);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 3);
  }

  @Test
  void concurrentJobsAboveTheKeysLimitAre429() throws Exception {
    String[] one = {"X-API-Key", TestMesh.ONE_JOB_KEY};
    Http.Response first = http.postFile("/v1/jobs/diag.sleep", "a", new byte[1], Map.of("ms", "3000"), one);
    assertThat(first.status()).isEqualTo(202);
    Http.Response second = http.postFile("/v1/jobs/diag.noop", "a", new byte[1], Map.of(), one);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().path("error").path("code").asText()).isEqualTo("too_many_jobs");
    assertThat(second.header("Retry-After")).isNotNull();
    awaitResult(http, first.json().path("job_id").asText(), one);
    Thread.sleep(200);
    assertThat(http.postFile("/v1/jobs/diag.noop", "a", new byte[1], Map.of(), one).status()).isEqualTo(202);
  }

  @Test
  void backedUpServiceGets503WithRetryAfter() throws Exception {
    try (Gateway strict = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).clientId("gateway-strict").host("127.0.0.1").port(0)
        .auth(TestMesh.auth()).maxQueueDepth(0).start()) {
      Http h = new Http(strict.baseUrl());
      // No audio worker runs: the job stays queued, so the service's backlog becomes 1 > 0.
      String body = "{\"input\":\"nats-object://jetmesh-blobs/none\"}"; // an admin may name any blob
      String[] admin = {"X-API-Key", TestMesh.ADMIN_KEY};
      assertThat(h.postJson("/v1/jobs/audio.transcribe.transcribe", body, admin).status()).isEqualTo(202);
      Thread.sleep(1100); // the backlog reading is cached for a second
      Http.Response r = h.postJson("/v1/jobs/audio.transcribe.transcribe", body, admin);
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.json().path("error").path("code").asText()).isEqualTo("mesh_backed_up");
      assertThat(r.header("Retry-After")).isEqualTo("10");
    }
  }

  @Test
  void authCanOnlyBeSwitchedOffExplicitly() {
    assertThatThrownBy(() -> Gateway.builder().diagnostics(true).meshOptions(mesh.options()).port(0).start())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("AuthConfig.disabled()");
    assertThatThrownBy(() -> AuthConfig.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("--no-auth");
  }

  // ------------------------------------------------------------------ synchronous conveniences

  @Test
  void convertWaitsForTheResultAndAnswersDoclingStyle() throws Exception {
    Http.Response r = httpDiag.postFile("/v1/convert", "doc.pdf", "%PDF-1.4 fake".getBytes(), Map.of("to_formats", "md,json"), SUBMIT);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(b.path("status").asText()).isEqualTo("success");
    assertThat(b.path("document").path("filename").asText()).isEqualTo("doc.pdf");
    assertThat(b.path("output").path("options").path("to_formats").toString()).isEqualTo("[\"md\",\"json\"]");
    assertThat(b.path("job_id").asText()).isNotBlank();
  }

  @Test
  void convertAnswers202WithTheJobLinkWhenNotDoneInTime() throws Exception {
    // The default gateway routes /v1/convert to pdf.docling.convert; no PDF worker runs in this test mesh.
    Http.Response r = http.postFile("/v1/convert", "doc.pdf", "%PDF-1.4".getBytes(), Map.of("wait_s", "0"), SUBMIT);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String id = r.json().path("job_id").asText();
    assertThat(r.json().path("links").path("result").asText()).isEqualTo("/v1/jobs/" + id + "/result");
    assertThat(http.get("/v1/jobs/" + id, SUBMIT).json().path("subject").asText()).isEqualTo("pdf.docling.convert");
    http.delete("/v1/jobs/" + id, SUBMIT);
  }

  @Test
  void extractTextAnswersTheOutputAndExtractTablesMapsJobFailures() throws Exception {
    Http.Response text = httpDiag.postFile("/extract-text", "a.pdf", "abc".getBytes(), Map.of(), SUBMIT);
    assertThat(text.status()).as(text.body()).isEqualTo(200);
    assertThat(text.json().path("size").asInt()).isEqualTo(3);
    assertThat(text.json().path("filename").asText()).isEqualTo("a.pdf");
    Http.Response failed = httpDiag.postFile("/extract-tables", "a.pdf", "abc".getBytes(),
        Map.of("code", "INVALID_INPUT", "message", "not a PDF"), SUBMIT);
    assertThat(failed.status()).isEqualTo(422);
    assertThat(failed.json().path("error").path("code").asText()).isEqualTo("INVALID_INPUT");
    assertThat(failed.json().path("error").path("message").asText()).isEqualTo("not a PDF");
  }

  // ------------------------------------------------------------------ mesh, dead letters, health

  @Test
  void meshViewListsTheRunningWorkersAndServiceQueues() throws Exception {
    Http.Response r = http.get("/v1/mesh", "X-API-Key", TestMesh.READ_KEY);
    assertThat(r.status()).isEqualTo(200);
    JsonNode w = null;
    for (JsonNode n : r.json().path("workers")) {
      if ("diag".equals(n.path("namespace").asText())) {
        w = n;
      }
    }
    assertThat(w).as(r.body()).isNotNull();
    assertThat(w.path("worker_id").asText()).isEqualTo("diag-embedded");
    assertThat(w.path("operations").toString()).contains("echo", "sleep");
    assertThat(w.has("in_flight")).isTrue();
    JsonNode diag = null;
    for (JsonNode s : r.json().path("services")) {
      if ("diag".equals(s.path("namespace").asText())) {
        diag = s;
      }
    }
    assertThat(diag.has("queued")).isTrue();
    assertThat(r.json().path("dead_letters").has("count")).isTrue();
  }

  @Test
  void deadJobIsListedAndReplayedByAnAdminWithItsReplayCounterIncremented() throws Exception {
    Http.Response r = http.postFile("/v1/jobs/diag.fail", "a", new byte[1], Map.of("throw_runtime", "true", "message", "poison"), SUBMIT);
    String id = r.json().path("job_id").asText();
    JsonNode result = awaitResult(http, id, SUBMIT);
    assertThat(result.path("status").asText()).isEqualTo("dead");
    Http.Response list = http.get("/v1/dlq?limit=100", SUBMIT);
    assertThat(list.body()).contains(id);
    Http.Response replay = http.post("/v1/dlq/" + id + "/replay", "application/json", new byte[0], "X-API-Key", TestMesh.ADMIN_KEY);
    assertThat(replay.status()).as(replay.body()).isEqualTo(202);
    assertThat(replay.json().path("replay").asInt()).isEqualTo(1);
    assertThat(replay.json().path("job_id").asText()).isEqualTo(id);
    assertThat(http.get("/v1/dlq?limit=500", SUBMIT).body()).as("the replayed dead letter is removed").doesNotContain(id);
    // The replayed job is the same poison: it dies again, and its new dead letter carries replay = 1.
    DeadLetterReplayer reader;
    try (var nc = io.jetmesh.client.Connections.connect(mesh.options(), "t", null)) {
      reader = new DeadLetterReplayer(nc, mesh.options().registry());
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      DeadLetter dl = null;
      while (System.nanoTime() < end) {
        dl = reader.find(id).orElse(null);
        if (dl != null && dl.envelope().replayCount() == 1) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(dl.envelope().replayCount()).isEqualTo(1);
      assertThat(dl.envelope().id()).isEqualTo(id);
    }
  }

  @Test
  void healthReadinessAndMetricsArePublic() throws Exception {
    assertThat(http.get("/healthz").status()).isEqualTo(200);
    assertThat(http.get("/readyz").json().path("status").asText()).isEqualTo("ready");
    http.get("/v1/services", SUBMIT);
    Http.Response m = http.get("/metrics");
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body()).contains("jetmesh_gateway_http_requests_total{method=\"GET\",route=\"/v1/services\",status=\"200\"}")
        .contains("jetmesh_gateway_http_request_duration_seconds_bucket");
  }

  @Test
  void pageAndApiDocsAreServedWithoutExternalAssets() throws Exception {
    for (String p : List.of("/", "/docs")) {
      Http.Response r = http.get(p);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("text/html");
      assertThat(r.body()).doesNotContain("http://", "https://");
    }
    assertThat(http.get("/assets/app.js").status()).isEqualTo(200);
    assertThat(http.get("/assets/nope.js").status()).isEqualTo(404);
    assertThat(http.get("/no/such/route", SUBMIT).json().path("error").path("code").asText()).isEqualTo("not_found");
  }
}
