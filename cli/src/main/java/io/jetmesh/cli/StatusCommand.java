package io.jetmesh.cli;

import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.JobStatus;
import io.jetmesh.protocol.Json;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a job's status: queued, running, completed, failed, dead or cancelled, with attempts, worker and progress.",
    footer = {ExitCodes.HELP})
final class StatusCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "JOB_ID")
  String jobId;

  @Override
  public Integer call() throws Exception {
    try (MeshClient client = MeshClient.connect(connection.toMeshOptions("jetmesh-cli"))) {
      Optional<JobStatus> s = client.status(jobId).get();
      if (s.isEmpty()) {
        spec.commandLine().getErr().println("unknown job " + jobId + " (never submitted, or its status expired)");
        return ExitCodes.JOBS_FAILED;
      }
      spec.commandLine().getOut().print(FileJobs.pretty(Json.mapper().valueToTree(s.get())));
      return ExitCodes.OK;
    }
  }
}
