package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The one JSON mapping of the wire protocol: snake_case field names, ISO-8601 timestamps, nulls omitted, unknown
 * fields ignored (a newer peer may add fields within a protocol version).
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new JavaTimeModule())
      .addModule(FastInstants.module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public static String toString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a message body.
   *
   * @throws ProtocolException when the bytes are not valid JSON for {@code type} or violate its invariants
   */
  public static <T> T fromBytes(byte[] data, Class<T> type) {
    try {
      return MAPPER.readValue(data, type);
    } catch (IOException | RuntimeException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
      throw new ProtocolException("malformed " + type.getSimpleName() + ": " + cause.getMessage(), e);
    }
  }

  public static JsonNode tree(byte[] data) {
    try {
      return MAPPER.readTree(data);
    } catch (IOException e) {
      throw new ProtocolException("malformed JSON: " + e.getMessage(), e);
    }
  }

  public static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ProtocolException("malformed JSON: " + e.getMessage(), e);
    }
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Parses a JSON object literal (for options given on a command line); {@code null}/blank gives an empty object. */
  public static ObjectNode objectOf(String json) {
    if (json == null || json.isBlank()) {
      return object();
    }
    JsonNode node = tree(json);
    if (!(node instanceof ObjectNode object)) {
      throw new ProtocolException("expected a JSON object, got " + node.getNodeType().name().toLowerCase());
    }
    return object;
  }
}
