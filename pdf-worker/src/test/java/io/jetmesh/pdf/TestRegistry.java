package io.jetmesh.pdf;

import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.WorkerModule;
import io.jetmesh.worker.batch.BatchFunction;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runtime offers a module at registration, without NATS: records the handlers a {@link WorkerModule}
 * registers, with a real environment (so modules never need a null check for tests or evaluation tools).
 */
public final class TestRegistry implements HandlerRegistry, WorkerEnvironment {
  private final Map<String, JobHandler> handlers = new LinkedHashMap<>();
  private final Path cacheDir;
  private final int concurrency;

  public TestRegistry(Path cacheDir, int concurrency) {
    this.cacheDir = cacheDir;
    this.concurrency = concurrency;
  }

  /** The handlers {@code module} registers, by operation, in registration order. */
  public static Map<String, JobHandler> handlersOf(WorkerModule module) {
    try {
      TestRegistry r = new TestRegistry(Files.createTempDirectory("jetmesh-test-cache"), 1);
      module.register(r);
      return r.handlers;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(module.namespace() + ": register failed: " + e, e);
    }
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

  @Override
  public String workerId() {
    return "pdf-test";
  }

  @Override
  public int concurrency() {
    return concurrency;
  }

  @Override
  public Path cacheDir() {
    return cacheDir;
  }

  @Override
  public InputStream openBlob(String uri) throws IOException {
    return Files.newInputStream(uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : Path.of(uri));
  }

  @Override
  public <I, O> DynamicBatcher<I, O> batcher(String name, int maxBatch, Duration maxWait, BatchFunction<I, O> function) {
    return new DynamicBatcher<>(name, maxBatch, maxWait, function, n -> { });
  }
}
