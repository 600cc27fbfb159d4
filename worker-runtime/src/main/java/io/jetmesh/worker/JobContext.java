package io.jetmesh.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.ServiceLimits;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Everything a handler may use while it runs one job. Created by the runtime per delivery; not shared between jobs.
 */
public interface JobContext {
  /** The job id (for a pipeline stage, the stage's own id; {@link #reportId()} is what the client waits on). */
  String jobId();

  /** The id the client sees: the pipeline root id, or {@link #jobId()}. */
  String reportId();

  /** The job subject, e.g. {@code pdf.docling.convert}. */
  String subject();

  /** The operation, e.g. {@code convert}. */
  String operation();

  /** 1 on the first delivery, 2 on the first retry, ... */
  int attempt();

  /** The job's options; never null (empty when the client sent none). */
  ObjectNode options();

  /** The input reference as submitted. */
  InputRef input();

  /**
   * Opens the input (inline bytes, NATS object store or S3). The stream stops with {@code TOO_LARGE} past the
   * service's {@code max_input_size}. A missing object fails with {@code INPUT_NOT_FOUND}, an unreachable store with
   * {@code UNAVAILABLE} (retried).
   */
  InputStream openInput() throws JobException;

  /**
   * The input as a local file in this job's scratch directory (downloaded once per job, deleted afterwards), for
   * libraries that need random access (PDFBox).
   */
  Path inputFile() throws JobException;

  /** A private directory for temporary files; deleted when the job ends. */
  Path scratchDir() throws JobException;

  /** Stores bytes in the blob store under this job and returns the reference to put in the output. */
  BlobRef putArtifact(String name, byte[] data, String contentType) throws JobException;

  /** Stores a file in the blob store under this job (streamed, not held in memory). */
  BlobRef putArtifact(String name, Path file, String contentType) throws JobException;

  /**
   * Reports progress ({@code 12} of {@code 40} {@code pages}). Cheap to call often: the runtime forwards at most a
   * few events per second to the client and the status store.
   */
  void progress(long current, long total, String unit, String message);

  /** True once the client cancelled the job or its time limit passed. Long loops should check it. */
  boolean isCancelled();

  /** Throws {@code CANCELLED} or {@code TIMEOUT} if {@link #isCancelled()}; call it between units of work. */
  void checkCancelled() throws JobException;

  /** When the job's time limit ends. */
  Instant deadline();

  /** The service's limits (input size, timeouts) from namespaces.yaml. */
  ServiceLimits limits();

  /** A logger whose lines carry the worker id and job id. */
  Logger log();

  /** This worker's id, e.g. {@code pdf-host1-3f2a}. */
  String workerId();
}
