package io.jetmesh.runtime;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.ServiceLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settlement policy: what the worker does with a delivery once its handler has answered. A pure function of the
 * outcome, the delivery count and the namespace's retry settings, so that the one rule that changes most is read and
 * tested in one place ({@code SettlementTest} covers every code x first/middle/last delivery x backoff list).
 *
 * <p>Stateless; safe on any thread.
 */
final class Settlement {
  private Settlement() {
  }

  /** What happens to the JetStream message. */
  enum Action {
    /** The result is stored: acknowledge. */
    ACK,
    /** A later delivery can succeed: {@code nakWithDelay(delay)} and record {@code queued} with the error. */
    NAK_WITH_DELAY,
    /** A permanent failure: store the {@code failed}/{@code cancelled} result, then terminate. */
    TERM,
    /** Retries are used up: write a dead-letter record and a {@code dead} result, then terminate. */
    DEAD_LETTER
  }

  /**
   * A decision.
   *
   * @param action what to do with the message
   * @param delay the redelivery delay for {@link Action#NAK_WITH_DELAY}, otherwise {@code null}
   * @param result the state of the result to publish before settling, or {@code null} when none is published (a
   *     retry records a {@code queued} status instead)
   */
  record Decision(Action action, Duration delay, JobState result) {
    Decision {
      Objects.requireNonNull(action, "action == null");
      if ((action == Action.NAK_WITH_DELAY) != (delay != null)) {
        throw new IllegalArgumentException("a delay goes with NAK_WITH_DELAY only: " + action + ", " + delay);
      }
    }

    static Decision ack() {
      return new Decision(Action.ACK, null, JobState.COMPLETED);
    }

    static Decision nakWithDelay(Duration delay) {
      return new Decision(Action.NAK_WITH_DELAY, Objects.requireNonNull(delay, "delay == null"), null);
    }

    static Decision term(JobState result) {
      return new Decision(Action.TERM, null, result);
    }

    static Decision deadLetter() {
      return new Decision(Action.DEAD_LETTER, null, JobState.DEAD);
    }
  }

  /** A handler's success: store the {@code completed} result, then ack. */
  static Decision succeeded() {
    return Decision.ack();
  }

  /** {@link #decide(ErrorCode, boolean, int, int, List)} with the code's own {@link ErrorCode#retryable()}. */
  static Decision decide(ErrorCode code, int delivery, int maxDeliver, List<Duration> backoff) {
    return decide(code, Objects.requireNonNull(code, "code == null").retryable(), delivery, maxDeliver, backoff);
  }

  /**
   * Decides a failed delivery.
   *
   * @param code the failure's code ({@link ErrorCode#CANCELLED} is answered {@code cancelled}, other permanent codes
   *     {@code failed})
   * @param retryable whether a later attempt can succeed (a handler may override its code's default)
   * @param delivery this delivery's 1-based count ({@code Nats-Num-Delivered})
   * @param maxDeliver the namespace's {@code max_deliver}
   * @param backoff the namespace's {@code backoff}: the delay after delivery n is entry n (the last repeats; 1 s when
   *     the list is empty), as {@link ServiceLimits#backoffFor(int)}
   */
  static Decision decide(ErrorCode code, boolean retryable, int delivery, int maxDeliver, List<Duration> backoff) {
    Objects.requireNonNull(code, "code == null");
    Objects.requireNonNull(backoff, "backoff == null");
    if (delivery < 1) {
      throw new IllegalArgumentException("delivery must be >= 1: " + delivery);
    }
    if (maxDeliver < 1) {
      throw new IllegalArgumentException("maxDeliver must be >= 1: " + maxDeliver);
    }
    if (retryable) {
      return delivery < maxDeliver ? Decision.nakWithDelay(ServiceLimits.backoffFor(backoff, delivery)) : Decision.deadLetter();
    }
    return Decision.term(code == ErrorCode.CANCELLED ? JobState.CANCELLED : JobState.FAILED);
  }
}
