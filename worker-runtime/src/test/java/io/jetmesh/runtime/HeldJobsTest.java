package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Slots and runner permits come back exactly once per delivery, whichever path frees them. */
class HeldJobsTest {
  final AtomicInteger sizeChanges = new AtomicInteger();
  final HeldJobs jobs = new HeldJobs(2, 3, sizeChanges::incrementAndGet);
  final Fakes.Host host = new Fakes.Host(new FakeTime());

  @Test
  void freeSlotsAreTakenTogetherUpToTheMaximum() throws Exception {
    assertThat(jobs.takeFreeSlots(0, 4)).isEqualTo(4);
    assertThat(jobs.takeFreeSlots(0, 4)).isEqualTo(1);
    assertThat(jobs.takeFreeSlots(0, 4)).as("none free").isZero();
    jobs.returnSlots(2);
    assertThat(jobs.takeFreeSlots(0, 10)).isEqualTo(2);
  }

  @Test
  void aReleaseFreesTheSlotOnceEvenWhenBothPathsRun() throws Exception {
    assertThat(jobs.takeFreeSlots(0, 5)).isEqualTo(5);
    Execution ex = Fakes.execution(host, new Fakes.Acks(), "j1", 1_000);
    jobs.add(ex);
    jobs.acquireRunner();
    assertThat(jobs.running()).isEqualTo(1);
    // the abandon path and the job's own thread both release
    jobs.releaseRunner(ex);
    jobs.release(ex);
    jobs.releaseRunner(ex);
    jobs.release(ex);
    assertThat(jobs.running()).isZero();
    assertThat(jobs.size()).isZero();
    assertThat(jobs.takeFreeSlots(0, 5)).as("exactly one slot came back").isEqualTo(1);
    assertThat(sizeChanges.get()).isEqualTo(2);
  }
}
