package io.jetmesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What an application gets by depending on the client library: jnats (with its own bcprov and jspecify), Jackson
 * databind (with its core, annotations and the java.time module the wire protocol's timestamps use), SLF4J's API
 * and the protocol module; nothing else, and one Jackson version. The list is written by maven-dependency-plugin
 * (dependency:list, runtime scope) in this module's build.
 */
class ClientDependenciesTest {
  static final Set<String> ALLOWED = Set.of(
      "io.jetmesh:jetmesh-protocol",
      "io.nats:jnats", "org.bouncycastle:bcprov-lts8on", "org.jspecify:jspecify",
      "com.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-core",
      "com.fasterxml.jackson.core:jackson-annotations", "com.fasterxml.jackson.datatype:jackson-datatype-jsr310",
      "org.slf4j:slf4j-api");

  /** groupId:artifactId -> version, from lines like {@code   io.nats:jnats:jar:2.26.2:compile -- module ...}. */
  static Map<String, String> runtimeDependencies() throws Exception {
    String file = System.getProperty("jetmesh.client.dependencies", "target/runtime-dependencies.txt");
    List<String> lines = Files.readAllLines(Path.of(file));
    Map<String, String> deps = new TreeMap<>();
    for (String line : lines) {
      String coords = line.strip().split("\\s+")[0];
      String[] p = coords.split(":");
      if (p.length >= 5 && !line.startsWith("The following")) {
        deps.put(p[0] + ":" + p[1], p[p.length - 2]);
      }
    }
    assertThat(deps).as("dependency:list output in " + file).isNotEmpty();
    return deps;
  }

  @Test
  void aClientApplicationGetsJnatsJacksonDatabindAndSlf4jOnly() throws Exception {
    Map<String, String> deps = runtimeDependencies();
    assertThat(deps.keySet()).as("runtime dependencies of jetmesh-client").isSubsetOf(ALLOWED)
        .contains("io.nats:jnats", "com.fasterxml.jackson.core:jackson-databind", "org.slf4j:slf4j-api")
        .doesNotContain("com.fasterxml.jackson.dataformat:jackson-dataformat-yaml", "org.yaml:snakeyaml");
  }

  @Test
  void everyJacksonArtifactIsOfOneVersion() throws Exception {
    // jackson-annotations is versioned major.minor since 2.20 ("2.23" beside databind "2.23.0"): compare those
    Set<String> minors = runtimeDependencies().entrySet().stream()
        .filter(e -> e.getKey().startsWith("com.fasterxml.jackson"))
        .map(e -> e.getValue().replaceAll("^(\\d+\\.\\d+).*", "$1"))
        .collect(Collectors.toSet());
    assertThat(minors).hasSize(1);
  }
}
