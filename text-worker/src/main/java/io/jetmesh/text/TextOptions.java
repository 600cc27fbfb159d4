package io.jetmesh.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.worker.JobException;

/** Typed reads of job options; a value of the wrong type or range fails the job with a message naming the option. */
final class TextOptions {
  private TextOptions() {}

  static String string(ObjectNode options, String name, String fallback) throws JobException {
    JsonNode n = options.get(name);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw JobException.invalidInput("option " + name + " must be a string, got " + n.getNodeType().name().toLowerCase());
    }
    return n.asText();
  }

  static int integer(ObjectNode options, String name, int fallback, int min, int max) throws JobException {
    JsonNode n = options.get(name);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw JobException.invalidInput("option " + name + " must be an integer, got " + n);
    }
    int v = n.asInt();
    if (v < min || v > max) {
      throw JobException.invalidInput("option " + name + " must be in " + min + ".." + max + ": " + v);
    }
    return v;
  }

  static boolean bool(ObjectNode options, String name, boolean fallback) throws JobException {
    JsonNode n = options.get(name);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw JobException.invalidInput("option " + name + " must be true or false, got " + n);
    }
    return n.asBoolean();
  }

  static String oneOf(ObjectNode options, String name, String fallback, String... allowed) throws JobException {
    String v = string(options, name, fallback);
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw JobException.invalidInput("option " + name + " must be one of " + String.join(", ", allowed) + ": '" + v + "'");
  }
}
