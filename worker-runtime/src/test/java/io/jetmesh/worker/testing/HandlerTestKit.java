package io.jetmesh.worker.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.Progress;
import io.jetmesh.protocol.ServiceLimits;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link JobHandler} without NATS, for handler unit tests: the input is a local file or bytes, artifacts go
 * to a directory as {@code file:} references, and progress events are recorded.
 *
 * <pre>{@code
 * HandlerTestKit.Run run = HandlerTestKit.forSubject("pdf.docling.text").input(pdfPath).run(handler);
 * assertThat(run.result().output().path("pages").size()).isEqualTo(3);
 * }</pre>
 */
public final class HandlerTestKit {
  private final String subject;
  private ObjectNode options = Json.object();
  private Path inputFile;
  private byte[] inputBytes;
  private String inputName;
  private ServiceLimits limits;
  private Duration timeout = Duration.ofMinutes(5);
  private Path workDir;
  private int attempt = 1;

  private HandlerTestKit(String subject) {
    this.subject = Objects.requireNonNull(subject, "subject == null");
  }

  public static HandlerTestKit forSubject(String subject) {
    return new HandlerTestKit(subject);
  }

  public HandlerTestKit options(ObjectNode options) {
    this.options = options;
    return this;
  }

  public HandlerTestKit options(String json) {
    this.options = Json.objectOf(json);
    return this;
  }

  public HandlerTestKit input(Path file) {
    this.inputFile = file;
    this.inputName = file.getFileName().toString();
    return this;
  }

  public HandlerTestKit input(byte[] data, String name) {
    this.inputBytes = data;
    this.inputName = name;
    return this;
  }

  /** Limits to apply; default: the bundled namespaces.yaml entry that owns the subject. */
  public HandlerTestKit limits(ServiceLimits limits) {
    this.limits = limits;
    return this;
  }

  public HandlerTestKit timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public HandlerTestKit attempt(int attempt) {
    this.attempt = attempt;
    return this;
  }

  public HandlerTestKit workDir(Path dir) {
    this.workDir = dir;
    return this;
  }

  /** Runs the handler; a {@link JobException} is captured in {@link Run#error()} rather than thrown. */
  public Run run(JobHandler handler) {
    try {
      Path dir = workDir != null ? workDir : Files.createTempDirectory("jetmesh-testkit");
      ServiceLimits l = limits != null ? limits
          : MeshRegistry.bundled().forSubject(subject).map(ns -> ns.limits())
              .orElseThrow(() -> new IllegalArgumentException("no namespace owns " + subject + "; pass limits()"));
      Context ctx = new Context(dir, l);
      try {
        HandlerResult r = handler.handle(ctx);
        return new Run(r, null, List.copyOf(ctx.progress), dir);
      } catch (JobException e) {
        return new Run(null, e, List.copyOf(ctx.progress), dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The outcome of one handler run. */
  public record Run(HandlerResult result, JobException error, List<Progress> progress, Path workDir) {
    public HandlerResult requireResult() {
      if (error != null) {
        throw new AssertionError("handler failed with " + error.code() + ": " + error.getMessage(), error);
      }
      return result;
    }

    public ErrorCode errorCode() {
      return error == null ? null : error.code();
    }
  }

  private final class Context implements JobContext {
    private final Path dir;
    private final ServiceLimits limits;
    private final Instant deadline;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
    private final Logger log = LoggerFactory.getLogger("jetmesh.testkit." + subject);
    private Path scratch;

    Context(Path dir, ServiceLimits limits) {
      this.dir = dir;
      this.limits = limits;
      this.deadline = Instant.now().plus(timeout);
    }

    @Override public String jobId() { return "testjob"; }
    @Override public String reportId() { return "testjob"; }
    @Override public String subject() { return subject; }
    @Override public String operation() { return subject.substring(subject.lastIndexOf('.') + 1); }
    @Override public int attempt() { return attempt; }
    @Override public ObjectNode options() { return options; }

    @Override
    public InputRef input() {
      return inputFile != null ? InputRef.of(inputFile.toUri().toString())
          : InputRef.inline(inputBytes, inputName, null);
    }

    @Override
    public InputStream openInput() throws JobException {
      try {
        if (inputFile != null) {
          if (Files.size(inputFile) > limits.maxInputSize()) {
            throw JobException.tooLarge("input is " + Files.size(inputFile) + " bytes, limit " + limits.maxInputSize());
          }
          return Files.newInputStream(inputFile);
        }
        if (inputBytes == null) {
          throw JobException.invalidInput("no input given to the test kit");
        }
        return new ByteArrayInputStream(inputBytes);
      } catch (IOException e) {
        throw JobException.notFound("cannot read test input: " + e.getMessage());
      }
    }

    @Override
    public Path inputFile() throws JobException {
      if (inputFile != null) {
        return inputFile;
      }
      try {
        Path f = scratchDir().resolve(inputName != null ? inputName : "input.bin");
        try (InputStream in = openInput()) {
          Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
      } catch (IOException e) {
        throw new JobException(ErrorCode.INTERNAL, "cannot spool input: " + e.getMessage(), e);
      }
    }

    @Override
    public Path scratchDir() throws JobException {
      try {
        if (scratch == null) {
          scratch = Files.createDirectories(dir.resolve("scratch"));
        }
        return scratch;
      } catch (IOException e) {
        throw new JobException(ErrorCode.INTERNAL, e.getMessage(), e);
      }
    }

    @Override
    public BlobRef putArtifact(String name, byte[] data, String contentType) throws JobException {
      try {
        Path f = Files.createDirectories(dir.resolve("artifacts")).resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, data);
        return new BlobRef(f.toUri().toString(), data.length, contentType, null);
      } catch (IOException e) {
        throw new JobException(ErrorCode.INTERNAL, e.getMessage(), e);
      }
    }

    @Override
    public BlobRef putArtifact(String name, Path file, String contentType) throws JobException {
      try {
        return putArtifact(name, Files.readAllBytes(file), contentType);
      } catch (IOException e) {
        throw new JobException(ErrorCode.INTERNAL, e.getMessage(), e);
      }
    }

    @Override
    public void progress(long current, long total, String unit, String message) {
      progress.add(new Progress(current, total, unit, message, null));
    }

    @Override
    public boolean isCancelled() {
      return cancelled.get() || Instant.now().isAfter(deadline);
    }

    @Override
    public void checkCancelled() throws JobException {
      if (cancelled.get()) {
        throw new JobException(ErrorCode.CANCELLED, "cancelled");
      }
      if (Instant.now().isAfter(deadline)) {
        throw new JobException(ErrorCode.TIMEOUT, "timed out after " + timeout.toMillis() + "ms");
      }
    }

    @Override public Instant deadline() { return deadline; }
    @Override public ServiceLimits limits() { return limits; }
    @Override public Logger log() { return log; }
    @Override public String workerId() { return "testkit"; }
  }
}
