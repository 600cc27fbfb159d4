package io.jetmesh.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** One bundled model per test JVM (loading takes about 2 s). */
final class TestModels {
  private static EmbeddingModel model;

  private TestModels() {}

  static Path cacheDir() {
    return Path.of("target", "test-cache").toAbsolutePath();
  }

  static synchronized EmbeddingModel model() {
    if (model == null) {
      try {
        model = EmbeddingModel.load(ModelFiles.bundled(cacheDir(), null), "cpu", 256);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return model;
  }
}
