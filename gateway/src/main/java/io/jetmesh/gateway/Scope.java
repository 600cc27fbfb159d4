package io.jetmesh.gateway;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a caller may do. {@code admin} implies the others. */
public enum Scope {
  /** Job status, results, events, blobs, the mesh view. */
  READ,
  /** Submit and cancel jobs. */
  SUBMIT,
  /** Replay dead letters. */
  ADMIN;

  public static final Set<Scope> DEFAULT = Set.copyOf(EnumSet.of(READ, SUBMIT));

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code read}, {@code submit}, {@code admin}; also the OAuth-style {@code jobs:read}, {@code jobs:submit},
   * {@code jetmesh:admin} forms. Returns null for names this gateway does not know (they are ignored, not errors, so
   * tokens shared with other services still work).
   */
  public static Scope parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    int colon = v.lastIndexOf(':');
    if (colon >= 0) {
      v = v.substring(colon + 1);
    }
    return switch (v) {
      case "read" -> READ;
      case "submit", "write" -> SUBMIT;
      case "admin" -> ADMIN;
      default -> null;
    };
  }
}
