package io.jetmesh.image.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.image.ImageLimits;
import io.jetmesh.worker.JobException;

/** Typed access to a job's options; a bad value fails with INVALID_INPUT naming the option. */
final class JobOptions {
  private final ObjectNode node;

  JobOptions(ObjectNode node) {
    this.node = node;
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  JsonNode raw(String name) {
    return node.get(name);
  }

  int integer(String name, int def, int min, int max) throws JobException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.canConvertToInt() || !(v.isIntegralNumber() || v.isTextual() && v.asText().matches("-?\\d+"))) {
      throw JobException.invalidInput("option " + name + " must be an integer: " + v);
    }
    int i = v.asInt();
    if (i < min || i > max) {
      throw JobException.invalidInput("option " + name + " must be " + min + ".." + max + ": " + i);
    }
    return i;
  }

  long longValue(String name, long def) throws JobException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber()) {
      throw JobException.invalidInput("option " + name + " must be an integer: " + v);
    }
    return v.asLong();
  }

  float number(String name, float def, float min, float max) throws JobException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isNumber()) {
      throw JobException.invalidInput("option " + name + " must be a number: " + v);
    }
    float f = v.floatValue();
    if (f < min || f > max) {
      throw JobException.invalidInput("option " + name + " must be " + min + ".." + max + ": " + f);
    }
    return f;
  }

  boolean bool(String name, boolean def) throws JobException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isBoolean()) {
      throw JobException.invalidInput("option " + name + " must be true or false: " + v);
    }
    return v.asBoolean();
  }

  String string(String name, String def) throws JobException {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isTextual()) {
      throw JobException.invalidInput("option " + name + " must be a string: " + v);
    }
    return v.asText();
  }

  /** The worker's limits, lowered by the job's {@code max_pixels} / {@code max_pages} (never raised). */
  ImageLimits limits(ImageLimits worker) throws JobException {
    long px = longValue("max_pixels", 0);
    int pages = integer("max_pages", 0, 0, Integer.MAX_VALUE);
    return worker.lowered(px, pages);
  }
}
