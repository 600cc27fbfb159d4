package io.jetmesh.client;

import io.jetmesh.protocol.JobResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Submits many jobs with at most {@code maxInFlight} unfinished at a time. {@link #submit} blocks while the limit is
 * reached: that is the backpressure that lets a loop over thousands of documents run with bounded memory on both
 * sides. Obtain one from {@link MeshClient#batch(int)}; not for use from several threads at once.
 */
public final class Batch {
  private final MeshClient client;
  private final Semaphore slots;
  private final List<JobSubmission> submissions = new ArrayList<>();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();

  Batch(MeshClient client, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight < 1: " + maxInFlight);
    }
    this.client = Objects.requireNonNull(client, "client == null");
    this.slots = new Semaphore(maxInFlight);
  }

  /**
   * Submits one job, first waiting until fewer than {@code maxInFlight} of this batch's jobs are unfinished.
   *
   * @throws InterruptedException if interrupted while waiting for a slot
   */
  public JobSubmission submit(JobRequest request) throws InterruptedException {
    slots.acquire();
    JobSubmission s;
    try {
      s = client.submit(request);
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    s.result().whenComplete((r, e) -> {
      if (e == null) {
        completed.incrementAndGet();
      } else {
        failed.incrementAndGet();
      }
      slots.release();
    });
    submissions.add(s);
    return s;
  }

  /** Every submission so far, in order. */
  public List<JobSubmission> submissions() {
    return List.copyOf(submissions);
  }

  public int completedCount() {
    return completed.get();
  }

  public int failedCount() {
    return failed.get();
  }

  /** Completes when every job submitted so far has ended (successfully or not); never completes exceptionally. */
  public CompletableFuture<List<JobSubmission>> allDone() {
    List<JobSubmission> snapshot = submissions();
    CompletableFuture<?>[] fs = snapshot.stream()
        .map(s -> s.result().handle((r, e) -> (JobResult) null)).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(fs).thenApply(v -> snapshot);
  }
}
