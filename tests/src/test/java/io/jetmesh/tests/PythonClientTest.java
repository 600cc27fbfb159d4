package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.S3Blobs;
import io.jetmesh.runtime.S3Settings;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/**
 * The zero-dependency Python client ({@code clients/python}) tested for real: Debian's {@code python3 -m unittest}
 * against an embedded mesh (nats-server, every worker module of this build, S3 through s3proxy). Every Python test
 * must pass; none may skip for want of the mesh ({@code JETMESH_TEST_REQUIRE=1} turns such a skip into a failure).
 */
class PythonClientTest {
  static final Path PACKAGE = Path.of("..", "clients", "python").toAbsolutePath().normalize();
  static final String S3_TEXT = "Quarterly report for the Python client";

  @TempDir Path dir;

  @Test
  void pythonClientTestsPassAgainstARealMesh() throws Exception {
    String python = python();
    Assumptions.assumeTrue(python != null, "python3 not installed: the Python client's tests are skipped");
    Assumptions.assumeTrue(Files.isDirectory(PACKAGE.resolve("jetmesh")), "no clients/python next to tests/");
    int s3Port = NatsServerProcess.freePort();
    S3Proxy proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + s3Port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret").build();
    proxy.start();
    try {
      while (!"STARTED".equals(proxy.getState())) {
        Thread.sleep(5);
      }
      S3Settings s3 = S3Settings.DEFAULTS.withEndpoint(URI.create("http://127.0.0.1:" + s3Port), true)
          .withCredentials("test-access", "test-secret").withTimeout(Duration.ofSeconds(10));
      try (S3Blobs blobs = new S3Blobs(s3)) {
        try {
          blobs.client().createBucket(CreateBucketRequest.builder().bucket("docs").build());
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException retried) {
          // a first attempt that timed out under load created it
        }
        blobs.put("s3://docs/reports/q3.pdf", pdf(S3_TEXT), "application/pdf");
      }
      try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).concurrency(2).s3(s3).start()) {
        ProcessBuilder pb = new ProcessBuilder(python, "-m", "unittest", "discover", "-v", "-s", "tests", "-t", ".")
            .directory(PACKAGE.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("NATS_") || k.startsWith("JETMESH_"));
        env.put("NATS_URL", mesh.url());
        env.put("NATS_TOKEN", mesh.token());
        env.put("JETMESH_S3_BUCKET", "docs");
        env.put("JETMESH_TEST_S3_KEY", "reports/q3.pdf");
        env.put("JETMESH_TEST_S3_TEXT", S3_TEXT);
        env.put("JETMESH_TEST_MESH", "1");
        env.put("JETMESH_TEST_REQUIRE", "1");
        env.put("JETMESH_NATS_SERVER", NatsServerProcess.binary());
        env.put("JETMESH_ENV_FILE", dir.resolve("no.env").toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Path log = dir.resolve("python-tests.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean finished = p.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
          p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("---- python3 -m unittest (clients/python) ----\n" + out);
        assertThat(finished).as("Python tests finished within 15 minutes").isTrue();
        assertThat(p.exitValue()).as("python3 -m unittest exit status (its output is printed above)").isZero();
        assertThat(out).contains("\nOK").doesNotContain("FAILED");
      }
    } finally {
      proxy.stop();
    }
  }

  /** Debian's interpreter when present (the one the issue names), else python3 on PATH. */
  static String python() {
    if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
      return "/usr/bin/python3";
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "python3"))) {
        return Path.of(d, "python3").toString();
      }
    }
    return null;
  }

  static byte[] pdf(String text) throws Exception {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
        cs.newLineAtOffset(72, 700);
        cs.showText(text);
        cs.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }
}
