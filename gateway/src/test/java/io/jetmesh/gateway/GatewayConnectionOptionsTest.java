package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.cli.support.ExitCodes;
import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.Provisioner;
import io.nats.client.Connection;
import io.nats.client.NKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The gateway reads its mesh connection as every jetmesh command does (cli-support's connection options): NKey seed
 * files and TLS settings, {@code NATS_URL} from a {@code .env} file in its working directory, the shared exit codes
 * and the {@code --help} layout with the connection options last under their own heading.
 */
class GatewayConnectionOptionsTest {
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = GatewayCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsGatewayOptionsFirstThenTheConnectionOptionsAndTheExitCodes() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    int heading = r.out().indexOf("Connection (each falls back to its environment variable");
    assertThat(heading).as(r.out()).isPositive();
    assertThat(r.out().indexOf("--api-keys-file")).isBetween(0, heading);
    assertThat(r.out().indexOf("--upload-dir")).isBetween(0, heading);
    for (String option : List.of("--nats-url", "--nkey-seed-file", "--tls-ca", "--tls-cert", "--tls-key", "--creds",
        "--client-id")) {
      assertThat(r.out().indexOf(option)).as(option + " under the connection heading").isGreaterThan(heading);
    }
    assertThat(r.out()).contains("JETMESH_GATEWAY_CLIENT_ID", "0   stopped",
        "3   NATS unreachable", "4   NATS refused the credentials");
  }

  @Test
  void unreadableNkeySeedFileIsNamed() throws Exception {
    Path seed = tmp.resolve("missing.nk");
    Run r = run("--no-auth", "--port", "0", "--nats-url", "nats://127.0.0.1:1", "--nkey-seed-file", seed.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("nkey seed file not readable", seed.toString());
  }

  @Test
  void unusableTlsCaIsNamed() throws Exception {
    Path ca = Files.writeString(tmp.resolve("ca.pem"), "not a certificate\n");
    Run r = run("--no-auth", "--port", "0", "--nats-url", "nats://127.0.0.1:1", "--tls-ca", ca.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("TLS");
  }

  @Test
  void refusedNkeyIsExitCode4AndTheRightOneStartsWithNatsUrlFromDotEnv() throws Exception {
    Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed: skipped");
    NKey user = NKey.createUser(null);
    Path seed = Files.writeString(tmp.resolve("gateway.nk"), new String(user.getSeed()) + "\n");
    Path wrongSeed = Files.writeString(tmp.resolve("other.nk"), new String(NKey.createUser(null).getSeed()) + "\n");
    try (NatsServerProcess nats = NatsServerProcess.builder(tmp.resolve("nats"))
        .extraConfig("authorization { users = [ { nkey: \"" + new String(user.getPublicKey()) + "\" } ] }").start()) {
      MeshOptions admin = MeshOptions.builder().servers(nats.url()).nkeySeedFile(seed).build();
      try (Connection c = Connections.connect(admin, "provision", null)) {
        new Provisioner(c, admin.registry()).provision();
      }

      Run refused = run("--no-auth", "--port", "0", "--nats-url", nats.url(), "--nkey-seed-file", wrongSeed.toString());
      assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCodes.AUTH);

      Path work = Files.createDirectories(tmp.resolve("work"));
      Files.writeString(work.resolve(".env"), "# the gateway's mesh\nNATS_URL=" + nats.url() + "\n");
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), "io.jetmesh.gateway.GatewayCommand",
          "--no-auth", "--port", "0", "--nkey-seed-file", seed.toString());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(work.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("NATS_") || k.startsWith("JETMESH_"));
      Process gw = pb.start();
      try {
        CompletableFuture<String> started = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
          try (BufferedReader in = new BufferedReader(new InputStreamReader(gw.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
              synchronized (log) {
                log.append(line).append('\n');
              }
              if (line.startsWith("jetmesh gateway on ")) {
                started.complete(line);
              }
            }
          } catch (Exception ignored) {
            // the process ended
          }
          started.complete(null);
        });
        reader.setDaemon(true);
        reader.start();
        String line = started.get(120, TimeUnit.SECONDS);
        synchronized (log) {
          assertThat(line).as("the gateway did not start:\n" + log).isNotNull();
        }
        assertThat(line).contains(nats.url().replace("nats://", ""));
      } finally {
        gw.destroy();
        if (!gw.waitFor(30, TimeUnit.SECONDS)) {
          gw.destroyForcibly();
        }
      }
      assertThat(gw.exitValue()).as("SIGTERM stops the gateway with 0 (or the JVM's 143)").isIn(0, 143);
    }
  }
}
