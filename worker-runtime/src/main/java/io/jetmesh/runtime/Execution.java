package io.jetmesh.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.client.MeshException;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.Progress;
import io.jetmesh.protocol.ServiceLimits;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import io.nats.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of one job on this worker: the {@link JobContext} a handler sees, plus the state the runtime needs
 * (the message to heartbeat and ack, the deadline, cancellation, and the guard that the job is answered once).
 *
 * <p>Shared by design between the job thread that runs it, the watchdog (deadline, running status, heartbeat), the
 * cancel watch and the drain: every field another thread writes is volatile or an atomic guard, the
 * {@code finished}/{@code released}/{@code runnerReleased} guards make each outcome happen once, and the two
 * watchdog-only flags are touched by the timer thread alone.
 */
final class Execution implements JobContext {
  private static final long PROGRESS_MIN_NANOS = 100_000_000L;
  private static final long STATUS_MIN_NANOS = 1_000_000_000L;

  final ExecutionHost host;
  final Message message;
  final JobEnvelope envelope;
  final int delivery;
  final long streamSequence;
  final Instant startedAt;
  final long startNanos;
  private final Ticker ticker;
  private final Instant deadline;
  private final Logger log;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private final AtomicBoolean runnerReleased = new AtomicBoolean();
  volatile boolean cancelRequested;
  volatile boolean timedOut;
  volatile boolean handlerRunning;
  volatile Thread runner;
  volatile Progress lastProgress;
  volatile boolean statusWritten;
  // set by the runner when the handler starts, read by the worker's watchdog
  volatile boolean watched;
  volatile long runningStatusDueNanos;
  volatile long deadlineDueNanos;
  // watchdog thread only
  boolean runningStatusDone;
  boolean deadlineFired;
  private long lastProgressNanos;
  private long lastStatusNanos;
  private Path scratch;
  private Path spooledInput;

  Execution(ExecutionHost host, Message message, JobEnvelope envelope, int delivery, long streamSequence, long timeoutMs) {
    this.host = host;
    this.ticker = host.ticker();
    this.startedAt = ticker.now();
    this.startNanos = ticker.nanoTime();
    this.message = message;
    this.envelope = envelope;
    this.delivery = delivery;
    this.streamSequence = streamSequence;
    this.deadline = startedAt.plusMillis(timeoutMs);
    this.log = LoggerFactory.getLogger("jetmesh.job." + host.namespace().name());
  }

  /** The key of this delivery among the worker's held jobs (a job id can be in the stream twice). */
  String key() {
    return envelope.id() + "#" + streamSequence;
  }

  /** The time limit this delivery runs under, in milliseconds. */
  long timeoutMillis() {
    return deadline.toEpochMilli() - startedAt.toEpochMilli();
  }

  /** Marks the job answered; only the first caller may publish its outcome. */
  boolean markFinished() {
    return finished.compareAndSet(false, true);
  }

  boolean isFinished() {
    return finished.get();
  }

  /** Frees this execution's slot exactly once (the runner or, for an abandoned handler, the timeout path). */
  boolean markReleased() {
    return released.compareAndSet(false, true);
  }

  boolean markRunnerReleased() {
    return runnerReleased.compareAndSet(false, true);
  }

  long elapsedMillis() {
    return (ticker.nanoTime() - startNanos) / 1_000_000;
  }

  // ------------------------------------------------------------ JobContext

  @Override public String jobId() { return envelope.id(); }
  @Override public String reportId() { return envelope.reportId(); }
  @Override public String subject() { return envelope.subject(); }
  @Override public String operation() { return host.namespace().operationOf(envelope.subject()); }
  @Override public int attempt() { return delivery; }
  @Override public ObjectNode options() { return envelope.optionsOrEmpty(); }
  @Override public InputRef input() { return envelope.input(); }
  @Override public Instant deadline() { return deadline; }
  @Override public ServiceLimits limits() { return host.namespace().limits(); }
  @Override public String workerId() { return host.workerId(); }

  @Override
  public Logger log() {
    return new JobLogger(log, host.workerId() + " - job " + envelope.id() + " (" + envelope.subject() + ", attempt " + delivery + "): ");
  }

  @Override
  public InputStream openInput() throws JobException {
    return host.inputs().open(envelope.input(), limits().maxInputSize());
  }

  @Override
  public synchronized Path inputFile() throws JobException {
    if (spooledInput != null) {
      return spooledInput;
    }
    String name = envelope.input().name();
    if (name == null && envelope.input().uri() != null) {
      String uri = envelope.input().uri();
      name = uri.substring(uri.lastIndexOf('/') + 1);
    }
    if (name == null || name.isBlank() || name.contains("..")) {
      name = "input.bin";
    }
    name = name.replaceAll("[^A-Za-z0-9._-]", "_");
    Path target = scratchDir().resolve(name);
    try (InputStream in = openInput()) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (InputStores.InputTooLargeException e) {
      throw JobException.tooLarge(e.getMessage());
    } catch (IOException e) {
      throw new JobException(ErrorCode.UNAVAILABLE, "cannot download input " + envelope.input().describe() + ": " + e.getMessage(), e);
    }
    spooledInput = target;
    return target;
  }

  @Override
  public synchronized Path scratchDir() throws JobException {
    if (scratch == null) {
      try {
        scratch = Files.createDirectories(host.scratchRoot().resolve(host.workerId())
            .resolve(envelope.id() + "-" + delivery));
      } catch (IOException e) {
        throw new JobException(ErrorCode.UNAVAILABLE, "cannot create scratch directory: " + e.getMessage(), e);
      }
    }
    return scratch;
  }

  @Override
  public BlobRef putArtifact(String name, byte[] data, String contentType) throws JobException {
    try {
      return host.blobs().put(artifactName(name), data, contentType);
    } catch (MeshException e) {
      throw new JobException(ErrorCode.UNAVAILABLE, "cannot store artifact " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public BlobRef putArtifact(String name, Path file, String contentType) throws JobException {
    try {
      return host.blobs().putFile(artifactName(name), file, contentType);
    } catch (MeshException e) {
      throw new JobException(ErrorCode.UNAVAILABLE, "cannot store artifact " + name + ": " + e.getMessage(), e);
    }
  }

  private String artifactName(String name) throws JobException {
    if (name == null || name.isBlank() || name.startsWith("/") || name.contains("..")) {
      throw new JobException(ErrorCode.INTERNAL, "bad artifact name: '" + name + "'");
    }
    return "artifacts/" + envelope.reportId() + "/" + (envelope.stageIndex() != null ? "s" + envelope.stageIndex() + "/" : "") + name;
  }

  @Override
  public void progress(long current, long total, String unit, String message) {
    Progress p = new Progress(current, total, unit, message,
        envelope.rootId() != null || !envelope.pipeline().isEmpty() ? envelope.subject() : null);
    lastProgress = p;
    long now = ticker.nanoTime();
    boolean last = total > 0 && current >= total;
    synchronized (this) {
      if (!last && now - lastProgressNanos < PROGRESS_MIN_NANOS) {
        return;
      }
      lastProgressNanos = now;
    }
    host.publishProgress(this, p);
    boolean writeStatus;
    synchronized (this) {
      writeStatus = now - lastStatusNanos >= STATUS_MIN_NANOS;
      if (writeStatus) {
        lastStatusNanos = now;
      }
    }
    if (writeStatus) {
      host.writeStatus(this, JobState.RUNNING, null);
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelRequested || timedOut || ticker.now().isAfter(deadline);
  }

  @Override
  public void checkCancelled() throws JobException {
    if (cancelRequested) {
      throw new JobException(ErrorCode.CANCELLED, "job " + envelope.reportId() + " was cancelled");
    }
    if (timedOut || ticker.now().isAfter(deadline)) {
      throw new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of " + timeoutMillis() + "ms");
    }
  }

  /** Deletes the scratch directory. */
  void cleanup() {
    Path dir;
    synchronized (this) {
      dir = scratch;
      scratch = null;
    }
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: the scratch root is a temp directory
        }
      });
    } catch (IOException ignored) {
      // already gone
    }
  }
}
