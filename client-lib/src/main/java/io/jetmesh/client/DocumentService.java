package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.JobResult;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * PDF conversion through the mesh's {@code pdf.docling.*} service.
 *
 * <pre>{@code
 * try (DocumentService docs = DocumentService.connect(MeshOptions.fromEnvironment())) {
 *   DocumentResult r = docs.processDocument("s3://bucket/reports/q3.pdf", ConvertOptions.defaults()).get();
 *   System.out.println(r.markdown());
 * }
 * }</pre>
 *
 * <p>Every future completes exceptionally with {@link JobFailedException} (the document could not be converted:
 * code and message say why), {@link MeshBackpressureException} (the service is backed up), {@link MeshException}
 * (the mesh is unreachable) or {@link java.util.concurrent.TimeoutException} (the options' timeout passed).
 * Cancelling a returned future cancels the job.
 */
public final class DocumentService extends TypedService {
  public static final String CONVERT = "pdf.docling.convert";
  public static final String TEXT = "pdf.docling.text";
  public static final String TABLES = "pdf.docling.tables";
  public static final String METADATA = "pdf.docling.metadata";

  /** Wraps a shared client; {@link #close()} leaves it open. */
  public DocumentService(MeshClient mesh) {
    super(mesh, false);
  }

  private DocumentService(MeshClient mesh, boolean owned) {
    super(mesh, owned);
  }

  /** Connects a client of its own; {@link #close()} closes it. */
  public static DocumentService connect(MeshOptions options) throws MeshException {
    return new DocumentService(MeshClient.connect(options), true);
  }

  /**
   * Converts a document referenced by {@code s3://bucket/key} or {@code nats-object://bucket/name}, or by a bare key
   * ({@code reports/q3.pdf}, as the original system's {@code s3_key}) read from the default bucket
   * ({@code JETMESH_S3_BUCKET} or {@link MeshOptions.Builder#defaultS3Bucket}).
   *
   * @throws IllegalArgumentException for a bare key when no default bucket is configured
   */
  public CompletableFuture<DocumentResult> processDocument(String inputUri, ConvertOptions options) {
    return processDocument(inputUri, options, null);
  }

  public CompletableFuture<DocumentResult> processDocument(String inputUri, ConvertOptions options, ProgressListener listener) {
    return convert(JobRequest.builder(CONVERT).input(inputRef(inputUri)), options, listener);
  }

  /** Uploads a local file to the mesh's object store, then converts it. */
  public CompletableFuture<DocumentResult> processFile(Path file, ConvertOptions options, ProgressListener listener) {
    return convert(JobRequest.builder(CONVERT).file(file), options, listener);
  }

  private CompletableFuture<DocumentResult> convert(JobRequest.Builder b, ConvertOptions options, ProgressListener listener) {
    b.options(options.toJson()).timeout(options.timeout());
    if (listener != null) {
      b.progressListener(listener);
    }
    JobSubmission s = mesh.submit(b.build());
    CompletableFuture<DocumentResult> out = s.result()
        .thenCompose(r -> mesh.output(r).thenApply(o -> new DocumentResult(r.id(), o, r)));
    out.whenComplete((r, e) -> {
      if (out.isCancelled()) {
        s.result().cancel(true);
      }
    });
    return out;
  }

  /**
   * Submits many documents with at most {@code maxInFlight} unfinished at once; blocks the caller while the limit
   * is reached (backpressure). Each submission's future completes as for {@link #processDocument}.
   */
  public Batch submitAll(Iterable<String> inputUris, ConvertOptions options, int maxInFlight) throws InterruptedException {
    Batch batch = mesh.batch(maxInFlight);
    for (String uri : inputUris) {
      batch.submit(JobRequest.builder(CONVERT).input(inputRef(uri)).options(options.toJson()).timeout(options.timeout()).build());
    }
    return batch;
  }

  /** Plain text per page, in reading order (the fast path): {@code {"pages":[{"page":1,"text":...}],"text":...}}. */
  public CompletableFuture<JsonNode> extractText(String inputUri) {
    return run(TEXT, inputUri, null, null, null);
  }

  /** Tables only, as cell grids (JSON) and CSV. */
  public CompletableFuture<JsonNode> extractTables(String inputUri) {
    return run(TABLES, inputUri, null, null, null);
  }

  /** Page count, title, author, dates, encryption, text-layer presence per page. */
  public CompletableFuture<JsonNode> metadata(String inputUri) {
    return run(METADATA, inputUri, null, null, null);
  }

  /**
   * One submission for "convert this PDF, chunk it, embed the chunks": the mesh routes each stage's output to the
   * next service; the result is the embedding stage's output, with every stage listed in {@link JobResult#stages()}.
   */
  public CompletableFuture<JobResult> convertChunkEmbed(String inputUri, ConvertOptions options, ObjectNode chunkOptions,
      ObjectNode embedOptions, ProgressListener listener) {
    JobRequest.Builder b = JobRequest.builder(CONVERT).input(inputRef(inputUri)).options(options.toJson()).timeout(options.timeout())
        .then(TextService.CHUNK, chunkOptions).then(TextService.EMBED, embedOptions);
    if (listener != null) {
      b.progressListener(listener);
    }
    return mesh.submit(b.build()).result();
  }
}
