package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mesh that the original system ran: its job streams still carry the old worker groups ({@code image_workers},
 * {@code text_workers}, {@code audio_workers}) with jobs waiting. Provisioning names them and the way out; with
 * {@code --replace-legacy-consumers} it swaps in jetmesh's groups and the waiting jobs go to them (none lost).
 * Against a real nats-server.
 */
class ProvisionerLegacyConsumerTest {
  @TempDir Path dir;

  @Test
  void theOriginalWorkerGroupsAreNamedThenReplacedWithTheirJobsCarriedOver() throws Exception {
    MeshRegistry registry = MeshRegistry.resolve(null);
    try (NatsServerProcess server = NatsServerProcess.builder(dir).token("legacy-test").start();
        Connection nc = Nats.connect(Options.builder().server(server.url()).token(server.token().toCharArray()).build())) {
      JetStreamManagement jsm = nc.jetStreamManagement();
      new Provisioner(nc, registry).provision();
      // Turn the provisioned mesh into the original system's: old worker-group names, jobs waiting on each.
      for (Map.Entry<String, String> legacy : Provisioner.LEGACY_WORKER_GROUPS.entrySet()) {
        NamespaceSpec ns = registry.require(legacy.getKey());
        jsm.deleteConsumer(ns.stream(), ns.workerGroup());
        jsm.addOrUpdateConsumer(ns.stream(), ConsumerConfiguration.builder().durable(legacy.getValue())
            .filterSubject(ns.streamSubjects()).ackPolicy(AckPolicy.Explicit).build());
        for (int i = 0; i < 3; i++) {
          nc.jetStream().publish(ns.subjectPrefix() + "." + ns.operations().get(0),
              ("job " + i).getBytes(StandardCharsets.UTF_8));
        }
      }

      assertThatThrownBy(() -> new Provisioner(nc, registry).provision())
          .isInstanceOf(Provisioner.ProvisioningException.class)
          .hasMessageContaining("original system's worker group '")
          .hasMessageContaining("3 waiting")
          .hasMessageContaining("jetmesh provision --replace-legacy-consumers")
          .hasMessageContaining("worker_group: ");

      var changes = new Provisioner(nc, registry, true).provision();
      for (Map.Entry<String, String> legacy : Provisioner.LEGACY_WORKER_GROUPS.entrySet()) {
        NamespaceSpec ns = registry.require(legacy.getKey());
        assertThat(jsm.getConsumerNames(ns.stream())).containsExactly(ns.workerGroup());
        assertThat(jsm.getConsumerInfo(ns.stream(), ns.workerGroup()).getNumPending())
            .as("jobs of %s carried over to %s", legacy.getValue(), ns.workerGroup()).isEqualTo(3);
        assertThat(changes).anySatisfy(c -> assertThat(c.toString()).contains(ns.workerGroup())
            .contains("replaces the original system's '" + legacy.getValue() + "': 3 waiting"));
      }
      // Done: the next run has nothing to replace and changes nothing.
      assertThat(new Provisioner(nc, registry).provision())
          .allSatisfy(c -> assertThat(c.action()).isEqualTo(Provisioner.Action.UNCHANGED));
    }
  }
}
