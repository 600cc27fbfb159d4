package io.jetmesh.cli.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a long-running command's service (a worker, the gateway, the dev mesh) when the JVM is asked to stop
 * (SIGTERM, SIGINT), also when the signal arrives while the service is still starting. The shutdown hook is
 * registered before the start and waits for it to finish; registering it after the start failed with "Shutdown in
 * progress" when a SIGTERM came in between (seen in CliUserPathsTest under load), and the service was never drained.
 *
 * <pre>{@code
 * StopOnSignal<Worker> life = StopOnSignal.install("jetmesh-shutdown", w -> w.drain(timeout));
 * Worker w = life.start(() -> Worker.start(settings, module));
 * life.awaitStopped();
 * }</pre>
 */
public final class StopOnSignal<T> {
  /** How long a signalled shutdown waits for a start still in progress before it gives up on stopping it. */
  static final Duration START_WAIT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

  /** Stops a started service; runs on the shutdown hook's thread. */
  @FunctionalInterface
  public interface Stopper<T> {
    void stop(T service) throws Exception;
  }

  /** Starts the service. */
  @FunctionalInterface
  public interface Starter<T, E extends Exception> {
    T start() throws E;
  }

  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<T> service = new AtomicReference<>();
  private final Stopper<T> stopper;

  /** Without a hook: for tests, which call {@link #shutdown()} themselves. */
  StopOnSignal(Stopper<T> stopper) {
    this.stopper = stopper;
  }

  /** Registers the shutdown hook now, before anything starts. */
  public static <T> StopOnSignal<T> install(String threadName, Stopper<T> stopper) {
    StopOnSignal<T> s = new StopOnSignal<>(stopper);
    Runtime.getRuntime().addShutdownHook(new Thread(s::shutdown, threadName));
    return s;
  }

  /** Starts the service; a shutdown signalled meanwhile stops it as soon as this returns. */
  public <E extends Exception> T start(Starter<T, E> starter) throws E {
    try {
      T t = starter.start();
      service.set(t);
      return t;
    } finally {
      started.countDown();
    }
  }

  /** Blocks until a shutdown has stopped the service. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** The hook's work, package-private for tests (a test cannot send itself SIGTERM). */
  void shutdown() {
    try {
      if (!started.await(START_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("still starting after {}s; stopping without draining", START_WAIT.toSeconds());
      }
      T t = service.get();
      if (t != null) {
        stopper.stop(t);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("stopping failed: {}", e.toString());
    } finally {
      stopped.countDown();
    }
  }
}
