package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.runtime.EmbeddedMesh;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a web page the developer happens to visit can do to {@code jetmesh dev}'s gateway (authentication off, on
 * 127.0.0.1): post jobs cross-site, read answers through DNS rebinding, frame the page, or have a download rendered
 * as HTML on the gateway's origin. The requests are written by hand on a socket, as a browser would send them
 * (java.net.http will not set {@code Host}).
 */
class BrowserAttackTest {
  static EmbeddedMesh mesh;
  static Gateway dev;
  static Gateway authenticated;

  @BeforeAll
  static void start() throws Exception {
    mesh = TestMesh.mesh();
    dev = Gateway.startDev(mesh.options(), 0);
    authenticated = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start();
  }

  @AfterAll
  static void stop() {
    if (dev != null) {
      dev.close();
    }
    if (authenticated != null) {
      authenticated.close();
    }
  }

  record Raw(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Raw send(Gateway gw, String method, String path, String host, Map<String, String> headers, String body) throws Exception {
    try (Socket s = new Socket("127.0.0.1", gw.port())) {
      s.setSoTimeout(30_000);
      // HTTP/1.0: the answer ends when the connection does (never chunked)
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      if (body != null) {
        req.append("Content-Length: ").append(b.length).append("\r\n");
      }
      req.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, split).split("\r\n");
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int c = head[i].indexOf(':');
        h.put(head[i].substring(0, c).trim().toLowerCase(Locale.ROOT), head[i].substring(c + 1).trim());
      }
      return new Raw(Integer.parseInt(head[0].split(" ")[1]), h, text.substring(split + 4));
    }
  }

  static String local(Gateway gw) {
    return "127.0.0.1:" + gw.port();
  }

  static final String JOB = "{\"input\":\"nats-object://jetmesh-blobs/none\"}";

  @Test
  void aCrossSitePageCannotSubmitJobsToTheDevGateway() throws Exception {
    for (Map<String, String> h : java.util.List.of(
        Map.of("Origin", "https://evil.example", "Content-Type", "application/json"),
        Map.of("Origin", "null", "Content-Type", "application/json"),
        Map.of("Sec-Fetch-Site", "cross-site", "Content-Type", "application/json"))) {
      Raw r = send(dev, "POST", "/v1/jobs/diag.noop", local(dev), h, JOB);
      assertThat(r.status()).as(h + ": " + r.body()).isEqualTo(403);
      assertThat(r.body()).contains("forbidden_origin").doesNotContain("job_id");
    }
    Raw same = send(dev, "POST", "/v1/jobs/diag.noop", local(dev),
        Map.of("Origin", "http://" + local(dev), "Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"), JOB);
    assertThat(same.status()).as("the page itself: " + same.body()).isEqualTo(202);
    Raw tool = send(dev, "POST", "/v1/jobs/diag.noop", "localhost:" + dev.port(), Map.of("Content-Type", "application/json"), JOB);
    assertThat(tool.status()).as("curl, no Origin: " + tool.body()).isEqualTo(202);
  }

  @Test
  void aReboundDomainCannotReadTheDevGateway() throws Exception {
    Raw job = send(dev, "POST", "/v1/jobs/diag.noop", local(dev), Map.of("Content-Type", "application/json"), JOB);
    String id = field(job.body(), "job_id");
    for (String host : java.util.List.of("attacker.example:" + dev.port(), "attacker.example", "127.0.0.1.attacker.example")) {
      for (String path : java.util.List.of("/v1/jobs/" + id, "/v1/mesh", "/", "/v1/whoami")) {
        Raw r = send(dev, "GET", path, host, Map.of(), null);
        assertThat(r.status()).as("Host " + host + " GET " + path + ": " + r.body()).isEqualTo(403);
        assertThat(r.body()).doesNotContain(id);
      }
    }
    assertThat(send(dev, "GET", "/v1/jobs/" + id, local(dev), Map.of(), null).status()).isEqualTo(200);
    assertThat(send(dev, "GET", "/v1/whoami", "[::1]:" + dev.port(), Map.of(), null).status()).isEqualTo(200);
  }

  @Test
  void apiAnswersCannotBeFramedSniffedOrCached() throws Exception {
    for (Gateway gw : java.util.List.of(dev, authenticated)) {
      Map<String, String> key = gw == dev ? Map.of() : Map.of("X-API-Key", TestMesh.READ_KEY);
      for (String path : java.util.List.of("/v1/whoami", "/v1/services", "/v1/jobs/nope")) {
        Raw r = send(gw, "GET", path, local(gw), key, null);
        assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
        assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-store");
        assertThat(r.header("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
      }
      Raw page = send(gw, "GET", "/", local(gw), Map.of(), null);
      assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
      assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    }
  }

  @Test
  void aDownloadLinkCannotChooseAnExecutableContentType() throws Exception {
    Raw job = send(dev, "POST", "/v1/jobs/diag.echo", local(dev), Map.of("Content-Type", "multipart/form-data; boundary=b"),
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.html\"\r\nContent-Type: text/html\r\n\r\n"
            + "<script>alert(document.domain)</script>\r\n--b--\r\n");
    assertThat(job.status()).as(job.body()).isEqualTo(202);
    String upload = field(job.body(), "input");
    for (String type : java.util.List.of("text/html", "image/svg+xml", "application/xhtml+xml", "text/html;charset=utf-8")) {
      Raw r = send(dev, "GET", "/v1/blobs?uri=" + URLEncoder.encode(upload, StandardCharsets.UTF_8) + "&type="
          + URLEncoder.encode(type, StandardCharsets.UTF_8), local(dev), Map.of(), null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("Content-Type")).as("type=" + type).startsWith("application/octet-stream");
      assertThat(r.header("Content-Disposition")).startsWith("attachment");
      assertThat(r.header("Content-Security-Policy")).contains("sandbox");
    }
    Raw text = send(dev, "GET", "/v1/blobs?uri=" + URLEncoder.encode(upload, StandardCharsets.UTF_8) + "&type=text/plain",
        local(dev), Map.of(), null);
    assertThat(text.header("Content-Type")).startsWith("text/plain");
  }

  private static String field(String jsonBody, String name) {
    return io.jetmesh.protocol.Json.tree(jsonBody).path(name).asText();
  }
}
