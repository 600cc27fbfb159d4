package io.jetmesh.client;

import io.jetmesh.protocol.JobResult;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted job: its id at once, the moment the mesh has stored it, and its result later.
 *
 * <p>{@link #stored()} completes once the job's stream acknowledged the job (JetStream PubAck, also for a duplicate
 * of a job stored before): from then on the job survives this client. It completes exceptionally like
 * {@link #result()} when the job could not be stored, and with {@link MeshException} when the client was closed
 * before the acknowledgement came. A caller that reports a job id to someone else waits for it first.
 *
 * <p>{@link #result()} completes normally with a {@code completed} result. It completes exceptionally with
 * {@link JobFailedException} when the job failed, died or was cancelled; with {@link MeshBackpressureException} when
 * the service's stream was full; with {@link MeshException} when the mesh could not be reached or the input upload
 * failed; with {@link java.util.concurrent.TimeoutException} when no result came within the job's time limit (plus a
 * grace period). Cancelling the future also asks the mesh to cancel the job.
 */
public record JobSubmission(String jobId, CompletableFuture<Void> stored, CompletableFuture<JobResult> result) {}
