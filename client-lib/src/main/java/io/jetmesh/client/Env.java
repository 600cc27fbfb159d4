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
 * The process environment merged over a {@code .env} file (dotenv conventions, see {@link #parseDotEnv(List)}) in the
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
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parseDotEnv(lines);
  }

  /**
   * The dotenv conventions (as python-dotenv, docker compose and direnv read them): blank lines and {@code #} lines
   * are skipped; an {@code export } prefix is ignored; spaces around {@code =} are dropped; an unquoted value ends
   * at a {@code #} that follows whitespace ({@code NATS_URL=nats://h:4222  # dev}); a {@code '...'} value is literal;
   * a {@code "..."} value may hold {@code #} and the escapes {@code \n \t \" \\}; text after the closing quote is
   * a comment. Lines without {@code =} are ignored.
   */
  public static Map<String, String> parseDotEnv(List<String> lines) {
    Map<String, String> map = new HashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ") || line.startsWith("export\t")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      map.put(key, value(line.substring(eq + 1).strip()));
    }
    return map;
  }

  private static String value(String v) {
    if (v.startsWith("'")) {
      int close = v.indexOf('\'', 1);
      return close < 0 ? v.substring(1) : v.substring(1, close);
    }
    if (v.startsWith("\"")) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\' && i + 1 < v.length()) {
          char n = v.charAt(++i);
          out.append(switch (n) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            default -> n;
          });
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) == '#' && (i == 0 || Character.isWhitespace(v.charAt(i - 1)))) {
        return v.substring(0, i).strip();
      }
    }
    return v;
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
