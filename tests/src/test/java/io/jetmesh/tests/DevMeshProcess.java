package io.jetmesh.tests;

import io.jetmesh.client.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code jetmesh dev} started as a process (the real launcher, every worker of the build) and shared by the
 * process-level CLI tests of this JVM: started on first use, stopped when the test JVM exits. It is the "external
 * mesh" a user reaches with {@code --nats-url}, environment variables or a {@code .env} file.
 */
final class DevMeshProcess {
  final Path dir;
  final Process process;
  final String url;
  final String token;
  final Path stdout;
  final Path stderr;

  private static DevMeshProcess shared;

  private DevMeshProcess(Path dir) throws IOException, InterruptedException {
    this.dir = Files.createDirectories(dir);
    Path envFile = dir.resolve("dev.env");
    this.stdout = dir.resolve("dev.out");
    this.stderr = dir.resolve("dev.err");
    this.process = Launcher.in(dir).heap("1500m").start(stdout, stderr, "dev", "--env-file", envFile.toString(),
        "--gateway-port", "-1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (!(Files.exists(envFile) && Files.readString(stdout).contains("Ctrl-C to stop."))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("jetmesh dev did not come up (exit " + (process.isAlive() ? "-" : process.exitValue())
            + ")\n--- stdout\n" + Files.readString(stdout) + "--- stderr\n" + Files.readString(stderr));
      }
      Thread.sleep(200);
    }
    Map<String, String> vars = Env.parseDotEnv(envFile);
    this.url = vars.get("NATS_URL");
    this.token = vars.get("NATS_TOKEN");
  }

  /** The shared dev mesh, started on first call. */
  static synchronized DevMeshProcess shared() throws IOException, InterruptedException {
    if (shared == null || !shared.process.isAlive()) {
      Path dir = Files.createTempDirectory("jetmesh-dev-process");
      DevMeshProcess dev = new DevMeshProcess(dir);
      Runtime.getRuntime().addShutdownHook(new Thread(dev::stop, "jetmesh-dev-process-stop"));
      shared = dev;
    }
    return shared;
  }

  /** {@code --nats-url URL --token TOKEN}. */
  String[] flags() {
    return new String[] {"--nats-url", url, "--token", token};
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
