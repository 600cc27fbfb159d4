package io.jetmesh.gateway;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a request's credentials into a {@link Caller}: {@code X-API-Key: <key>}, {@code Authorization: Bearer <key>}
 * or {@code Authorization: Bearer <JWT>} (HS256 with the configured secret, RS256 with the configured public key).
 * Every refusal is a 401 {@link ApiException} whose message says what to fix.
 *
 * <p>A JWT must carry {@code sub} and {@code exp}, and live no longer than {@link AuthConfig#jwtMaxLifetime()}. Its
 * scopes come from one claim ({@link AuthConfig#jwtScopeClaim()}, default {@code scope}: space-separated or an
 * array), and only jetmesh's own names count ({@code jetmesh:read}, {@code jetmesh:submit}, {@code jetmesh:admin};
 * see {@link Scope#fromJwt}). A token without that claim gets {@link AuthConfig#jwtDefaultScopes()}, never admin.
 */
public final class Authenticator {
  /** Acts for every request when authentication is disabled. */
  static final String LOCAL_DEV = "local-dev";

  private final AuthConfig config;
  private final Clock clock;
  private final JWTVerifier hs256;
  private final JWTVerifier rs256;

  public Authenticator(AuthConfig config) {
    this(config, Clock.systemUTC());
  }

  Authenticator(AuthConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.hs256 = config.hs256Secret() == null ? null : verifier(Algorithm.HMAC256(config.hs256Secret()));
    this.rs256 = config.rs256PublicKey() == null ? null : verifier(Algorithm.RSA256(config.rs256PublicKey(), null));
  }

  private JWTVerifier verifier(Algorithm alg) {
    Verification v = JWT.require(alg).acceptLeeway(30);
    if (config.issuer() != null) {
      v = v.withIssuer(config.issuer());
    }
    if (config.audience() != null) {
      v = v.withAudience(config.audience());
    }
    return v.build();
  }

  public boolean enabled() {
    return config.enabled();
  }

  /**
   * @param apiKeyHeader the {@code X-API-Key} header or null
   * @param authorization the {@code Authorization} header or null
   */
  public Caller authenticate(String apiKeyHeader, String authorization) {
    if (!config.enabled()) {
      return new Caller(LOCAL_DEV, EnumSet.allOf(Scope.class), config.defaultLimits());
    }
    if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
      return byKey(apiKeyHeader.trim());
    }
    if (authorization == null || authorization.isBlank()) {
      throw unauthorized("missing_credentials",
          "no credentials: send 'X-API-Key: <key>' or 'Authorization: Bearer <API key or JWT>'");
    }
    String a = authorization.trim();
    if (!a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("bad_credentials", "unsupported Authorization scheme: use 'Authorization: Bearer <API key or JWT>'");
    }
    String token = a.substring(7).trim();
    if (token.chars().filter(c -> c == '.').count() == 2) {
      return byJwt(token);
    }
    return byKey(token);
  }

  private Caller byKey(String key) {
    AuthConfig.ApiKey k = config.keysBySha().get(AuthConfig.sha256Hex(key));
    if (k == null) {
      throw unauthorized("invalid_api_key", "the API key is not valid");
    }
    return new Caller("key:" + k.name(), k.scopes(), k.limits());
  }

  private Caller byJwt(String token) {
    DecodedJWT decoded;
    try {
      decoded = JWT.decode(token);
    } catch (JWTDecodeException e) {
      throw unauthorized("invalid_token", "the bearer token is not a well-formed JWT: " + e.getMessage());
    }
    String alg = decoded.getAlgorithm();
    JWTVerifier verifier = "HS256".equals(alg) ? hs256 : "RS256".equals(alg) ? rs256 : null;
    if (verifier == null) {
      throw unauthorized("invalid_token", "JWT algorithm '" + alg + "' is not accepted by this gateway (accepted: "
          + (hs256 != null ? "HS256 " : "") + (rs256 != null ? "RS256" : "") + ")".replace(" )", ")"));
    }
    DecodedJWT jwt;
    try {
      jwt = verifier.verify(decoded);
    } catch (TokenExpiredException e) {
      throw unauthorized("token_expired", "the JWT expired at " + e.getExpiredOn() + "; get a new token");
    } catch (SignatureVerificationException e) {
      throw unauthorized("invalid_token", "the JWT signature does not verify with the configured " + alg + " key");
    } catch (JWTVerificationException e) {
      throw unauthorized("invalid_token", "the JWT was refused: " + e.getMessage());
    }
    String sub = jwt.getSubject();
    if (sub == null || sub.isBlank()) {
      throw unauthorized("invalid_token", "the JWT has no 'sub' claim");
    }
    Instant exp = jwt.getExpiresAtAsInstant();
    if (exp == null) {
      throw unauthorized("invalid_token", "the JWT has no 'exp' claim: this gateway accepts only tokens that expire"
          + " (at most " + config.jwtMaxLifetime() + " after they are issued)");
    }
    Instant iat = jwt.getIssuedAtAsInstant();
    Instant from = iat != null ? iat : clock.instant();
    if (Duration.between(from, exp).compareTo(config.jwtMaxLifetime()) > 0) {
      throw unauthorized("invalid_token", "the JWT is valid for " + Duration.between(from, exp)
          + (iat != null ? " (iat to exp)" : " from now") + ", longer than this gateway accepts (" + config.jwtMaxLifetime()
          + ", --jwt-max-lifetime); get a token that expires sooner");
    }
    return new Caller("jwt:" + sub, scopes(jwt), config.defaultLimits());
  }

  private Set<Scope> scopes(DecodedJWT jwt) {
    Claim c = jwt.getClaim(config.jwtScopeClaim());
    if (c.isMissing() || c.isNull()) {
      return config.jwtDefaultScopes();
    }
    EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
    List<String> values;
    try {
      values = c.asList(String.class);
    } catch (JWTDecodeException e) {
      return set; // an array of something else than names: no jetmesh scope in it
    }
    if (values == null && c.asString() != null) {
      values = List.of(c.asString().split("\\s+"));
    }
    for (String v : values == null ? List.<String>of() : values) {
      Scope sc = Scope.fromJwt(v);
      if (sc != null) {
        set.add(sc);
      }
    }
    return set;
  }

  private static ApiException unauthorized(String code, String message) {
    return new ApiException(401, code, message);
  }

  /** 403 unless the caller has the scope. */
  public static void require(Caller caller, Scope scope) {
    if (!caller.may(scope)) {
      throw new ApiException(403, "forbidden", "'" + caller.id() + "' lacks the '" + scope.wire()
          + "' scope needed here (has: " + String.join(",", caller.scopes().stream().map(Scope::wire).sorted().toList()) + ")");
    }
  }
}
