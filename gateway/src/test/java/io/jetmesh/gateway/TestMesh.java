package io.jetmesh.gateway;

import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.diag.DiagModule;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;

/** One embedded mesh (real nats-server + the diag worker) shared by the gateway tests of one JVM. */
final class TestMesh {
  static final String READ_KEY = "read-key-000000000000000001";
  static final String SUBMIT_KEY = "submit-key-0000000000000002";
  static final String ADMIN_KEY = "admin-key-00000000000000003";
  static final String TINY_UPLOAD_KEY = "tiny-key-000000000000000004";
  static final String SLOW_KEY = "slow-key-000000000000000005";
  static final String ONE_JOB_KEY = "onejob-key-0000000000000006";
  /** Two ordinary submitters that must not see each other's jobs (the attack tests). */
  static final String ALICE_KEY = "alice-key-00000000000000007";
  static final String BOB_KEY = "bob-key-0000000000000000008";
  static final byte[] HS256_SECRET = "a-test-secret-of-at-least-32-bytes!!".getBytes();
  static final KeyPair RSA;

  private static EmbeddedMesh mesh;

  static {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      RSA = g.generateKeyPair();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static synchronized EmbeddedMesh mesh() throws Exception {
    if (mesh == null) {
      mesh = EmbeddedMesh.builder().modules(List.of(new DiagModule())).concurrency(8).start();
      Runtime.getRuntime().addShutdownHook(new Thread(mesh::close));
    }
    return mesh;
  }

  static AuthConfig auth() {
    Limits d = Limits.DEFAULTS.withRate(1000, 1000);
    return AuthConfig.builder()
        .defaultLimits(d)
        .apiKey(READ_KEY, "reader", java.util.Set.of(Scope.READ), d)
        .apiKey(SUBMIT_KEY, "submitter", Scope.DEFAULT, d)
        .apiKey(ADMIN_KEY, "ops", java.util.Set.of(Scope.ADMIN), d)
        .apiKey(TINY_UPLOAD_KEY, "tiny", Scope.DEFAULT, d.withMaxUploadBytes(256 * 1024))
        .apiKey(SLOW_KEY, "slow", Scope.DEFAULT, d.withRate(0.5, 2))
        .apiKey(ONE_JOB_KEY, "onejob", Scope.DEFAULT, d.withMaxConcurrentJobs(1))
        .apiKey(ALICE_KEY, "alice", Scope.DEFAULT, d)
        .apiKey(BOB_KEY, "bob", Scope.DEFAULT, d)
        .jwtHs256Secret(HS256_SECRET)
        .jwtRs256PublicKey((RSAPublicKey) RSA.getPublic())
        .build();
  }

  static RSAPrivateKey rsaPrivate() {
    return (RSAPrivateKey) RSA.getPrivate();
  }

  private TestMesh() {}
}
