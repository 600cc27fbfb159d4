package io.jetmesh.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.PipelineStage;
import io.jetmesh.protocol.Subjects;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One job to submit: a subject ({@code pdf.docling.convert}), an input (a reference, inline bytes, or a local file
 * that the client uploads to the object store first), options, and optionally a timeout, a fixed job id, follow-up
 * pipeline stages and a progress listener.
 */
public final class JobRequest {
  /** The longest time limit a job may ask for (no service allows more). */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(30);
  private final String subject;
  private final InputRef input;
  private final Path localFile;
  private final ObjectNode options;
  private final Duration timeout;
  private final String jobId;
  private final List<PipelineStage> pipeline;
  private final ProgressListener progressListener;

  private JobRequest(Builder b) {
    this.subject = b.subject;
    this.input = b.input;
    this.localFile = b.localFile;
    this.options = b.options;
    this.timeout = b.timeout;
    this.jobId = b.jobId;
    this.pipeline = List.copyOf(b.pipeline);
    this.progressListener = b.progressListener;
  }

  public static Builder builder(String subject) {
    return new Builder(subject);
  }

  public Builder newBuilder() {
    Builder b = new Builder(subject);
    b.input = input;
    b.localFile = localFile;
    b.options = options;
    b.timeout = timeout;
    b.jobId = jobId;
    b.pipeline = new ArrayList<>(pipeline);
    b.progressListener = progressListener;
    return b;
  }

  public String subject() { return subject; }
  /** The input reference, or {@code null} if {@link #localFile()} is to be uploaded. */
  public InputRef input() { return input; }
  public Path localFile() { return localFile; }
  public ObjectNode options() { return options; }
  /** The job's time limit, or {@code null} for the service default. */
  public Duration timeout() { return timeout; }
  /** A caller-chosen job id, or {@code null} for a fresh one. */
  public String jobId() { return jobId; }
  public List<PipelineStage> pipeline() { return pipeline; }
  public ProgressListener progressListener() { return progressListener; }

  public static final class Builder {
    private final String subject;
    private InputRef input;
    private Path localFile;
    private ObjectNode options;
    private Duration timeout;
    private String jobId;
    private List<PipelineStage> pipeline = new ArrayList<>();
    private ProgressListener progressListener = ProgressListener.NONE;

    private Builder(String subject) {
      this.subject = Subjects.requireJobSubject(subject);
    }

    /** Input by reference: {@code s3://bucket/key} or {@code nats-object://bucket/name}. */
    public Builder input(String uri) {
      this.input = InputRef.of(Objects.requireNonNull(uri, "uri == null"));
      this.localFile = null;
      return this;
    }

    public Builder input(InputRef input) {
      this.input = Objects.requireNonNull(input, "input == null");
      this.localFile = null;
      return this;
    }

    /** Small inline payload (bounded by the service's {@code max_inline_size}). */
    public Builder inline(byte[] data, String name, String contentType) {
      this.input = InputRef.inline(data, name, contentType);
      this.localFile = null;
      return this;
    }

    /** A local file, uploaded to the mesh's object store before the job is published. */
    public Builder file(Path file) {
      this.localFile = Objects.requireNonNull(file, "file == null");
      this.input = null;
      return this;
    }

    public Builder options(ObjectNode options) {
      this.options = options;
      return this;
    }

    /** Options as a JSON object literal. */
    public Builder options(String json) {
      this.options = Json.objectOf(json);
      return this;
    }

    /** At most {@link #MAX_TIMEOUT}; the worker caps it further at the service's {@code job_timeout}. */
    public Builder timeout(Duration timeout) {
      if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
        throw new IllegalArgumentException("timeout must be > 0: " + timeout);
      }
      if (timeout != null && timeout.compareTo(MAX_TIMEOUT) > 0) {
        // a larger value overflowed the client's millisecond deadline arithmetic after the job was registered
        throw new IllegalArgumentException("timeout must be at most " + MAX_TIMEOUT.toDays() + " days: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    public Builder jobId(String jobId) {
      if (jobId != null && !Subjects.isToken(jobId)) {
        throw new IllegalArgumentException("jobId must match [A-Za-z0-9_-]{1,128}: '" + jobId + "'");
      }
      this.jobId = jobId;
      return this;
    }

    /** Adds a follow-up stage that runs on this job's output (e.g. {@code text.analyze.chunk}). */
    public Builder then(String subject, ObjectNode options) {
      this.pipeline.add(new PipelineStage(subject, options));
      return this;
    }

    public Builder progressListener(ProgressListener listener) {
      this.progressListener = Objects.requireNonNull(listener, "listener == null");
      return this;
    }

    public JobRequest build() {
      if (input == null && localFile == null) {
        throw new IllegalStateException("a job needs an input: input(uri), inline(...) or file(path)");
      }
      return new JobRequest(this);
    }
  }
}
