package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watchdog's running status, deadlines, abandon path and heartbeats on fake time: no sleeps, no server. */
class WatchdogTest {
  FakeTime time;
  Fakes.Host host;
  HeldJobs jobs;
  AtomicInteger stuck;
  List<String> abandoned;
  Watchdog watchdog;

  @BeforeEach
  void setUp() {
    time = new FakeTime();
    host = new Fakes.Host(time);
    jobs = new HeldJobs(4, 4, () -> { });
    stuck = new AtomicInteger();
    abandoned = new CopyOnWriteArrayList<>();
    watchdog = new Watchdog("diag-test", Fakes.DIAG, jobs, time, time, Runnable::run,
        ex -> abandoned.add(ex.envelope.id()), stuck, () -> false);
  }

  private Execution running(String id, long timeoutMs, Fakes.Acks acks) {
    Execution ex = Fakes.execution(host, acks, id, timeoutMs);
    jobs.add(ex);
    watchdog.watch(ex);
    ex.handlerRunning = true;
    return ex;
  }

  @Test
  void runningStatusIsWrittenOnceAfterTheDelayNotBefore() {
    running("j1", 60_000, new Fakes.Acks());
    time.advance(Watchdog.RUNNING_STATUS_AFTER.minusNanos(1));
    watchdog.tick();
    assertThat(host.statuses).as("a short job gets only its result").isEmpty();
    time.advance(Duration.ofNanos(1));
    watchdog.tick();
    watchdog.tick();
    time.advance(Duration.ofSeconds(5));
    watchdog.tick();
    assertThat(host.statuses).containsExactly("j1:running");
  }

  @Test
  void theDeadlineTellsTheHandlerAndTheContextReportsCancelled() {
    Execution ex = running("j1", 1_000, new Fakes.Acks());
    time.advance(Duration.ofMillis(999));
    watchdog.tick();
    assertThat(ex.timedOut).isFalse();
    assertThat(ex.isCancelled()).isFalse();
    time.advance(Duration.ofMillis(1));
    watchdog.tick();
    assertThat(ex.timedOut).isTrue();
    assertThat(ex.isCancelled()).isTrue();
    assertThat(time.pendingTasks()).as("the abandon check waits for the grace period").isEqualTo(1);
    assertThat(abandoned).isEmpty();
  }

  @Test
  void aHandlerThatIgnoresItsDeadlineIsAbandonedAfterTheGrace() {
    Execution ex = running("j1", 1_000, new Fakes.Acks());
    time.advance(Duration.ofMillis(1_000));
    watchdog.tick();
    time.advance(Watchdog.ABANDON_GRACE.minusMillis(1));
    assertThat(abandoned).isEmpty();
    time.advance(Duration.ofMillis(1));
    assertThat(abandoned).containsExactly("j1");
    assertThat(stuck.get()).isEqualTo(1);
    watchdog.tick();
    time.advance(Duration.ofMinutes(1));
    assertThat(abandoned).as("a deadline fires once").containsExactly("j1");
    assertThat(ex.deadlineFired).isTrue();
  }

  @Test
  void aHandlerThatStopsWithinTheGraceIsNotAbandoned() {
    Execution ex = running("j1", 1_000, new Fakes.Acks());
    time.advance(Duration.ofMillis(1_000));
    watchdog.tick();
    ex.handlerRunning = false; // returned after being told
    watchdog.unwatch(ex);
    time.advance(Watchdog.ABANDON_GRACE);
    assertThat(abandoned).isEmpty();
    assertThat(stuck.get()).isZero();
  }

  @Test
  void answeredAndUnwatchedJobsAreLeftAlone() {
    Execution answered = running("answered", 10, new Fakes.Acks());
    answered.markFinished();
    Execution waiting = Fakes.execution(host, new Fakes.Acks(), "waiting", 10); // fetched ahead, no runner yet
    jobs.add(waiting);
    time.advance(Duration.ofSeconds(10));
    watchdog.tick();
    assertThat(host.statuses).isEmpty();
    assertThat(answered.timedOut).isFalse();
    assertThat(waiting.timedOut).isFalse();
  }

  @Test
  void oneJobsFailureDoesNotStopTheOthersDeadlines() {
    Execution first = running("a", 1_000, new Fakes.Acks());
    Execution second = running("b", 1_000, new Fakes.Acks());
    host.failStatusWrites = new IllegalStateException("connection closed");
    time.advance(Duration.ofSeconds(1));
    watchdog.tick();
    // the status write throws before each job's deadline check; the next tick still fires the deadlines
    watchdog.tick();
    assertThat(first.timedOut).isTrue();
    assertThat(second.timedOut).isTrue();
  }

  @Test
  void heartbeatsGoToEveryUnansweredHeldJob() {
    Fakes.Acks a = new Fakes.Acks();
    Fakes.Acks b = new Fakes.Acks();
    Fakes.Acks done = new Fakes.Acks();
    running("a", 60_000, a);
    jobs.add(Fakes.execution(host, b, "b", 60_000)); // fetched ahead: heartbeated too, or it is redelivered
    running("done", 60_000, done).markFinished();
    watchdog.heartbeat();
    watchdog.heartbeat();
    assertThat(a.count("inProgress")).isEqualTo(2);
    assertThat(b.count("inProgress")).isEqualTo(2);
    assertThat(done.calls).isEmpty();
  }

  @Test
  void aFailedHeartbeatDoesNotSkipTheOthers() {
    Fakes.Acks broken = new Fakes.Acks();
    broken.failInProgress = new IllegalStateException("disconnected");
    Fakes.Acks fine = new Fakes.Acks();
    running("broken", 60_000, broken);
    running("fine", 60_000, fine);
    watchdog.heartbeat();
    assertThat(fine.count("inProgress")).isEqualTo(1);
  }

  @Test
  void heartbeatsComeThreeTimesPerAckWaitAtMostEvery200Ms() {
    assertThat(Watchdog.heartbeatInterval(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(10));
    assertThat(Watchdog.heartbeatInterval(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(200));
  }
}
