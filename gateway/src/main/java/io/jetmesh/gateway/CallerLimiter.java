package io.jetmesh.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-caller request rate (token bucket) and concurrent jobs, counted in this gateway process. Behind a load
 * balancer with N gateways a caller gets up to N times these figures; the mesh's own backpressure still applies.
 */
final class CallerLimiter {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();

  private static final class Bucket {
    double tokens;
    long lastNanos;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastNanos = now;
    }
  }

  /** Takes one request token or throws 429 with the seconds until the next token. */
  void acquireRequest(Caller caller) {
    Limits l = caller.limits();
    long now = System.nanoTime();
    Bucket b = buckets.computeIfAbsent(caller.id(), k -> new Bucket(l.burst(), now));
    double wait;
    synchronized (b) {
      b.tokens = Math.min(l.burst(), b.tokens + (now - b.lastNanos) / 1e9 * l.ratePerSecond());
      b.lastNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return;
      }
      wait = (1 - b.tokens) / l.ratePerSecond();
    }
    long retry = Math.max(1, (long) Math.ceil(wait));
    throw new ApiException(429, "rate_limited", "'" + caller.id() + "' exceeds " + l.ratePerSecond()
        + " requests/s (burst " + l.burst() + "); retry in " + retry + "s", retry, null);
  }

  /** Reserves one concurrent-job slot or throws 429; release it with {@link #releaseJob}. */
  void acquireJob(Caller caller) {
    AtomicInteger n = running.computeIfAbsent(caller.id(), k -> new AtomicInteger());
    int now = n.incrementAndGet();
    if (now > caller.limits().maxConcurrentJobs()) {
      n.decrementAndGet();
      throw new ApiException(429, "too_many_jobs", "'" + caller.id() + "' already has "
          + caller.limits().maxConcurrentJobs() + " unfinished jobs through this gateway; wait for one to finish", 1L, null);
    }
  }

  void releaseJob(Caller caller) {
    AtomicInteger n = running.get(caller.id());
    if (n != null) {
      n.decrementAndGet();
    }
  }

  /**
   * Reserves one event stream or throws 429 (a stream is cheap for the gateway but held open for as long as the
   * caller likes, so without a cap one key could hold any number); release it with {@link #releaseStream}.
   */
  void acquireStream(Caller caller) {
    AtomicInteger n = streams.computeIfAbsent(caller.id(), k -> new AtomicInteger());
    if (n.incrementAndGet() > caller.limits().maxStreams()) {
      n.decrementAndGet();
      throw new ApiException(429, "too_many_streams", "'" + caller.id() + "' already has " + caller.limits().maxStreams()
          + " event streams open on this gateway; close one (or poll /v1/jobs/{id}/result)", 1L, null);
    }
  }

  void releaseStream(Caller caller) {
    AtomicInteger n = streams.get(caller.id());
    if (n != null) {
      n.decrementAndGet();
    }
  }

  int openStreams(Caller caller) {
    AtomicInteger n = streams.get(caller.id());
    return n == null ? 0 : n.get();
  }

  int runningJobs(Caller caller) {
    AtomicInteger n = running.get(caller.id());
    return n == null ? 0 : n.get();
  }
}
