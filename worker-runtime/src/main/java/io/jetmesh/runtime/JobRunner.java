package io.jetmesh.runtime;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.ProtocolException;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import io.nats.client.Message;
import io.nats.client.impl.NatsJetStreamMetaData;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handler invocation for one delivery: parses and checks the envelope (subject, client, option limits), answers
 * duplicates and jobs cancelled before they start, waits for a runner, runs the operation's handler under the
 * watchdog and the module guard, and turns what the handler did (a result, a {@link JobException}, any other
 * throwable, a timeout, a cancellation) into one answer through the {@link Settler}.
 *
 * <p>Runs on the job pool, one thread per delivery for its whole life; it shares an {@link Execution} with the
 * watchdog and the cancel watch through that class's volatile fields and guards, and is otherwise stateless.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final String workerId;
  private final NamespaceSpec ns;
  private final Map<String, JobHandler> handlers;
  private final HeldJobs jobs;
  private final ExecutionHost host;
  private final ResultPublisher publisher;
  private final Settler settler;
  private final DeadLetters deadLetters;
  private final CancelWatch cancels;
  private final Watchdog watchdog;
  private final ModuleGuard module;
  private final WorkerStats stats;

  JobRunner(String workerId, NamespaceSpec ns, Map<String, JobHandler> handlers, HeldJobs jobs, ExecutionHost host,
      ResultPublisher publisher, Settler settler, DeadLetters deadLetters, CancelWatch cancels, Watchdog watchdog,
      ModuleGuard module, WorkerStats stats) {
    this.workerId = workerId;
    this.ns = ns;
    this.handlers = handlers;
    this.jobs = jobs;
    this.host = host;
    this.publisher = publisher;
    this.settler = settler;
    this.deadLetters = deadLetters;
    this.cancels = cancels;
    this.watchdog = watchdog;
    this.module = module;
    this.stats = stats;
  }

  /** Processes one fetched message; the message's slot is freed when this returns (or when the job is abandoned). */
  void process(Message msg) {
    NatsJetStreamMetaData meta;
    JobEnvelope env;
    try {
      meta = msg.metaData();
    } catch (RuntimeException e) {
      LOG.warn("{} - got a non-JetStream message on {}: {}", workerId, msg.getSubject(), e.getMessage());
      jobs.returnSlots(1);
      return;
    }
    int delivery = (int) meta.deliveredCount();
    // The client a result goes to comes from the subject (<operation subject>.<client>), which setup.sh's
    // permissions tie to the publishing user; an envelope naming another client is refused, answered to the sender.
    String publisher = Subjects.clientOfJob(msg.getSubject());
    String forgedClient = null;
    try {
      env = Json.fromBytes(msg.getData(), JobEnvelope.class);
      if (!ns.owns(env.subject()) || !env.messageSubject().equals(msg.getSubject())) {
        if (ns.owns(env.subject()) && Subjects.job(env.subject(), publisher).equals(msg.getSubject())
            && Subjects.isToken(publisher)) {
          forgedClient = env.client();
          env = env.forClient(publisher);
        } else {
          throw new ProtocolException("envelope subject " + env.subject() + " and client " + env.client()
              + " do not match message subject " + msg.getSubject() + " (expected " + env.messageSubject() + ")");
        }
      }
    } catch (ProtocolException e) {
      deadLetters.malformed(msg, meta, e.getMessage());
      jobs.returnSlots(1);
      return;
    }
    long timeoutMs = env.timeoutMs() != null ? Math.min(env.timeoutMs(), ns.limits().jobTimeout().toMillis())
        : ns.limits().jobTimeout().toMillis();
    Execution ex = new Execution(host, msg, env, delivery, meta.streamSequence(), timeoutMs);
    jobs.add(ex);
    if (delivery > 1) {
      RuntimeMetrics.REDELIVERIES.labelValues(ns.name()).inc();
    }
    boolean gotRunner = false;
    try {
      if (forgedClient != null) {
        settler.answerFailure(ex, new JobException(ErrorCode.INVALID_INPUT, "the envelope's client '" + forgedClient
            + "' is not the client '" + publisher + "' of the subject " + msg.getSubject()
            + ": a client submits only its own jobs (publish to " + Subjects.job(env.subject(), "<your client id>") + ")"));
        return;
      }
      Optional<String> overLimit = ns.optionLimits().violation(env.options());
      if (overLimit.isPresent()) {
        // options may only tighten the service's limits (namespaces.yaml option_limits), never loosen them
        settler.answerFailure(ex, JobException.tooLarge(overLimit.get()));
        return;
      }
      if (delivery > 1 && env.pipeline().isEmpty() && this.publisher.resultExists(env)) {
        // A previous attempt stored the result but its ack was lost (the worker died in between).
        settler.answerDuplicate(ex);
        return;
      }
      if (cancels.isRequested(Subjects.jobKey(env.client(), env.reportId()))) {
        ex.cancelRequested = true;
        settler.answerFailure(ex, new JobException(ErrorCode.CANCELLED, "job " + env.reportId() + " was cancelled before it started"));
        return;
      }
      jobs.acquireRunner();
      gotRunner = true;
      if (ex.isFinished()) {
        return; // handed back during drain while waiting for a runner
      }
      run(ex);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (ex.markFinished()) {
        Settler.handBack(msg);
      }
    } finally {
      if (gotRunner) {
        jobs.releaseRunner(ex);
      }
      jobs.release(ex);
    }
  }

  /** Answers and frees a job whose handler ignored its time limit (the handler's thread is left running). */
  void abandon(Execution ex) {
    settler.answerFailure(ex, new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of "
        + ex.timeoutMillis() + "ms and did not stop"));
    jobs.releaseRunner(ex);
    jobs.release(ex);
  }

  private void run(Execution ex) {
    JobEnvelope env = ex.envelope;
    String op = ns.operationOf(env.subject());
    JobHandler handler = handlers.get(op);
    if (handler == null) {
      settler.answerFailure(ex, JobException.unsupported("this worker (" + workerId + ") has no handler for " + env.subject()));
      return;
    }
    if (!module.enter(ex.key())) {
      // the worker closed its module (it is stopping): hand the job to another worker
      if (ex.markFinished()) {
        Settler.handBack(ex.message);
      }
      return;
    }
    ex.runner = Thread.currentThread();
    long timeoutMs = ex.timeoutMillis();
    // the watchdog writes the running status and enforces the deadline (no timer task per job: see Watchdog)
    watchdog.watch(ex);
    HandlerResult result = null;
    JobException failure = null;
    ex.handlerRunning = true;
    try {
      result = handler.handle(ex);
      if (result == null) {
        failure = new JobException(ErrorCode.INTERNAL, "handler for " + env.subject() + " returned no result");
      }
    } catch (JobException e) {
      failure = e;
    } catch (StackOverflowError e) {
      failure = JobException.invalidInput("input is nested too deeply to process (stack overflow in the " + op + " handler)");
    } catch (OutOfMemoryError e) {
      failure = new JobException(ErrorCode.INTERNAL, "out of memory while processing; the job will be retried", e);
    } catch (Throwable t) {
      InputStores.InputTooLargeException tooLarge = causeOf(t, InputStores.InputTooLargeException.class);
      failure = tooLarge != null ? JobException.tooLarge(tooLarge.getMessage())
          : ex.timedOut && (t instanceof InterruptedException || t.getCause() instanceof InterruptedException)
          ? new JobException(ErrorCode.TIMEOUT, "interrupted at the time limit")
          : new JobException(ErrorCode.INTERNAL, "unexpected " + t.getClass().getSimpleName() + " in the " + op
              + " handler: " + t.getMessage(), t);
      if (failure.code() == ErrorCode.INTERNAL) {
        ex.log().warn("handler failed unexpectedly", t);
      }
    } finally {
      ex.handlerRunning = false;
      ex.runner = null;
      Thread.interrupted(); // clear an interrupt sent at the deadline
      watchdog.unwatch(ex);
      module.exit(ex.key());
    }
    long ms = ex.elapsedMillis();
    RuntimeMetrics.DURATION.labelValues(ns.name(), op).observe(ms / 1000.0);
    stats.recordRun(ms);
    if (ex.cancelRequested) {
      settler.answerFailure(ex, new JobException(ErrorCode.CANCELLED, "job " + env.reportId() + " was cancelled"));
    } else if (failure != null) {
      if (ex.timedOut && failure.code() == ErrorCode.CANCELLED) {
        failure = new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of " + timeoutMs + "ms");
      }
      settler.answerFailure(ex, failure);
    } else if (ex.timedOut) {
      settler.answerFailure(ex, new JobException(ErrorCode.TIMEOUT, "job ran past its time limit of " + timeoutMs + "ms"));
    } else {
      settler.answerSuccess(ex, result);
    }
  }

  private static <T extends Throwable> T causeOf(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
