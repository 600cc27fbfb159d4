package io.jetmesh.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The process environment merged over a {@code .env} file (KEY=VALUE lines, # comments, optional quotes) in the
 * working directory or at {@code JETMESH_ENV_FILE}. Real environment variables win over the file.
 */
public final class Env {
  private Env() {}

  public static Map<String, String> load() {
    Map<String, String> merged = new HashMap<>();
    String explicit = System.getenv("JETMESH_ENV_FILE");
    Path file = explicit != null && !explicit.isBlank() ? Path.of(explicit) : Path.of(".env");
    if (Files.isRegularFile(file)) {
      merged.putAll(parseDotEnv(file));
    }
    merged.putAll(System.getenv());
    return merged;
  }

  public static Map<String, String> parseDotEnv(Path file) {
    Map<String, String> map = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      map.put(key, value);
    }
    return map;
  }

  static Path path(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }

  /** Reads a secret (token, password) from a file, trimming the trailing newline. */
  public static String readSecretFile(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(what + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
