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

  /** The prefix of jetmesh's scope names in JWTs: {@code jetmesh:read}, {@code jetmesh:submit}, {@code jetmesh:admin}. */
  public static final String JWT_PREFIX = "jetmesh:";

  /** This scope as a JWT carries it, e.g. {@code jetmesh:submit}. */
  public String jwtName() {
    return JWT_PREFIX + wire();
  }

  /**
   * A scope as written in an API keys file: {@code read}, {@code submit} (or {@code write}), {@code admin}; null for
   * anything else.
   */
  public static Scope parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "read" -> READ;
      case "submit", "write" -> SUBMIT;
      case "admin" -> ADMIN;
      default -> null;
    };
  }

  /**
   * A scope as a JWT carries it: exactly {@code jetmesh:read}, {@code jetmesh:submit} or {@code jetmesh:admin}.
   * Anything else is null and ignored: tokens of an identity provider shared with other services carry their scopes
   * and roles too ({@code billing:admin}, {@code admin}), and none of those may mean anything here.
   */
  public static Scope fromJwt(String s) {
    if (s == null || !s.startsWith(JWT_PREFIX)) {
      return null;
    }
    return switch (s.substring(JWT_PREFIX.length())) {
      case "read" -> READ;
      case "submit" -> SUBMIT;
      case "admin" -> ADMIN;
      default -> null;
    };
  }
}
