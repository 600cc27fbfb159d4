package io.jetmesh.cli;

import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.Worker;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import io.jetmesh.cli.support.StopOnSignal;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Keep an embedded mesh up for other clients until Ctrl-C.",
        "A local nats-server child process, provisioned, with every worker of this build running in this process "
            + "(and the HTTP gateway when built in)."},
    footer = {ExitCodes.HELP})
final class DevCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "NATS client port (default: a free port)")
  int port;

  @Option(names = "--dir", paramLabel = "DIR", description = "JetStream store directory (default: a temp directory, deleted on exit)")
  Path dir;

  @Option(names = "--env-file", paramLabel = "FILE", description = "Also write NATS_URL and NATS_TOKEN to FILE (e.g. .env, mode 0600), for other commands")
  Path envFile;

  @Option(names = "--gateway-port", paramLabel = "PORT", defaultValue = "8080", description = "HTTP gateway port, -1 = no gateway (default: ${DEFAULT-VALUE})")
  int gatewayPort;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    EmbeddedMesh.Builder b = EmbeddedMesh.builder().port(port).registry(connection.registry());
    if (dir != null) {
      b.dir(dir);
    }
    StopOnSignal<Running> life = StopOnSignal.install("jetmesh-dev-shutdown", r -> {
      try {
        if (r.gateway() != null) {
          r.gateway().close();
        }
      } catch (Exception ignored) {
        // stopping anyway
      }
      r.mesh().close();
    });
    Running running = life.start(() -> {
      EmbeddedMesh started = b.start();
      try {
        return new Running(started, gatewayPort >= 0 ? DevGateway.start(started, gatewayPort, out) : null);
      } catch (Exception | Error e) {
        started.close();
        throw e;
      }
    });
    EmbeddedMesh mesh = running.mesh();
    out.printf("jetmesh dev mesh running%n  export NATS_URL=%s%n  export NATS_TOKEN=%s%n", mesh.url(), mesh.token());
    for (Worker w : mesh.workers()) {
      out.printf("  worker %s%n", w.describe());
    }
    if (envFile != null) {
      writePrivate(envFile, "NATS_URL=" + mesh.url() + "\nNATS_TOKEN=" + mesh.token() + "\n");
      out.printf("  wrote %s%n", envFile);
    }
    out.println("Ctrl-C to stop.");
    out.flush();
    life.awaitStopped();
    return ExitCodes.OK;
  }

  /** What `jetmesh dev` runs until stopped. */
  private record Running(EmbeddedMesh mesh, AutoCloseable gateway) {}

  /**
   * Writes a file only its owner can read (0600): it holds the mesh's token. An existing file is narrowed to 0600
   * before the token is written into it.
   */
  static void writePrivate(Path file, String content) throws IOException {
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    try {
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
      } catch (FileAlreadyExistsException e) {
        Files.setPosixFilePermissions(file, ownerOnly);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the platform's defaults apply
    }
    Files.writeString(file, content);
  }
}
