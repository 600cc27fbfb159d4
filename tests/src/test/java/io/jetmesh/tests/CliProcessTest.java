package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.cli.support.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects a new user met in the first hour (issue 12), each reproduced the way the user met it: the real
 * launcher run as a child process ({@link Launcher}), its stdout, stderr and exit code read back. The external mesh
 * is one shared {@code jetmesh dev} process ({@link DevMeshProcess}).
 */
class CliProcessTest {
  static final Duration LIMIT = Duration.ofMinutes(3);
  static DevMeshProcess dev;
  @TempDir Path dir;

  @RegisterExtension static final DevMeshProcess.Extension DEV = new DevMeshProcess.Extension();

  @BeforeAll
  static void startDev() {
    dev = DEV.get();
  }

  private Launcher jetmesh() {
    return Launcher.in(dir);
  }

  private static String[] with(String[] head, String... tail) {
    return S3InputTest.concat(head, tail);
  }

  private MeshClient client() throws Exception {
    return MeshClient.connect(MeshOptions.builder().servers(dev.url).token(dev.token).build());
  }

  /** Defect 1: status, result and submit --wait printed nothing (stdout never flushed before the JVM exited). */
  @Test
  void statusResultAndSubmitWaitPrintTheirJsonOnStdout() throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "alpha");
    Launcher.Result submitted = jetmesh().run(LIMIT, with(new String[] {"submit", "diag.echo", file.toString(), "--wait"}, dev.flags()));
    assertThat(submitted.exit()).as(submitted.describe()).isZero();
    JsonNode result = submitted.json();
    assertThat(result.path("status").asText()).as(submitted.describe()).isEqualTo("completed");
    assertThat(result.path("output").path("size").asInt()).isEqualTo(5);
    String id = result.path("id").asText();

    Launcher.Result status = jetmesh().run(LIMIT, with(new String[] {"status", id}, dev.flags()));
    assertThat(status.exit()).as(status.describe()).isZero();
    assertThat(status.json().path("state").asText()).isEqualTo("completed");
    Launcher.Result stored = jetmesh().run(LIMIT, with(new String[] {"result", id, "--output-only"}, dev.flags()));
    assertThat(stored.exit()).as(stored.describe()).isZero();
    assertThat(stored.json().path("size").asInt()).isEqualTo(5);
  }

  /** Defect 2: submit without --wait printed an id for a job that never reached the stream. */
  @Test
  void aPrintedJobIdIsAStoredJob() throws Exception {
    Path file = Files.writeString(dir.resolve("b.txt"), "stored!");
    Launcher.Result r = jetmesh().run(LIMIT, with(new String[] {"submit", "diag.echo", file.toString()}, dev.flags()));
    assertThat(r.exit()).as(r.describe()).isZero();
    String id = r.out().strip();
    assertThat(id).as(r.describe()).matches("[A-Za-z0-9_-]+");
    try (MeshClient client = client()) {
      JobResult done = client.await(id, null).get(120, TimeUnit.SECONDS);
      assertThat(done.output().path("size").asInt()).isEqualTo(7);
    }
  }

  /** Defect 4: run hung silently on a subject no worker serves; submit contradicted itself on a prefix. */
  @Test
  void aSubjectNoWorkerServesFailsFastNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("talk.wav"), "RIFF");
    Launcher.Result embedded = jetmesh().run(Duration.ofSeconds(90), "run", "audio.transcribe.transcribe", file.toString());
    assertThat(embedded.exit()).as(embedded.describe()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(embedded.err()).contains("no worker serves audio.transcribe.transcribe", "namespace 'audio'",
        "declared in namespaces.yaml").doesNotContain("starting the embedded mesh");

    Launcher.Result external = jetmesh().run(Duration.ofSeconds(90),
        with(new String[] {"run", "audio.transcribe.transcribe", file.toString()}, dev.flags()));
    assertThat(external.exit()).as(external.describe()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(external.err()).contains("no worker serves audio.transcribe.transcribe", "no live worker answered");

    Launcher.Result prefix = jetmesh().run(LIMIT, with(new String[] {"submit", "audio.transcribe", file.toString()}, dev.flags()));
    assertThat(prefix.exit()).as(prefix.describe()).isEqualTo(ExitCodes.USAGE);
    assertThat(prefix.err()).contains("subject prefix of service 'audio'", "audio.transcribe.transcribe")
        .doesNotContain("no service handles");
  }

  /** Defect 5: usage errors exited 5, malformed JSON showed Jackson internals after the mesh had started. */
  @Test
  void usageErrorsExit2WithOneClearLineBeforeAnythingStarts() throws Exception {
    Path file = Files.writeString(dir.resolve("c.txt"), "gamma");
    Launcher.Result unknown = jetmesh().run(LIMIT, "sumbit", "diag.echo");
    assertThat(unknown.exit()).as(unknown.describe()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("sumbit", "submit", "jetmesh --help");
    assertThat(unknown.out()).isEmpty();

    Launcher.Result missing = jetmesh().run(LIMIT, "status");
    assertThat(missing.exit()).as(missing.describe()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("JOB_ID");

    for (String[] args : new String[][] {
        {"run", "diag.echo", file.toString(), "--options", "{bad json"},
        {"submit", "diag.echo", file.toString(), "--wait", "--options", "{\"a\":}"},
        {"submit", "diag.echo", file.toString(), "--wait", "--options", "[1,2]"}}) {
      Launcher.Result bad = jetmesh().run(LIMIT, args);
      assertThat(bad.exit()).as(bad.describe()).isEqualTo(ExitCodes.USAGE);
      assertThat(bad.err()).as(bad.describe()).contains("--options").doesNotContain("Source:").doesNotContain("REDACTED")
          .doesNotContain("com.fasterxml").doesNotContain("starting the embedded mesh");
    }
  }

  /**
   * Defect 6: log lines went to stdout, mixed with results; library chatter (PDFBox font fallback) on every
   * document. Also: the long-running worker command logs at INFO, on stderr.
   */
  @Test
  void stdoutHoldsOnlyTheResultAndWorkersLogAtInfoOnStderr() throws Exception {
    // a PDF whose font is not embedded: PDFBox falls back to a system font and says so at WARN
    Path pdf = Files.write(dir.resolve("report.pdf"), UserFiles.pdf(null));
    Launcher.Result r = jetmesh().run(LIMIT, with(new String[] {"submit", "pdf.docling.convert", pdf.toString(), "--wait",
        "--options", "{\"to_formats\":[\"md\"]}"}, dev.flags()));
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.json().path("output").path("markdown").asText()).contains("Invoice 4711");
    assertThat(r.err()).doesNotContain("fallback font");

    Path out = dir.resolve("worker.out");
    Path err = dir.resolve("worker.err");
    Process worker = jetmesh().start(out, err, with(new String[] {"worker", "diag", "--concurrency", "1"}, dev.flags()));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(err).contains("serving diag.*") && worker.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(Files.readString(err)).as("worker stderr").contains(" INFO ").contains("serving diag.*");
      assertThat(Files.readString(out)).as("worker stdout").doesNotContain(" INFO ");
    } finally {
      worker.destroy();
      worker.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Defect 7: .env values kept their inline comments. */
  @Test
  void dotEnvFollowsTheDotenvConventions() throws Exception {
    Files.writeString(dir.resolve(".env"), "# the dev mesh\nexport NATS_URL=" + dev.url + "   # dev\n"
        + "NATS_TOKEN=\"" + dev.token + "\" # quoted\nJETMESH_CLIENT_ID='dotenv-client'\n");
    Launcher.Result r = jetmesh().run(LIMIT, "workers");
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).contains("pdf-embedded", "PDF_PROCESSING");
  }

  /** Defect 8: the encrypted-PDF error named options.password; --password (the NATS password) was taken silently. */
  @Test
  void encryptedPdfErrorsNameTheFlagAndPasswordIsNotTakenForIt() throws Exception {
    Path pdf = Files.write(dir.resolve("locked.pdf"), UserFiles.pdf("sesame"));
    Path out = dir.resolve("out");
    Launcher.Result wrongFlag = jetmesh().run(LIMIT, with(new String[] {"convert", pdf.toString(), "-o", out.toString(),
        "--password", "sesame"}, dev.flags()));
    assertThat(wrongFlag.exit()).as(wrongFlag.describe()).isEqualTo(ExitCodes.USAGE);
    assertThat(wrongFlag.err()).contains("--password is the NATS password", "--pdf-password");

    Launcher.Result none = jetmesh().run(LIMIT, with(new String[] {"convert", pdf.toString(), "-o", out.toString()}, dev.flags()));
    assertThat(none.exit()).as(none.describe()).isEqualTo(ExitCodes.JOBS_FAILED);
    assertThat(Files.readString(out.resolve("locked.pdf.error.json"))).contains("--pdf-password");

    Launcher.Result ok = jetmesh().run(LIMIT, with(new String[] {"convert", pdf.toString(), "-o", out.toString(),
        "--pdf-password", "sesame", "--to", "md"}, dev.flags()));
    assertThat(ok.exit()).as(ok.describe()).isZero();
    assertThat(Files.readString(out.resolve("locked.md"))).contains("Invoice 4711");
  }
}
