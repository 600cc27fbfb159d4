package io.jetmesh.tests;

import static io.jetmesh.tests.S3InputTest.cli;
import static io.jetmesh.tests.S3InputTest.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.Worker;
import io.jetmesh.cli.support.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.jetmesh.cli.JetmeshCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jetmesh command as a user runs it: help texts, exit codes, provisioning, run/submit/status/result. */
class CliTest {
  @TempDir Path dir;

  @Test
  void everyCommandHasHelp() {
    for (String cmd : new String[] {"provision", "submit", "status", "result", "cancel", "workers", "dev", "run",
        "convert", "demo", "bench", "worker", "gateway"}) {
      S3InputTest.Run r = cli(cmd, "--help");
      assertThat(r.exit()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: jetmesh " + cmd).contains("--help");
    }
    assertThat(cli("dlq", "replay", "--help").out()).contains("--all");
    assertThat(cli("worker", "diag", "--help").out()).contains("Usage: jetmesh worker diag").contains("--concurrency")
        .contains("--drain-timeout").contains("NATS_URL");
    assertThat(cli("--help").out()).contains("Exit codes");
  }

  /**
   * Issue 12, defect 14: the command list of {@code jetmesh --help} shows each command's first description line, so
   * that line is a complete sentence; a command's own options come before the connection options.
   */
  @Test
  void helpSummariesAreSentencesAndCommandOptionsComeFirst() {
    java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(List.of(JetmeshCli.commandLine()));
    int checked = 0;
    while (!todo.isEmpty()) {
      picocli.CommandLine cl = todo.pop();
      todo.addAll(cl.getSubcommands().values());
      // the command list shows the header when there is one, else the first description line
      String[] header = cl.getCommandSpec().usageMessage().header();
      String[] description = header.length > 0 ? header : cl.getCommandSpec().usageMessage().description();
      String name = cl.getCommandSpec().qualifiedName();
      assertThat(description).as(name).isNotEmpty();
      assertThat(description[0]).as(name + ": first help line").endsWith(".").hasSizeLessThanOrEqualTo(120)
          .doesNotContain("%n");
      String help = cl.getUsageMessage(picocli.CommandLine.Help.Ansi.OFF);
      int connection = help.indexOf("Connection (each falls back");
      if (cl.getCommandSpec().findOption("--nats-url") != null) {
        assertThat(connection).as(name + " --help has the connection heading").isPositive();
        assertThat(help.indexOf("--nats-url=")).as(name).isGreaterThan(connection);
        assertThat(help.indexOf("--help")).as(name + ": its own options first").isLessThan(connection);
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(15);
  }

  @Test
  void provisionIsIdempotentAndReportsWhatChanged() throws Exception {
    try (NatsServerProcess server = NatsServerProcess.builder(dir.resolve("nats")).token("tok").start()) {
      String[] conn = {"--nats-url", server.url(), "--token", "tok"};
      S3InputTest.Run first = cli(concat(new String[] {"provision"}, conn));
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out()).contains("created   stream     PDF_PROCESSING").contains("created   consumer   pdf_docling_workers")
          .contains("IMAGE_PROCESSING").contains("TEXT_ANALYSIS").contains("AUDIO_TRANSCRIPTION").contains("JETMESH_RESULTS")
          .contains("JETMESH_DLQ").contains("jetmesh-status").contains("jetmesh-blobs");
      S3InputTest.Run second = cli(concat(new String[] {"provision"}, conn));
      assertThat(second.out()).doesNotContain("created").doesNotContain("updated").contains(", 0 changed");
    }
  }

  /** The original system's worker group on a job stream: named with the way out, then replaced by the flag. */
  @Test
  void provisionNamesTheOriginalWorkerGroupAndReplacesItOnRequest() throws Exception {
    try (NatsServerProcess server = NatsServerProcess.builder(dir.resolve("nats")).token("tok").start();
        io.nats.client.Connection nc = io.nats.client.Nats.connect(io.nats.client.Options.builder()
            .server(server.url()).token("tok".toCharArray()).build())) {
      String[] conn = {"--nats-url", server.url(), "--token", "tok"};
      assertThat(cli(concat(new String[] {"provision"}, conn)).exit()).isZero();
      var jsm = nc.jetStreamManagement();
      jsm.deleteConsumer("TEXT_ANALYSIS", "text_analyze_workers");
      jsm.addOrUpdateConsumer("TEXT_ANALYSIS", io.nats.client.api.ConsumerConfiguration.builder().durable("text_workers")
          .filterSubject("text.analyze.>").ackPolicy(io.nats.client.api.AckPolicy.Explicit).build());
      nc.jetStream().publish("text.analyze.stats", "waiting job".getBytes(StandardCharsets.UTF_8));

      S3InputTest.Run refused = cli(concat(new String[] {"provision"}, conn));
      assertThat(refused.exit()).isEqualTo(ExitCodes.ERROR);
      assertThat(refused.err()).contains("'text_workers' (1 waiting, 0 unacknowledged)")
          .contains("jetmesh provision --replace-legacy-consumers").contains("worker_group: text_workers");
      assertThat(cli("provision", "--help").out()).contains("--replace-legacy-consumers");

      S3InputTest.Run replaced = cli(concat(new String[] {"provision", "--replace-legacy-consumers"}, conn));
      assertThat(replaced.exit()).as(replaced.err()).isZero();
      assertThat(replaced.out()).contains("created   consumer   text_analyze_workers")
          .contains("replaces the original system's 'text_workers': 1 waiting, 0 unacknowledged carried over");
      assertThat(jsm.getConsumerNames("TEXT_ANALYSIS")).containsExactly("text_analyze_workers");
      assertThat(jsm.getConsumerInfo("TEXT_ANALYSIS", "text_analyze_workers").getNumPending()).isEqualTo(1);
    }
  }

  @Test
  void wrongTokenAndUnreachableServerGiveClearErrorsAndExitCodes() throws Exception {
    try (NatsServerProcess server = NatsServerProcess.builder(dir.resolve("nats")).token("tok").start()) {
      S3InputTest.Run bad = cli("status", "X", "--nats-url", server.url(), "--token", "nope");
      assertThat(bad.exit()).isEqualTo(ExitCodes.AUTH);
      assertThat(bad.err()).contains("refused the credentials");
    }
    int port = NatsServerProcess.freePort();
    S3InputTest.Run down = cli("workers", "--nats-url", "nats://127.0.0.1:" + port);
    assertThat(down.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(down.err()).contains("cannot connect to NATS at nats://127.0.0.1:" + port);
  }

  @Test
  void runWritesEachResultNextToItsNameAndFailuresAsErrors() throws Exception {
    try (EmbeddedMesh mesh = MeshFixture.serverOnly(dir);
        Worker w = MeshFixture.inProcessWorker(mesh.options(), "diag-cli", 2, dir, null)) {
      Path a = Files.writeString(dir.resolve("a.txt"), "alpha");
      Path b = Files.writeString(dir.resolve("b.txt"), "beta!");
      Path out = dir.resolve("out");
      String[] conn = {"--nats-url", mesh.url(), "--token", mesh.token(), "--namespaces", MeshFixture.writeRegistry(dir).toString()};
      S3InputTest.Run ok = cli(concat(new String[] {"run", "diag.echo", a.toString(), b.toString(), "-o", out.toString()}, conn));
      assertThat(ok.exit()).as(ok.err()).isZero();
      assertThat(Files.readString(out.resolve("a.txt.json"))).contains("\"size\" : 5");
      assertThat(ok.out()).contains("2 of 2 files ok");

      S3InputTest.Run failed = cli(concat(new String[] {"run", "diag.fail", a.toString(), "-o", out.toString(),
          "--options", "{\"code\":\"INVALID_INPUT\",\"message\":\"not a thing\"}"}, conn));
      assertThat(failed.exit()).isEqualTo(ExitCodes.JOBS_FAILED);
      String error = Files.readString(out.resolve("a.txt.error.json"), StandardCharsets.UTF_8);
      assertThat(error).contains("INVALID_INPUT").contains("not a thing");

      S3InputTest.Run submit = cli(concat(new String[] {"submit", "diag.noop", a.toString()}, conn));
      assertThat(submit.exit()).as(submit.err()).isZero();
      String jobId = submit.out().trim();
      MeshFaultTest.awaitState(io.jetmesh.client.MeshClient.connect(mesh.options()), jobId, io.jetmesh.protocol.JobState.COMPLETED, null);
      assertThat(cli(concat(new String[] {"status", jobId}, conn)).out()).contains("\"state\" : \"completed\"");
      assertThat(cli(concat(new String[] {"result", jobId, "--output-only"}, conn)).out()).contains("\"ok\" : true");
      S3InputTest.Run workers = cli(concat(new String[] {"workers"}, conn));
      assertThat(workers.out()).contains("diag-cli").contains("DIAGNOSTICS");
    }
  }
}
