package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A small test client: JSON and multipart requests against a running gateway. */
final class Http {
  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonNode json() {
      return Json.tree(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Http(String base) {
    this.base = base;
  }

  HttpRequest.Builder req(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  Response send(HttpRequest r) throws IOException, InterruptedException {
    HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString());
    return new Response(resp.statusCode(), resp.headers(), resp.body());
  }

  Response get(String path, String... headers) throws IOException, InterruptedException {
    return send(req(path, headers).GET().build());
  }

  Response delete(String path, String... headers) throws IOException, InterruptedException {
    return send(req(path, headers).DELETE().build());
  }

  Response postJson(String path, String json, String... headers) throws IOException, InterruptedException {
    return send(req(path, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  Response post(String path, String contentType, byte[] body, String... headers) throws IOException, InterruptedException {
    return send(req(path, headers).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** A multipart/form-data body with one file part and text fields. */
  static Multipart multipart(String fileName, byte[] file, Map<String, String> fields) {
    String boundary = "----jetmesh" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Map.Entry<String, String> f : fields.entrySet()) {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
            + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.write(file);
      out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
  }

  record Multipart(String contentType, byte[] body) {}

  Response postFile(String path, String fileName, byte[] file, Map<String, String> fields, String... headers)
      throws IOException, InterruptedException {
    Multipart m = multipart(fileName, file, fields);
    return post(path, m.contentType(), m.body(), headers);
  }
}
