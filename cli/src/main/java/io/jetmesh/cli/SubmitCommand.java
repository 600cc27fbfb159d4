package io.jetmesh.cli;

import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.Units;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.NamespaceSpec;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Submit one job and print its id once the mesh has stored it.",
        "INPUT is s3://bucket/key, nats-object://bucket/name, a local file (uploaded), or a bare key such as "
            + "reports/q3.pdf read from the default bucket (--s3-bucket or JETMESH_S3_BUCKET). With --wait it shows "
            + "progress on stderr and prints the result JSON instead."},
    footer = {"%nExample: jetmesh submit pdf.docling.convert s3://docs/q3.pdf --wait --options '{\"to_formats\":[\"md\"]}'", ExitCodes.HELP})
final class SubmitCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "SUBJECT", description = "Job subject, e.g. pdf.docling.convert")
  String subject;

  @Parameters(index = "1", paramLabel = "INPUT", description = "Input reference, local file, or bare key")
  String input;

  @Option(names = "--s3-bucket", paramLabel = "BUCKET",
      description = "Bucket a bare key INPUT is read from (env JETMESH_S3_BUCKET)")
  String s3Bucket;

  @Option(names = "--options", paramLabel = "JSON", description = "Operation options as a JSON object")
  String options;

  @Option(names = {"-w", "--wait"}, description = "Wait for the result and print it")
  boolean waitForResult;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Job time limit, e.g. 2m")
  String timeout;

  @Option(names = "--job-id", paramLabel = "ID", description = "Use this job id (idempotent resubmission)")
  String jobId;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // everything the command line can get wrong is checked before a connection or an embedded mesh starts
    ObjectNode jobOptions = CliArgs.jsonObject(spec, "--options", options);
    CliArgs.subject(spec, connection, subject);
    Duration limit = timeout == null ? null : Units.duration(timeout, "--timeout");
    connection.validate();
    boolean localFile = !input.contains("://") && Files.isRegularFile(Path.of(input));
    String reference = localFile ? null : reference(err);
    boolean embedded = !connection.serverConfigured();
    if (embedded && !waitForResult) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "without --nats-url the job runs on a temporary embedded mesh: add --wait (or start 'jetmesh dev')");
    }
    MeshSession.requireEmbeddedWorker(connection, subject);
    try (MeshSession session = MeshSession.forSubject(connection, waitForResult, subject, err)) {
      if (waitForResult) {
        session.requireLiveWorker(subject);
      }
      JobRequest.Builder b = JobRequest.builder(subject).options(jobOptions).jobId(jobId).timeout(limit);
      if (localFile) {
        b.file(Path.of(input));
      } else {
        b.input(reference);
      }
      ProgressBar bar = new ProgressBar(err, subject);
      if (waitForResult) {
        b.progressListener(e -> bar.update(e.progress().current(), e.progress().total(), e.progress().unit()));
      }
      JobSubmission s = session.client.submit(b.build());
      if (!waitForResult) {
        s.result().exceptionally(e -> null);
        // the id is printed only once the job's stream has stored it (a publish failure is reported instead)
        try {
          s.stored().get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception c ? c : e;
        }
        out.println(s.jobId());
        out.flush();
        NamespaceSpec ns = session.client.options().registry().requireSubject(subject);
        if (!MeshSession.liveWorkers(session.client.options(), ns)) {
          err.println("job " + s.jobId() + " is queued; no live worker of '" + ns.name() + "' answered (start one: jetmesh worker "
              + ns.name() + ")");
        }
        return ExitCodes.OK;
      }
      err.println("job " + s.jobId());
      err.flush();
      try {
        JobResult r = s.result().get();
        bar.done();
        out.print(FileJobs.pretty(Json.mapper().valueToTree(r.output() != null || r.outputRef() == null ? r
            : withOutput(r, session.client.output(r).get()))));
        return ExitCodes.OK;
      } catch (ExecutionException e) {
        bar.done();
        if (e.getCause() instanceof JobFailedException jf) {
          out.print(FileJobs.pretty(Json.mapper().valueToTree(jf.result())));
          return ExitCodes.JOBS_FAILED;
        }
        throw e;
      }
    }
  }

  private static JobResult withOutput(JobResult r, com.fasterxml.jackson.databind.JsonNode output) {
    return r.toBuilder().output(output).build();
  }

  /**
   * The input reference for an INPUT that is not a local file: s3:// and nats-object:// pass unchanged; a bare key
   * (the original system's {@code s3_key}) resolves against the default bucket, as {@code DocumentService} does.
   */
  private String reference(PrintWriter err) {
    String bucket = s3Bucket != null ? s3Bucket : connection.environment().get("JETMESH_S3_BUCKET");
    boolean bare = !input.contains("://");
    if (bare && (bucket == null || bucket.isBlank())) {
      throw new CommandLine.ParameterException(spec.commandLine(), "INPUT '" + input + "' is not a local file; as a "
          + "bare key it needs a default bucket (--s3-bucket or JETMESH_S3_BUCKET), or pass s3://bucket/key or "
          + "nats-object://bucket/name");
    }
    try {
      MeshOptions.Builder b = MeshOptions.builder();
      if (bare) {
        b.defaultS3Bucket(bucket.strip());
      }
      String ref = b.build().resolveInput(input);
      if (bare) {
        err.println("INPUT '" + input + "' is not a local file: submitting " + ref);
      }
      return ref;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
