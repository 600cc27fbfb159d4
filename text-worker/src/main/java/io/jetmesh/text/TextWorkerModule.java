package io.jetmesh.text;

import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.WorkerModule;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code text} namespace ({@code text.analyze.*}): {@code chunk}, {@code language}, {@code embed} and
 * {@code stats}. The embedding model and the language model are loaded once at registration; the model runs behind
 * a dynamic batcher shared by all concurrent jobs of this worker.
 */
public final class TextWorkerModule implements WorkerModule {
  private static final Logger LOG = LoggerFactory.getLogger(TextWorkerModule.class);

  private final TextWorkerOptions options = new TextWorkerOptions();
  private TextServices services;
  private EmbeddingModel model;

  @Override
  public String namespace() {
    return "text";
  }

  @Override
  public Object cliOptions() {
    return options;
  }

  @Override
  public void register(HandlerRegistry registry) throws Exception {
    WorkerEnvironment env = registry.environment();
    TextServices.Limits limits = options.limits();
    String device = options.deviceSpec();
    ModelFiles files = ModelFiles.resolve(options.embeddingModel, options.embeddingTokenizer, options.languages(), env);
    int maxLength = options.embeddingMaxTokens > 0 ? options.embeddingMaxTokens : files.defaultMaxLength();
    model = EmbeddingModel.load(files, device, maxLength);
    EmbeddingModel m = model;
    DynamicBatcher<EmbeddingModel.Encoded, float[]> batcher =
        env.batcher("text-embed", options.maxBatch, options.batchWaitDuration(), batch -> Embedder.forwardBatch(m, batch));
    LanguageDetection languages = LanguageDetection.load();
    services = new TextServices(new Embedder(model, batcher), languages, limits);
    registry.handle("chunk", new ChunkHandler(services))
        .handle("language", new LanguageHandler(services))
        .handle("embed", new EmbedHandler(services))
        .handle("stats", new StatsHandler(services));
    LOG.info("{} - text worker ready: embedding model {} ({} dims, {} on {}), language detector {} ({} languages)",
        env.workerId(), model.name(), model.dimension(), model.engine(), model.device(), languages.modelName(),
        languages.supportedLanguages());
  }

  @Override
  public Map<String, String> serviceMetadata() {
    Map<String, String> meta = new LinkedHashMap<>();
    if (model != null) {
      meta.put("device", model.device());
      meta.put("embedding_model", model.name());
      meta.put("embedding_dimension", Integer.toString(model.dimension()));
      meta.put("embedding_engine", model.engine());
      meta.put("embedding_max_tokens", Integer.toString(model.maxLength()));
      meta.put("models", model.name() + "," + services.languages().modelName());
      meta.put("language_detector", services.languages().modelName());
    }
    return meta;
  }

  @Override
  public void close() {
    if (services != null) {
      services.embedder().close();
    }
    if (model != null) {
      model.close();
    }
  }
}
