package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryTest {
  @Test
  void bundledRegistryDefinesTheFourServicesAndDiagnostics() {
    MeshRegistry r = MeshRegistry.bundled();
    assertThat(r.namespaces()).extracting(NamespaceSpec::stream)
        .containsExactly("PDF_PROCESSING", "IMAGE_PROCESSING", "TEXT_ANALYSIS", "AUDIO_TRANSCRIPTION", "DIAGNOSTICS");
    NamespaceSpec pdf = r.require("pdf");
    assertThat(pdf.streamSubjects()).isEqualTo("pdf.docling.>");
    assertThat(pdf.workerGroup()).isEqualTo("pdf_docling_workers");
    assertThat(pdf.limits().jobTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(pdf.limits().ackWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.requireSubject("image.process.ocr").name()).isEqualTo("image");
  }

  @Test
  void unknownOperationIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> MeshRegistry.bundled().requireSubject("pdf.docling.explode"))
        .hasMessageContaining("has no operation 'explode'").hasMessageContaining("convert");
  }

  @Test
  void badValuesNameTheirField() {
    String yaml = "version: 1\nnamespaces:\n  x:\n    stream: X\n    subject_prefix: x.y\n    worker_group: g\n"
        + "    operations: [a]\n    limits: { ack_wait: soon }\n";
    assertThatThrownBy(() -> MeshRegistry.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml"))
        .hasMessageContaining("t.yaml").hasMessageContaining("namespaces.x.limits.ack_wait");
  }

  @Test
  void reservedPrefixAndDuplicateStreamsAreRefused() {
    String yaml = "version: 1\nnamespaces:\n  a: { stream: S, subject_prefix: jetmesh.x, worker_group: g, operations: [o] }\n";
    assertThatThrownBy(() -> MeshRegistry.parse(yaml.getBytes(StandardCharsets.UTF_8), "t")).hasMessageContaining("reserved");
    String dup = "version: 1\nnamespaces:\n  a: { stream: S, subject_prefix: a.x, worker_group: g, operations: [o] }\n"
        + "  b: { stream: S, subject_prefix: b.x, worker_group: h, operations: [o] }\n";
    assertThatThrownBy(() -> MeshRegistry.parse(dup.getBytes(StandardCharsets.UTF_8), "t")).hasMessageContaining("share stream S");
  }

  @Test
  void jobIdsAreTimeOrderedSubjectTokens() {
    String a = JobIds.newId(1_000);
    String b = JobIds.newId(2_000);
    assertThat(a).hasSize(26).matches("[0-9A-Z]+");
    assertThat(a.compareTo(b)).isNegative();
    assertThat(Subjects.isToken(a)).isTrue();
  }

  @Test
  void tokensAndJobSubjectsFollowTheProtocolRules() {
    assertThat(Subjects.isToken("01JD7W3K4Q9Z6Y5X2V1T0S8R7P")).isTrue();
    assertThat(Subjects.isToken("a-b_c")).isTrue();
    assertThat(Subjects.isToken("")).isFalse();
    assertThat(Subjects.isToken("a.b")).isFalse();
    assertThat(Subjects.isToken("x".repeat(129))).isFalse();
    assertThat(Subjects.isJobSubject("pdf.docling.convert")).isTrue();
    assertThat(Subjects.isJobSubject("pdf")).isFalse();
    assertThat(Subjects.isJobSubject("pdf..convert")).isFalse();
    assertThat(Subjects.isJobSubject("pdf.*")).isFalse();
    assertThat(Subjects.isJobSubject("pdf.docling.")).isFalse();
    assertThatThrownBy(() -> Subjects.requireJobSubject("pdf.>")).hasMessageContaining("not a job subject");
  }

  @Test
  void unitsParseWhatTheYamlWrites() {
    assertThat(Units.duration("250ms", "f")).isEqualTo(Duration.ofMillis(250));
    assertThat(Units.duration("7d", "f")).isEqualTo(Duration.ofDays(7));
    assertThat(Units.bytes("256KiB", "f")).isEqualTo(256 * 1024);
    assertThat(Units.bytes("1MB", "f")).isEqualTo(1 << 20);
    assertThatThrownBy(() -> Units.bytes("lots", "max_input_size")).hasMessageContaining("max_input_size");
  }
}
