package io.jetmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.Batch;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs local files through one subject with bounded concurrency, a progress bar, and a per-file outcome written
 * to the output directory. Shared by {@code run}, {@code convert} and {@code demo}.
 */
final class FileJobs {
  /** Writes one finished job's output; returns the files written. */
  interface OutputWriter {
    List<Path> write(Path file, JsonNode output, Path outDir) throws IOException;
  }

  /** The default writer: the output JSON as {@code <name>.json}. */
  static final OutputWriter JSON_WRITER = (file, output, outDir) -> {
    Path target = outDir.resolve(file.getFileName() + ".json");
    Files.writeString(target, pretty(output), StandardCharsets.UTF_8);
    return List.of(target);
  };

  record Outcome(Path file, String jobId, boolean ok, String summary, List<Path> written, JsonNode output) {}

  private FileJobs() {}

  static List<Outcome> run(MeshClient client, String subject, List<Path> files, ObjectNode options, Duration timeout,
      int maxInFlight, Path outDir, OutputWriter writer, PrintWriter err) throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    ProgressBar bar = new ProgressBar(err, subject);
    AtomicInteger done = new AtomicInteger();
    Batch batch = client.batch(maxInFlight);
    List<JobSubmission> subs = new ArrayList<>();
    for (Path f : files) {
      subs.add(batch.submit(JobRequest.builder(subject).file(f).options(options).timeout(timeout)
          .progressListener(files.size() == 1 ? e -> bar.update(e.progress().current(), e.progress().total(), e.progress().unit()) : e -> { })
          .build()));
      subs.get(subs.size() - 1).result().whenComplete((r, e) -> {
        if (files.size() > 1) {
          bar.update(done.incrementAndGet(), files.size(), "files");
        }
      });
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      JobSubmission s = subs.get(i);
      try {
        JobResult r = s.result().get();
        JsonNode output = client.output(r).get();
        List<Path> written = writer.write(f, output, outDir);
        outcomes.add(new Outcome(f, s.jobId(), true, "ok in " + (r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli()) + "ms", written, output));
      } catch (ExecutionException e) {
        Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
        ObjectNode error = Json.object();
        error.put("job_id", s.jobId());
        error.put("file", f.toString());
        String summary;
        if (c instanceof JobFailedException jf) {
          error.put("status", jf.status().wire());
          error.put("code", jf.code().name());
          error.put("message", jf.errorMessage());
          error.put("retryable", jf.retryable());
          summary = jf.status().wire() + " " + jf.code() + ": " + jf.errorMessage();
        } else {
          error.put("status", "error");
          error.put("code", "TRANSPORT");
          error.put("message", String.valueOf(c.getMessage()));
          summary = "error: " + c.getMessage();
        }
        Path target = outDir.resolve(f.getFileName() + ".error.json");
        Files.writeString(target, pretty(error), StandardCharsets.UTF_8);
        outcomes.add(new Outcome(f, s.jobId(), false, summary, List.of(target), error));
      }
    }
    bar.done();
    return outcomes;
  }

  static String pretty(JsonNode node) {
    try {
      return Json.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (var s = Files.list(p)) {
          s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
      } else if (Files.isRegularFile(p)) {
        files.add(p);
      } else {
        throw new IllegalArgumentException("no such file: " + p);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no input files");
    }
    return files;
  }

  static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
