package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.jetmesh.client.JobRequest;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.diag.DiagModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docling-serve's v1 API as its users call it, written from docling-serve's documentation (docs/usage.md, its
 * OpenAPI and client): plain HTTP with multipart {@code files} and form options, JSON {@code sources}, the async task
 * endpoints, the chunk endpoints, {@code X-Api-Key}. Against a real gateway on a real mesh (nats-server, the docling
 * worker, the text worker). Documents are generated here: PDF, DOCX, HTML, Markdown.
 */
class DoclingServeCompatibilityTest {
  static EmbeddedMesh mesh;
  static Gateway gateway;
  /** Fetches http sources from this machine (a local test server), as an operator inside a trusted network may allow. */
  static Gateway fetching;
  static HttpServer origin;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String KEY = TestMesh.ALICE_KEY;

  static final String HTML = "<html><head><title>t</title></head><body><h1>Quarterly notes</h1>"
      + "<p>The harbour crane was repaired in March.</p><ul><li>first item</li><li>second item</li></ul></body></html>";
  static final String MD = "# Field guide\n\nOwls hunt at night and sleep by day.\n\n## Habitat\n\nOld barns and hollow trees.\n";

  @BeforeAll
  static void start() throws Exception {
    mesh = EmbeddedMesh.builder().registry(MeshRegistry.bundled())
        .modules(List.of(new DiagModule(), new io.jetmesh.pdf.PdfWorkerModule(), new io.jetmesh.text.TextWorkerModule()))
        .concurrency(4).start();
    gateway = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).clientId("gateway-docling").host("127.0.0.1").port(0)
        .auth(TestMesh.auth()).syncWait(Duration.ofSeconds(60)).start();
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    origin.createContext("/guide.md", ex -> {
      byte[] b = MD.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    origin.createContext("/big.md", ex -> {
      byte[] b = ("# Big\n\n" + "word ".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    origin.start();
    fetching = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).clientId("gateway-docling-fetch").host("127.0.0.1").port(0)
        .auth(TestMesh.auth()).syncWait(Duration.ofSeconds(60))
        .httpSources(HttpSources.allow("127.0.0.1", true, 64 * 1024, Duration.ofSeconds(10))).start();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, fetching}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // best effort
        }
      }
    }
    if (origin != null) {
      origin.stop(0);
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  // ------------------------------------------------------------------ helpers: a docling-serve user's HTTP

  record Resp(int status, String contentType, byte[] body) {
    JsonNode json() {
      return Json.tree(new String(body, StandardCharsets.UTF_8));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A multipart form as curl -F sends it: repeated fields, files with their names. */
  static final class Form {
    final String boundary = "----docling" + UUID.randomUUID();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Form field(String name, String value) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
      return this;
    }

    Form file(String name, byte[] content, String type) {
      write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name
          + "\"\r\nContent-Type: " + type + "\r\n\r\n");
      out.writeBytes(content);
      write("\r\n");
      return this;
    }

    byte[] body() {
      write("--" + boundary + "--\r\n");
      return out.toByteArray();
    }

    private void write(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Resp send(HttpRequest r) throws IOException, InterruptedException {
    HttpResponse<byte[]> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
    return new Resp(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body());
  }

  static Resp post(Gateway g, String path, Form form, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).timeout(Duration.ofSeconds(120))
        .header("Accept", "application/json").header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()));
    if (key != null) {
      b.header("X-Api-Key", key);
    }
    return send(b.build());
  }

  static Resp postJson(Gateway g, String path, String json, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).timeout(Duration.ofSeconds(120))
        .header("Accept", "application/json").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      b.header("X-Api-Key", key);
    }
    return send(b.build());
  }

  static Resp get(Gateway g, String path, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.baseUrl() + path)).timeout(Duration.ofSeconds(120)).GET();
    if (key != null) {
      b.header("X-Api-Key", key);
    }
    return send(b.build());
  }

  static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** A minimal Word document (with its styles part, where Word names the heading style): a Heading 1 paragraph and a body paragraph. */
  static byte[] docx(String heading, String body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      put(z, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
          + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>");
      put(z, "word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>");
      put(z, "word/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
          + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
          + "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
          + "<w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr></w:style></w:styles>");
      put(z, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
      put(z, "word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
          + "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>" + heading + "</w:t></w:r></w:p>"
          + "<w:p><w:r><w:t>" + body + "</w:t></w:r></w:p></w:body></w:document>");
    }
    return b.toByteArray();
  }

  private static void put(ZipOutputStream z, String name, String content) throws IOException {
    z.putNextEntry(new ZipEntry(name));
    z.write(content.getBytes(StandardCharsets.UTF_8));
    z.closeEntry();
  }

  static byte[] pdf() {
    return GatewayBrowserTest.generatedPdf(1);
  }

  static JsonNode awaitTask(Gateway g, String taskId) throws Exception {
    JsonNode st = null;
    for (int i = 0; i < 10; i++) {
      Resp r = get(g, "/v1/status/poll/" + taskId + "?wait=20", KEY);
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      st = r.json();
      String s = st.path("task_status").asText();
      if (s.equals("success") || s.equals("failure")) {
        return st;
      }
      assertThat(s).isIn("pending", "started");
    }
    throw new AssertionError("task " + taskId + " did not finish: " + st);
  }

  // ------------------------------------------------------------------ health, version, auth

  @Test
  void healthAndVersionNeedNoKey() throws Exception {
    Resp h = get(gateway, "/health", null);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.json().path("status").asText()).isEqualTo("ok");
    Resp v = get(gateway, "/version", null);
    assertThat(v.status()).isEqualTo(200);
    assertThat(v.json().isObject()).isTrue();
    assertThat(v.json().size()).isPositive();
  }

  @Test
  void jetmeshsJwtWorksBesideTheApiKeyAndAnswersCarryTheGatewaysHeaders() throws Exception {
    String jwt = com.auth0.jwt.JWT.create().withSubject("carol").withExpiresAt(java.time.Instant.now().plusSeconds(300))
        .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256(TestMesh.HS256_SECRET));
    Form form = new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/convert/file"))
        .header("Authorization", "Bearer " + jwt).header("Content-Type", "multipart/form-data; boundary=" + form.boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(Json.tree(r.body()).path("document").path("md_content").asText()).contains("Field guide");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void convertingNeedsTheApiKey() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("a.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"), null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("detail").asText()).isNotBlank();
    Resp wrong = post(gateway, "/v1/convert/file", new Form().file("a.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"),
        "not-a-key-00000000000000000");
    assertThat(wrong.status()).isEqualTo(401);
  }

  // ------------------------------------------------------------------ /v1/convert/file

  @Test
  void convertFileAnswersTheDocumentInTheRequestedFormats() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("report.pdf", pdf(), "application/pdf")
        .field("to_formats", "md").field("to_formats", "json").field("to_formats", "text")
        .field("do_ocr", "true").field("force_ocr", "false").field("ocr_lang", "en").field("table_mode", "fast")
        .field("image_export_mode", "placeholder").field("abort_on_error", "false"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(b.path("status").asText()).isEqualTo("success");
    JsonNode doc = b.path("document");
    assertThat(doc.path("filename").asText()).isEqualTo("report.pdf");
    assertThat(doc.path("md_content").asText()).contains("Annual report").contains("Results by region");
    assertThat(doc.path("json_content").path("schema_name").asText()).isEqualTo("DoclingDocument");
    assertThat(doc.path("text_content").asText()).contains("Every region grew");
    assertThat(doc.path("html_content").isNull()).isTrue();
    assertThat(doc.path("doctags_content").isNull()).isTrue();
    assertThat(b.path("processing_time").isNumber()).isTrue();
    assertThat(b.path("errors").isArray()).isTrue();
    assertThat(b.path("timings").isObject()).isTrue();
  }

  @Test
  void theDefaultOutputIsMarkdownOnly() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode doc = r.json().path("document");
    assertThat(doc.path("md_content").asText()).contains("Field guide").contains("Owls hunt at night");
    assertThat(doc.path("json_content").isNull()).isTrue();
  }

  @Test
  void aBatchOfFormatsAnswersAZipWithOneFilePerDocumentAndFormat() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form()
        .file("report.pdf", pdf(), "application/pdf")
        .file("letter.docx", docx("Dear committee", "The budget was approved."), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        .file("notes.html", HTML.getBytes(StandardCharsets.UTF_8), "text/html")
        .file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown")
        .field("to_formats", "md").field("to_formats", "html"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/zip");
    Map<String, String> files = unzip(r.body());
    assertThat(files.keySet()).containsExactlyInAnyOrder("report.md", "report.html", "letter.md", "letter.html",
        "notes.md", "notes.html", "guide.md", "guide.html");
    assertThat(files.get("report.md")).contains("Annual report");
    assertThat(files.get("letter.md")).contains("# Dear committee").contains("The budget was approved.");
    assertThat(files.get("notes.md")).contains("Quarterly notes").contains("- first item");
    assertThat(files.get("guide.md")).contains("# Field guide");
    assertThat(files.get("notes.html")).contains("<h1>Quarterly notes</h1>");
  }

  @Test
  void targetTypeZipAnswersAZipForOneDocument() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown")
        .field("target_type", "zip").field("to_formats", "json"), KEY);
    assertThat(r.status()).isEqualTo(200);
    Map<String, String> files = unzip(r.body());
    assertThat(files).containsOnlyKeys("guide.json");
    assertThat(Json.tree(files.get("guide.json")).path("schema_name").asText()).isEqualTo("DoclingDocument");
  }

  // ------------------------------------------------------------------ failures

  @Test
  void aCorruptFileIsAFailureWithItsError() throws Exception {
    byte[] corrupt = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> broken".getBytes(StandardCharsets.US_ASCII);
    Resp r = post(gateway, "/v1/convert/file", new Form().file("broken.pdf", corrupt, "application/pdf"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode b = r.json();
    assertThat(b.path("status").asText()).isEqualTo("failure");
    assertThat(b.path("errors")).isNotEmpty();
    assertThat(b.path("errors").get(0).path("error_message").asText()).contains("INVALID_INPUT");
    assertThat(b.path("document").path("md_content").isNull()).isTrue();
  }

  @Test
  void anUnsupportedTypeIsAFailureNamingTheType() throws Exception {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    Resp r = post(gateway, "/v1/convert/file", new Form().file("sound.bin", noise, "application/octet-stream"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("failure");
    assertThat(r.json().path("errors").get(0).path("error_message").asText()).contains("UNSUPPORTED");
  }

  @Test
  void anOversizedUploadIsRefusedWith413() throws Exception {
    byte[] big = new byte[300 * 1024];
    Resp r = post(gateway, "/v1/convert/file", new Form().file("big.pdf", big, "application/pdf"), TestMesh.TINY_UPLOAD_KEY);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().path("detail").asText()).contains("upload limit");
  }

  @Test
  void aFormWithoutFilesIsRefusedAsDoclingServesValidationDoes() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().field("to_formats", "md"), KEY);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().path("detail").asText()).contains("files");
    Resp json = postJson(gateway, "/v1/convert/source", "{\"sources\": []}", KEY);
    assertThat(json.status()).isEqualTo(422);
    Resp badKind = postJson(gateway, "/v1/convert/source", "{\"sources\": [{\"kind\": \"s3\", \"bucket\": \"b\"}]}", KEY);
    assertThat(badKind.status()).isEqualTo(422);
    Resp badB64 = postJson(gateway, "/v1/convert/source", "{\"sources\": [{\"kind\": \"file\", \"filename\": \"a.pdf\","
        + " \"base64_string\": \"@@@not base64@@@\"}]}", KEY);
    assertThat(badB64.status()).isEqualTo(422);
  }

  @Test
  void aBatchBeyondTheCallersConcurrentJobsIsRefusedWhole() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("a.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown")
        .file("b.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"), TestMesh.ONE_JOB_KEY);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.json().path("detail").asText()).contains("2 documents");
    // and its slot is free again: one document goes through
    Resp one = post(gateway, "/v1/convert/file", new Form().file("a.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"),
        TestMesh.ONE_JOB_KEY);
    assertThat(one.status()).as(one.text()).isEqualTo(200);
  }

  @Test
  void abortOnErrorSkipsTheDocumentsAfterAFailure() throws Exception {
    byte[] corrupt = "%PDF-1.7 broken".getBytes(StandardCharsets.US_ASCII);
    Resp r = postJson(gateway, "/v1/convert/source", "{\"options\": {\"abort_on_error\": true, \"to_formats\": [\"md\"]},"
        + " \"target\": {\"kind\": \"zip\"}, \"sources\": ["
        + "{\"kind\": \"file\", \"filename\": \"broken.pdf\", \"base64_string\": \"" + b64(corrupt) + "\"},"
        + "{\"kind\": \"file\", \"filename\": \"guide.md\", \"base64_string\": \"" + b64(MD.getBytes(StandardCharsets.UTF_8)) + "\"}]}", KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(unzip(r.body())).isEmpty();
  }

  @Test
  void optionsWithoutEffectAreReportedAndAVlmPipelineIsRefused() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown")
        .field("pdf_backend", "dlparse_v4").field("ocr_engine", "easyocr").field("image_export_mode", "embedded"), KEY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("success");
    String errors = r.json().path("errors").toString();
    assertThat(errors).contains("pdf_backend").contains("easyocr").contains("embedded");
    Resp vlm = post(gateway, "/v1/convert/file", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown")
        .field("pipeline", "vlm"), KEY);
    assertThat(vlm.status()).isEqualTo(422);
    assertThat(vlm.json().path("detail").asText()).contains("pipeline");
    Resp fmt = post(gateway, "/v1/convert/file", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown")
        .field("to_formats", "pdf"), KEY);
    assertThat(fmt.status()).isEqualTo(422);
  }

  @Test
  void aDocumentOutsideFromFormatsIsSkipped() throws Exception {
    Resp r = post(gateway, "/v1/convert/file", new Form().file("notes.html", HTML.getBytes(StandardCharsets.UTF_8), "text/html")
        .field("from_formats", "pdf").field("from_formats", "docx"), KEY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("status").asText()).isEqualTo("skipped");
    assertThat(r.json().path("document").path("md_content").isNull()).isTrue();
  }

  // ------------------------------------------------------------------ /v1/convert/source

  @Test
  void convertSourceTakesBase64Files() throws Exception {
    Resp r = postJson(gateway, "/v1/convert/source", "{\"options\": {\"to_formats\": [\"html\", \"text\", \"doctags\"]},"
        + " \"sources\": [{\"kind\": \"file\", \"filename\": \"notes.html\", \"base64_string\": \""
        + b64(HTML.getBytes(StandardCharsets.UTF_8)) + "\"}]}", KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode doc = r.json().path("document");
    assertThat(r.json().path("status").asText()).isEqualTo("success");
    assertThat(doc.path("html_content").asText()).contains("<h1>Quarterly notes</h1>");
    assertThat(doc.path("text_content").asText()).contains("The harbour crane was repaired in March.");
    assertThat(doc.path("doctags_content").asText()).contains("Quarterly notes");
    assertThat(doc.path("md_content").isNull()).isTrue();
  }

  @Test
  void base64WithLineBreaksAsTheBase64ToolPrintsItIsRead() throws Exception {
    String wrapped = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
        (MD + "More text. ".repeat(20)).getBytes(StandardCharsets.UTF_8)).replace("\n", "\\n");
    Resp r = postJson(gateway, "/v1/convert/source", "{\"sources\": [{\"kind\": \"file\", \"filename\": \"guide.md\","
        + " \"base64_string\": \"" + wrapped + "\"}]}", KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("document").path("md_content").asText()).contains("Owls hunt at night");
  }

  @Test
  void httpSourcesAreOffByDefault() throws Exception {
    Resp r = postJson(gateway, "/v1/convert/source", "{\"sources\": [{\"kind\": \"http\", \"url\": \"http://127.0.0.1:"
        + origin.getAddress().getPort() + "/guide.md\"}]}", KEY);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().path("detail").asText()).contains("does not fetch http sources");
  }

  @Test
  void httpSourcesAreFetchedFromAllowedHostsWithinTheLimit() throws Exception {
    String base = "http://127.0.0.1:" + origin.getAddress().getPort();
    Resp r = postJson(fetching, "/v1/convert/source", "{\"sources\": [{\"kind\": \"http\", \"url\": \"" + base + "/guide.md\"}]}", KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("document").path("md_content").asText()).contains("Owls hunt at night");
    // larger than the gateway's 64 KiB limit for fetched documents: that document fails, the request answers
    Resp big = postJson(fetching, "/v1/convert/source", "{\"sources\": [{\"kind\": \"http\", \"url\": \"" + base + "/big.md\"}]}", KEY);
    assertThat(big.status()).isEqualTo(200);
    assertThat(big.json().path("status").asText()).isEqualTo("failure");
    assertThat(big.json().path("errors").toString()).contains("larger than the limit");
    Resp other = postJson(fetching, "/v1/convert/source", "{\"sources\": [{\"kind\": \"http\", \"url\": \"http://localhost:"
        + origin.getAddress().getPort() + "/guide.md\"}]}", KEY);
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().path("detail").asText()).contains("allow-list");
  }

  @Test
  void theAddressCheckRefusesLoopbackLinkLocalAndPrivateAddresses() throws Exception {
    HttpSources publicOnly = HttpSources.allow("*", false, 1024, Duration.ofSeconds(1));
    for (String host : List.of("127.0.0.1", "169.254.169.254", "10.0.0.1", "192.168.1.1", "172.16.0.1", "[::1]",
        "[fd00::1]", "[::ffff:127.0.0.1]", "0.0.0.0", "100.64.0.1")) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> publicOnly.check(URI.create("http://" + host + "/a"))))
          .as(host).isInstanceOf(HttpSources.FetchException.class).hasMessageContaining("public addresses");
    }
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> publicOnly.check(URI.create("file:///etc/passwd"))))
        .isInstanceOf(HttpSources.FetchException.class);
  }

  // ------------------------------------------------------------------ async tasks

  @Test
  void asyncFileTaskIsPolledThenItsResultFetched() throws Exception {
    Resp r = post(gateway, "/v1/convert/file/async", new Form().file("letter.docx", docx("Minutes", "Quorum reached."),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document").field("to_formats", "md"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode task = r.json();
    String id = task.path("task_id").asText();
    assertThat(id).isNotBlank();
    assertThat(task.path("task_status").asText()).isIn("pending", "started", "success");
    assertThat(task.has("task_position")).isTrue();
    assertThat(task.path("task_meta").path("num_docs").asInt()).isEqualTo(1);
    JsonNode done = awaitTask(gateway, id);
    assertThat(done.path("task_status").asText()).isEqualTo("success");
    assertThat(done.path("task_meta").path("num_succeeded").asInt()).isEqualTo(1);
    Resp res = get(gateway, "/v1/result/" + id, KEY);
    assertThat(res.status()).as(res.text()).isEqualTo(200);
    assertThat(res.json().path("document").path("md_content").asText()).contains("# Minutes").contains("Quorum reached.");
    // another caller sees no such task
    assertThat(get(gateway, "/v1/status/poll/" + id, TestMesh.BOB_KEY).status()).isEqualTo(404);
    assertThat(get(gateway, "/v1/result/" + id, TestMesh.BOB_KEY).status()).isEqualTo(404);
  }

  @Test
  void asyncSourceTaskAndAnUnknownTask() throws Exception {
    Resp r = postJson(gateway, "/v1/convert/source/async", "{\"sources\": [{\"kind\": \"file\", \"filename\": \"guide.md\","
        + " \"base64_string\": \"" + b64(MD.getBytes(StandardCharsets.UTF_8)) + "\"}]}", KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    String id = r.json().path("task_id").asText();
    assertThat(r.json().path("task_type").asText()).isEqualTo("convert");
    awaitTask(gateway, id);
    assertThat(get(gateway, "/v1/result/" + id, KEY).json().path("document").path("md_content").asText()).contains("Field guide");
    Resp unknown = get(gateway, "/v1/status/poll/no-such-task", KEY);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("detail").asText()).isEqualTo("Task not found.");
  }

  @Test
  void clearResultsForgetsTheCallersFinishedTasks() throws Exception {
    Resp r = post(gateway, "/v1/convert/file/async", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"),
        TestMesh.BOB_KEY);
    String id = r.json().path("task_id").asText();
    for (int i = 0; i < 10 && !get(gateway, "/v1/status/poll/" + id + "?wait=20", TestMesh.BOB_KEY).json()
        .path("task_status").asText().equals("success"); i++) {
      // polling
    }
    Resp alice = post(gateway, "/v1/convert/file/async", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8),
        "text/markdown"), KEY);
    String aliceTask = alice.json().path("task_id").asText();
    Resp c = get(gateway, "/v1/clear/results?older_then=0", TestMesh.BOB_KEY);
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.json().path("status").asText()).isEqualTo("ok");
    assertThat(get(gateway, "/v1/status/poll/" + id, TestMesh.BOB_KEY).status()).isEqualTo(404);
    // Bob's clearing leaves Alice's task alone
    assertThat(get(gateway, "/v1/status/poll/" + aliceTask, KEY).status()).isEqualTo(200);
  }

  @Test
  void theStatusWebSocketAnnouncesTheTaskAndItsEnd() throws Exception {
    Resp r = post(gateway, "/v1/convert/file/async", new Form().file("guide.md", MD.getBytes(StandardCharsets.UTF_8), "text/markdown"), KEY);
    String id = r.json().path("task_id").asText();
    java.util.concurrent.BlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket.Listener listener = new java.net.http.WebSocket.Listener() {
      final StringBuilder part = new StringBuilder();

      @Override
      public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
        part.append(data);
        if (last) {
          messages.add(part.toString());
          part.setLength(0);
        }
        ws.request(1);
        return null;
      }
    };
    String ws = gateway.baseUrl().replace("http://", "ws://") + "/v1/status/ws/" + id;
    java.net.http.WebSocket socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(ws + "?api_key=" + KEY), listener)
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    JsonNode first = Json.tree(messages.poll(20, java.util.concurrent.TimeUnit.SECONDS));
    assertThat(first.path("message").asText()).isEqualTo("connection");
    assertThat(first.path("task").path("task_id").asText()).isEqualTo(id);
    JsonNode last = first;
    for (int i = 0; i < 20 && !last.path("task").path("task_status").asText().equals("success"); i++) {
      socket.sendText("status?", true);
      last = Json.tree(messages.poll(20, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(last.path("message").asText()).isIn("update", "connection");
    }
    assertThat(last.path("task").path("task_status").asText()).isEqualTo("success");
    socket.abort();
    // a wrong key and another caller's task: an error message, as for an unknown task
    for (String key : List.of("not-a-key-00000000000000000", TestMesh.BOB_KEY)) {
      messages.clear();
      java.net.http.WebSocket other = HTTP.newWebSocketBuilder().buildAsync(URI.create(ws + "?api_key=" + key), listener)
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      JsonNode err = Json.tree(messages.poll(20, java.util.concurrent.TimeUnit.SECONDS));
      assertThat(err.path("message").asText()).as(key).isEqualTo("error");
      assertThat(err.has("task")).isFalse();
      other.abort();
    }
  }

  // ------------------------------------------------------------------ chunking

  @Test
  void hybridChunkingGivesTheTextWorkersChunks() throws Exception {
    byte[] md = ("# Field guide\n\n" + "Owls hunt at night and sleep by day in old barns and hollow trees. ".repeat(12)
        + "\n\n## Habitat\n\nThey prefer quiet places near open fields.\n").getBytes(StandardCharsets.UTF_8);
    Resp r = post(gateway, "/v1/chunk/hybrid/file", new Form().file("guide.md", md, "text/markdown")
        .field("chunking_max_tokens", "64").field("chunking_merge_peers", "true")
        .field("chunking_include_raw_text", "true"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode chunks = r.json().path("chunks");
    assertThat(chunks.size()).isGreaterThan(1);
    for (JsonNode c : chunks) {
      assertThat(c.path("filename").asText()).isEqualTo("guide.md");
      assertThat(c.path("num_tokens").asInt()).isBetween(1, 64);
      assertThat(c.path("text").asText()).isNotBlank();
      assertThat(c.path("raw_text").asText()).isNotBlank();
    }
    assertThat(chunks.get(0).path("headings").get(0).asText()).isEqualTo("Field guide");
    assertThat(r.json().path("documents").get(0).path("status").asText()).isEqualTo("success");
    assertThat(r.json().path("processing_time").isNumber()).isTrue();

    // the same document through the mesh: convert, then the text worker's chunk with the same options
    Path f = Files.createTempFile("guide", ".md");
    Files.write(f, md);
    ObjectNode opts = Json.object().put("chunker", "hybrid").put("max_tokens", 64).put("merge_peers", true);
    JobResult direct = gateway.mesh().submit(JobRequest.builder("pdf.docling.convert").file(f)
        .options(Json.object().put("filename", "guide.md")).then("text.analyze.chunk", opts).build()).result().get();
    Files.delete(f);
    JsonNode out = gateway.mesh().output(direct).get();
    List<String> expected = new ArrayList<>();
    out.path("chunks").forEach(c -> expected.add(c.path("contextualized_text").asText()));
    List<String> got = new ArrayList<>();
    chunks.forEach(c -> got.add(c.path("text").asText()));
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void hierarchicalChunkingFromASourceWithTheConvertedDocument() throws Exception {
    Resp r = postJson(gateway, "/v1/chunk/hierarchical/source", "{\"convert_options\": {\"do_ocr\": false},"
        + " \"chunking_options\": {\"use_markdown_tables\": false}, \"include_converted_doc\": true,"
        + " \"sources\": [{\"kind\": \"file\", \"filename\": \"guide.md\", \"base64_string\": \""
        + b64(MD.getBytes(StandardCharsets.UTF_8)) + "\"}]}", KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    JsonNode chunks = r.json().path("chunks");
    List<String> texts = new ArrayList<>();
    chunks.forEach(c -> texts.add(c.path("text").asText()));
    assertThat(texts).anyMatch(t -> t.contains("Owls hunt at night")).anyMatch(t -> t.contains("Old barns"));
    assertThat(chunks.get(0).path("chunk_index").asInt()).isZero();
    JsonNode converted = r.json().path("documents").get(0).path("content").path("json_content");
    assertThat(converted.path("schema_name").asText()).isEqualTo("DoclingDocument");
  }

  @Test
  void asyncChunkTask() throws Exception {
    Resp r = post(gateway, "/v1/chunk/hybrid/file/async", new Form().file("notes.html", HTML.getBytes(StandardCharsets.UTF_8), "text/html")
        .field("chunking_max_tokens", "128"), KEY);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("task_type").asText()).isEqualTo("chunk");
    String id = r.json().path("task_id").asText();
    awaitTask(gateway, id);
    JsonNode res = get(gateway, "/v1/result/" + id, KEY).json();
    assertThat(res.path("chunks").toString()).contains("The harbour crane was repaired in March.");
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
