package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobStatus;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The generic asynchronous client of the mesh. Thread-safe; one instance per application is enough.
 * {@link DocumentService}, {@link ImageService} and {@link TextService} are typed conveniences over it.
 *
 * <pre>{@code
 * try (MeshClient mesh = MeshClient.connect(MeshOptions.fromEnvironment())) {
 *   JobResult r = mesh.submit(JobRequest.builder("pdf.docling.text").file(Path.of("a.pdf")).build()).result().get();
 * }
 * }</pre>
 */
public interface MeshClient extends AutoCloseable {
  /**
   * Connects and subscribes to this client's results and progress.
   *
   * @throws MeshAuthenticationException credentials refused
   * @throws MeshException server unreachable, bad URL, or the mesh is not provisioned (results stream missing)
   */
  static MeshClient connect(MeshOptions options) throws MeshException {
    return NatsMeshClient.connect(options);
  }

  MeshOptions options();

  /** Submits one job. Never blocks on the mesh; see {@link JobSubmission} for how the future completes. */
  JobSubmission submit(JobRequest request);

  /**
   * A batch submitter that keeps at most {@code maxInFlight} jobs of this batch unfinished: its
   * {@link Batch#submit} blocks the caller while the limit is reached (backpressure), so thousands of documents can
   * be fed from a loop without flooding the mesh or the client's memory.
   */
  Batch batch(int maxInFlight);

  /**
   * The job's status: from its stored result when it has ended, else from the status store.
   *
   * <p>Completes with an empty optional when the mesh knows nothing of the id (never submitted, or expired).
   */
  CompletableFuture<Optional<JobStatus>> status(String jobId);

  /** The stored result, if the job has ended and the result has not expired. Any process may fetch it. */
  CompletableFuture<Optional<JobResult>> result(String jobId);

  /**
   * Waits for the result of a job submitted earlier, possibly by another process or before a reconnect. Completes
   * like {@link JobSubmission#result()}.
   */
  CompletableFuture<JobResult> await(String jobId, ProgressListener listener);

  /** Asks the mesh to cancel the job: a queued job is answered {@code cancelled} when picked up, a running one is interrupted cooperatively. */
  CompletableFuture<Void> cancel(String jobId);

  /** The output JSON of a completed result, fetched from the blob store when it was stored by reference. */
  CompletableFuture<JsonNode> output(JobResult result);

  /** Uploads a local file to the mesh's object store; returns its {@code nats-object://} reference. */
  CompletableFuture<String> upload(Path file);

  /** Opens a blob by reference ({@code nats-object://bucket/name}). */
  InputStream openBlob(String uri) throws MeshException;

  /**
   * Closes the connection. Submissions not yet acknowledged by their stream get up to twice the request timeout to
   * be stored; the rest fail their {@link JobSubmission#stored()} and {@link JobSubmission#result()} futures with
   * {@link MeshException} (the job may or may not be stored: resubmit with the same id, duplicates are dropped).
   * Futures of stored jobs still waiting for a result fail too: {@link #await} in another client picks them up.
   */
  @Override
  void close();
}
