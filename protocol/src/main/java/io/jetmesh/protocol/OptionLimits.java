package io.jetmesh.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The largest value a job may give each numeric option of a service ({@code option_limits} in namespaces.yaml):
 * sizes, pages, pixels, timeouts, batch sizes. Job options may only tighten a service's limits, never loosen them;
 * the runtime refuses a job that asks for more ({@code TOO_LARGE}) before its handler sees it. Keys are option
 * names, nested ones with dots ({@code ocr_options.max_pixels}).
 */
public record OptionLimits(Map<String, Long> max) {
  public static final OptionLimits NONE = new OptionLimits(Map.of());

  public OptionLimits {
    max = Map.copyOf(new LinkedHashMap<>(max));
    for (Map.Entry<String, Long> e : max.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        throw new IllegalArgumentException("option_limits." + e.getKey() + " must be a number >= 0");
      }
    }
  }

  /** Reads {@code option_limits}: numbers, or sizes such as {@code 64MiB}. */
  static OptionLimits parse(JsonNode node, String where) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NONE;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must map option names to maximum values");
    }
    Map<String, Long> max = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      long n = v.isNumber() ? v.asLong() : Units.bytes(v.asText(), where + "." + e.getKey());
      max.put(e.getKey(), n);
    });
    return new OptionLimits(max);
  }

  /**
   * Why {@code options} exceeds a limit, naming the option, its value and the limit; empty when within the limits.
   * A value that is not a number is left to the handler's own validation.
   */
  public Optional<String> violation(JsonNode options) {
    if (options == null || max.isEmpty()) {
      return Optional.empty();
    }
    for (Map.Entry<String, Long> e : max.entrySet()) {
      JsonNode v = options;
      for (String part : e.getKey().split("\\.")) {
        v = v.path(part);
      }
      if (v.isNumber() && (v.isIntegralNumber() ? v.bigIntegerValue().compareTo(java.math.BigInteger.valueOf(e.getValue())) > 0
          : v.asDouble() > e.getValue())) {
        return Optional.of("option " + e.getKey() + "=" + v.asText() + " is above this service's limit of " + e.getValue()
            + " (namespaces.yaml option_limits: a job may only lower it; ask for " + e.getValue() + " or less)");
      }
    }
    return Optional.empty();
  }
}
