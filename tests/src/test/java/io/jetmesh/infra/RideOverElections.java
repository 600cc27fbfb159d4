package io.jetmesh.infra;

import io.nats.client.JetStreamApiException;
import java.io.IOException;
import java.time.Duration;

/**
 * JetStream management calls of fault tests, retried the way the client retries its reads: while a cluster elects a
 * new stream (or meta) leader, or a loaded machine answers late, a request times out ({@link IOException}) or is
 * answered 503 / "cluster not available"; within a bound that is no failure, just a wait. The bound is generous
 * because other builds share the CPU: it only costs time when the cluster really does not recover.
 *
 * <p>Not for publishes: a test that publishes jobs retries with the job's message id, so the retry is de-duplicated;
 * see {@code ClusterFailoverTest.publishWithRetry}.
 */
public final class RideOverElections {
  /** Long enough for an election on a machine whose CPU other builds hold (elections take 2-10 s there). */
  public static final Duration DEFAULT_BOUND = Duration.ofSeconds(60);

  /** A management call. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws IOException, JetStreamApiException;
  }

  private RideOverElections() {}

  /** {@link #call(String, Duration, Call)} within {@link #DEFAULT_BOUND}. */
  public static <T> T call(String what, Call<T> call) throws IOException, JetStreamApiException, InterruptedException {
    return call(what, DEFAULT_BOUND, call);
  }

  /**
   * Runs {@code call}, retrying timeouts and transient JetStream errors with backoff (100 ms doubling to 2 s) until
   * {@code bound} has passed; then the last failure is thrown. Other errors (a missing stream, bad config) are
   * thrown at once.
   *
   * @param what what the call reads, for the retry log line
   */
  public static <T> T call(String what, Duration bound, Call<T> call)
      throws IOException, JetStreamApiException, InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    long backoffMs = 100;
    int attempt = 1;
    while (true) {
      try {
        return call.call();
      } catch (IOException | JetStreamApiException e) {
        if (!transientFailure(e) || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
          throw e;
        }
        System.out.printf("RideOverElections: %s failed (attempt %d: %s); retrying in %d ms%n", what, attempt,
            e.getMessage(), backoffMs);
        Thread.sleep(backoffMs);
        backoffMs = Math.min(2000, backoffMs * 2);
        attempt++;
      }
    }
  }

  /**
   * Timeouts and "no responders" come as IOExceptions; during an election the server answers 503 (API code 10008,
   * "JetStream system temporarily unavailable") or 500 (e.g. "stream is offline"), 408 for a request it gave up on.
   */
  static boolean transientFailure(Exception e) {
    if (e instanceof IOException) {
      return true;
    }
    JetStreamApiException api = (JetStreamApiException) e;
    return api.getErrorCode() == 503 || api.getErrorCode() == 500 || api.getErrorCode() == 408
        || api.getApiErrorCode() == 10008;
  }
}
