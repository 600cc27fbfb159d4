package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A module is closed once, and never while a handler (an abandoned one included) is inside it. */
class ModuleGuardTest {
  final AtomicInteger closes = new AtomicInteger();
  final ModuleGuard guard = new ModuleGuard("diag-test", "diag", closes::incrementAndGet);

  @Test
  void anIdleModuleIsClosedAtOnce() {
    assertThat(guard.close(Duration.ZERO)).isTrue();
    assertThat(closes.get()).isEqualTo(1);
    assertThat(guard.close(Duration.ZERO)).as("closing twice").isTrue();
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void aModuleHeldByARunningHandlerStaysOpenUntilTheLastReturns() {
    assertThat(guard.enter("stuck-1")).isTrue();
    assertThat(guard.enter("stuck-2")).isTrue();
    assertThat(guard.close(Duration.ZERO)).as("the bounded wait ends with holders left").isFalse();
    assertThat(closes.get()).isZero();
    guard.exit("stuck-1");
    assertThat(closes.get()).isZero();
    guard.exit("stuck-2");
    assertThat(closes.get()).as("the last holder closes it").isEqualTo(1);
    assertThat(guard.isClosed()).isTrue();
  }

  @Test
  void aHandlerReturningDuringTheWaitLetsCloseFinish() throws Exception {
    guard.enter("slow");
    AtomicReference<Boolean> closedNow = new AtomicReference<>();
    Thread closer = new Thread(() -> closedNow.set(guard.close(Duration.ofMinutes(5))));
    closer.start();
    while (closer.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait(); // the closer is waiting for the holder
    }
    guard.exit("slow");
    closer.join();
    assertThat(closedNow.get()).isTrue();
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void noHandlerStartsOnAClosedModule() {
    guard.close(Duration.ZERO);
    assertThat(guard.enter("late")).isFalse();
    assertThat(guard.holders()).isZero();
  }

  @Test
  void aHandlerMayStillStartWhileACloseWaitsForOthers() {
    guard.enter("a");
    guard.close(Duration.ZERO);
    assertThat(guard.enter("b")).as("the module is still open").isTrue();
    guard.exit("a");
    assertThat(closes.get()).isZero();
    guard.exit("b");
    assertThat(closes.get()).isEqualTo(1);
  }

  @Test
  void aFailingCloseIsLoggedNotThrownAndExitsOfUnknownKeysAreIgnored() {
    ModuleGuard failing = new ModuleGuard("diag-test", "diag", () -> {
      throw new IllegalStateException("native library already unloaded");
    });
    failing.exit("never-entered");
    assertThat(failing.close(Duration.ZERO)).isTrue();
    assertThat(failing.isClosed()).isTrue();
  }
}
