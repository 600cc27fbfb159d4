package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Progress;
import io.jetmesh.worker.JobException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a handler's context reports about time, cancellation and progress, on a fake clock. */
class ExecutionTest {
  final FakeTime time = new FakeTime();
  final Fakes.Host host = new Fakes.Host(time);
  final Execution ex = Fakes.execution(host, new Fakes.Acks(), "j1", 2_000);

  @Test
  void theDeadlineIsTheStartPlusTheTimeLimit() {
    assertThat(ex.deadline()).isEqualTo(time.now().plusMillis(2_000));
    assertThat(ex.timeoutMillis()).isEqualTo(2_000);
    time.advance(Duration.ofMillis(1_500));
    assertThat(ex.elapsedMillis()).isEqualTo(1_500);
    assertThat(ex.isCancelled()).isFalse();
    time.advance(Duration.ofMillis(501));
    assertThat(ex.isCancelled()).as("past the deadline, before the watchdog's tick").isTrue();
    assertThatThrownBy(ex::checkCancelled).isInstanceOfSatisfying(JobException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT)).hasMessageContaining("time limit of 2000ms");
  }

  @Test
  void aCancelRequestWinsOverTheDeadline() {
    ex.cancelRequested = true;
    ex.timedOut = true;
    assertThatThrownBy(ex::checkCancelled).isInstanceOfSatisfying(JobException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.CANCELLED));
  }

  @Test
  void progressIsPublishedAtMostEvery100MsExceptTheLastStep() {
    ex.progress(1, 10, "pages", null);
    time.advance(Duration.ofMillis(50));
    ex.progress(2, 10, "pages", null);
    time.advance(Duration.ofMillis(50));
    ex.progress(3, 10, "pages", null);
    time.advance(Duration.ofMillis(1));
    ex.progress(10, 10, "pages", null);
    assertThat(host.progress).extracting(Progress::current).containsExactly(1L, 3L, 10L);
    assertThat(ex.lastProgress.current()).isEqualTo(10);
  }

  @Test
  void progressUpdatesTheRunningStatusAtMostOncePerSecond() {
    for (int i = 1; i <= 25; i++) {
      ex.progress(i, 100, "pages", null);
      time.advance(Duration.ofMillis(100));
    }
    // published at 0, 100, ..., 2400 ms; status at 0, 1000 and 2000 ms
    assertThat(host.progress).hasSize(25);
    assertThat(host.statuses).containsExactly("j1:running", "j1:running", "j1:running");
  }

  @Test
  void aDeliveryIsKeyedByJobAndStreamSequence() {
    assertThat(ex.key()).isEqualTo("j1#7");
  }
}
