package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The named builders make the same records, with the same bytes on the wire, as the canonical constructors. */
class WireRecordBuildersTest {
  static final Instant SUBMITTED = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant STARTED = Instant.parse("2026-01-01T00:00:01Z");
  static final Instant FINISHED = Instant.parse("2026-01-01T00:00:02Z");
  static final BlobRef BLOB = new BlobRef("nats://jetmesh-blobs/results/j1/output.json", 12L, "application/json", null);

  private static String wire(Object record) {
    return new String(Json.toBytes(record), StandardCharsets.UTF_8);
  }

  @Test
  void completedResult() {
    JobResult built = JobResult.completed("j1", "diag.echo").output(Json.objectOf("{\"a\":1}"))
        .artifacts(Map.of("thumb", BLOB)).worker("w1").attempts(2).submittedAt(SUBMITTED).startedAt(STARTED)
        .finishedAt(FINISHED).stages(List.of(new StageSummary("diag.echo", "j1", "w1", 5, null))).build();
    JobResult canonical = new JobResult(Protocol.VERSION, "j1", "diag.echo", JobState.COMPLETED, Json.objectOf("{\"a\":1}"),
        null, Map.of("thumb", BLOB), null, "w1", 2, SUBMITTED, STARTED, FINISHED,
        List.of(new StageSummary("diag.echo", "j1", "w1", 5, null)));
    assertThat(built).isEqualTo(canonical);
    assertThat(wire(built)).isEqualTo(wire(canonical));
    assertThat(built.toBuilder().build()).isEqualTo(built);
  }

  @Test
  void unsuccessfulResults() {
    JobError err = JobError.of(ErrorCode.UNAVAILABLE, "store down");
    for (JobState state : List.of(JobState.FAILED, JobState.CANCELLED, JobState.DEAD)) {
      JobResult canonical = new JobResult(Protocol.VERSION, "j1", "diag.fail", state, null, null, null, err, "w1", 3,
          SUBMITTED, null, FINISHED, null);
      JobResult.Builder b = switch (state) {
        case FAILED -> JobResult.failed("j1", "diag.fail", err);
        case CANCELLED -> JobResult.cancelled("j1", "diag.fail", err);
        default -> JobResult.dead("j1", "diag.fail", err);
      };
      JobResult built = b.worker("w1").attempts(3).submittedAt(SUBMITTED).finishedAt(FINISHED).build();
      assertThat(built).isEqualTo(canonical);
      assertThat(wire(built)).isEqualTo(wire(canonical));
      assertThat(JobResult.ended(state, "j1", "diag.fail", err).worker("w1").attempts(3).submittedAt(SUBMITTED)
          .finishedAt(FINISHED).build()).isEqualTo(canonical);
    }
  }

  @Test
  void theRecordsOwnChecksStillApply() {
    assertThatThrownBy(() -> JobResult.ended(JobState.COMPLETED, "j1", "diag.echo", JobError.of(ErrorCode.INTERNAL, "x")))
        .hasMessageContaining("completed(...)");
    assertThatThrownBy(() -> JobResult.failed("j1", "diag.echo", null)).hasMessageContaining("error == null");
    assertThatThrownBy(() -> JobResult.ended(JobState.RUNNING, "j1", "diag.echo", JobError.of(ErrorCode.INTERNAL, "x")).build())
        .hasMessageContaining("terminal status");
  }

  @Test
  void resultCopyWithOtherOutput() {
    JobResult r = JobResult.completed("j1", "diag.echo").outputRef(BLOB).worker("w1").attempts(1).build();
    JobResult inlined = r.toBuilder().output(Json.objectOf("{\"b\":2}")).build();
    assertThat(inlined.output().path("b").asInt()).isEqualTo(2);
    assertThat(inlined.outputRef()).isEqualTo(BLOB);
    assertThat(inlined.worker()).isEqualTo("w1");
  }

  @Test
  void status() {
    JobStatus built = JobStatus.builder("j1", JobState.RUNNING).subject("diag.echo").resultSubject("jetmesh.results.c1.j1")
        .attempts(1).worker("w1").submittedAt(SUBMITTED).startedAt(STARTED).updatedAt(FINISHED)
        .progress(new Progress(1, 2, "pages", null, null)).build();
    JobStatus canonical = new JobStatus(Protocol.VERSION, "j1", JobState.RUNNING, "diag.echo", "jetmesh.results.c1.j1", 1,
        "w1", SUBMITTED, STARTED, FINISHED, null, new Progress(1, 2, "pages", null, null), null, null);
    assertThat(built).isEqualTo(canonical);
    assertThat(wire(built)).isEqualTo(wire(canonical));
    assertThat(built.toBuilder().cancelRequested(true).build().isCancelRequested()).isTrue();
    Instant later = FINISHED.plusSeconds(1);
    assertThat(built.withState(JobState.COMPLETED, later)).isEqualTo(new JobStatus(Protocol.VERSION, "j1",
        JobState.COMPLETED, "diag.echo", "jetmesh.results.c1.j1", 1, "w1", SUBMITTED, STARTED, later, later,
        new Progress(1, 2, "pages", null, null), null, null));
  }

  @Test
  void pipelineStageEnvelope() {
    InputRef in = InputRef.of("nats://jetmesh-blobs/pipelines/r1/stage0.json");
    List<StageSummary> done = List.of(new StageSummary("pdf.docling.convert", "r1", "w1", 10, null));
    JobEnvelope built = JobEnvelope.builder("text.analyze.embed", in).id("r1-s1").client("c1").submittedAt(SUBMITTED)
        .timeoutMs(5000L).stageOf("r1", 1, done).replay(2).build();
    JobEnvelope canonical = new JobEnvelope(Protocol.VERSION, "r1-s1", "text.analyze.embed", in, null, "c1", SUBMITTED,
        5000L, List.of(), "r1", 1, done, 2);
    assertThat(built).isEqualTo(canonical);
    assertThat(wire(built)).isEqualTo(wire(canonical));
  }
}
