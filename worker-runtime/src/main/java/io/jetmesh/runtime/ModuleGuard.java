package io.jetmesh.runtime;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a worker module only when no handler holds it. Every handler invocation holds the module from the moment it
 * starts until the handler returns, including a handler the worker abandoned after its time limit, whose thread may
 * still be inside an OCR engine or a model. {@link #close(Duration)} waits a bounded time for the holders to return;
 * if some are still running it leaves the module open, logs which jobs hold it, and the last of them to return closes
 * it. Closing native resources under a running call can crash the JVM; leaking them until the process exits cannot.
 *
 * <p>Thread-safe: job threads enter and exit, the closing thread waits; all state is guarded by this object's
 * monitor, and the module's {@code close()} runs outside it, exactly once.
 */
final class ModuleGuard {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final String workerId;
  private final String moduleName;
  private final AutoCloseable module;
  private final Set<String> holders = new LinkedHashSet<>();
  private boolean closeRequested;
  /** A close() is waiting for the holders: it closes the module itself when they are gone. */
  private boolean closerWaiting;
  private boolean closed;

  ModuleGuard(String workerId, String moduleName, AutoCloseable module) {
    this.workerId = workerId;
    this.moduleName = moduleName;
    this.module = module;
  }

  /**
   * Holds the module for the invocation {@code key} (a delivery's key).
   *
   * @return false when the module is already closed: the caller must not run the handler
   */
  synchronized boolean enter(String key) {
    if (closed) {
      return false;
    }
    holders.add(key);
    return true;
  }

  /** Releases the module after the handler of {@code key} returned; the last holder after a close request closes it. */
  void exit(String key) {
    boolean closeNow;
    synchronized (this) {
      if (!holders.remove(key)) {
        return;
      }
      closeNow = closeRequested && !closerWaiting && holders.isEmpty() && !closed;
      if (closeNow) {
        closed = true;
      }
      notifyAll();
    }
    if (closeNow) {
      LOG.info("{} - the last abandoned handler returned; closing module {}", workerId, moduleName);
      closeModule();
    }
  }

  /**
   * Closes the module once no handler holds it, waiting at most {@code wait} for that.
   *
   * @return true if the module is closed now; false if handlers still hold it (it closes when the last returns)
   */
  boolean close(Duration wait) {
    List<String> left;
    synchronized (this) {
      if (closed) {
        return true;
      }
      closeRequested = true;
      closerWaiting = true;
      long deadline = System.nanoTime() + wait.toNanos();
      while (!holders.isEmpty()) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          break;
        }
        try {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, leftNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      closerWaiting = false;
      if (holders.isEmpty()) {
        closed = true;
        left = List.of();
      } else {
        left = List.copyOf(holders);
      }
    }
    if (!left.isEmpty()) {
      LOG.warn("{} - module {} left open: {} handler(s) still running after {} ms ({}); it is closed when the last returns",
          workerId, moduleName, left.size(), wait.toMillis(), String.join(", ", left));
      return false;
    }
    closeModule();
    return true;
  }

  synchronized int holders() {
    return holders.size();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  private void closeModule() {
    try {
      module.close();
    } catch (Exception e) {
      LOG.warn("{} - module close failed: {}", workerId, e.toString());
    }
  }
}
