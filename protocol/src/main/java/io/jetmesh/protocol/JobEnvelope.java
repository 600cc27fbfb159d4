package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A job as published to {@code <subject-prefix>.<operation>} (header {@code Nats-Msg-Id} = {@link #id()}).
 *
 * @param v protocol version ({@link Protocol#VERSION})
 * @param id client-generated unique id, a NATS subject token ({@code [A-Za-z0-9_-]{1,128}})
 * @param subject the job subject, e.g. {@code pdf.docling.convert}
 * @param input what to work on
 * @param options operation options (may be {@code null}: the operation's defaults)
 * @param client the submitting client's routing token; results go to {@code jetmesh.results.<client>.<id>}
 * @param submittedAt when the client submitted the job
 * @param timeoutMs per-job time limit in milliseconds, or {@code null} for the service default
 * @param pipeline follow-up stages run on this job's output (may be {@code null} or empty)
 * @param rootId for a pipeline stage, the id the client waits on; {@code null} for a plain job
 * @param stageIndex for a pipeline stage, its 0-based position; {@code null} for a plain job
 * @param stagesDone for a pipeline stage, the stages finished before it (carried to the final result)
 * @param replay how often this job was replayed from the dead-letter stream ({@code null} = never)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEnvelope(
    int v,
    String id,
    String subject,
    InputRef input,
    ObjectNode options,
    String client,
    Instant submittedAt,
    Long timeoutMs,
    List<PipelineStage> pipeline,
    String rootId,
    Integer stageIndex,
    List<StageSummary> stagesDone,
    Integer replay) {

  public JobEnvelope {
    Subjects.requireToken(id, "id");
    Subjects.requireJobSubject(subject);
    Subjects.requireToken(client, "client");
    Objects.requireNonNull(input, "input == null");
    Objects.requireNonNull(submittedAt, "submittedAt == null");
    if (timeoutMs != null && timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs <= 0: " + timeoutMs);
    }
    pipeline = pipeline == null ? List.of() : List.copyOf(pipeline);
    stagesDone = stagesDone == null || stagesDone.isEmpty() ? null : List.copyOf(stagesDone);
    if (rootId != null) {
      Subjects.requireToken(rootId, "rootId");
    }
  }

  /** The id results, status and progress are reported under: the pipeline's root id, or this job's id. */
  @JsonIgnore
  public String reportId() {
    return rootId != null ? rootId : id;
  }

  /** The number of times this job was replayed from the dead-letter stream (0 = never). */
  @JsonIgnore
  public int replayCount() {
    return replay == null ? 0 : replay;
  }

  /** A copy for a dead-letter replay: same id and input, {@code replay} incremented. */
  public JobEnvelope forReplay() {
    return new JobEnvelope(v, id, subject, input, options, client, submittedAt, timeoutMs, pipeline, rootId,
        stageIndex, stagesDone, replayCount() + 1);
  }

  /** The subject this job is published on: {@link Subjects#job} of its subject and client. */
  @JsonIgnore
  public String messageSubject() {
    return Subjects.job(subject, client);
  }

  /** A copy addressed to {@code otherClient} (a worker answers a forged envelope to the client that published it). */
  public JobEnvelope forClient(String otherClient) {
    return new JobEnvelope(v, id, subject, input, options, otherClient, submittedAt, timeoutMs, pipeline, rootId,
        stageIndex, stagesDone, replay);
  }

  /** Options, never null (an empty node when the client sent none). */
  @JsonIgnore
  public ObjectNode optionsOrEmpty() {
    return options != null ? options : Json.mapper().createObjectNode();
  }

  public static Builder builder(String subject, InputRef input) {
    return new Builder(subject, input);
  }

  /**
   * Builds a job by name, with a fresh id and the current time unless given. A plain job leaves the stage fields
   * unset; a worker forwarding a pipeline's next stage sets them with {@link #stageOf} and {@link #replay}.
   */
  public static final class Builder {
    private final String subject;
    private final InputRef input;
    private String id;
    private ObjectNode options;
    private String client = "anonymous";
    private Instant submittedAt;
    private Long timeoutMs;
    private List<PipelineStage> pipeline = List.of();
    private String rootId;
    private Integer stageIndex;
    private List<StageSummary> stagesDone;
    private Integer replay;

    private Builder(String subject, InputRef input) {
      this.subject = Objects.requireNonNull(subject, "subject == null");
      this.input = Objects.requireNonNull(input, "input == null");
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder options(ObjectNode options) {
      this.options = options;
      return this;
    }

    public Builder client(String client) {
      this.client = client;
      return this;
    }

    public Builder submittedAt(Instant submittedAt) {
      this.submittedAt = submittedAt;
      return this;
    }

    public Builder timeoutMs(Long timeoutMs) {
      this.timeoutMs = timeoutMs;
      return this;
    }

    public Builder pipeline(List<PipelineStage> pipeline) {
      this.pipeline = pipeline;
      return this;
    }

    /** Makes this job stage {@code stageIndex} of the pipeline reported as {@code rootId}, after {@code stagesDone}. */
    public Builder stageOf(String rootId, int stageIndex, List<StageSummary> stagesDone) {
      this.rootId = Objects.requireNonNull(rootId, "rootId == null");
      this.stageIndex = stageIndex;
      this.stagesDone = stagesDone;
      return this;
    }

    /** How often the job was replayed from the dead-letter stream ({@code null} = never). */
    public Builder replay(Integer replay) {
      this.replay = replay;
      return this;
    }

    public JobEnvelope build() {
      return new JobEnvelope(Protocol.VERSION, id != null ? id : JobIds.newId(), subject, input, options, client,
          submittedAt != null ? submittedAt : Instant.now(), timeoutMs, pipeline, rootId, stageIndex, stagesDone, replay);
    }
  }
}
