package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.image.model.ImageModel;
import io.jetmesh.image.model.ModelRegistry;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.awt.Color;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the project's tiny ONNX models (made by image-worker/models/make_tiny_models.py) through DJL's OnnxRuntime
 * engine, the default build's only engine, and runs them through the classify/embed handlers and batcher. The same
 * models as TorchScript (PyTorch engine, the opt-in {@code -Ppytorch} build) are {@link TorchScriptInferenceTest}.
 */
class ModelInferenceTest {
  @TempDir static Path cache;
  static ImageWorkerModule module;
  static TestEnvironment env;

  static String model(String file) {
    try {
      return Path.of(ModelInferenceTest.class.getResource("/models/" + file).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void loadModels() throws Exception {
    String labels = model("colour-labels.txt");
    ImageWorkerOptions opts = new ImageWorkerOptions(java.util.Map.of())
        .device("auto").maxBatch(8).batchWait("20ms")
        .addModel("colour=" + model("colour.onnx") + ",type=classify,input-size=32,labels=" + labels + ",version=3")
        .addModel("embed=" + model("embed.onnx") + ",type=embed,input-size=32");
    module = new ImageWorkerModule(opts);
    env = new TestEnvironment(cache);
    module.register(env);
  }

  @AfterAll
  static void close() {
    if (module != null) {
      module.close();
    }
  }

  static JsonNode run(String op, byte[] image, String options) {
    JobHandler h = env.handlers.get(op);
    return HandlerTestKit.forSubject("image.process." + op).input(image, "in.png").options(options).run(h)
        .requireResult().output();
  }

  static byte[] png(Color c) {
    return TestImages.encode(TestImages.solid(64, 48, c), "png");
  }

  @Test
  void serviceMetadataNamesModelsVersionsAndDevice() {
    var md = module.serviceMetadata();
    assertThat(md.get("device")).isEqualTo("cpu"); // no GPU on this machine: auto falls back to the CPU
    assertThat(md.get("models")).contains("colour@3 on cpu", "embed@1 on cpu");
  }

  @Test
  void classifierNamesThePrimaryColour() {
    assertThat(run("classify", png(Color.RED), "{\"model\":\"colour\"}").path("labels").get(0).path("label").asText())
        .isEqualTo("red");
    assertThat(run("classify", png(new Color(20, 200, 30)), "{}").path("labels").get(0).path("label").asText())
        .isEqualTo("green");
    JsonNode blue = run("classify", png(Color.BLUE), "{\"top_k\":2}");
    assertThat(blue.path("labels")).hasSize(2);
    assertThat(blue.path("labels").get(0).path("label").asText()).isEqualTo("blue");
    assertThat(blue.path("labels").get(0).path("score").asDouble()).isGreaterThan(0.9);
    assertThat(blue.path("version").asText()).isEqualTo("3");
    assertThat(blue.path("device").asText()).isEqualTo("cpu");
  }

  @Test
  void embeddingsAreUnitLengthAndSimilarForSimilarImages() {
    for (String m : new String[] {"embed"}) {
      float[] red = vector(run("embed", png(Color.RED), "{\"model\":\"" + m + "\"}"));
      float[] red2 = vector(run("embed", png(new Color(235, 15, 10)), "{\"model\":\"" + m + "\"}"));
      float[] blue = vector(run("embed", png(Color.BLUE), "{\"model\":\"" + m + "\"}"));
      assertThat(red).hasSize(16);
      assertThat(dot(red, red)).as(m).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      assertThat(dot(red, red2)).as(m).isGreaterThan(dot(red, blue));
    }
  }

  @Test
  void wrongModelTypeOrNameIsInvalidInput() {
    JobHandler h = env.handlers.get("classify");
    var run = HandlerTestKit.forSubject("image.process.classify").input(png(Color.RED), "a.png")
        .options("{\"model\":\"embed\"}").run(h);
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("not usable for classify");
    var missing = HandlerTestKit.forSubject("image.process.classify").input(png(Color.RED), "a.png")
        .options("{\"model\":\"resnet\"}").run(h);
    assertThat(missing.error().getMessage()).contains("no model named 'resnet'").contains("colour@3");
  }

  @Test
  void concurrentJobsAreBatchedAndGetTheSameResultsAsAlone() throws Exception {
    ModelRegistry.Served served = module.models().get("colour").orElseThrow();
    ImageModel model = served.model();
    List<float[]> inputs = new ArrayList<>();
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE, Color.CYAN, Color.MAGENTA, Color.PINK, Color.GRAY};
    for (Color c : colours) {
      inputs.add(model.preprocess(TestImages.redLeftBlueRight(40, 40)));
      inputs.add(model.preprocess(TestImages.solid(50, 40, c)));
    }
    // unbatched reference: each item alone through the model
    List<float[]> alone = new ArrayList<>();
    for (float[] in : inputs) {
      alone.add(model.forward(List.of(in)).get(0));
    }
    env.batchSizes.clear();
    ExecutorService pool = Executors.newFixedThreadPool(inputs.size());
    try {
      List<Future<io.jetmesh.image.model.Inference>> futures = new ArrayList<>();
      for (float[] in : inputs) {
        futures.add(pool.submit(() -> served.batcher().call(in)));
      }
      for (int i = 0; i < inputs.size(); i++) {
        float[] batched = futures.get(i).get().values();
        assertThat(batched).containsExactly(alone.get(i), org.assertj.core.data.Offset.offset(1e-5f));
      }
    } finally {
      pool.shutdown();
    }
    assertThat(env.batchSizes).anyMatch(n -> n > 1);
    assertThat(env.batchSizes).allMatch(n -> n <= 8);
    assertThat(env.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(inputs.size());
  }

  @Test
  void modelGivenAsBlobUriIsCopiedToTheCacheAndLoaded() throws Exception {
    TestEnvironment blobEnv = new TestEnvironment(cache.resolve("blob-cache"));
    blobEnv.blobs.put("s3://models/colour.onnx", Path.of(model("colour.onnx")));
    blobEnv.blobs.put("nats-object://models/colour-labels.txt", Path.of(model("colour-labels.txt")));
    var spec = io.jetmesh.image.model.ModelSpec.parse(
        "remote=s3://models/colour.onnx,labels=nats-object://models/colour-labels.txt,input-size=32");
    try (ModelRegistry reg = ModelRegistry.load(List.of(spec), "cpu", 4, java.time.Duration.ofMillis(1), blobEnv)) {
      assertThat(cache.resolve("blob-cache/models/remote/colour.onnx")).exists();
      ModelRegistry.Served s = reg.get("remote").orElseThrow();
      float[] out = s.batcher().call(s.model().preprocess(TestImages.solid(32, 32, Color.BLUE))).values();
      assertThat(s.model().labels().get(argmax(out))).isEqualTo("blue");
    }
    var missing = io.jetmesh.image.model.ModelSpec.parse("gone=s3://models/gone.onnx,type=embed");
    assertThatThrownBy(() -> ModelRegistry.load(List.of(missing), "cpu", 4, java.time.Duration.ZERO, blobEnv))
        .hasMessageContaining("no such blob: s3://models/gone.onnx");
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void torchScriptModelWithoutThePyTorchEngineFailsAtStartupNamingTheProfile() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeFalse(ai.djl.engine.Engine.hasEngine("PyTorch"),
        "this build has the PyTorch engine (-Ppytorch): TorchScriptInferenceTest covers .pt models");
    var spec = io.jetmesh.image.model.ModelSpec.parse("pt=" + model("colour.pt") + ",labels=" + model("colour-labels.txt")
        + ",input-size=32");
    assertThatThrownBy(() -> ModelRegistry.load(List.of(spec), "auto", 4, java.time.Duration.ZERO, env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model pt").hasMessageContaining("PyTorch engine")
        .hasMessageContaining("-Ppytorch").hasMessageContaining(".onnx");
  }

  @Test
  void gpuThatIsNotThereFailsAtStartup() {
    assertThatThrownBy(() -> io.jetmesh.image.model.Devices.resolve("gpu:1", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sees 1 GPU(s)");
    assertThat(io.jetmesh.image.model.Devices.resolve("auto", 0).isGpu()).isFalse();
    assertThat(io.jetmesh.image.model.Devices.resolve("auto", 2).getDeviceId()).isEqualTo(0);
    assertThat(io.jetmesh.image.model.Devices.resolve("gpu:1", 2).getDeviceId()).isEqualTo(1);
  }

  static float[] vector(JsonNode out) {
    JsonNode v = out.path("vector");
    float[] f = new float[v.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = v.get(i).floatValue();
    }
    return f;
  }

  static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
