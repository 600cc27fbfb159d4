package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.JSON;
import static io.jetmesh.infra.InfraFixtures.YAML;
import static io.jetmesh.infra.InfraFixtures.repoRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.jetmesh.infra.InfraFixtures.Namespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine or Kubernetes runs here, so the deploy/ files are checked by parsing them: every manifest parses;
 * images are pinned; probes, ports, drain and grace periods agree; only environment variables the jetmesh
 * executables read are set; KEDA scales each worker group on the stream and consumer that namespaces.yaml defines;
 * the NATS users of the Helm values and of compose carry exactly the permissions setup.sh generates; the Grafana
 * dashboard queries only metrics the workers export.
 */
class ManifestsTest {
  /**
   * The environment variables the workers, the CLI and the client read (the lead's list in the mesh-core design).
   * Kept here until the repository has an authoritative machine-readable list (docs/ENVIRONMENT.md).
   */
  static final Set<String> JETMESH_ENV = Set.of(
      "NATS_URL", "NATS_TOKEN", "NATS_TOKEN_FILE", "NATS_USER", "NATS_PASSWORD", "NATS_CREDS", "NATS_NKEY_SEED_FILE",
      "NATS_TLS_CA", "NATS_TLS_CERT", "NATS_TLS_KEY", "JETMESH_NAMESPACES", "JETMESH_CONCURRENCY", "JETMESH_HTTP_PORT",
      "JETMESH_WORKER_ID", "JETMESH_DRAIN_TIMEOUT", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
      "JETMESH_S3_ENDPOINT", "JETMESH_S3_PATH_STYLE", "JETMESH_IMAGE_DEVICE", "JETMESH_GATEWAY_HOST",
      "JETMESH_GATEWAY_API_KEYS_FILE");
  /** Read by the launcher script (JVM options) and by DJL itself, not by jetmesh code. */
  static final Set<String> RUNTIME_ENV = Set.of("JAVA_OPTS", "DJL_CACHE_DIR");
  /** The Prometheus series the workers export (the lead's metric names). */
  static final Set<String> METRICS = Set.of("jetmesh_jobs_total", "jetmesh_job_duration_seconds",
      "jetmesh_jobs_in_flight", "jetmesh_redeliveries_total", "jetmesh_consumer_pending", "jetmesh_dlq_messages",
      "jetmesh_batch_size");
  static final Pattern PINNED_IMAGE = Pattern.compile("[a-z0-9./-]+:[A-Za-z0-9][A-Za-z0-9._-]*");

  static Path deploy;
  static List<Namespace> namespaces;
  static Map<String, Permissions> setupPermissions;

  record Permissions(List<String> publish, List<String> subscribe, boolean allowResponses) {}

  @BeforeAll
  static void readSources(@TempDir Path tmp) throws Exception {
    deploy = repoRoot().resolve("deploy");
    namespaces = InfraFixtures.namespaces();
    InfraFixtures.setupOk("--prefix", tmp.toString(), "--host", "127.0.0.1", "--port", "4222", "--monitor-port",
        "8222", "--config-only", "--no-provision");
    setupPermissions = permissionsInNatsConf(Files.readString(tmp.resolve("etc/jetmesh/nats-server.conf")));
    assertThat(setupPermissions).containsKeys("admin", "app", "gateway", "worker-pdf");
  }

  static List<Path> filesUnderDeploy(String... extensions) throws IOException {
    try (Stream<Path> files = Files.walk(deploy)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> Stream.of(extensions).anyMatch(e -> f.getFileName().toString().endsWith(e)))
          .sorted().toList();
    }
  }

  static List<JsonNode> yamlDocuments(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  static List<JsonNode> kubernetesObjects(String kind) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    for (Path f : filesUnderDeploy(".yaml", ".yml")) {
      if (f.startsWith(deploy.resolve("kubernetes"))) {
        for (JsonNode doc : yamlDocuments(f)) {
          if (kind.equals(doc.path("kind").asText())) {
            objects.add(doc);
          }
        }
      }
    }
    return objects;
  }

  static Duration duration(String text) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.trim());
    assertThat(m.matches()).as("duration '%s'", text).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  static void assertKnownEnv(String where, Iterable<String> names) {
    for (String name : names) {
      assertThat(JETMESH_ENV.contains(name) || RUNTIME_ENV.contains(name))
          .as("%s sets %s, which no jetmesh executable reads", where, name).isTrue();
    }
  }

  /** user -> permissions, from a nats-server configuration in the format setup.sh writes. */
  static Map<String, Permissions> permissionsInNatsConf(String conf) {
    Map<String, Permissions> result = new LinkedHashMap<>();
    Matcher users = Pattern.compile("user: \"([^\"]+)\", password:").matcher(conf);
    List<int[]> spans = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (users.find()) {
      names.add(users.group(1));
      spans.add(new int[] {users.start(), conf.length()});
    }
    for (int i = 0; i + 1 < spans.size(); i++) {
      spans.get(i)[1] = spans.get(i + 1)[0];
    }
    for (int i = 0; i < names.size(); i++) {
      String block = conf.substring(spans.get(i)[0], spans.get(i)[1]);
      result.put(names.get(i), new Permissions(allowList(block, "publish"), allowList(block, "subscribe"),
          block.contains("allow_responses: true")));
    }
    return result;
  }

  static void assertSamePermissionsAsSetupScript(String where, Map<String, Permissions> actual) {
    assertThat(actual.keySet()).as("users in %s", where).containsExactlyElementsOf(setupPermissions.keySet());
    for (Map.Entry<String, Permissions> e : setupPermissions.entrySet()) {
      Permissions p = actual.get(e.getKey());
      assertThat(p.publish()).as("%s: publish permissions of %s", where, e.getKey())
          .containsExactlyElementsOf(e.getValue().publish());
      assertThat(p.subscribe()).as("%s: subscribe permissions of %s", where, e.getKey())
          .containsExactlyElementsOf(e.getValue().subscribe());
      assertThat(p.allowResponses()).as("%s: allow_responses of %s", where, e.getKey())
          .isEqualTo(e.getValue().allowResponses());
    }
  }

  static List<String> allowList(String block, String direction) {
    Matcher m = Pattern.compile(direction + ": \\{ allow: \\[(.*?)\\] \\}").matcher(block);
    if (!m.find()) {
      return List.of();
    }
    return Stream.of(m.group(1).split(",")).map(s -> s.trim().replaceAll("^\"|\"$", "")).toList();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static Map<String, String> envOf(JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode e : container.path("env")) {
      env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null);
    }
    return env;
  }

  @Test
  void everyManifestParses() throws Exception {
    List<Path> yaml = filesUnderDeploy(".yaml", ".yml");
    List<Path> json = filesUnderDeploy(".json");
    assertThat(yaml).hasSizeGreaterThanOrEqualTo(10);
    assertThat(json).isNotEmpty();
    for (Path f : yaml) {
      assertThat(yamlDocuments(f)).as(f.toString()).isNotEmpty();
    }
    for (Path f : json) {
      assertThat(JSON.readTree(f.toFile()).isObject()).as(f.toString()).isTrue();
    }
  }

  @Test
  void workerDeploymentsProbeTheHealthPortAndOutwaitTheDrain() throws Exception {
    List<JsonNode> deployments = kubernetesObjects("Deployment");
    assertThat(deployments).extracting(d -> d.path("metadata").path("name").asText())
        .contains("pdf-worker", "image-worker", "text-worker", "jetmesh-gateway");
    for (JsonNode d : deployments) {
      String name = d.path("metadata").path("name").asText();
      JsonNode pod = d.path("spec").path("template");
      JsonNode container = pod.path("spec").path("containers").get(0);
      Map<String, String> env = envOf(container);
      assertKnownEnv("Deployment " + name, env.keySet());
      assertThat(container.path("image").asText()).as(name).matches(PINNED_IMAGE).doesNotEndWith(":latest")
          .startsWith("jetmesh/");

      String port = env.get("JETMESH_HTTP_PORT");
      assertThat(port).as("%s JETMESH_HTTP_PORT", name).isNotNull();
      JsonNode ports = container.path("ports");
      assertThat(ports.get(0).path("name").asText()).isEqualTo("http");
      assertThat(ports.get(0).path("containerPort").asText()).as("%s container port", name).isEqualTo(port);
      assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(name).isEqualTo("/healthz");
      assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo("/readyz");
      assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
      assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
      JsonNode annotations = pod.path("metadata").path("annotations");
      assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
      assertThat(annotations.path("prometheus.io/port").asText()).as("%s scrape port", name).isEqualTo(port);
      assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");

      Duration drain = duration(env.get("JETMESH_DRAIN_TIMEOUT"));
      long grace = pod.path("spec").path("terminationGracePeriodSeconds").asLong();
      assertThat(Duration.ofSeconds(grace)).as("%s terminationGracePeriodSeconds vs drain", name).isGreaterThan(drain);
      assertThat(container.at("/resources/requests/cpu").isMissingNode()).as(name).isFalse();
      assertThat(container.at("/resources/requests/memory").isMissingNode()).as(name).isFalse();
      assertThat(container.at("/resources/limits/memory").isMissingNode()).as(name).isFalse();
      assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
      assertThat(pod.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();

      // The credential of a worker is its namespace's worker user, with its password from that user's key.
      String user = env.get("NATS_USER");
      assertThat(setupPermissions).as("%s NATS_USER %s is a setup.sh user", name, user).containsKey(user);
      boolean passwordFromSecret = false;
      for (JsonNode e : container.path("env")) {
        if ("NATS_PASSWORD".equals(e.path("name").asText())) {
          assertThat(e.at("/valueFrom/secretKeyRef/key").asText()).as(name).isEqualTo(user);
          passwordFromSecret = true;
        }
      }
      assertThat(passwordFromSecret).as("%s NATS_PASSWORD from the Secret", name).isTrue();
    }
  }

  @Test
  void imageWorkerRunsOnGpuNodes() throws Exception {
    JsonNode image = kubernetesObjects("Deployment").stream()
        .filter(d -> d.path("metadata").path("name").asText().equals("image-worker")).findFirst().orElseThrow();
    JsonNode spec = image.at("/spec/template/spec");
    assertThat(spec.path("nodeSelector").size()).isPositive();
    assertThat(texts(spec.path("tolerations")).isEmpty()).isFalse();
    assertThat(spec.path("tolerations").get(0).path("key").asText()).isEqualTo("nvidia.com/gpu");
    JsonNode container = spec.path("containers").get(0);
    assertThat(container.at("/resources/limits").path("nvidia.com/gpu").asInt()).isEqualTo(1);
    assertThat(envOf(container)).containsEntry("JETMESH_IMAGE_DEVICE", "gpu")
        .containsEntry("NATS_USER", "worker-image");
  }

  @Test
  void kedaScalesEachWorkerGroupOnItsOwnConsumer() throws Exception {
    Map<String, Namespace> byStream = namespaces.stream().collect(Collectors.toMap(Namespace::stream, n -> n));
    Map<String, String> userOfDeployment = new HashMap<>();
    for (JsonNode d : kubernetesObjects("Deployment")) {
      userOfDeployment.put(d.path("metadata").path("name").asText(),
          envOf(d.at("/spec/template/spec/containers/0")).get("NATS_USER"));
    }
    List<JsonNode> scaledObjects = kubernetesObjects("ScaledObject");
    Set<String> scaled = new TreeSet<>();
    for (JsonNode so : scaledObjects) {
      String target = so.at("/spec/scaleTargetRef/name").asText();
      assertThat(userOfDeployment).as("ScaledObject target %s is a Deployment", target).containsKey(target);
      JsonNode trigger = so.at("/spec/triggers/0");
      assertThat(trigger.path("type").asText()).isEqualTo("nats-jetstream");
      JsonNode meta = trigger.path("metadata");
      Namespace ns = byStream.get(meta.path("stream").asText());
      assertThat(ns).as("KEDA stream %s is in namespaces.yaml", meta.path("stream").asText()).isNotNull();
      assertThat(meta.path("consumer").asText()).as("consumer of %s", ns.stream()).isEqualTo(ns.workerGroup());
      assertThat(userOfDeployment.get(target)).as("%s scales on the consumer it pulls from", target)
          .isEqualTo("worker-" + ns.name());
      assertThat(Integer.parseInt(meta.path("lagThreshold").asText())).isPositive();
      assertThat(meta.path("natsServerMonitoringEndpoint").asText()).endsWith(":8222");
      assertThat(so.at("/spec/maxReplicaCount").asInt()).isGreaterThanOrEqualTo(so.at("/spec/minReplicaCount").asInt());
      scaled.add(target);
    }
    assertThat(scaled).containsExactlyInAnyOrder("pdf-worker", "image-worker", "text-worker");
  }

  @Test
  void natsHelmValuesRunThreeJetStreamReplicasWithTheSetupScriptUsers() throws Exception {
    JsonNode values = yamlDocuments(deploy.resolve("kubernetes/nats-values.yaml")).get(0);
    assertThat(values.at("/config/cluster/enabled").asBoolean()).isTrue();
    assertThat(values.at("/config/cluster/replicas").asInt()).isEqualTo(3);
    assertThat(values.at("/config/jetstream/enabled").asBoolean()).isTrue();
    assertThat(values.at("/config/jetstream/fileStore/enabled").asBoolean()).isTrue();
    assertThat(values.at("/config/jetstream/fileStore/pvc/enabled").asBoolean()).isTrue();
    assertThat(values.at("/container/image/tag").asText()).matches("2\\.\\d+\\.\\d+(-alpine)?");

    JsonNode users = values.at("/config/merge/authorization/users");
    Map<String, Permissions> helm = new LinkedHashMap<>();
    JsonNode env = values.at("/container/env");
    for (JsonNode u : users) {
      String user = u.path("user").asText();
      helm.put(user, new Permissions(texts(u.at("/permissions/publish/allow")),
          texts(u.at("/permissions/subscribe/allow")), u.at("/permissions/allow_responses").asBoolean(false)));
      Matcher var = Pattern.compile("<< \\$([A-Z_]+) >>").matcher(u.path("password").asText());
      assertThat(var.matches()).as("password of %s comes from an environment variable", user).isTrue();
      assertThat(env.at("/" + var.group(1) + "/valueFrom/secretKeyRef/key").asText())
          .as("%s password from Secret key", user).isEqualTo(user);
    }
    assertSamePermissionsAsSetupScript("nats-values.yaml", helm);
  }

  @Test
  void composeRunsNatsWithTheSetupScriptUsersAndWorkersWithKnownSettings() throws Exception {
    String natsConf = Files.readString(deploy.resolve("compose/nats.conf"));
    assertSamePermissionsAsSetupScript("compose/nats.conf", permissionsInNatsConf(natsConf));
    JsonNode compose = yamlDocuments(deploy.resolve("compose/docker-compose.yml")).get(0);
    JsonNode services = compose.path("services");
    Matcher vars = Pattern.compile("password: \\$([A-Z_]+)").matcher(natsConf);
    while (vars.find()) {
      assertThat(services.at("/nats/environment").has(vars.group(1))).as("nats gets %s", vars.group(1)).isTrue();
    }
    int workers = 0;
    for (Map.Entry<String, JsonNode> s : (Iterable<Map.Entry<String, JsonNode>>) services::fields) {
      JsonNode service = s.getValue();
      assertThat(service.path("image").asText()).as("%s image", s.getKey()).matches(PINNED_IMAGE)
          .doesNotEndWith(":latest");
      if (!service.has("build")) {
        continue;
      }
      // Built from the jetmesh Dockerfile: a jetmesh executable of an existing module.
      assertThat(service.at("/build/dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
      String module = service.at("/build/args/MODULE").asText();
      assertThat(repoRoot().resolve(module).resolve("pom.xml")).as("module %s", module).exists();
      List<String> envNames = new ArrayList<>();
      service.path("environment").fieldNames().forEachRemaining(envNames::add);
      assertKnownEnv("compose service " + s.getKey(), envNames);
      if (s.getKey().endsWith("-worker")) {
        workers++;
        Duration drain = duration(service.at("/environment/JETMESH_DRAIN_TIMEOUT").asText());
        assertThat(duration(service.path("stop_grace_period").asText())).as(s.getKey()).isGreaterThan(drain);
        assertThat(service.path("stop_signal").asText()).isEqualTo("SIGTERM");
        String user = service.at("/environment/NATS_USER").asText();
        assertThat(user).isEqualTo("worker-" + s.getKey().replace("-worker", ""));
        assertThat(setupPermissions).containsKey(user);
      }
    }
    assertThat(workers).isEqualTo(3);
    assertThat(Files.readString(deploy.resolve("docker/Dockerfile"))).contains("eclipse-temurin:17-jre")
        .contains("STOPSIGNAL SIGTERM");
  }

  @Test
  void systemdUnitsStopGracefullyAfterTheDrainAndReadKnownSettings() throws Exception {
    List<Path> units = filesUnderDeploy(".service");
    assertThat(units).extracting(p -> p.getFileName().toString())
        .contains("pdf-worker.service", "image-worker.service", "text-worker.service", "jetmesh-gateway.service");
    for (Path unit : units) {
      Map<String, List<String>> keys = new HashMap<>();
      for (String line : Files.readAllLines(unit)) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
      }
      String name = unit.getFileName().toString();
      assertThat(keys.get("KillSignal")).as(name).containsExactly("SIGTERM");
      assertThat(keys.get("Restart")).as(name).containsExactly("on-failure");
      assertThat(keys.get("NoNewPrivileges")).as(name).containsExactly("true");
      List<String> envFiles = keys.get("EnvironmentFile");
      assertThat(envFiles).as(name).hasSize(2);
      String credentials = Path.of(envFiles.get(0)).getFileName().toString().replace(".env", "");
      assertThat(setupPermissions).as("%s credentials %s are a setup.sh user", name, credentials)
          .containsKey(credentials);
      Path settings = unit.resolveSibling(Path.of(envFiles.get(1)).getFileName());
      assertThat(settings).as("%s settings file in deploy/systemd", name).exists();
      Map<String, String> env = InfraFixtures.readEnvFile(settings);
      assertKnownEnv(settings.toString(), env.keySet());
      Duration drain = duration(env.get("JETMESH_DRAIN_TIMEOUT"));
      assertThat(duration(keys.get("TimeoutStopSec").get(0))).as("%s TimeoutStopSec vs drain", name)
          .isGreaterThan(drain);
      for (String kv : keys.getOrDefault("Environment", List.of())) {
        assertKnownEnv(name, List.of(kv.substring(0, kv.indexOf('='))));
      }
    }
  }

  @Test
  void grafanaDashboardQueriesOnlyExportedMetricsAndCoversTheOperationsView() throws Exception {
    JsonNode dashboard = JSON.readTree(deploy.resolve("grafana/jetmesh-dashboard.json").toFile());
    Set<String> used = new TreeSet<>();
    List<String> exprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> exprs.add(e.asText()));
    assertThat(exprs).hasSizeGreaterThan(10);
    Matcher m = Pattern.compile("\\bjetmesh_[a-z_]+").matcher(String.join("\n", exprs));
    while (m.find()) {
      used.add(m.group().replaceAll("_(bucket|sum|count)$", ""));
    }
    assertThat(METRICS).as("metrics the dashboard queries").containsAll(used);
    assertThat(used).as("the dashboard shows every worker metric").containsAll(METRICS);
    String all = String.join("\n", exprs);
    assertThat(all).contains("by (outcome)").contains("histogram_quantile(0.99");
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel ids").isTrue();
    }
  }
}
