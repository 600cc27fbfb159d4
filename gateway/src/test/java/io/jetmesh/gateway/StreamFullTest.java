package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.EmbeddedMesh;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;

/**
 * A service whose stream is full (max_pending reached) refuses new work: the gateway answers 503 with Retry-After,
 * whether the stream refuses the publish (MeshBackpressureException) or the gateway's backlog reading already shows it.
 */
class StreamFullTest {
  static final String HELD = """

        held:
          description: A service without workers whose stream holds one job (backpressure test)
          stream: HELD_TEST
          subject_prefix: held.test
          worker_group: held_test_workers
          operations: [op]
          limits:
            max_pending: 1
      """;

  /**
   * A 202 means the job is stored: a stream that answers no PubAck (here deleted after provisioning, so every publish
   * gets "no responders" while the client retries) is a 503 naming the problem, not a 202 for a job that never exists.
   */
  @Test
  void a202IsSentOnlyForAStoredJob() throws Exception {
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().registry(registry()).modules(List.of()).start();
         Gateway gw = Gateway.builder().meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
             .maxQueueDepth(1000).start();
         Connection nc = Nats.connect(new Options.Builder().server(mesh.url()).token(mesh.token().toCharArray()).build())) {
      Http http = new Http(gw.baseUrl());
      String body = "{\"input\":\"nats-object://jetmesh-blobs/none\"}";
      Http.Response stored = http.postJson("/v1/jobs/held.test.op", body, "X-API-Key", TestMesh.ADMIN_KEY);
      assertThat(stored.status()).as(stored.body()).isEqualTo(202);
      assertThat(nc.jetStreamManagement().getStreamInfo("HELD_TEST").getStreamState().getMsgCount()).isEqualTo(1);
      nc.jetStreamManagement().deleteStream("HELD_TEST");
      Http.Response refused = http.postJson("/v1/jobs/held.test.op", body, "X-API-Key", TestMesh.ADMIN_KEY);
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.json().path("error").path("code").asText()).isEqualTo("mesh_unavailable");
    }
  }

  private static MeshRegistry registry() throws Exception {
    String yaml;
    try (InputStream in = MeshRegistry.class.getResourceAsStream(MeshRegistry.BUNDLED_RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return MeshRegistry.parse((yaml.stripTrailing() + "\n" + HELD).getBytes(StandardCharsets.UTF_8), "test");
  }

  @Test
  void fullStreamGives503WithRetryAfterEvenBelowTheQueueDepthThreshold() throws Exception {
    String yaml;
    try (InputStream in = MeshRegistry.class.getResourceAsStream(MeshRegistry.BUNDLED_RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    MeshRegistry registry = MeshRegistry.parse((yaml.stripTrailing() + "\n" + HELD).getBytes(StandardCharsets.UTF_8), "test");
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().registry(registry).modules(List.of()).start();
         Gateway gw = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth())
             .maxQueueDepth(1000).start()) {
      Http http = new Http(gw.baseUrl());
      String body = "{\"input\":\"nats-object://jetmesh-blobs/none\"}"; // an admin may name any blob
      Http.Response first = http.postJson("/v1/jobs/held.test.op", body, "X-API-Key", TestMesh.ADMIN_KEY);
      assertThat(first.status()).as(first.body()).isEqualTo(202);
      Http.Response second = http.postJson("/v1/jobs/held.test.op", body, "X-API-Key", TestMesh.ADMIN_KEY);
      assertThat(second.status()).as(second.body()).isEqualTo(503);
      assertThat(second.json().path("error").path("code").asText()).isEqualTo("mesh_backed_up");
      assertThat(second.json().path("error").path("message").asText()).contains("max_pending");
      assertThat(second.header("Retry-After")).isEqualTo("10");
      Thread.sleep(1100); // now the gateway's own backlog reading (cached for a second) sees the full stream
      Http.Response third = http.postJson("/v1/jobs/held.test.op", body, "X-API-Key", TestMesh.ADMIN_KEY);
      assertThat(third.status()).isEqualTo(503);
      assertThat(third.json().path("error").path("message").asText()).contains("is full");
    }
  }
}
