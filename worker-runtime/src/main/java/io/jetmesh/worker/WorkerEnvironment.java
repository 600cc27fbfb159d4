package io.jetmesh.worker;

import io.jetmesh.worker.batch.BatchFunction;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;

/** What the runtime gives a {@link WorkerModule} at registration time. */
public interface WorkerEnvironment {
  /** This worker's id. */
  String workerId();

  /** Jobs this worker runs at once. */
  int concurrency();

  /** A directory modules may use for caches (extracted models, natives); survives across jobs. */
  Path cacheDir();

  /**
   * Opens a blob by URI ({@code s3://}, {@code nats-object://}, {@code file:} or a plain path), e.g. to load a model
   * configured as {@code s3://models/resnet.pt}.
   */
  InputStream openBlob(String uri) throws java.io.IOException;

  /**
   * A dynamic batcher: calls that arrive together are run as one {@code function} call of at most
   * {@code maxBatch} items, waiting at most {@code maxWait} for a batch to fill. Its batch sizes are exported as
   * the {@code jetmesh_batch_size{batcher=name}} metric.
   */
  <I, O> DynamicBatcher<I, O> batcher(String name, int maxBatch, Duration maxWait, BatchFunction<I, O> function);
}
