package io.jetmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.runtime.Worker;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Process the bundled sample documents through the mesh and print their results.",
        "PDFs go through pdf.docling.convert, images through image.process.ocr, texts through text.analyze.stats. "
            + "Uses the embedded default unless --nats-url is given."},
    footer = {ExitCodes.HELP})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--samples", paramLabel = "DIR", defaultValue = "samples", description = "Sample directory (default: ${DEFAULT-VALUE})")
  Path samples;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "jetmesh-output/demo", description = "Where results are written (default: ${DEFAULT-VALUE})")
  Path output;

  static String subjectFor(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".pdf")) {
      return "pdf.docling.convert";
    }
    if (n.matches(".*\\.(png|jpe?g|tiff?|bmp|webp)")) {
      return "image.process.ocr";
    }
    if (n.matches(".*\\.(txt|md)")) {
      return "text.analyze.stats";
    }
    return null;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isDirectory(samples)) {
      throw new IllegalArgumentException("no sample directory " + samples.toAbsolutePath() + " (run from the repository root, or pass --samples)");
    }
    Map<String, List<Path>> bySubject = new LinkedHashMap<>();
    for (Path f : FileJobs.expand(List.of(samples))) {
      String subject = subjectFor(f);
      if (subject != null) {
        bySubject.computeIfAbsent(subject, k -> new ArrayList<>()).add(f);
      }
    }
    int failed = 0;
    int total = 0;
    // the embedded mesh starts only the services the samples need
    Set<String> needed = bySubject.keySet().stream().map(s -> connection.registry().requireSubject(s).name())
        .collect(Collectors.toSet());
    try (MeshSession session = MeshSession.open(connection, true, needed::contains, err)) {
      Set<String> served = session.embedded == null ? null
          : session.embedded.workers().stream().map(Worker::namespaceName).collect(Collectors.toSet());
      for (var e : bySubject.entrySet()) {
        String subject = e.getKey();
        String ns = session.client.options().registry().requireSubject(subject).name();
        if (served != null && !served.contains(ns)) {
          out.printf("(skipping %d file(s) for %s: no %s worker in this build)%n", e.getValue().size(), subject, ns);
          continue;
        }
        out.printf("%n=== %s: %d file(s) ===%n", subject, e.getValue().size());
        out.flush();
        FileJobs.OutputWriter writer = subject.equals("pdf.docling.convert") ? ConvertCommand::writeExports : FileJobs.JSON_WRITER;
        var outcomes = FileJobs.run(session.client, subject, e.getValue(),
            subject.equals("pdf.docling.convert") ? Json.objectOf("{\"to_formats\":[\"md\",\"json\",\"text\"]}") : Json.object(),
            null, 4, output, writer, err);
        for (FileJobs.Outcome o : outcomes) {
          total++;
          if (!o.ok()) {
            failed++;
            out.printf("%n--- %s: FAILED %s%n", o.file().getFileName(), o.summary());
            continue;
          }
          out.printf("%n--- %s (job %s, %s) -> %s%n", o.file().getFileName(), o.jobId(), o.summary(),
              String.join(", ", o.written().stream().map(Path::toString).toList()));
          out.println(summarize(subject, o.output()));
        }
      }
    }
    out.printf("%n%d of %d sample files processed ok; results in %s%n", total - failed, total, output);
    return failed == 0 ? ExitCodes.OK : ExitCodes.JOBS_FAILED;
  }

  private static String summarize(String subject, JsonNode output) {
    String text;
    if (output.hasNonNull("markdown")) {
      text = output.get("markdown").asText();
    } else if (output.hasNonNull("text")) {
      text = output.get("text").asText();
    } else {
      text = FileJobs.pretty(output);
    }
    String[] lines = text.split("\n");
    int keep = Math.min(lines.length, 30);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < keep; i++) {
      sb.append("  ").append(lines[i]).append('\n');
    }
    if (lines.length > keep) {
      sb.append("  ... (").append(lines.length - keep).append(" more lines)\n");
    }
    return sb.toString();
  }
}
