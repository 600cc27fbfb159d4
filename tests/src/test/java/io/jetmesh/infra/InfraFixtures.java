package io.jetmesh.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Shared plumbing of the infrastructure tests: the repository layout, setup.sh runs, ports, credentials. */
final class InfraFixtures {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private InfraFixtures() {}

  /** The repository root: the nearest directory upwards that holds namespaces.yaml (surefire runs in tests/). */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("namespaces.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("namespaces.yaml not found above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path setupScript() {
    return repoRoot().resolve("infrastructure/nats-server/setup.sh");
  }

  /** The service types of namespaces.yaml: name, stream, subject prefix, worker group. */
  record Namespace(String name, String stream, String subjectPrefix, String workerGroup) {}

  static List<Namespace> namespaces() throws IOException {
    JsonNode root = YAML.readTree(repoRoot().resolve("namespaces.yaml").toFile());
    List<Namespace> result = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = root.path("namespaces").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode ns = e.getValue();
      result.add(new Namespace(e.getKey(), ns.path("stream").asText(), ns.path("subject_prefix").asText(),
          ns.path("worker_group").asText()));
    }
    return result;
  }

  static Namespace namespace(String name) throws IOException {
    return namespaces().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  record ScriptRun(int exitCode, String output) {}

  /** Runs setup.sh with the given arguments; stdout and stderr together, at most {@code timeout}. */
  static ScriptRun runSetup(Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(setupScript().toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("setup-sh", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("setup.sh " + String.join(" ", args) + " did not finish in " + timeout
            + ":\n" + Files.readString(log));
      }
      return new ScriptRun(p.exitValue(), Files.readString(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Runs setup.sh and fails the test with its output when it does not exit 0. */
  static String setupOk(String... args) throws IOException, InterruptedException {
    ScriptRun run = runSetup(Duration.ofSeconds(90), args);
    assertThat(run.exitCode()).as("setup.sh %s exit code; output:%n%s", String.join(" ", args), run.output())
        .isZero();
    return run.output();
  }

  /** A credentials file written by setup.sh ({@code KEY=VALUE} lines, # comments). */
  static Map<String, String> readEnvFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return env;
  }

  /** GET on the monitoring port; the body, or null when nothing answers. */
  static String httpGet(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
        return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return null;
    }
  }

  /** Waits until {@code /healthz} of a monitoring port says ok (JetStream included). */
  static void awaitHealthy(int monitorPort, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = httpGet("http://127.0.0.1:" + monitorPort + "/healthz");
      if (last != null && last.contains("\"ok\"")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nats-server on monitor port " + monitorPort + " not healthy after " + timeout
        + "; last answer: " + last);
  }
}
