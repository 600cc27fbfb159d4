package io.jetmesh.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How callers prove who they are: API keys, HS256 and/or RS256 JWTs, or, only when asked for explicitly, nothing
 * ({@link #disabled()}, for local development).
 *
 * <p>API keys file, one key a line ({@code #} starts a comment):
 * <pre>
 * # key (or sha256:&lt;hex of the key&gt;)   name    scopes             limits (optional)
 * 9f2c...e1                            alice   read,submit        max_upload=50MiB concurrent=4 rate=5/s burst=20
 * sha256:4b7a...0c                     ops     admin
 * </pre>
 */
public final class AuthConfig {
  /** The JWT claim scopes are read from unless configured otherwise (OAuth 2.0's {@code scope}). */
  public static final String DEFAULT_JWT_SCOPE_CLAIM = "scope";
  /** The longest JWT lifetime accepted unless configured otherwise. */
  public static final Duration DEFAULT_JWT_MAX_LIFETIME = Duration.ofHours(24);
  /** One configured key: stored as the SHA-256 of the key, never the key itself. */
  public record ApiKey(String sha256, String name, Set<Scope> scopes, Limits limits) {}

  private final boolean enabled;
  private final Map<String, ApiKey> keysBySha;
  private final byte[] hs256Secret;
  private final RSAPublicKey rs256PublicKey;
  private final String issuer;
  private final String audience;
  private final String jwtScopeClaim;
  private final Set<Scope> jwtDefaultScopes;
  private final Duration jwtMaxLifetime;
  private final Limits defaultLimits;

  private AuthConfig(Builder b) {
    this.enabled = b.enabled;
    this.keysBySha = Map.copyOf(b.keys);
    this.hs256Secret = b.hs256Secret;
    this.rs256PublicKey = b.rs256PublicKey;
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.jwtScopeClaim = b.jwtScopeClaim;
    this.jwtDefaultScopes = Set.copyOf(b.jwtDefaultScopes);
    this.jwtMaxLifetime = b.jwtMaxLifetime;
    this.defaultLimits = b.defaultLimits;
    if (enabled && keysBySha.isEmpty() && hs256Secret == null && rs256PublicKey == null) {
      throw new IllegalStateException("authentication is on but no API key, JWT secret or JWT public key is configured"
          + " (give --api-keys-file, --jwt-hs256-secret(-file) or --jwt-rs256-public-key; --no-auth for local development only)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** No authentication at all: every request acts as a local admin. For local development only. */
  public static AuthConfig disabled() {
    Builder b = new Builder();
    b.enabled = false;
    return b.build();
  }

  public boolean enabled() { return enabled; }
  public Map<String, ApiKey> keysBySha() { return keysBySha; }
  public byte[] hs256Secret() { return hs256Secret; }
  public RSAPublicKey rs256PublicKey() { return rs256PublicKey; }
  public String issuer() { return issuer; }
  public String audience() { return audience; }
  /** The claim JWT scopes are read from (default {@code scope}). */
  public String jwtScopeClaim() { return jwtScopeClaim; }
  /** The scopes of a JWT that has no {@link #jwtScopeClaim()} claim at all (default read, submit; never admin). */
  public Set<Scope> jwtDefaultScopes() { return jwtDefaultScopes; }
  /** The longest a JWT may be valid for, from {@code iat} (or now) to {@code exp}. */
  public Duration jwtMaxLifetime() { return jwtMaxLifetime; }
  public Limits defaultLimits() { return defaultLimits; }

  /** Whether JWTs are accepted at all. */
  public boolean acceptsJwt() {
    return enabled && (hs256Secret != null || rs256PublicKey != null);
  }

  /** Settings that work but are weaker than they should be, for the start-up log. */
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    if (acceptsJwt() && issuer == null && audience == null) {
      w.add("JWTs are accepted without an issuer or audience check (--jwt-issuer, --jwt-audience): any token signed"
          + " with this key is taken, including tokens the identity provider issued for other services");
    }
    return w;
  }

  /** A short description for the start-up log, never secrets. */
  public String describe() {
    if (!enabled) {
      return "DISABLED (--no-auth)";
    }
    List<String> parts = new ArrayList<>();
    if (!keysBySha.isEmpty()) {
      parts.add(keysBySha.size() + " API key(s)");
    }
    if (hs256Secret != null) {
      parts.add("JWT HS256");
    }
    if (rs256PublicKey != null) {
      parts.add("JWT RS256");
    }
    return String.join(", ", parts);
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final class Builder {
    private boolean enabled = true;
    private final Map<String, ApiKey> keys = new LinkedHashMap<>();
    private byte[] hs256Secret;
    private RSAPublicKey rs256PublicKey;
    private String issuer;
    private String audience;
    private String jwtScopeClaim = DEFAULT_JWT_SCOPE_CLAIM;
    private Set<Scope> jwtDefaultScopes = Scope.DEFAULT;
    private Duration jwtMaxLifetime = DEFAULT_JWT_MAX_LIFETIME;
    private Limits defaultLimits = Limits.DEFAULTS;

    private Builder() {}

    /** Limits of callers whose key or token names none (JWT callers, keys without limit columns). */
    public Builder defaultLimits(Limits limits) {
      this.defaultLimits = Objects.requireNonNull(limits, "limits == null");
      return this;
    }

    public Builder apiKey(String key, String name, Set<Scope> scopes, Limits limits) {
      if (key == null || key.length() < 16) {
        throw new IllegalArgumentException("API key of '" + name + "' is shorter than 16 characters");
      }
      return apiKeyHash(sha256Hex(key), name, scopes, limits);
    }

    public Builder apiKeyHash(String sha256Hex, String name, Set<Scope> scopes, Limits limits) {
      String h = sha256Hex.toLowerCase(java.util.Locale.ROOT);
      if (!h.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("sha256 of key '" + name + "' must be 64 hex digits");
      }
      keys.put(h, new ApiKey(h, name, scopes.isEmpty() ? Scope.DEFAULT : Set.copyOf(scopes),
          limits != null ? limits : defaultLimits));
      return this;
    }

    /** Reads an API keys file (format in the class comment). */
    public Builder apiKeysFile(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read API keys file " + file + ": " + e.getMessage(), e);
      }
      int n = 0;
      for (String raw : lines) {
        n++;
        String line = raw.strip();
        int hash = line.indexOf(" #");
        if (line.startsWith("#") || line.isEmpty()) {
          continue;
        }
        if (hash >= 0) {
          line = line.substring(0, hash).strip();
        }
        String[] f = line.split("\\s+");
        if (f.length < 2) {
          throw new IllegalArgumentException(file + ":" + n + ": expected '<key> <name> [scopes] [limit=value...]'");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Limits limits = defaultLimits;
        for (int i = 2; i < f.length; i++) {
          try {
            if (f[i].contains("=")) {
              limits = limits.with(f[i]);
            } else {
              for (String s : f[i].split(",")) {
                Scope sc = Scope.parse(s);
                if (sc == null) {
                  throw new IllegalArgumentException("unknown scope '" + s + "' (read, submit, admin)");
                }
                scopes.add(sc);
              }
            }
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
          }
        }
        try {
          if (f[0].startsWith("sha256:")) {
            apiKeyHash(f[0].substring(7), f[1], scopes, limits);
          } else {
            apiKey(f[0], f[1], scopes, limits);
          }
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + n + ": " + e.getMessage(), e);
        }
      }
      return this;
    }

    public Builder jwtHs256Secret(byte[] secret) {
      if (secret != null && secret.length < 32) {
        throw new IllegalArgumentException("the HS256 secret must have at least 32 bytes (256 bits), got " + secret.length);
      }
      this.hs256Secret = secret == null ? null : secret.clone();
      return this;
    }

    /** An RSA public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public Builder jwtRs256PublicKeyPem(String pem) {
      this.rs256PublicKey = pem == null ? null : parseRsaPublicKey(pem);
      return this;
    }

    public Builder jwtRs256PublicKey(RSAPublicKey key) {
      this.rs256PublicKey = key;
      return this;
    }

    /** When set, tokens must carry this {@code iss}. */
    public Builder jwtIssuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    /** When set, tokens must carry this {@code aud}. */
    public Builder jwtAudience(String audience) {
      this.audience = audience;
      return this;
    }

    /**
     * The claim jetmesh scopes are read from: a space-separated string or an array of strings (default
     * {@value #DEFAULT_JWT_SCOPE_CLAIM}). Only {@code jetmesh:read}, {@code jetmesh:submit} and {@code jetmesh:admin}
     * count; other values are ignored.
     */
    public Builder jwtScopeClaim(String claim) {
      if (claim == null || claim.isBlank()) {
        throw new IllegalArgumentException("JWT scope claim must not be blank");
      }
      this.jwtScopeClaim = claim.trim();
      return this;
    }

    /** Scopes of tokens without the scope claim; empty: such tokens may do nothing. Admin is refused here. */
    public Builder jwtDefaultScopes(Set<Scope> scopes) {
      Objects.requireNonNull(scopes, "scopes == null");
      if (scopes.contains(Scope.ADMIN)) {
        throw new IllegalArgumentException("the default JWT scopes cannot include admin: admin must be granted in the token"
            + " (" + Scope.ADMIN.jwtName() + ")");
      }
      this.jwtDefaultScopes = scopes;
      return this;
    }

    /** The longest lifetime ({@code exp} minus {@code iat}) a JWT may have; tokens without {@code exp} are refused. */
    public Builder jwtMaxLifetime(Duration max) {
      if (max == null || max.isZero() || max.isNegative()) {
        throw new IllegalArgumentException("JWT maximum lifetime must be > 0: " + max);
      }
      this.jwtMaxLifetime = max;
      return this;
    }

    public AuthConfig build() {
      return new AuthConfig(this);
    }
  }

  static RSAPublicKey parseRsaPublicKey(String pem) {
    if (pem.contains("BEGIN RSA PUBLIC KEY")) {
      throw new IllegalArgumentException("PKCS#1 'RSA PUBLIC KEY' PEM is not supported; convert it with "
          + "'openssl rsa -RSAPublicKey_in -in key.pem -pubout' to a '-----BEGIN PUBLIC KEY-----' file");
    }
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not an RSA public key in PEM (-----BEGIN PUBLIC KEY-----): " + e.getMessage(), e);
    }
  }
}
