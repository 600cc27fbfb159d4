package io.jetmesh.cli;

import io.jetmesh.client.Connections;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "provision", mixinStandardHelpOptions = true,
    description = {"Create or update the mesh's streams, consumers and stores.",
        "From namespaces.yaml: a stream and durable worker-group consumer per service, the results and dead-letter streams, the status and "
            + "cancel buckets and the blob store. Idempotent; prints what changed, and fails if the server ignored a "
            + "setting the mesh relies on."},
    footer = {ExitCodes.HELP})
final class ProvisionCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--replicas", paramLabel = "N", description = "Stream replicas (3 for a 3-node cluster; default: from namespaces.yaml)")
  Integer replicas;

  @Option(names = "--replace-legacy-consumers", description = {"Delete the original system's worker groups",
      "(image_workers, text_workers, audio_workers) on the job streams before creating jetmesh's; their unacknowledged",
      "jobs stay in the stream and go to the new group. Stop the old workers first."})
  boolean replaceLegacyConsumers;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var options = connection.toMeshOptions("jetmesh-provision");
    MeshRegistry registry = replicas != null ? options.registry().withReplicas(replicas) : options.registry();
    try (Connection nc = Connections.connect(options, "jetmesh-provision", null)) {
      out.printf("provisioning %s (nats-server %s)%n", options.describe(), nc.getServerInfo().getVersion());
      List<Provisioner.Change> changes = new Provisioner(nc, registry, replaceLegacyConsumers).provision();
      changes.forEach(c -> out.println("  " + c));
      long changed = changes.stream().filter(c -> c.action() != Provisioner.Action.UNCHANGED).count();
      out.printf("%d items, %d changed%n", changes.size(), changed);
      return ExitCodes.OK;
    } catch (Provisioner.ProvisioningException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.ERROR;
    }
  }
}
