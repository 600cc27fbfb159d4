package io.jetmesh.text;

import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Embeds texts through a {@link DynamicBatcher}: every text of every concurrent job is queued as one item, and the
 * batcher's single thread runs them through the model {@code maxBatch} at a time, so concurrent small jobs share
 * forward passes. Tokenization happens on the job's thread, the forward pass on the batcher's.
 */
final class Embedder implements AutoCloseable {
  /** One text's embedding. */
  record Embedding(float[] vector, int tokens, boolean truncated) {}

  private final EmbeddingModel model;
  private final DynamicBatcher<EmbeddingModel.Encoded, float[]> batcher;

  Embedder(EmbeddingModel model, DynamicBatcher<EmbeddingModel.Encoded, float[]> batcher) {
    this.model = Objects.requireNonNull(model, "model == null");
    this.batcher = Objects.requireNonNull(batcher, "batcher == null");
  }

  /** The batch function to give the batcher: one forward pass per batch. */
  static List<float[]> forwardBatch(EmbeddingModel model, List<EmbeddingModel.Encoded> batch) {
    return Arrays.asList(model.forward(batch));
  }

  EmbeddingModel model() {
    return model;
  }

  /**
   * Embeds {@code texts}, in order. Texts are queued shortest first so each forward pass pads little, and the
   * results are put back in input order.
   *
   * @param progress called with the number of texts done so far
   */
  List<Embedding> embed(List<String> texts, HybridChunker.Checkpoint checkpoint, IntConsumer progress) throws JobException {
    int n = texts.size();
    EmbeddingModel.Encoded[] encoded = new EmbeddingModel.Encoded[n];
    for (int i = 0; i < n; i++) {
      if ((i & 127) == 0) {
        checkpoint.check();
      }
      encoded[i] = model.encode(texts.get(i));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> encoded[i].ids().length));
    List<CompletableFuture<float[]>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(null);
    }
    for (int k = 0; k < n; k++) {
      futures.set(order[k], batcher.submit(encoded[order[k]]));
    }
    List<Embedding> out = new ArrayList<>(n);
    int done = 0;
    try {
      for (int i = 0; i < n; i++) {
        float[] v = await(futures.get(i), checkpoint);
        out.add(new Embedding(v, encoded[i].tokens(), encoded[i].truncated()));
        if (++done % 64 == 0 || done == n) {
          progress.accept(done);
        }
      }
    } catch (JobException e) {
      futures.forEach(f -> f.cancel(false));
      throw e;
    }
    return out;
  }

  private static float[] await(CompletableFuture<float[]> f, HybridChunker.Checkpoint checkpoint) throws JobException {
    while (true) {
      checkpoint.check();
      try {
        return f.get(200, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // not done yet: look at cancellation again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobException(ErrorCode.CANCELLED, "interrupted while waiting for the embedding batch");
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        throw new JobException(ErrorCode.INTERNAL, "embedding failed: " + c, c);
      }
    }
  }

  @Override
  public void close() {
    batcher.close();
  }
}
