package io.jetmesh.tests;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code jetmesh} command as a user's shell runs it: a child JVM of the real launcher, with its own working
 * directory and environment, its stdout, stderr and exit code read back. With {@code -Pdist} ({@code scripts/test},
 * which sets {@code jetmesh.dist.required}) that is {@code java -jar cli/target/dist/jetmesh.jar}, the jar users
 * get; otherwise the classpath {@code ./jetmesh} execs ({@code cli/target/classes} and {@code cli/target/classpath.txt},
 * written when the cli module is packaged, so these tests run from {@code mvn verify}).
 *
 * <p>The child sees none of the caller's {@code NATS_*} and {@code JETMESH_*} variables and no {@code .env} of the
 * checkout: a test gives the settings it means.
 */
final class Launcher {
  /** One finished run. */
  record Result(List<String> args, int exit, String out, String err) {
    /** Stdout parsed as one JSON document: fails when anything else (a log line, a progress bar) is in it. */
    JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (IOException e) {
        throw new AssertionError("stdout of jetmesh " + String.join(" ", args) + " is not one JSON document: "
            + e.getMessage() + "\n--- stdout\n" + out + "--- stderr\n" + err);
      }
    }

    /** For assertion messages. */
    String describe() {
      return "jetmesh " + String.join(" ", args) + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Path cwd;
  private final Map<String, String> env;
  private final String heap;

  private Launcher(Path cwd, Map<String, String> env, String heap) {
    this.cwd = cwd;
    this.env = env;
    this.heap = heap;
  }

  /** A launcher running in {@code cwd} with a clean environment. */
  static Launcher in(Path cwd) {
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!k.startsWith("NATS_") && !k.startsWith("JETMESH_")) {
        env.put(k, v);
      }
    });
    env.put("OMP_THREAD_LIMIT", "1");
    return new Launcher(cwd, env, "768m");
  }

  /** A copy with one more environment variable. */
  Launcher env(String key, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(key, value);
    return new Launcher(cwd, copy, heap);
  }

  /** A copy whose JVM gets this -Xmx (the dev mesh runs every worker). */
  Launcher heap(String xmx) {
    return new Launcher(cwd, env, xmx);
  }

  Path cwd() {
    return cwd;
  }

  /** The command line of the launcher, without arguments. */
  List<String> command() {
    Path root = InfraRoot.path();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m"));
    Path jar = root.resolve("cli/target/dist/jetmesh.jar");
    if (Boolean.getBoolean("jetmesh.dist.required")) {
      if (!Files.isRegularFile(jar)) {
        throw new AssertionError("the -Pdist build has no " + jar);
      }
      cmd.addAll(List.of("-jar", jar.toString()));
      return cmd;
    }
    Path cpFile = root.resolve("cli/target/classpath.txt");
    if (!Files.isRegularFile(cpFile)) {
      throw new AssertionError(cpFile + " is missing: these tests run the packaged CLI; run them with 'mvn verify'"
          + " (or package the cli module first)");
    }
    try {
      cmd.addAll(List.of("-cp", root.resolve("cli/target/classes") + File.pathSeparator
          + Files.readString(cpFile).strip(), "io.jetmesh.cli.JetmeshCli"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return cmd;
  }

  /** Runs {@code jetmesh ARGS} to its end (at most {@code limit}), stdin closed. */
  Result run(Duration limit, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(cwd, "stdout", ".txt");
    Path err = Files.createTempFile(cwd, "stderr", ".txt");
    Process p = start(out, err, args);
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("jetmesh " + String.join(" ", args) + " did not end within " + limit + "\n--- stdout\n"
          + Files.readString(out) + "--- stderr\n" + Files.readString(err));
    }
    Result r = new Result(List.of(args), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return r;
  }

  /** Starts {@code jetmesh ARGS} (a long-running command), stdout and stderr to the files given. */
  Process start(Path stdout, Path stderr, String... args) throws IOException {
    List<String> cmd = command();
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The checkout's root (the directory holding namespaces.yaml). */
  static final class InfraRoot {
    private InfraRoot() {}

    static Path path() {
      Path dir = Path.of("").toAbsolutePath();
      while (dir != null && !Files.isRegularFile(dir.resolve("namespaces.yaml"))) {
        dir = dir.getParent();
      }
      if (dir == null) {
        throw new IllegalStateException("namespaces.yaml not found above " + Path.of("").toAbsolutePath());
      }
      return dir;
    }
  }
}
