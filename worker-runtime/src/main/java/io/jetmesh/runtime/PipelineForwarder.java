package io.jetmesh.runtime;

import io.jetmesh.client.BlobClient;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.PipelineStage;
import io.jetmesh.protocol.Progress;
import io.jetmesh.protocol.Protocol;
import io.jetmesh.protocol.StageSummary;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobException;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands a finished pipeline stage's output to the next stage: stores the output in the blob store and publishes the
 * next stage's envelope (input = that output) to its service's stream, carrying the stages done so far.
 *
 * <p>Thread-safe: stateless beyond its thread-safe collaborators; called from job threads.
 */
final class PipelineForwarder {
  private final String workerId;
  private final BlobClient blobs;
  private final MeshRegistry registry;
  private final ResultPublisher publisher;

  PipelineForwarder(String workerId, BlobClient blobs, MeshRegistry registry, ResultPublisher publisher) {
    this.workerId = workerId;
    this.blobs = blobs;
    this.registry = registry;
    this.publisher = publisher;
  }

  void forwardToNextStage(Execution ex, HandlerResult result) throws Exception {
    JobEnvelope env = ex.envelope;
    int stage = env.stageIndex() == null ? 0 : env.stageIndex();
    BlobRef out = blobs.put("pipelines/" + env.reportId() + "/stage" + stage + ".json", Json.toBytes(result.output()),
        Protocol.CONTENT_TYPE_JSON);
    PipelineStage next = env.pipeline().get(0);
    List<StageSummary> done = stages(ex, out, workerId);
    String nextId = env.reportId() + "-s" + (stage + 1) + (env.replayCount() > 0 ? "r" + env.replayCount() : "");
    JobEnvelope nextEnv = JobEnvelope.builder(next.subject(),
            new InputRef(out.uri(), null, "stage" + stage + ".json", Protocol.CONTENT_TYPE_JSON))
        .id(nextId)
        .options(next.options())
        .client(env.client())
        .submittedAt(env.submittedAt())
        .timeoutMs(env.timeoutMs())
        .pipeline(env.pipeline().subList(1, env.pipeline().size()))
        .stageOf(env.reportId(), stage + 1, done)
        .replay(env.replay())
        .build();
    NamespaceSpec nextNs = registry.forSubject(next.subject()).orElseThrow(
        () -> new JobException(ErrorCode.INVALID_INPUT, "pipeline stage " + next.subject() + " has no service"));
    Headers h = new Headers().put(Protocol.HEADER_VERSION, "1").put(Protocol.HEADER_JOB_ID, nextId);
    publisher.publishWithRetry(nextEnv.messageSubject(), h, Json.toBytes(nextEnv),
        PublishOptions.builder().messageId(Subjects.jobMessageId(env.client(), nextId)).expectedStream(nextNs.stream()).build());
    publisher.publishProgress(ex, new Progress(stage + 1, stage + 1 + env.pipeline().size(), "stages",
        "stage " + env.subject() + " done; next " + next.subject(), env.subject()));
  }

  /** The stages a result reports: those done before, plus this one ({@code null} for a plain job). */
  static List<StageSummary> stages(Execution ex, BlobRef out, String workerId) {
    JobEnvelope env = ex.envelope;
    if (env.rootId() == null && env.pipeline().isEmpty()) {
      return null;
    }
    List<StageSummary> list = new ArrayList<>(env.stagesDone() == null ? List.of() : env.stagesDone());
    list.add(new StageSummary(env.subject(), env.id(), workerId, ex.elapsedMillis(), out));
    return list;
  }

  /** The subject a result is reported under: the pipeline's first stage, or the job's own. */
  static String rootSubject(JobEnvelope env) {
    if (env.stagesDone() != null && !env.stagesDone().isEmpty()) {
      return env.stagesDone().get(0).subject();
    }
    return env.subject();
  }
}
