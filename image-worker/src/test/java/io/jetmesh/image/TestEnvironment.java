package io.jetmesh.image;

import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.batch.BatchFunction;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A WorkerEnvironment + HandlerRegistry without NATS, recording handlers and observed batch sizes. */
public final class TestEnvironment implements WorkerEnvironment, HandlerRegistry {
  public final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  /** What {@code s3://} / {@code nats-object://} URIs resolve to in tests. */
  public final Map<String, Path> blobs = new java.util.concurrent.ConcurrentHashMap<>();
  private final Path cacheDir;

  public TestEnvironment(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  @Override public String workerId() { return "image-test"; }
  @Override public int concurrency() { return 2; }
  @Override public Path cacheDir() { return cacheDir; }

  @Override
  public InputStream openBlob(String uri) throws IOException {
    if (uri.startsWith("s3://") || uri.startsWith("nats-object://")) {
      Path p = blobs.get(uri);
      if (p == null) {
        throw new java.io.FileNotFoundException("no such blob: " + uri);
      }
      return Files.newInputStream(p);
    }
    return Files.newInputStream(uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri));
  }

  @Override
  public <I, O> DynamicBatcher<I, O> batcher(String name, int maxBatch, Duration maxWait, BatchFunction<I, O> function) {
    return new DynamicBatcher<>(name, maxBatch, maxWait, function, batchSizes::add);
  }

  @Override
  public HandlerRegistry handle(String operation, JobHandler handler) {
    handlers.put(operation, handler);
    return this;
  }

  @Override
  public WorkerEnvironment environment() {
    return this;
  }
}
