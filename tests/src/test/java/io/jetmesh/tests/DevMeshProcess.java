package io.jetmesh.tests;

import io.jetmesh.client.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

  /**
   * The shared dev mesh, started on first call and stopped when the test run ends: it lives in the root store of
   * JUnit's extension context, which closes it after the last test class (a JVM shutdown hook would not run when
   * surefire ends its fork, leaving the child behind).
   */
  static DevMeshProcess shared(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(DevMeshProcess.class.getName(), k -> new Shared(), Shared.class).dev();
  }

  /** The root-store entry: started on creation, stopped on close. */
  private static final class Shared implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final DevMeshProcess dev;

    Shared() {
      try {
        dev = new DevMeshProcess(Files.createTempDirectory("jetmesh-dev-process"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    DevMeshProcess dev() {
      return dev;
    }

    @Override
    public void close() {
      dev.stop();
    }
  }

  /** Gives a test class the shared dev mesh: {@code @RegisterExtension static DevMeshProcess.Extension DEV}. */
  static final class Extension implements BeforeAllCallback {
    private DevMeshProcess dev;

    @Override
    public void beforeAll(ExtensionContext context) {
      dev = shared(context);
    }

    DevMeshProcess get() {
      return dev;
    }
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
