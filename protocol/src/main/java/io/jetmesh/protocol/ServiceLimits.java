package io.jetmesh.protocol;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Stream, consumer and job limits of one service type, from {@code namespaces.yaml} ({@code defaults:} merged with
 * the namespace's {@code limits:}).
 *
 * @param storage {@code file} or {@code memory}
 * @param replicas stream replicas (1 on a single node, 3 in a cluster)
 * @param maxMessageSize largest job message the stream accepts
 * @param maxAge how long an unconsumed job stays in the stream
 * @param maxPending most jobs the stream holds; further submissions are rejected (backpressure)
 * @param ackWait how long a delivery may go without an ack or heartbeat before it is redelivered
 * @param maxDeliver deliveries before a job is dead-lettered
 * @param backoff delays before retry 1, 2, ... (the last repeats)
 * @param maxAckPending most unacknowledged jobs across all workers of the group
 * @param jobTimeout default per-job time limit
 * @param maxInputSize largest input a worker fetches
 * @param maxInlineSize largest inline payload a client may embed in a job
 * @param duplicateWindow how long a job id is remembered for de-duplication
 */
public record ServiceLimits(
    String storage,
    int replicas,
    long maxMessageSize,
    Duration maxAge,
    long maxPending,
    Duration ackWait,
    int maxDeliver,
    List<Duration> backoff,
    int maxAckPending,
    Duration jobTimeout,
    long maxInputSize,
    long maxInlineSize,
    Duration duplicateWindow) {

  public ServiceLimits {
    if (!"file".equals(storage) && !"memory".equals(storage)) {
      throw new IllegalArgumentException("storage must be file or memory: '" + storage + "'");
    }
    if (replicas < 1 || replicas > 5) {
      throw new IllegalArgumentException("replicas must be 1..5: " + replicas);
    }
    if (maxDeliver < 1) {
      throw new IllegalArgumentException("max_deliver must be >= 1: " + maxDeliver);
    }
    if (maxAckPending < 1) {
      throw new IllegalArgumentException("max_ack_pending must be >= 1: " + maxAckPending);
    }
    requirePositive(maxAge, "max_age");
    requirePositive(ackWait, "ack_wait");
    requirePositive(jobTimeout, "job_timeout");
    requirePositive(duplicateWindow, "duplicate_window");
    if (maxInlineSize > maxMessageSize) {
      throw new IllegalStateException("max_inline_size (" + maxInlineSize + ") > max_message_size (" + maxMessageSize + ")");
    }
    backoff = List.copyOf(Objects.requireNonNull(backoff, "backoff == null"));
  }

  /** The delay before redelivering after {@code attempt} (1-based) failed retryably. */
  public Duration backoffFor(int attempt) {
    return backoffFor(backoff, attempt);
  }

  /**
   * The delay in {@code backoff} before redelivering after {@code attempt} (1-based) failed retryably: entry
   * {@code attempt}, the last entry once the list runs out, 1 s for an empty list.
   */
  public static Duration backoffFor(List<Duration> backoff, int attempt) {
    if (backoff.isEmpty()) {
      return Duration.ofSeconds(1);
    }
    return backoff.get(Math.min(Math.max(attempt, 1), backoff.size()) - 1);
  }

  private static void requirePositive(Duration d, String field) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0: " + d);
    }
  }
}
