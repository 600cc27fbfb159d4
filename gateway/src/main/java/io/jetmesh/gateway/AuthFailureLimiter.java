package io.jetmesh.gateway;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Makes guessing credentials cost time: every refused credential (401) takes a token from the bucket of the
 * client's address, and while that bucket is empty the address gets 429 without its credentials being looked at, so
 * a correct guess in that time is not recognised either. Requests with valid credentials take nothing, so callers
 * that authenticate are never slowed by it.
 *
 * <p>Keyed by the connection's remote address. Behind a proxy every client shares the proxy's address: an attacker
 * there then locks out everyone behind the same proxy while the bucket is empty (see docs/gateway.md). Counted per
 * gateway process. Time comes from the injected ticker (nanoseconds), so tests advance it instead of sleeping.
 */
final class AuthFailureLimiter {
  private static final int MAX_TRACKED = 100_000;

  private final double ratePerSecond;
  private final int burst;
  private final LongSupplier ticker;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long lastNanos) {
      this.tokens = tokens;
      this.lastNanos = lastNanos;
    }
  }

  /**
   * @param ratePerSecond refused credentials an address may send per second, sustained
   * @param burst refused credentials an address may send at once
   */
  AuthFailureLimiter(double ratePerSecond, int burst, LongSupplier ticker) {
    if (!(ratePerSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("auth failure limit must be > 0: rate " + ratePerSecond + ", burst " + burst);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.ticker = ticker;
  }

  /** Throws 429 while {@code address} has used up its refused credentials. */
  void check(String address) {
    Bucket b = buckets.get(address);
    if (b == null) {
      return;
    }
    double wait;
    synchronized (b) {
      refill(b);
      if (b.tokens >= 1) {
        return;
      }
      wait = (1 - b.tokens) / ratePerSecond;
    }
    long retry = Math.max(1, (long) Math.ceil(wait));
    throw new ApiException(429, "too_many_failed_logins", "too many refused credentials from " + address
        + "; credentials are not checked for the next " + retry + "s", retry, null);
  }

  /** Counts one refused credential of {@code address}. */
  void failed(String address) {
    if (buckets.size() > MAX_TRACKED) {
      prune();
    }
    Bucket b = buckets.computeIfAbsent(address, k -> new Bucket(burst, ticker.getAsLong()));
    synchronized (b) {
      refill(b);
      b.tokens = Math.max(0, b.tokens - 1);
    }
  }

  private void refill(Bucket b) {
    long now = ticker.getAsLong();
    b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) / 1e9 * ratePerSecond);
    b.lastNanos = now;
  }

  /** Drops buckets that are full again (their addresses are back where an unknown address starts). */
  private void prune() {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      synchronized (b) {
        refill(b);
        if (b.tokens >= burst) {
          it.remove();
        }
      }
    }
  }
}
