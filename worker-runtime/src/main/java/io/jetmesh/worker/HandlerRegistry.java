package io.jetmesh.worker;

/** Where a {@link WorkerModule} registers its handlers, and what the runtime offers modules. */
public interface HandlerRegistry {
  /** Registers the handler of {@code operation}; the operation must be listed in the namespace's yaml entry. */
  HandlerRegistry handle(String operation, JobHandler handler);

  /** Runtime facilities for modules (settings, blob access, batching, metrics). */
  WorkerEnvironment environment();
}
