package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The bundled registry is the JSON that the build generates from the repository's namespaces.yaml: the two must
 * give the same registry, and JSON must parse without a YAML parser.
 */
class BundledRegistryJsonTest {
  static final Path SOURCE = Path.of(System.getProperty("user.dir")).resolve("../namespaces.yaml").normalize();

  @Test
  void bundledJsonIsTheRepositorysNamespacesYaml() throws Exception {
    MeshRegistry yaml = MeshRegistry.load(SOURCE);
    MeshRegistry bundled = MeshRegistry.bundled();
    assertThat(bundled.mesh()).isEqualTo(yaml.mesh());
    assertThat(bundled.namespaces()).isEqualTo(yaml.namespaces());
    try (InputStream in = MeshRegistry.class.getResourceAsStream(MeshRegistry.BUNDLED_JSON_RESOURCE)) {
      assertThat(in).as("generated at process-classes").isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip()).startsWith("{");
    }
  }

  @Test
  void generatorWritesJsonThatParsesToTheSameRegistry() throws Exception {
    byte[] source = Files.readAllBytes(SOURCE);
    byte[] json = BundledRegistryJson.toJson(source, "namespaces.yaml");
    MeshRegistry fromJson = MeshRegistry.parse(json, "namespaces.json");
    assertThat(fromJson.namespaces()).isEqualTo(MeshRegistry.parse(source, "namespaces.yaml").namespaces());
  }

  @Test
  void aBrokenRegistryFailsTheGeneratorNamingTheField() {
    String yaml = "version: 1\nnamespaces:\n  x:\n    stream: X\n    subject_prefix: x.y\n    worker_group: g\n"
        + "    operations: [a]\n    limits: { ack_wait: soon }\n";
    assertThatThrownBy(() -> BundledRegistryJson.toJson(yaml.getBytes(StandardCharsets.UTF_8), "namespaces.yaml"))
        .hasMessageContaining("namespaces.x.limits.ack_wait");
  }

  @Test
  void jsonDocumentsAreReadAsJsonAndNamedInErrors() {
    String json = "\uFEFF  {\"version\": 1, \"namespaces\": {\"x\": {\"stream\": \"X\", \"subject_prefix\": \"x.y\","
        + " \"worker_group\": \"g\", \"operations\": [\"a\"]}}}";
    assertThat(MeshRegistry.parse(json.getBytes(StandardCharsets.UTF_8), "r.json").require("x").stream())
        .isEqualTo("X");
    assertThatThrownBy(() -> MeshRegistry.parse("{\"version\": ".getBytes(StandardCharsets.UTF_8), "r.json"))
        .hasMessageContaining("r.json: not valid JSON");
  }
}
