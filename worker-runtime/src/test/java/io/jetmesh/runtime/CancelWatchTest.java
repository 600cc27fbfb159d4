package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cancel requests reach the held job they name, wait for jobs not held yet, and expire with the result TTL. */
class CancelWatchTest {
  final FakeTime time = new FakeTime();
  final Fakes.Host host = new Fakes.Host(time);
  final HeldJobs jobs = new HeldJobs(2, 0, () -> { });
  final CancelWatch cancels = new CancelWatch("diag-test", jobs, time, Duration.ofHours(1));

  @Test
  void aRequestMarksTheHeldJobItNamesOnly() {
    Execution target = Fakes.execution(host, new Fakes.Acks(), "j1", 60_000);
    Execution other = Fakes.execution(host, new Fakes.Acks(), "j2", 60_000);
    jobs.add(target);
    jobs.add(other);
    cancels.onRequest("c1.j1");
    assertThat(target.cancelRequested).isTrue();
    assertThat(target.isCancelled()).isTrue();
    assertThat(other.cancelRequested).isFalse();
  }

  @Test
  void aRequestForAJobOfAnotherClientDoesNotTouchIt() {
    Execution target = Fakes.execution(host, new Fakes.Acks(), "j1", 60_000);
    jobs.add(target);
    cancels.onRequest("someone-else.j1");
    assertThat(target.cancelRequested).isFalse();
  }

  @Test
  void aRequestBeforeTheJobArrivesIsRemembered() {
    cancels.onRequest("c1.j9");
    assertThat(cancels.isRequested("c1.j9")).isTrue();
    assertThat(cancels.isRequested("c1.j8")).isFalse();
  }

  @Test
  void requestsOlderThanTheResultTtlAreForgotten() {
    cancels.onRequest("c1.old");
    time.advance(Duration.ofMinutes(30));
    cancels.onRequest("c1.young");
    time.advance(Duration.ofMinutes(31));
    cancels.purge();
    assertThat(cancels.isRequested("c1.old")).isFalse();
    assertThat(cancels.isRequested("c1.young")).isTrue();
    assertThat(cancels.size()).isEqualTo(1);
  }
}
