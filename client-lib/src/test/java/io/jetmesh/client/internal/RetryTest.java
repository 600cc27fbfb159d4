package io.jetmesh.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The doubling backoff and the retry loop on a fake clock whose sleeps only move time. */
class RetryTest {
  final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  final List<Long> slept = new ArrayList<>();
  final Retry.Sleeper sleeper = d -> {
    slept.add(d.toMillis());
    nanos.addAndGet(d.toNanos());
  };
  final Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(2));

  Retry retry(Duration patience) {
    return Retry.of(backoff, patience).withTime(nanos::get, sleeper);
  }

  @Test
  void theBackoffDoublesUpToItsCeiling() {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      delays.add(backoff.delay(i).toMillis());
    }
    assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L);
    assertThat(backoff.delay(Integer.MAX_VALUE)).as("no overflow").isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theBackoffNamesItsBadArguments() {
    assertThatThrownBy(() -> Backoff.doubling(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("initial must be > 0");
    assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("max");
    assertThatThrownBy(() -> backoff.delay(-1)).hasMessageContaining("retry must be >= 0");
  }

  @Test
  void retryableFailuresAreRetriedWithTheBackoffUntilSuccess() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String r = retry(Duration.ofSeconds(30)).call(() -> {
      if (calls.incrementAndGet() < 4) {
        throw new IOException("no leader");
      }
      return "ok";
    }, e -> e instanceof IOException);
    assertThat(r).isEqualTo("ok");
    assertThat(slept).containsExactly(100L, 200L, 400L);
  }

  @Test
  void aFailureTheCallerRejectsIsThrownAtOnce() {
    assertThatThrownBy(() -> retry(Duration.ofSeconds(30)).call(() -> {
      throw new IllegalArgumentException("bad subject");
    }, e -> e instanceof IOException)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad subject");
    assertThat(slept).isEmpty();
  }

  @Test
  void noRetryStartsThatWouldEndPastThePatience() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry(Duration.ofSeconds(1)).call(() -> {
      throw new IOException("attempt " + calls.incrementAndGet());
    }, e -> true)).isInstanceOf(IOException.class).hasMessage("attempt 4");
    // 100 + 200 + 400 = 700 ms slept; the next 800 ms would end at 1500 ms > 1000 ms
    assertThat(slept).containsExactly(100L, 200L, 400L);
  }

  @Test
  void zeroPatienceMeansOneAttempt() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry(Duration.ZERO).call(() -> {
      calls.incrementAndGet();
      throw new IOException("down");
    }, e -> true)).isInstanceOf(IOException.class);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void theStopConditionEndsTheRetriesWithTheLastFailure() {
    AtomicBoolean closed = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> retry(Duration.ofSeconds(30)).stopWhen(closed::get).call(() -> {
      if (calls.incrementAndGet() == 2) {
        closed.set(true);
      }
      throw new IOException("attempt " + calls.get());
    }, e -> true)).hasMessage("attempt 2");
    assertThat(slept).containsExactly(100L);
  }

  @Test
  void anInterruptedSleepThrowsTheLastFailureAndKeepsTheFlag() {
    Retry interrupted = Retry.of(backoff, Duration.ofSeconds(30)).withTime(nanos::get, d -> {
      throw new InterruptedException();
    });
    try {
      assertThatThrownBy(() -> interrupted.call(() -> {
        throw new IOException("down");
      }, e -> true)).hasMessage("down");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
