package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every example in docs/PROTOCOL.md is a file that parses into the protocol's types and appears in the doc verbatim. */
class ProtocolExamplesTest {
  static final Path DOCS = Path.of(System.getProperty("user.dir")).resolve("../docs").normalize();
  static final Map<String, Class<?>> TYPES = Map.of(
      "job-envelope", JobEnvelope.class,
      "result", JobResult.class,
      "status", JobStatus.class,
      "progress-event", ProgressEvent.class,
      "cancel-request", CancelRequest.class,
      "dead-letter", DeadLetter.class);

  static Stream<Path> examples() throws IOException {
    return Files.list(DOCS.resolve("protocol-examples")).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  static Class<?> typeOf(Path file) {
    String name = file.getFileName().toString();
    return TYPES.entrySet().stream().filter(e -> name.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("no protocol type for example " + name));
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleParsesAndRoundTripsWithoutLosingFields(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Object value = Json.fromBytes(bytes, typeOf(file));
    JsonNode original = Json.tree(bytes);
    JsonNode again = Json.tree(Json.toBytes(value));
    original.fieldNames().forEachRemaining(f -> assertThat(again.has(f)).as(file.getFileName() + " keeps " + f).isTrue());
    assertThat(again.path("v").asInt()).isEqualTo(Protocol.VERSION);
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleAppearsVerbatimInProtocolMd(Path file) throws IOException {
    String doc = Files.readString(DOCS.resolve("PROTOCOL.md"));
    assertThat(doc).as("PROTOCOL.md is stale: run scripts/gen-protocol-doc.py")
        .contains(Files.readString(file).strip());
  }

  @Test
  void examplesCoverEveryMessageType() throws IOException {
    List<Class<?>> covered = new java.util.ArrayList<>();
    examples().map(ProtocolExamplesTest::typeOf).distinct().forEach(covered::add);
    assertThat(covered).containsExactlyInAnyOrderElementsOf(TYPES.values());
  }

  @Test
  void pipelineStageExampleReportsUnderItsRootId() throws IOException {
    JobEnvelope stage = Json.fromBytes(Files.readAllBytes(DOCS.resolve("protocol-examples/job-envelope-stage.json")), JobEnvelope.class);
    assertThat(stage.reportId()).isEqualTo("01JD7W6C0A1B2C3D4E5F6G7H8J");
    assertThat(stage.stagesDone()).hasSize(1);
    assertThat(Subjects.result(stage.client(), stage.reportId())).isEqualTo("jetmesh.results.rag-indexer.01JD7W6C0A1B2C3D4E5F6G7H8J");
  }
}
