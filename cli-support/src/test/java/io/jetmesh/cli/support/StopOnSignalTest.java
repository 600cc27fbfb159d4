package io.jetmesh.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A SIGTERM while a service is still starting stops it once it is up, instead of failing or leaving it running. */
class StopOnSignalTest {
  @Test
  void aShutdownDuringTheStartStopsTheServiceOnceItIsUp() throws Exception {
    List<String> stopped = new CopyOnWriteArrayList<>();
    StopOnSignal<String> life = new StopOnSignal<>(stopped::add);
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> start = CompletableFuture.supplyAsync(() -> {
      try {
        return life.start(() -> {
          starting.countDown();
          release.await();
          return "worker";
        });
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> hook = CompletableFuture.runAsync(life::shutdown); // the signal arrives now
    Thread.sleep(100);
    assertThat(hook).as("the hook waits for the start").isNotDone();
    release.countDown();
    hook.get(10, TimeUnit.SECONDS);
    assertThat(start.get(10, TimeUnit.SECONDS)).isEqualTo("worker");
    assertThat(stopped).containsExactly("worker");
    life.awaitStopped(); // returns: the main thread's wait ends
  }

  @Test
  void aFailedStartLeavesNothingToStopAndReleasesTheWait() throws Exception {
    List<String> stopped = new CopyOnWriteArrayList<>();
    StopOnSignal<String> life = new StopOnSignal<>(stopped::add);
    assertThatThrownBy(() -> life.start(() -> {
      throw new java.io.IOException("port in use");
    })).hasMessage("port in use");
    life.shutdown();
    assertThat(stopped).isEmpty();
    life.awaitStopped();
  }

  @Test
  void aStopperThatFailsStillReleasesTheWait() throws Exception {
    StopOnSignal<String> life = new StopOnSignal<>(s -> {
      throw new IllegalStateException("already closed");
    });
    life.start(() -> "gateway");
    life.shutdown();
    life.awaitStopped();
  }
}
