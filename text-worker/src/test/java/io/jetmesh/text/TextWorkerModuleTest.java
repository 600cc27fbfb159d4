package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.WorkerModule;
import io.jetmesh.worker.batch.BatchFunction;
import io.jetmesh.worker.batch.DynamicBatcher;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TextWorkerModuleTest {
  /** A registry and environment like the runtime's, without NATS. */
  static final class FakeRegistry implements HandlerRegistry, WorkerEnvironment {
    final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    final Map<String, DynamicBatcher<?, ?>> batchers = new LinkedHashMap<>();

    @Override public HandlerRegistry handle(String operation, JobHandler handler) {
      handlers.put(operation, handler);
      return this;
    }

    @Override public WorkerEnvironment environment() { return this; }
    @Override public String workerId() { return "text-test"; }
    @Override public int concurrency() { return 2; }
    @Override public Path cacheDir() { return TestModels.cacheDir(); }
    @Override public InputStream openBlob(String uri) throws java.io.IOException {
      return Files.newInputStream(Path.of(uri));
    }

    @Override
    public <I, O> DynamicBatcher<I, O> batcher(String name, int maxBatch, Duration maxWait, BatchFunction<I, O> fn) {
      DynamicBatcher<I, O> b = new DynamicBatcher<>(name, maxBatch, maxWait, fn, null);
      batchers.put(name, b);
      return b;
    }
  }

  @Test
  void isFoundByServiceLoaderAndRegistersAllFourOperations() throws Exception {
    WorkerModule module = ServiceLoader.load(WorkerModule.class).stream().map(ServiceLoader.Provider::get)
        .filter(m -> m.namespace().equals("text")).findFirst().orElseThrow();
    assertThat(module).isInstanceOf(TextWorkerModule.class);
    new CommandLine(module.cliOptions()).parseArgs("--device", "cpu", "--max-batch", "8", "--batch-wait", "2ms");
    FakeRegistry registry = new FakeRegistry();
    try {
      module.register(registry);
      assertThat(registry.handlers).containsOnlyKeys("chunk", "language", "embed", "stats");
      assertThat(registry.batchers.get("text-embed").maxBatch()).isEqualTo(8);
      assertThat(module.serviceMetadata()).containsEntry("device", "cpu").containsEntry("embedding_dimension", "384")
          .containsEntry("embedding_model", "all-minilm-l6-v2-q").containsEntry("language_detector", "opennlp-langdetect-183");
      var run = HandlerTestKit.forSubject("text.analyze.embed")
          .input("[\"hello world\"]".getBytes(StandardCharsets.UTF_8), "x").run(registry.handlers.get("embed"));
      assertThat(run.requireResult().output().path("embeddings").get(0).path("vector").size()).isEqualTo(384);
    } finally {
      module.close();
    }
  }

  @Test
  void optionsHaveDefaultsAndRejectBadValues() {
    TextWorkerOptions o = new TextWorkerOptions();
    new CommandLine(o).parseArgs();
    assertThat(o.embeddingModel).isEqualTo(System.getenv().getOrDefault("JETMESH_TEXT_EMBEDDING_MODEL", "all-minilm-l6-v2-q"));
    assertThat(o.batchWaitDuration()).isEqualTo(Duration.ofMillis(5));
    assertThat(o.limits().embedMaxBytes()).isEqualTo(8L << 20);
    TextWorkerOptions bad = new TextWorkerOptions();
    new CommandLine(bad).parseArgs("--device", "tpu");
    assertThatThrownBy(bad::deviceSpec).hasMessageContaining("--device");
    String help = new CommandLine(new TextWorkerOptions()).getUsageMessage();
    assertThat(help).contains("--embedding-model").contains("JETMESH_TEXT_DEVICE").contains("--max-batch");
  }

  @Test
  void aCustomModelDirectoryWithoutATokenizerIsRefusedClearly() throws Exception {
    Path dir = Files.createTempDirectory("model");
    Files.write(dir.resolve("m.onnx"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> ModelFiles.resolve(dir.toString(), null, null, new FakeRegistry()))
        .hasMessageContaining("tokenizer").hasMessageContaining("--embedding-tokenizer");
    assertThatThrownBy(() -> ModelFiles.resolve("/no/such/model.onnx", null, null, new FakeRegistry()))
        .hasMessageContaining("no such file");
  }

  @Test
  void aTorchScriptModelWithoutThePyTorchEngineIsRefusedNamingTheOptInBuild() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(ai.djl.engine.Engine.hasEngine("PyTorch"),
        "this build has the PyTorch engine (-Ppytorch)");
    ModelFiles bundled = ModelFiles.bundled(TestModels.cacheDir(), null);
    Path dir = Files.createTempDirectory("torchscript-model");
    Files.write(dir.resolve("m.pt"), new byte[] {1, 2, 3});
    Files.copy(bundled.tokenizer(), dir.resolve("tokenizer.json"));
    ModelFiles pt = ModelFiles.resolve(dir.toString(), null, java.util.List.of("*"), new FakeRegistry());
    assertThat(pt.engine()).isEqualTo("PyTorch");
    assertThatThrownBy(() -> EmbeddingModel.load(pt, "cpu", 128))
        .hasMessageContaining("engine PyTorch").hasMessageContaining("-Ppytorch").hasMessageContaining(".onnx");
  }

  @Test
  void aCustomOnnxModelLoadsFromAPathWithItsTokenizer() throws Exception {
    ModelFiles bundled = ModelFiles.bundled(TestModels.cacheDir(), null);
    Path dir = Files.createTempDirectory("custom-model");
    Files.copy(bundled.model(), dir.resolve("minilm.onnx"));
    Files.copy(bundled.tokenizer(), dir.resolve("tokenizer.json"));
    ModelFiles custom = ModelFiles.resolve(dir.toString(), null, java.util.List.of("*"), new FakeRegistry());
    assertThat(custom.name()).isEqualTo("minilm");
    assertThat(custom.engine()).isEqualTo("OnnxRuntime");
    try (EmbeddingModel m = EmbeddingModel.load(custom, "auto", 128)) {
      assertThat(m.dimension()).isEqualTo(384);
      assertThat(m.device()).isEqualTo("cpu");
      assertThat(m.maxLength()).isEqualTo(128);
      assertThat(LanguageDetection.isSupported("deu", m.languages())).isTrue();
    }
  }
}
