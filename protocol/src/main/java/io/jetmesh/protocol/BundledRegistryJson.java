package io.jetmesh.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step of the protocol module (exec-maven-plugin, {@code process-classes}): writes the repository's
 * {@code namespaces.yaml} as the JSON resource {@link MeshRegistry#BUNDLED_JSON_RESOURCE}, after checking that it
 * parses as a registry, so that reading the bundled registry needs only Jackson databind.
 */
public final class BundledRegistryJson {
  private BundledRegistryJson() {}

  /** {@code BundledRegistryJson NAMESPACES_YAML OUTPUT_JSON} */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: BundledRegistryJson NAMESPACES_YAML OUTPUT_JSON");
    }
    Path yaml = Path.of(args[0]);
    byte[] json = toJson(Files.readAllBytes(yaml), yaml.toString());
    Path out = Path.of(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, json);
  }

  /** The registry document as JSON, the same tree; fails as {@link MeshRegistry#parse} would on a bad registry. */
  static byte[] toJson(byte[] document, String source) throws IOException {
    JsonNode tree = MeshRegistry.readTree(document, source);
    MeshRegistry.parse(document, source); // validate: a broken namespaces.yaml fails the build, not the first user
    return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
  }
}
