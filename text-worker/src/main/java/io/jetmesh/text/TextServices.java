package io.jetmesh.text;

import java.util.Objects;

/**
 * What the handlers share: the embedding model behind its batcher, the language detector and the per-operation
 * input limits. Built once by {@link TextWorkerModule} (or a test) and closed with it.
 *
 * @param embedder the batched embedding model
 * @param languages the language detector
 * @param limits per-operation size limits
 */
record TextServices(Embedder embedder, LanguageDetection languages, Limits limits) {
  /**
   * Per-operation limits on top of the service's {@code max_input_size}.
   *
   * @param chunkMaxBytes largest input of {@code chunk} and {@code stats}
   * @param languageMaxBytes largest input of {@code language}
   * @param embedMaxBytes largest input of {@code embed}
   * @param embedMaxTexts most texts (or chunks) one {@code embed} job may embed
   */
  record Limits(long chunkMaxBytes, long languageMaxBytes, long embedMaxBytes, int embedMaxTexts) {
    static final Limits DEFAULT = new Limits(64L << 20, 16L << 20, 8L << 20, 4096);

    Limits {
      if (chunkMaxBytes <= 0 || languageMaxBytes <= 0 || embedMaxBytes <= 0) {
        throw new IllegalArgumentException("byte limits must be > 0");
      }
      if (embedMaxTexts < 1) {
        throw new IllegalArgumentException("embedMaxTexts must be >= 1: " + embedMaxTexts);
      }
    }
  }

  TextServices {
    Objects.requireNonNull(embedder, "embedder == null");
    Objects.requireNonNull(languages, "languages == null");
    Objects.requireNonNull(limits, "limits == null");
  }

  EmbeddingModel model() {
    return embedder.model();
  }

  /** The default chunk budget: the model's input length without its two special tokens. */
  int defaultMaxTokens() {
    return model().maxLength() - 2;
  }
}
