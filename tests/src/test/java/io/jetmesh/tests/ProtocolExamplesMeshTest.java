package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every job envelope of docs/protocol-examples (the examples PROTOCOL.md shows) is accepted by the running mesh:
 * its subject, options and pipeline stages are submitted to an embedded mesh with every worker, on an input made here
 * for its service, and the job must complete. ProtocolExamplesTest checks that the examples parse and appear in the
 * document; this checks them against the workers' own option validation (the pipeline example once asked
 * text.analyze.chunk for max_tokens 256, which the model's 254-token window rejects).
 */
class ProtocolExamplesMeshTest {
  @TempDir Path dir;

  @Test
  void everyExampleEnvelopeIsAcceptedByTheRunningMesh() throws Exception {
    Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed: skipped");
    Path examples = InfraRoot.docs().resolve("protocol-examples");
    List<Path> envelopes;
    try (Stream<Path> s = Files.list(examples)) {
      envelopes = s.filter(p -> p.getFileName().toString().startsWith("job-envelope")).sorted().toList();
    }
    assertThat(envelopes).hasSizeGreaterThanOrEqualTo(3);
    List<String> rejected = new ArrayList<>();
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).concurrency(2).start();
        MeshClient client = MeshClient.connect(mesh.options())) {
      for (Path example : envelopes) {
        JsonNode env = Json.mapper().readTree(example.toFile());
        String subject = env.path("subject").asText();
        JobRequest.Builder b = JobRequest.builder(subject).options(objectOrEmpty(env.path("options")));
        byte[] input = inputFor(subject);
        b.inline(input, subject.startsWith("pdf.") ? "example.pdf" : "example.txt", null);
        for (JsonNode stage : env.path("pipeline")) {
          b.then(stage.path("subject").asText(), objectOrEmpty(stage.path("options")));
        }
        try {
          JobResult r = client.submit(b.build()).result().get(180, TimeUnit.SECONDS);
          assertThat(r.succeeded()).isTrue();
        } catch (ExecutionException e) {
          String why = e.getCause() instanceof JobFailedException f ? f.code() + ": " + f.errorMessage() : String.valueOf(e.getCause());
          rejected.add(example.getFileName() + " (" + subject + ", options " + env.path("options") + ", pipeline "
              + env.path("pipeline") + "): " + why);
        }
      }
    }
    assertThat(rejected).as("examples the running mesh rejects").isEmpty();
  }

  static ObjectNode objectOrEmpty(JsonNode n) {
    return n.isObject() ? (ObjectNode) n : Json.mapper().createObjectNode();
  }

  /** A small valid input of the kind the service reads. */
  static byte[] inputFor(String subject) throws Exception {
    if (subject.startsWith("pdf.")) {
      return DistPdf.pdf();
    }
    return ("# Report\n\nThe quarterly report covers revenue, costs and the outlook for the next year. "
        + "Revenue grew in every region.\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Where docs/ is (surefire runs in tests/). */
  static final class InfraRoot {
    static Path docs() {
      Path d = Path.of("").toAbsolutePath();
      while (d != null && !Files.isDirectory(d.resolve("docs/protocol-examples"))) {
        d = d.getParent();
      }
      if (d == null) {
        throw new IllegalStateException("docs/protocol-examples not found above " + Path.of("").toAbsolutePath());
      }
      return d.resolve("docs");
    }
  }

  /** A one-page PDF with a heading and a paragraph. */
  static final class DistPdf {
    static byte[] pdf() throws Exception {
      return HostileInputTest.validPdf();
    }
  }
}
