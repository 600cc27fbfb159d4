package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.cli.JetmeshCli;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.JobState;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.S3Blobs;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/**
 * S3 inputs against a real S3 API server (s3proxy, in-process, with signature v4 credentials): reads, missing
 * objects, an S3 outage that dead-letters jobs, and their replay once S3 is back.
 */
class S3InputTest {
  @TempDir Path dir;
  S3Proxy proxy;
  int port;
  S3Settings s3;

  @BeforeEach
  void startS3() throws Exception {
    port = io.jetmesh.runtime.NatsServerProcess.freePort();
    proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret").build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    s3 = S3Settings.DEFAULTS.withEndpoint(URI.create("http://127.0.0.1:" + port), true)
        .withCredentials("test-access", "test-secret").withTimeout(Duration.ofSeconds(2));
    try (S3Blobs blobs = new S3Blobs(s3)) {
      try {
        blobs.client().createBucket(CreateBucketRequest.builder().bucket("docs").build());
      } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException retried) {
        // The first attempt outlived the 2 s timeout on a loaded machine but created the bucket; the SDK's retry
        // then finds it. Either way the bucket exists, which is all the set-up needs.
      }
      blobs.put("s3://docs/reports/q3.txt", "quarterly numbers".getBytes(StandardCharsets.UTF_8), "text/plain");
    }
  }

  @AfterEach
  void stopS3() throws Exception {
    if (proxy != null && "STARTED".equals(proxy.getState())) {
      proxy.stop();
    }
  }

  @Test
  void workerReadsAnS3InputThroughACustomEndpoint() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-s3", 2, dir, s3);
        MeshClient client = MeshClient.connect(mesh.options())) {
      JobResult r = client.submit(JobRequest.builder("diag.echo").input("s3://docs/reports/q3.txt").build())
          .result().get(30, TimeUnit.SECONDS);
      assertThat(r.output().path("size").asLong()).isEqualTo(17);
      assertThat(r.output().path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest("quarterly numbers".getBytes(StandardCharsets.UTF_8))));
    }
  }

  /**
   * The original system's call shape, {@code processDocument("reports/q3.pdf", ...)} with a bare key, through the
   * Java DocumentService and a real PDF worker reading s3proxy: the key resolves against the default bucket (also
   * a key with a space and a '+', which must reach S3 unchanged); without a default bucket the call is refused with
   * a message naming JETMESH_S3_BUCKET.
   */
  @Test
  void documentServiceConvertsABareKeyFromTheDefaultBucket() throws Exception {
    java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
    try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
      org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
      doc.addPage(page);
      try (org.apache.pdfbox.pdmodel.PDPageContentStream cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new org.apache.pdfbox.pdmodel.font.PDType1Font(
            org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(72, 720);
        cs.showText("Quarterly report for the third quarter.");
        cs.endText();
      }
      doc.save(pdf);
    }
    java.util.List<String> keys = java.util.List.of("reports/q3.pdf", "reports/q3 final+v2.pdf");
    try (S3Blobs blobs = new S3Blobs(s3)) {
      for (String key : keys) {
        blobs.client().putObject(software.amazon.awssdk.services.s3.model.PutObjectRequest.builder().bucket("docs")
            .key(key).contentType("application/pdf").build(),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(pdf.toByteArray()));
      }
    }
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("pdf-mesh")).s3(s3).concurrency(1)
            .modules(java.util.List.of(new io.jetmesh.pdf.PdfWorkerModule(() -> null))).start();
        io.jetmesh.client.DocumentService docs = io.jetmesh.client.DocumentService.connect(
            mesh.options().newBuilder().defaultS3Bucket("docs").build());
        io.jetmesh.client.DocumentService noBucket = io.jetmesh.client.DocumentService.connect(mesh.options())) {
      for (String key : keys) {
        io.jetmesh.client.DocumentResult r = docs.processDocument(key, io.jetmesh.client.ConvertOptions.defaults())
            .get(60, TimeUnit.SECONDS);
        assertThat(r.markdown()).as(key).contains("Quarterly report for the third quarter.");
        assertThat(r.result().status()).isEqualTo(JobState.COMPLETED);
      }
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> noBucket.processDocument("reports/q3.pdf", io.jetmesh.client.ConvertOptions.defaults()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JETMESH_S3_BUCKET")
          .hasMessageContaining("s3://bucket/reports/q3.pdf");
      // a key that is not there fails as any missing S3 object does, naming the resolved reference
      ExecutionException missing = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> docs.processDocument("reports/q4.pdf", io.jetmesh.client.ConvertOptions.defaults())
              .get(60, TimeUnit.SECONDS));
      assertThat(missing.getCause()).isInstanceOf(JobFailedException.class);
      assertThat(((JobFailedException) missing.getCause()).code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND);
      assertThat(missing.getCause().getMessage()).contains("s3://docs/reports/q4.pdf");
    }
  }

  /**
   * Issue 13, Medium: any {@code s3://bucket/key} in a job was fetched with the worker's own credentials. A service's
   * {@code s3_buckets} (namespaces.yaml) is enforced in the worker.
   */
  @Test
  void aJobCannotNameABucketOutsideTheServicesAllowList() throws Exception {
    io.jetmesh.protocol.MeshRegistry registry = io.jetmesh.protocol.MeshRegistry.parse(MeshFixture.DIAG_YAML
        .replace("operations: [noop, echo, sleep, fail]", "operations: [noop, echo, sleep, fail]\n    s3_buckets: [docs]")
        .getBytes(StandardCharsets.UTF_8), "s3 allow-list registry");
    assertThat(registry.require("diag").allowsS3Bucket("docs")).isTrue();
    try (S3Blobs blobs = new S3Blobs(s3)) {
      try {
        blobs.client().createBucket(CreateBucketRequest.builder().bucket("payroll").build());
      } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException retried) {
        // see startS3
      }
      blobs.put("s3://payroll/salaries.csv", "alice,100".getBytes(StandardCharsets.UTF_8), "text/csv");
    }
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).registry(registry).modules(java.util.List.of()).start();
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-s3-allow", 2, dir, s3);
        MeshClient client = MeshClient.connect(mesh.options())) {
      JobSubmission s = client.submit(JobRequest.builder("diag.echo").input("s3://payroll/salaries.csv").build());
      try {
        s.result().get(30, TimeUnit.SECONDS);
        throw new AssertionError("the worker read a bucket outside s3_buckets");
      } catch (java.util.concurrent.ExecutionException e) {
        JobFailedException f = (JobFailedException) e.getCause();
        assertThat(f.code()).isEqualTo(io.jetmesh.protocol.ErrorCode.INVALID_INPUT);
        assertThat(f.errorMessage()).contains("payroll").contains("s3_buckets");
      }
      assertThat(client.submit(JobRequest.builder("diag.echo").input("s3://docs/reports/q3.txt").build())
          .result().get(30, TimeUnit.SECONDS).output().path("size").asLong()).isEqualTo(17);
    }
  }

  @Test
  void missingObjectFailsAtOnceWithInputNotFound() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-s3", 2, dir, s3);
        MeshClient client = MeshClient.connect(mesh.options())) {
      JobSubmission s = client.submit(JobRequest.builder("diag.echo").input("s3://docs/nope.pdf").build());
      JobFailedException e = failure(s);
      assertThat(e.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND);
      assertThat(e.status()).isEqualTo(JobState.FAILED);
      assertThat(e.result().attempts()).isEqualTo(1);
      assertThat(e.errorMessage()).contains("s3://docs/nope.pdf");
    }
  }

  /**
   * {@code jetmesh submit} with a bare key (the original system's {@code s3_key}) reads it from the default bucket
   * ({@code --s3-bucket} or JETMESH_S3_BUCKET), as DocumentService does; without one it is a usage error that names
   * both ways to fix it, before anything connects.
   */
  @Test
  void submitResolvesABareKeyAgainstTheDefaultBucket() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-s3", 2, dir, s3)) {
      String[] conn = {"--nats-url", mesh.url(), "--token", mesh.token(), "--namespaces", MeshFixture.writeRegistry(dir).toString()};
      Run ok = cli(concat(new String[] {"submit", "diag.echo", "reports/q3.txt", "--s3-bucket", "docs", "--wait"}, conn));
      assertThat(ok.exit).as(ok.err).isZero();
      assertThat(ok.err).contains("submitting s3://docs/reports/q3.txt");
      assertThat(Json.mapper().readTree(ok.out).path("output").path("size").asLong()).isEqualTo(17);

      Run noBucket = cli(concat(new String[] {"submit", "diag.echo", "reports/q3.txt", "--wait"}, conn));
      assertThat(noBucket.exit).isEqualTo(io.jetmesh.cli.support.ExitCodes.USAGE);
      assertThat(noBucket.err).contains("reports/q3.txt", "--s3-bucket", "JETMESH_S3_BUCKET", "s3://bucket/key");
      assertThat(noBucket.out).isEmpty();
    }
  }

  @Test
  void s3OutageIsRetriedThenDeadLetteredAndReplayableOnceS3IsBack() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-s3", 2, dir, s3);
        MeshClient client = MeshClient.connect(mesh.options())) {
      proxy.stop();
      JobSubmission s = client.submit(JobRequest.builder("diag.echo").input("s3://docs/reports/q3.txt").build());
      JobFailedException e = failure(s);
      assertThat(e.status()).isEqualTo(JobState.DEAD);
      assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(e.result().attempts()).isEqualTo(3);

      String[] conn = {"--nats-url", mesh.url(), "--token", mesh.token(), "--namespaces", MeshFixture.writeRegistry(dir).toString()};
      Run list = cli(concat(new String[] {"dlq", "list"}, conn));
      assertThat(list.exit).isZero();
      assertThat(list.out).contains(s.jobId()).contains("1 dead letters");

      startS3Again();
      Run replay = cli(concat(new String[] {"dlq", "replay", s.jobId()}, conn));
      assertThat(replay.exit).as(replay.err).isZero();
      assertThat(replay.out).contains("replayed " + s.jobId());
      JobResult after = client.await(s.jobId(), null).get(30, TimeUnit.SECONDS);
      assertThat(after.status()).isEqualTo(JobState.COMPLETED);
      assertThat(after.output().path("size").asLong()).isEqualTo(17);
      assertThat(cli(concat(new String[] {"dlq", "list"}, conn)).out).contains("0 dead letters");
    }
  }

  @Test
  void s3EndpointThatNeverAnswersEndsUnavailableWithinTheJobLimit() throws Exception {
    // A TCP endpoint that accepts connections and never answers: the worst kind of slow S3.
    try (java.net.ServerSocket blackHole = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
          while (!blackHole.isClosed()) {
            held.add(blackHole.accept());
          }
        } catch (java.io.IOException ignored) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      S3Settings slow = S3Settings.DEFAULTS.withEndpoint(URI.create("http://127.0.0.1:" + blackHole.getLocalPort()), true)
          .withCredentials("test-access", "test-secret").withTimeout(Duration.ofSeconds(1));
      try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
          Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-slow-s3", 2, dir, slow);
          MeshClient client = MeshClient.connect(mesh.options())) {
        long t0 = System.nanoTime();
        JobFailedException e = failure(client.submit(JobRequest.builder("diag.echo").input("s3://docs/reports/q3.txt")
            .timeout(Duration.ofSeconds(50)).build()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.status()).isEqualTo(JobState.DEAD);
        assertThat(e.errorMessage()).contains("unreachable or too slow");
        assertThat(seconds).as("retried with backoff, then answered within the job's limit").isLessThan(50);
      }
    }
  }

  private void startS3Again() throws Exception {
    proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret").build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(5);
    }
    try (S3Blobs blobs = new S3Blobs(s3)) {
      try {
        blobs.client().createBucket(CreateBucketRequest.builder().bucket("docs").build());
      } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException retried) {
        // The first attempt outlived the 2 s timeout on a loaded machine but created the bucket; the SDK's retry
        // then finds it. Either way the bucket exists, which is all the set-up needs.
      }
      blobs.put("s3://docs/reports/q3.txt", "quarterly numbers".getBytes(StandardCharsets.UTF_8), "text/plain");
    }
  }

  static JobFailedException failure(JobSubmission s) throws Exception {
    try {
      s.result().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JobFailedException jf) {
        return jf;
      }
      throw e;
    }
    throw new AssertionError("job succeeded");
  }

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) {
    CommandLine cl = JetmeshCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
