package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.runtime.EmbeddedMesh;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens from an identity provider that other services share, played against a real gateway: their scopes and
 * roles ({@code billing:admin}, {@code roles: ["admin"]}) must never become jetmesh scopes, only jetmesh's own names
 * in the configured claim count, and a token must expire within the configured lifetime.
 */
class JwtScopeAttackTest {
  static EmbeddedMesh mesh;
  static Gateway gateway;
  static Http http;

  @BeforeAll
  static void start() throws Exception {
    mesh = TestMesh.mesh();
    gateway = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start();
    http = new Http(gateway.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static String token(UnaryOperator<JWTCreator.Builder> claims) {
    JWTCreator.Builder b = JWT.create().withSubject("mallory").withIssuedAt(Instant.now())
        .withExpiresAt(Instant.now().plusSeconds(600));
    return "Bearer " + claims.apply(b).sign(Algorithm.HMAC256(TestMesh.HS256_SECRET));
  }

  static List<String> scopes(Http h, String bearer) throws Exception {
    Http.Response me = h.get("/v1/whoami", "Authorization", bearer);
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    return Json.strings(me.json().path("scopes"));
  }

  @Test
  void otherServicesScopesAndRolesNeverBecomeJetmeshScopes() throws Exception {
    Map<String, UnaryOperator<JWTCreator.Builder>> tokens = Map.of(
        "scope billing:admin", b -> b.withClaim("scope", "billing:admin billing:read"),
        "roles [admin]", b -> b.withClaim("roles", List.of("admin")),
        "scope admin", b -> b.withClaim("scope", "admin submit read"),
        "scope urn:x:admin", b -> b.withClaim("scope", "urn:example:jetmesh:admin"),
        "scopes [jetmesh:admin] (not the configured claim)", b -> b.withClaim("scope", "jetmesh:read")
            .withClaim("scopes", List.of("jetmesh:admin")),
        "scope JETMESH:ADMIN", b -> b.withClaim("scope", "JETMESH:ADMIN"),
        "scope jetmesh:admin:extra", b -> b.withClaim("scope", "jetmesh:admin:extra"));
    for (Map.Entry<String, UnaryOperator<JWTCreator.Builder>> t : tokens.entrySet()) {
      String bearer = token(t.getValue());
      assertThat(scopes(http, bearer)).as(t.getKey()).doesNotContain("admin");
      Http.Response replay = http.post("/v1/dlq/some-job/replay", "application/json", new byte[0], "Authorization", bearer);
      assertThat(replay.status()).as(t.getKey() + " replays a dead letter").isEqualTo(403);
    }
    assertThat(scopes(http, token(b -> b.withClaim("scope", "billing:admin")))).isEmpty();
    assertThat(scopes(http, token(b -> b.withClaim("scope", "billing:submit jetmesh:read")))).containsExactly("read");
    assertThat(scopes(http, token(b -> b.withClaim("scope", "jetmesh:admin")))).contains("admin");
    assertThat(scopes(http, token(b -> b.withClaim("scope", List.of("jetmesh:read", "jetmesh:submit")))))
        .containsExactlyInAnyOrder("read", "submit");
  }

  @Test
  void scopesAreReadFromTheConfiguredClaimOnly() throws Exception {
    AuthConfig cfg = AuthConfig.builder().jwtHs256Secret(TestMesh.HS256_SECRET).jwtAudience("jetmesh")
        .jwtScopeClaim("permissions").jwtDefaultScopes(java.util.Set.of()).build();
    try (Gateway gw = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(cfg).start()) {
      Http h = new Http(gw.baseUrl());
      assertThat(scopes(h, token(b -> b.withAudience("jetmesh").withClaim("permissions", List.of("jetmesh:admin")))))
          .contains("admin");
      assertThat(scopes(h, token(b -> b.withAudience("jetmesh").withClaim("scope", "jetmesh:admin")))).isEmpty();
      Http.Response none = h.postFile("/v1/jobs/diag.noop", "a", new byte[1], Map.of(), "Authorization",
          token(b -> b.withAudience("jetmesh")));
      assertThat(none.status()).as("no scope claim and no default scopes: " + none.body()).isEqualTo(403);
    }
  }

  @Test
  void tokensMustExpireWithinTheMaximumLifetime() throws Exception {
    String noExp = "Bearer " + JWT.create().withSubject("mallory").withClaim("scope", "jetmesh:read")
        .sign(Algorithm.HMAC256(TestMesh.HS256_SECRET));
    Http.Response r = http.get("/v1/whoami", "Authorization", noExp);
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.json().path("error").path("message").asText()).contains("'exp'");

    String yearLong = token(b -> b.withIssuedAt(Instant.now()).withExpiresAt(Instant.now().plus(Duration.ofDays(365))));
    Http.Response y = http.get("/v1/whoami", "Authorization", yearLong);
    assertThat(y.status()).as(y.body()).isEqualTo(401);
    assertThat(y.json().path("error").path("message").asText()).contains("longer than");

    String noIatButFarExp = "Bearer " + JWT.create().withSubject("mallory").withExpiresAt(Instant.now().plus(Duration.ofDays(30)))
        .sign(Algorithm.HMAC256(TestMesh.HS256_SECRET));
    assertThat(http.get("/v1/whoami", "Authorization", noIatButFarExp).status()).isEqualTo(401);

    assertThat(http.get("/v1/whoami", "Authorization", token(b -> b)).status()).isEqualTo(200);
  }

  @Test
  void startUpWarnsWhenTokensAreCheckedForNeitherIssuerNorAudience() {
    AuthConfig open = AuthConfig.builder().jwtHs256Secret(TestMesh.HS256_SECRET).build();
    assertThat(open.warnings()).singleElement().asString().contains("issuer", "audience");
    assertThat(AuthConfig.builder().jwtHs256Secret(TestMesh.HS256_SECRET).jwtIssuer("https://id.example").build().warnings()).isEmpty();
    assertThat(AuthConfig.builder().jwtHs256Secret(TestMesh.HS256_SECRET).jwtAudience("jetmesh").build().warnings()).isEmpty();
    assertThat(AuthConfig.builder().apiKey(TestMesh.READ_KEY, "r", Scope.DEFAULT, null).build().warnings())
        .as("no JWTs accepted: nothing to warn about").isEmpty();
  }

  /** JSON helpers for this test. */
  private static final class Json {
    static List<String> strings(JsonNode arr) {
      List<String> out = new java.util.ArrayList<>();
      arr.forEach(n -> out.add(n.asText()));
      return out;
    }
  }
}
