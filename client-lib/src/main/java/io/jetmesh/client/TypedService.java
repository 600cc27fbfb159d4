package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the typed services share: a {@link MeshClient} they may own, and job lookups by id. */
abstract class TypedService implements AutoCloseable {
  protected final MeshClient mesh;
  private final boolean owned;

  TypedService(MeshClient mesh, boolean owned) {
    this.mesh = mesh;
    this.owned = owned;
  }

  /** The underlying generic client. */
  public MeshClient mesh() {
    return mesh;
  }

  /**
   * A job's input reference: {@code s3://} and {@code nats-object://} pass, a bare key ({@code reports/q3.pdf})
   * resolves against the default bucket ({@code JETMESH_S3_BUCKET}, {@link MeshOptions#resolveInput}).
   */
  protected String inputRef(String reference) {
    return mesh.options().resolveInput(reference);
  }

  /** Submits and resolves the output JSON (fetching it from the blob store when stored by reference). */
  protected CompletableFuture<JsonNode> run(String subject, String input, ObjectNode options, Duration timeout,
      ProgressListener listener) {
    JobRequest.Builder b = JobRequest.builder(subject).input(inputRef(input)).options(options).timeout(timeout);
    if (listener != null) {
      b.progressListener(listener);
    }
    return resolve(mesh.submit(b.build()));
  }

  protected CompletableFuture<JsonNode> resolve(JobSubmission s) {
    CompletableFuture<JsonNode> out = s.result().thenCompose(mesh::output);
    // cancelling the caller's future cancels the job
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        s.result().cancel(true);
      }
    });
    return out;
  }

  public CompletableFuture<Optional<JobStatus>> status(String jobId) {
    return mesh.status(jobId);
  }

  public CompletableFuture<Optional<JobResult>> result(String jobId) {
    return mesh.result(jobId);
  }

  public CompletableFuture<Void> cancel(String jobId) {
    return mesh.cancel(jobId);
  }

  /** Closes the client if this service created it ({@code connect}); a shared client stays open. */
  @Override
  public void close() {
    if (owned) {
      mesh.close();
    }
  }
}
