package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13, High 5: job options may only tighten a service's limits; every limit of the bundled registry is checked. */
class OptionLimitsTest {
  static ObjectNode options(String path, long value) {
    ObjectNode root = Json.object();
    ObjectNode node = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.putObject(parts[i]);
    }
    node.put(parts[parts.length - 1], value);
    return root;
  }

  @Test
  void everyLimitOfTheBundledRegistryRefusesALargerValueAndAcceptsItsOwn() {
    int checked = 0;
    for (NamespaceSpec ns : MeshRegistry.bundled().namespaces()) {
      for (Map.Entry<String, Long> e : ns.optionLimits().max().entrySet()) {
        OptionLimits limits = ns.optionLimits();
        assertThat(limits.violation(options(e.getKey(), e.getValue()))).as(ns.name() + " " + e.getKey() + " at the limit")
            .isEmpty();
        assertThat(limits.violation(options(e.getKey(), e.getValue() - 1))).isEmpty();
        assertThat(limits.violation(options(e.getKey(), e.getValue() + 1))).as(ns.name() + " " + e.getKey() + " above")
            .hasValueSatisfying(m -> assertThat(m).contains(e.getKey()).contains(String.valueOf(e.getValue()))
                .contains("option_limits"));
        assertThat(limits.violation(options(e.getKey(), Long.MAX_VALUE))).isPresent();
        ObjectNode huge = Json.object();
        huge.put(e.getKey(), new java.math.BigInteger("99999999999999999999999"));
        assertThat(limits.violation(huge)).as("a value beyond long").isPresent();
        checked++;
      }
    }
    // the options that once lifted a worker's memory guard or filled the store are among them
    assertThat(MeshRegistry.bundled().require("pdf").optionLimits().max()).containsKeys("max_image_pixels", "max_pages");
    assertThat(MeshRegistry.bundled().require("diag").optionLimits().max()).containsKeys("output_bytes", "ms");
    assertThat(checked).isGreaterThanOrEqualTo(4);
  }

  @Test
  void nestedOptionsSizesAndNonNumbers() {
    MeshRegistry r = MeshRegistry.parse("""
        version: 1
        namespaces:
          x:
            stream: X
            subject_prefix: x
            worker_group: xw
            operations: [op]
            option_limits: { ocr_options.max_pixels: 1000, max_size: 1KiB }
        """.getBytes(StandardCharsets.UTF_8), "test");
    OptionLimits l = r.require("x").optionLimits();
    assertThat(l.max()).containsEntry("max_size", 1024L);
    assertThat(l.violation(options("ocr_options.max_pixels", 1001))).isPresent();
    assertThat(l.violation(options("max_size", 1025))).isPresent();
    assertThat(l.violation(Json.object().put("max_size", "huge"))).as("left to the handler").isEmpty();
    assertThat(l.violation(null)).isEmpty();
    assertThatThrownBy(() -> MeshRegistry.parse("""
        version: 1
        namespaces:
          x: { stream: X, subject_prefix: x, worker_group: xw, operations: [op], option_limits: [1] }
        """.getBytes(StandardCharsets.UTF_8), "test")).hasMessageContaining("option_limits");
  }
}
