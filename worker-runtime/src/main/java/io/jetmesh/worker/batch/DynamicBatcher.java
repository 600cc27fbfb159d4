package io.jetmesh.worker.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects calls that arrive together into one batched call. The first item of a batch waits at most
 * {@code maxWait} for more; a batch closes early when it reaches {@code maxBatch}. Each caller gets its own result
 * (or the batch's exception). This is what lets one model instance (one GPU) serve many small jobs efficiently.
 *
 * <p>One thread drains the queue and runs the batch function, so the function is never called concurrently: models
 * that are not thread-safe need no lock.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

  private record Pending<I, O>(I input, CompletableFuture<O> future) {}

  private final String name;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final BatchFunction<I, O> function;
  private final IntConsumer batchSizeObserver;
  private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  public DynamicBatcher(String name, int maxBatch, Duration maxWait, BatchFunction<I, O> function, IntConsumer batchSizeObserver) {
    this.name = Objects.requireNonNull(name, "name == null");
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch < 1: " + maxBatch);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait < 0: " + maxWait);
    }
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWait.toNanos();
    this.function = Objects.requireNonNull(function, "function == null");
    this.batchSizeObserver = batchSizeObserver != null ? batchSizeObserver : n -> {};
    this.thread = new Thread(this::loop, "batcher-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  public String name() {
    return name;
  }

  public int maxBatch() {
    return maxBatch;
  }

  /** Queues one input; the future completes when its batch has run. */
  public CompletableFuture<O> submit(I input) {
    CompletableFuture<O> f = new CompletableFuture<>();
    if (closed) {
      f.completeExceptionally(new IllegalStateException("batcher " + name + " is closed"));
      return f;
    }
    queue.add(new Pending<>(input, f));
    return f;
  }

  /**
   * Runs one input through the batcher and waits for its result.
   *
   * @throws Exception the batch function's exception, unwrapped
   */
  public O call(I input) throws Exception {
    try {
      return submit(input).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private void loop() {
    List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
          // take what is already queued without waiting, then wait for the rest of the window
          Pending<I, O> next = queue.poll();
          if (next == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              break;
            }
            next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
              break;
            }
          }
          batch.add(next);
        }
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    Pending<I, O> p;
    while ((p = queue.poll()) != null) {
      p.future.completeExceptionally(new IllegalStateException("batcher " + name + " closed"));
    }
  }

  private void run(List<Pending<I, O>> batch) {
    batchSizeObserver.accept(batch.size());
    List<I> inputs = new ArrayList<>(batch.size());
    for (Pending<I, O> p : batch) {
      inputs.add(p.input);
    }
    try {
      List<O> outputs = function.apply(inputs);
      if (outputs == null || outputs.size() != inputs.size()) {
        throw new IllegalStateException("batch function of " + name + " returned "
            + (outputs == null ? "null" : outputs.size() + " outputs") + " for " + inputs.size() + " inputs");
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).future.complete(outputs.get(i));
      }
    } catch (Throwable t) {
      LOG.debug("batcher {}: batch of {} failed: {}", name, batch.size(), t.toString());
      for (Pending<I, O> p : batch) {
        p.future.completeExceptionally(t);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
