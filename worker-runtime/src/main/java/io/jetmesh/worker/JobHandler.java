package io.jetmesh.worker;

/**
 * One operation of a service. A handler reads its input through the {@link JobContext}, reports progress, checks
 * cancellation in long loops, and returns its output. It never touches NATS: connecting, acking, heartbeats,
 * retries, timeouts, result storage and dead letters belong to the runtime.
 *
 * <p>Failure contract: throw {@link JobException} with the {@link io.jetmesh.protocol.ErrorCode} that describes
 * the problem; the code decides whether the runtime retries. Any other exception is reported as
 * {@code INTERNAL} (retried a bounded number of times, then dead-lettered). Handlers run on several threads at once
 * and must be thread-safe.
 */
@FunctionalInterface
public interface JobHandler {
  HandlerResult handle(JobContext ctx) throws JobException;
}
