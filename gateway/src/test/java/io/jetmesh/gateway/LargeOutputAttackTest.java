package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.EmbeddedMesh;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Several callers download one large output at the same time. The gateway used to copy the whole object into a temp
 * file before answering (under load 3 of 4 concurrent readers of a 200 MB output got 502); it must stream each
 * reader from the object store: every reader gets every byte (checked against the stored SHA-256), and no copy of
 * the object appears on the gateway's disk.
 */
class LargeOutputAttackTest {
  /** An odd size, so a temp copy of exactly this object cannot be confused with another process's files. */
  static final long BYTES = (96L << 20) + 4_321;
  static final int READERS = 4;

  @Test
  void concurrentReadersOfALargeOutputAllGetItWithoutACopyOnDisk() throws Exception {
    String yaml;
    try (InputStream in = MeshRegistry.class.getResourceAsStream(MeshRegistry.BUNDLED_RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    MeshRegistry registry = MeshRegistry.parse((yaml.stripTrailing() + "\n" + BigArtifactModule.NAMESPACE_YAML)
        .getBytes(StandardCharsets.UTF_8), "test");
    String[] alice = {"X-API-Key", TestMesh.ALICE_KEY};
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().registry(registry).modules(List.of(new BigArtifactModule())).start();
         Gateway gw = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start()) {
      Http http = new Http(gw.baseUrl());
      Http.Response sub = http.postFile("/v1/jobs/bigout.make", "x.bin", new byte[1], Map.of("bytes", String.valueOf(BYTES)), alice);
      assertThat(sub.status()).as(sub.body()).isEqualTo(202);
      JsonNode result = GatewayApiTest.awaitResultWithin(http, sub.json().path("job_id").asText(), 240, alice);
      assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("completed");
      String link = result.path("downloads").path("big.bin").asText();
      String sha = result.path("artifacts").path("big.bin").path("sha256").asText();
      assertThat(link).startsWith("/v1/blobs?");

      HttpClient client = HttpClient.newHttpClient();
      ExecutorService pool = Executors.newFixedThreadPool(READERS);
      CountDownLatch started = new CountDownLatch(READERS);
      CountDownLatch looked = new CountDownLatch(1);
      List<Future<String>> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        readers.add(pool.submit(() -> {
          HttpResponse<InputStream> r = client.send(http.req(link, alice).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          long n = 0;
          try (InputStream body = r.body()) {
            byte[] buf = new byte[1 << 16];
            int k = body.read(buf);
            started.countDown();
            looked.await(60, TimeUnit.SECONDS); // hold the download open while the disk is inspected
            for (; k > 0; k = body.read(buf)) {
              md.update(buf, 0, k);
              n += k;
            }
          }
          return r.statusCode() + " " + n + " " + HexFormat.of().formatHex(md.digest());
        }));
      }
      try {
        assertThat(started.await(120, TimeUnit.SECONDS)).as("every reader got its first bytes").isTrue();
        assertThat(tempCopies()).as("full copies of the output on disk while it is downloaded").isEmpty();
      } finally {
        looked.countDown();
      }
      for (Future<String> f : readers) {
        assertThat(f.get(240, TimeUnit.SECONDS)).isEqualTo("200 " + BYTES + " " + sha);
      }
      pool.shutdown();
    }
  }

  /** Files in the temp directory (two levels) of exactly the object's size, besides the worker's own scratch file. */
  private static List<Path> tempCopies() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> files = Files.walk(tmp, 2)) {
      return files.filter(p -> {
        try {
          return Files.isRegularFile(p) && Files.size(p) == BYTES;
        } catch (Exception e) {
          return false; // vanished or unreadable: not ours
        }
      }).filter(p -> !p.toString().contains("scratch") && !p.getFileName().toString().equals("big.bin")).toList();
    } catch (java.io.UncheckedIOException e) {
      return List.of(); // a directory another process removed while we walked
    }
  }
}
