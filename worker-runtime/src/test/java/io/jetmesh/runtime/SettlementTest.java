package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.ServiceLimits;
import io.jetmesh.runtime.Settlement.Action;
import io.jetmesh.runtime.Settlement.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The settlement policy for every error code x first, middle and last delivery x backoff list x max_deliver. */
class SettlementTest {
  private static final List<List<Duration>> BACKOFFS = List.of(
      List.of(),
      List.of(Duration.ofSeconds(2)),
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30)),
      List.of(Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5)));

  enum Position { FIRST, MIDDLE, LAST }

  /** Every code, position and backoff list, for max_deliver 1, 2, 3 and 5 (positions that exist for it). */
  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      for (int maxDeliver : new int[] {1, 2, 3, 5}) {
        for (List<Duration> backoff : BACKOFFS) {
          for (Position pos : Position.values()) {
            int delivery = switch (pos) {
              case FIRST -> 1;
              case MIDDLE -> (maxDeliver + 1) / 2;
              case LAST -> maxDeliver;
            };
            if (pos == Position.MIDDLE && (delivery == 1 || delivery == maxDeliver)) {
              continue; // no middle delivery for max_deliver 1 and 2
            }
            all.add(Arguments.of(code, pos, delivery, maxDeliver, backoff));
          }
        }
      }
    }
    return all.stream();
  }

  /** What the code's category means, written out per code so that a new code must be placed here to compile. */
  private static boolean retryable(ErrorCode code) {
    return switch (code) {
      case UNAVAILABLE, INTERNAL -> true;
      case INVALID_INPUT, INPUT_NOT_FOUND, UNSUPPORTED, TOO_LARGE, TIMEOUT, CANCELLED -> false;
    };
  }

  /** The backoff rule spelled out: entry n after delivery n, the last one repeating, 1 s without a list. */
  private static Duration expectedDelay(List<Duration> backoff, int delivery) {
    if (backoff.isEmpty()) {
      return Duration.ofSeconds(1);
    }
    return delivery <= backoff.size() ? backoff.get(delivery - 1) : backoff.get(backoff.size() - 1);
  }

  @ParameterizedTest(name = "{0} on {1} delivery ({2}/{3}), backoff {4}")
  @MethodSource("cases")
  void eachCodeAtEachDeliveryIsSettledByItsCategory(ErrorCode code, Position pos, int delivery, int maxDeliver,
      List<Duration> backoff) {
    Decision d = Settlement.decide(code, delivery, maxDeliver, backoff);
    if (retryable(code) && delivery < maxDeliver) {
      assertThat(d.action()).isEqualTo(Action.NAK_WITH_DELAY);
      assertThat(d.delay()).isEqualTo(expectedDelay(backoff, delivery));
      assertThat(d.result()).as("a retry stores no result (it records queued)").isNull();
    } else if (retryable(code)) {
      assertThat(d.action()).as("the last delivery of a retryable failure").isEqualTo(Action.DEAD_LETTER);
      assertThat(d.result()).isEqualTo(JobState.DEAD);
      assertThat(d.delay()).isNull();
    } else {
      assertThat(d.action()).as("a permanent failure ends at once, on any delivery").isEqualTo(Action.TERM);
      assertThat(d.result()).isEqualTo(code == ErrorCode.CANCELLED ? JobState.CANCELLED : JobState.FAILED);
      assertThat(d.delay()).isNull();
    }
    assertThat(d.action()).isNotEqualTo(Action.ACK);
  }

  @ParameterizedTest(name = "{0} on {1} delivery ({2}/{3}), backoff {4}")
  @MethodSource("cases")
  void theDelayIsTheNamespacesBackoffForTheDelivery(ErrorCode code, Position pos, int delivery, int maxDeliver,
      List<Duration> backoff) {
    Decision d = Settlement.decide(code, true, delivery, maxDeliver, backoff);
    if (d.action() == Action.NAK_WITH_DELAY) {
      assertThat(d.delay()).isEqualTo(ServiceLimits.backoffFor(backoff, delivery));
    }
  }

  @Test
  void aHandlerMayOverrideItsCodesRetryability() {
    List<Duration> backoff = List.of(Duration.ofSeconds(3));
    assertThat(Settlement.decide(ErrorCode.INTERNAL, false, 1, 5, backoff)).isEqualTo(Decision.term(JobState.FAILED));
    assertThat(Settlement.decide(ErrorCode.INVALID_INPUT, true, 1, 5, backoff))
        .isEqualTo(Decision.nakWithDelay(Duration.ofSeconds(3)));
    assertThat(Settlement.decide(ErrorCode.CANCELLED, true, 5, 5, backoff)).isEqualTo(Decision.deadLetter());
  }

  @Test
  void aDeliveryPastMaxDeliverIsDeadLetteredNotRetried() {
    // the server may redeliver once more than max_deliver when an ack was lost; that delivery must not be nak'ed
    assertThat(Settlement.decide(ErrorCode.UNAVAILABLE, 6, 5, List.of()).action()).isEqualTo(Action.DEAD_LETTER);
    assertThat(Settlement.decide(ErrorCode.TOO_LARGE, 6, 5, List.of()).action()).isEqualTo(Action.TERM);
  }

  @Test
  void successIsStoredThenAcked() {
    assertThat(Settlement.succeeded()).isEqualTo(new Decision(Action.ACK, null, JobState.COMPLETED));
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> Settlement.decide(null, 1, 3, List.of())).hasMessageContaining("code == null");
    assertThatThrownBy(() -> Settlement.decide(ErrorCode.INTERNAL, 1, 3, null)).hasMessageContaining("backoff == null");
    assertThatThrownBy(() -> Settlement.decide(ErrorCode.INTERNAL, 0, 3, List.of())).hasMessageContaining("delivery must be >= 1");
    assertThatThrownBy(() -> Settlement.decide(ErrorCode.INTERNAL, 1, 0, List.of())).hasMessageContaining("maxDeliver must be >= 1");
    assertThatThrownBy(() -> new Decision(Action.TERM, Duration.ofSeconds(1), JobState.FAILED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(Action.NAK_WITH_DELAY, null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
