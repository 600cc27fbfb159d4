package io.jetmesh.cli;

import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "result", mixinStandardHelpOptions = true,
    description = {"Print a finished job's stored result as JSON.",
        "Any process may fetch it until it expires; --output-only prints just the output, resolving blob references."},
    footer = {ExitCodes.HELP})
final class ResultCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "JOB_ID")
  String jobId;

  @Option(names = "--output-only", description = "Print only the output JSON")
  boolean outputOnly;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output")
  Path file;

  @Override
  public Integer call() throws Exception {
    try (MeshClient client = MeshClient.connect(connection.toMeshOptions("jetmesh-cli"))) {
      Optional<JobResult> r = client.result(jobId).get();
      if (r.isEmpty()) {
        spec.commandLine().getErr().println("no result for " + jobId + " (still running, unknown, or expired): see 'jetmesh status " + jobId + "'");
        return ExitCodes.JOBS_FAILED;
      }
      String text = outputOnly ? FileJobs.pretty(client.output(r.get()).get()) : FileJobs.pretty(Json.mapper().valueToTree(r.get()));
      if (file != null) {
        Files.writeString(file, text);
      } else {
        spec.commandLine().getOut().print(text);
      }
      return r.get().succeeded() ? ExitCodes.OK : ExitCodes.JOBS_FAILED;
    }
  }
}
