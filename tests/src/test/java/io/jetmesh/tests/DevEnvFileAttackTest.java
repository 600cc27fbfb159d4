package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jetmesh dev --env-file} writes the mesh's token: another local user must not be able to read it, even when
 * the file already existed world-readable (a {@code .env} from an earlier run or a checkout). Runs the CLI as a
 * child process, as a developer does.
 */
class DevEnvFileAttackTest {
  @TempDir Path dir;

  @Test
  void theTokenFileIsReadableByItsOwnerOnly() throws Exception {
    Path fresh = dir.resolve("fresh.env");
    Path existing = dir.resolve("existing.env");
    Files.writeString(existing, "# an old .env\n");
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
    for (Path env : List.of(fresh, existing)) {
      Path yaml = MeshFixture.writeRegistry(dir);
      Path log = dir.resolve(env.getFileName() + ".log");
      Process dev = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), "io.jetmesh.cli.JetmeshCli", "dev", "--env-file", env.toString(),
          "--namespaces", yaml.toString(), "--gateway-port", "-1")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        for (int i = 0; i < 600 && !(Files.exists(env) && Files.readString(env).contains("NATS_TOKEN=")); i++) {
          Thread.sleep(100);
        }
        assertThat(Files.readString(env)).as(Files.readString(log)).contains("NATS_TOKEN=");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env))).as(env.toString()).isEqualTo("rw-------");
      } finally {
        dev.destroy();
        dev.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
