package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.YAML;
import static io.jetmesh.infra.InfraFixtures.repoRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.jetmesh.runtime.EmbeddedMesh;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as deploy/ ships it must start, and with authentication: the gateway refuses to start without keys or
 * JWT settings, and the shipped Kubernetes and systemd configurations used to give it neither. Each test builds the
 * environment the manifest gives the gateway (with the API keys its secret tooling creates), starts the real
 * gateway as a child process against a real nats-server, and calls it with one of the generated keys.
 */
class GatewayDeploymentTest {
  static EmbeddedMesh mesh;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    mesh = EmbeddedMesh.builder().modules(List.of()).start();
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void kubernetesGatewayStartsWithTheApiKeysThatCreateSecretsMakes() throws Exception {
    JsonNode deployment = null;
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class)
        .readValues(repoRoot().resolve("deploy/kubernetes/gateway.yaml").toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if ("Deployment".equals(doc.path("kind").asText())) {
          deployment = doc;
        }
      }
    }
    assertThat(deployment).isNotNull();
    JsonNode pod = deployment.path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    Map<String, String> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
    String keysFile = env.get("JETMESH_GATEWAY_API_KEYS_FILE");
    assertThat(keysFile).as("the gateway needs authentication").isNotNull();
    assertThat(env.get("JETMESH_GATEWAY_HOST")).as("a pod must listen beyond loopback, explicitly").isEqualTo("0.0.0.0");
    Path keysPath = Path.of(keysFile);
    JsonNode mount = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (keysPath.getParent().toString().equals(m.path("mountPath").asText())) {
        mount = m;
      }
    }
    assertThat(mount).as("a volume is mounted at " + keysPath.getParent()).isNotNull();
    assertThat(mount.path("readOnly").asBoolean()).isTrue();
    String secretName = null;
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(mount.path("name").asText())) {
        secretName = v.path("secret").path("secretName").asText(null);
      }
    }
    assertThat(secretName).as("the keys come from a Secret").isNotNull();
    assertThat(pod.path("securityContext").path("fsGroup").asInt()).as("the non-root user can read the mounted secret")
        .isEqualTo(pod.path("securityContext").path("runAsGroup").asInt());

    Path created = runCreateSecrets(secretName, keysPath.getFileName().toString());
    env.put("JETMESH_GATEWAY_API_KEYS_FILE", created.toString());
    env.put("JETMESH_GATEWAY_HOST", "127.0.0.1"); // the manifest's 0.0.0.0 would open a port on this machine's network
    startAndCall(env, created);
  }

  @Test
  void systemdGatewayStartsWithItsCredentialAndSettings() throws Exception {
    Path unit = repoRoot().resolve("deploy/systemd/jetmesh-gateway.service");
    Map<String, List<String>> keys = new HashMap<>();
    for (String line : Files.readAllLines(unit)) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    }
    assertThat(keys.get("LoadCredential")).as("the API keys are handed over as a systemd credential").hasSize(1);
    String[] credential = keys.get("LoadCredential").get(0).split(":", 2);
    assertThat(keys.get("Environment")).contains("JETMESH_GATEWAY_API_KEYS_FILE=%d/" + credential[0]);
    // what systemd does: copy the root-only file into the service's credentials directory ($CREDENTIALS_DIRECTORY, %d)
    Path credentials = Files.createDirectories(tmp.resolve("credentials"));
    Path keysFile = credentials.resolve(credential[0]);
    Matcher recipe = Pattern.compile("printf '([^']+)' \"\\$\\(k\\)\" \"\\$\\(k\\)\"").matcher(Files.readString(unit));
    assertThat(recipe.find()).as("the unit documents how to create the keys file").isTrue();
    Files.writeString(keysFile, recipe.group(1).replace("\\n", "\n").formatted(randomKey(), randomKey()));
    Map<String, String> env = InfraFixtures.readEnvFile(repoRoot().resolve("deploy/systemd/gateway.env"));
    env.remove("JAVA_OPTS");
    env.put("JETMESH_GATEWAY_API_KEYS_FILE", keysFile.toString());
    assertThat(env.get("JETMESH_GATEWAY_HOST")).isEqualTo("127.0.0.1");
    startAndCall(env, keysFile);
  }

  private static String randomKey() {
    byte[] b = new byte[30];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** Runs create-secrets.sh with a kubectl that has no secrets yet and keeps what it is asked to create. */
  private Path runCreateSecrets(String secretName, String key) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path captured = Files.createDirectories(tmp.resolve("captured"));
    Path kubectl = bin.resolve("kubectl");
    Files.writeString(kubectl, """
        #!/usr/bin/env bash
        # a kubectl without a cluster: 'get' finds nothing, 'create secret generic NAME --from-file=KEY=FILE' keeps FILE
        set -euo pipefail
        [[ "$*" == *" get secret "* ]] && exit 1
        name=""; prev=""
        for a in "$@"; do
          [[ "$prev" == generic ]] && name="$a"
          if [[ "$a" == --from-file=* ]]; then spec="${a#--from-file=}"; cp "${spec#*=}" "%s/$name.${spec%%%%=*}"; fi
          prev="$a"
        done
        """.formatted(captured));
    Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwx------"));
    ProcessBuilder pb = new ProcessBuilder("bash", repoRoot().resolve("deploy/kubernetes/create-secrets.sh").toString())
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Path file = captured.resolve(secretName + "." + key);
    assertThat(file).as("create-secrets.sh creates Secret " + secretName + " with key " + key + ":\n" + out).exists();
    return file;
  }

  /** Starts the gateway with {@code env}; the first key of {@code keysFile} must be accepted and no key refused. */
  private void startAndCall(Map<String, String> env, Path keysFile) throws Exception {
    String key = Files.readAllLines(keysFile).stream().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .findFirst().orElseThrow().split("\\s+")[0];
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), "io.jetmesh.gateway.GatewayCommand");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(tmp.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("NATS_") || k.startsWith("JETMESH_"));
    env.forEach((k, v) -> {
      if (v != null && !k.startsWith("NATS_") && !k.equals("JAVA_OPTS")) {
        pb.environment().put(k, v); // the mesh connection is this test's, below
      }
    });
    pb.environment().put("JETMESH_HTTP_PORT", "0");
    pb.environment().put("NATS_URL", mesh.url());
    pb.environment().put("NATS_TOKEN", mesh.token());
    Process gw = pb.start();
    try {
      CompletableFuture<String> url = new CompletableFuture<>();
      StringBuilder log = new StringBuilder();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(gw.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            log.append(line).append('\n');
            Matcher m = Pattern.compile("jetmesh gateway on (http://\\S+?)/ ").matcher(line);
            if (m.find()) {
              url.complete(m.group(1));
            }
          }
        } catch (Exception ignored) {
          // process ended
        }
        url.complete(null);
      });
      reader.setDaemon(true);
      reader.start();
      String base = url.get(120, TimeUnit.SECONDS);
      assertThat(base).as("the gateway did not start:\n" + log).isNotNull();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/whoami"))
          .header("X-API-Key", key).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
      assertThat(me.body()).contains("\"auth_enabled\":true");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/whoami")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    } finally {
      gw.destroy();
      gw.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
