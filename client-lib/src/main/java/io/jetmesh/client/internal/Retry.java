package io.jetmesh.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Calls something until it succeeds, fails in a way a retry cannot help, or its patience runs out, sleeping a
 * {@link Backoff} between attempts. A retry that would end past the patience is not started: the last failure is
 * thrown instead. Used where a cluster leader election (a few seconds without answers) must not fail a request.
 *
 * <p>Immutable; one instance may be used by many threads at once. Time and sleeping are injected
 * ({@link #withTime}) so tests run without waiting.
 */
public final class Retry {
  /** The attempted call. */
  @FunctionalInterface
  public interface Call<T, E extends Exception> {
    T call() throws E;
  }

  /** Waits between attempts; {@link Thread#sleep} in production. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Backoff backoff;
  private final Duration patience;
  private final BooleanSupplier stop;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;

  private Retry(Backoff backoff, Duration patience, BooleanSupplier stop, LongSupplier nanoTime, Sleeper sleeper) {
    this.backoff = Objects.requireNonNull(backoff, "backoff == null");
    this.patience = Objects.requireNonNull(patience, "patience == null");
    this.stop = Objects.requireNonNull(stop, "stop == null");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime == null");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper == null");
    if (patience.isNegative()) {
      throw new IllegalArgumentException("patience must be >= 0: " + patience);
    }
  }

  /** Retries for up to {@code patience} with {@code backoff}, on the system clock. */
  public static Retry of(Backoff backoff, Duration patience) {
    return new Retry(backoff, patience, () -> false, System::nanoTime, d -> Thread.sleep(d.toMillis()));
  }

  /** A copy that gives up (throwing the last failure) as soon as {@code stop} is true, e.g. once closed. */
  public Retry stopWhen(BooleanSupplier stop) {
    return new Retry(backoff, patience, stop, nanoTime, sleeper);
  }

  /** A copy on another clock and sleeper (tests). */
  public Retry withTime(LongSupplier nanoTime, Sleeper sleeper) {
    return new Retry(backoff, patience, stop, nanoTime, sleeper);
  }

  public Backoff backoff() {
    return backoff;
  }

  public Duration patience() {
    return patience;
  }

  /**
   * Runs {@code call}, retrying failures {@code retryable} accepts.
   *
   * @param retryable decides each failure (checked or unchecked); one it rejects is thrown at once
   * @throws E the failure that ended the retries: rejected, the last before the patience ran out or the stop
   *     condition held, or the one pending when the sleep was interrupted (the interrupt flag is restored)
   */
  public <T, E extends Exception> T call(Call<T, E> call, Predicate<? super Exception> retryable) throws E {
    Objects.requireNonNull(call, "call == null");
    Objects.requireNonNull(retryable, "retryable == null");
    long deadline = nanoTime.getAsLong() + patience.toNanos();
    for (int retry = 0; ; retry++) {
      try {
        return call.call();
      } catch (Exception e) {
        if (!retryable.test(e)) {
          throw Retry.<E>rethrow(e);
        }
        Duration delay = backoff.delay(retry);
        if (nanoTime.getAsLong() + delay.toNanos() - deadline > 0 || stop.getAsBoolean()) {
          throw Retry.<E>rethrow(e);
        }
        try {
          sleeper.sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw Retry.<E>rethrow(e);
        }
      }
    }
  }

  /** {@code call} declares E, so a caught exception is E or unchecked. */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }
}
