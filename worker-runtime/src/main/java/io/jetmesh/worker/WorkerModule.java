package io.jetmesh.worker;

import java.util.Map;

/**
 * A worker module's entry point, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.jetmesh.worker.WorkerModule}). It names the namespaces.yaml entry it serves and
 * registers one {@link JobHandler} per operation. Expensive state (models, OCR engines) is created in
 * {@link #register} and released in {@link #close}.
 */
public interface WorkerModule extends AutoCloseable {
  /** The namespaces.yaml entry this module serves, e.g. {@code pdf}. */
  String namespace();

  /**
   * An object with picocli {@code @Option} fields (e.g. {@code --device}, {@code --model}) that the worker command
   * adds to its own options, so {@code --help} lists them; {@code null} when the module has none. The runtime
   * parses the command line into it before calling {@link #register}.
   */
  default Object cliOptions() {
    return null;
  }

  /** Registers the handlers. Called once, before the worker starts pulling jobs. */
  void register(HandlerRegistry registry) throws Exception;

  /**
   * Extra facts for the NATS Services API info ({@code jetmesh workers}): e.g. {@code device=cpu},
   * {@code models=resnet18@1}. Called after {@link #register}.
   */
  default Map<String, String> serviceMetadata() {
    return Map.of();
  }

  @Override
  default void close() throws Exception {}
}
