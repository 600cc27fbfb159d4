package io.jetmesh.cli;

import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.Units;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run local files through SUBJECT and write each result into DIR.",
        "Each file is uploaded and its result written as <name>.json; a failed job writes <name>.error.json with its "
            + "code and message."},
    footer = {"%nExample: jetmesh run pdf.docling.text reports/*.pdf --output out/", ExitCodes.HELP})
final class RunCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "SUBJECT", description = "Job subject, e.g. pdf.docling.convert, image.process.ocr")
  String subject;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Files or directories")
  List<Path> files;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "jetmesh-output", description = "Output directory (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--options", paramLabel = "JSON", description = "Operation options as a JSON object")
  String options;

  @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "8", description = "Jobs in flight at once (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Per-job time limit, e.g. 5m")
  String timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // everything the command line can get wrong is checked before a connection or an embedded mesh starts
    var jobOptions = CliArgs.jsonObject(spec, "--options", options);
    CliArgs.subject(spec, connection, subject);
    var limit = timeout == null ? null : Units.duration(timeout, "--timeout");
    List<Path> inputs = FileJobs.expand(files);
    MeshSession.requireEmbeddedWorker(connection, subject);
    try (MeshSession session = MeshSession.forSubject(connection, true, subject, err)) {
      session.requireLiveWorker(subject);
      var outcomes = FileJobs.run(session.client, subject, inputs, jobOptions, limit, concurrency, output,
          FileJobs.JSON_WRITER, err);
      return report(outcomes, out);
    }
  }

  static int report(List<FileJobs.Outcome> outcomes, PrintWriter out) {
    int failed = 0;
    for (FileJobs.Outcome o : outcomes) {
      if (o.ok()) {
        out.printf("ok      %s -> %s (%s)%n", o.file(), String.join(", ", o.written().stream().map(Path::toString).toList()), o.summary());
      } else {
        failed++;
        out.printf("FAILED  %s: %s (job %s)%n", o.file(), o.summary(), o.jobId());
      }
    }
    out.printf("%d of %d files ok%n", outcomes.size() - failed, outcomes.size());
    out.flush();
    return failed == 0 ? ExitCodes.OK : ExitCodes.JOBS_FAILED;
  }
}
