package io.jetmesh.cli;

import io.jetmesh.client.MeshClient;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel a job: a queued job is answered cancelled when picked up, a running one is stopped cooperatively.",
    footer = {ExitCodes.HELP})
final class CancelCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "JOB_ID")
  String jobId;

  @Override
  public Integer call() throws Exception {
    try (MeshClient client = MeshClient.connect(connection.toMeshOptions("jetmesh-cli"))) {
      client.cancel(jobId).get();
      spec.commandLine().getOut().println("cancel requested for " + jobId);
      return ExitCodes.OK;
    }
  }
}
