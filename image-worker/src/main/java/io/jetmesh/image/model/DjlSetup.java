package io.jetmesh.image.model;

import java.nio.file.Path;

/**
 * DJL settings that must be in place before an engine loads: offline (nothing is ever downloaded), caches under
 * a predictable directory, and PyTorch's graph optimizer off (it re-optimises the graph for every new input shape,
 * and dynamic batching produces many batch sizes).
 */
public final class DjlSetup {
  private DjlSetup() {}

  /** Sets each property unless the operator already set it as a system property or environment variable. */
  public static void configure(Path cacheDir) {
    setDefault("ai.djl.offline", "true");
    setDefault("ai.djl.pytorch.graph_optimizer", "false");
    Path djl = cacheDir.resolve("djl").toAbsolutePath();
    if (System.getenv("DJL_CACHE_DIR") == null) {
      setDefault("DJL_CACHE_DIR", djl.toString());
    }
    if (System.getenv("ENGINE_CACHE_DIR") == null) {
      setDefault("ENGINE_CACHE_DIR", System.getProperty("DJL_CACHE_DIR", djl.toString()));
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
