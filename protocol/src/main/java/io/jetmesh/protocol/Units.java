package io.jetmesh.protocol;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the human units used in namespaces.yaml and on command lines: {@code 30s}, {@code 10m}, {@code 1MiB}. */
public final class Units {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)?", Pattern.CASE_INSENSITIVE);

  private Units() {}

  /** {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}, or an ISO-8601 {@code PT30S}. */
  public static Duration duration(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + ": empty duration");
    }
    String t = text.trim();
    if (t.startsWith("P") || t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(field + ": not a duration (use e.g. 250ms, 30s, 10m, 2h, 7d): '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** {@code 512}, {@code 64KiB}, {@code 1MiB}, {@code 2GB}: bytes. KB/MB/GB are taken as powers of 1024 too. */
  public static long bytes(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + ": empty size");
    }
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(field + ": not a size (use e.g. 512, 64KiB, 1MiB, 2GiB): '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long factor = switch (unit) {
      case "KB", "KIB" -> 1L << 10;
      case "MB", "MIB" -> 1L << 20;
      case "GB", "GIB" -> 1L << 30;
      case "TB", "TIB" -> 1L << 40;
      default -> 1L;
    };
    return Math.multiplyExact(n, factor);
  }

  /** Formats a duration the way namespaces.yaml writes it. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  public static String formatBytes(long bytes) {
    if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
      return bytes / (1L << 30) + "GiB";
    }
    if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) {
      return bytes / (1L << 20) + "MiB";
    }
    if (bytes >= (1L << 10) && bytes % (1L << 10) == 0) {
      return bytes / (1L << 10) + "KiB";
    }
    return bytes + "B";
  }
}
