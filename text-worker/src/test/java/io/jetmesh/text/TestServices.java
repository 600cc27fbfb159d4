package io.jetmesh.text;

import io.jetmesh.worker.batch.DynamicBatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Real model, real tokenizer, real language model: built once per test JVM. */
final class TestServices {
  /** Sizes of the batches the shared batcher ran, for tests of dynamic batching. */
  static final List<Integer> BATCH_SIZES = new CopyOnWriteArrayList<>();
  private static TextServices services;

  private TestServices() {}

  static synchronized TextServices get() {
    if (services == null) {
      EmbeddingModel model = TestModels.model();
      DynamicBatcher<EmbeddingModel.Encoded, float[]> batcher = new DynamicBatcher<>("test-embed", 16,
          Duration.ofMillis(20), batch -> Embedder.forwardBatch(model, batch), BATCH_SIZES::add);
      try {
        services = new TextServices(new Embedder(model, batcher), LanguageDetection.load(), TextServices.Limits.DEFAULT);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return services;
  }

  /** The shared services with other limits (same model and batcher). */
  static TextServices withLimits(TextServices.Limits limits) {
    TextServices s = get();
    return new TextServices(s.embedder(), s.languages(), limits);
  }
}
