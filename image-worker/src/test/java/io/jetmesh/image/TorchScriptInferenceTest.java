package io.jetmesh.image;

import static io.jetmesh.image.ModelInferenceTest.dot;
import static io.jetmesh.image.ModelInferenceTest.model;
import static io.jetmesh.image.ModelInferenceTest.vector;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.image.model.ImageModel;
import io.jetmesh.image.model.ModelRegistry;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TorchScript path: the project's tiny models as {@code .pt} through DJL's PyTorch engine, which only the
 * opt-in {@code -Ppytorch} build has. Without it every test here is skipped with a message; under the profile
 * ({@code jetmesh.pytorch.required=true}) a missing engine fails instead. The PyTorch and ONNX exports of one model
 * must agree.
 */
class TorchScriptInferenceTest {
  @TempDir static Path cache;
  static ImageWorkerModule module;
  static TestEnvironment env;

  @BeforeAll
  static void loadModels() throws Exception {
    if (!Engine.hasEngine("PyTorch")) {
      if (Boolean.getBoolean("jetmesh.pytorch.required")) {
        throw new IllegalStateException("-Ppytorch is active but DJL finds no PyTorch engine on the classpath");
      }
      Assumptions.abort("the PyTorch engine is an opt-in build: run `mvn -Ppytorch -pl image-worker -am test "
          + "-Dtest=TorchScriptInferenceTest -Dsurefire.failIfNoSpecifiedTests=false` to test TorchScript models");
    }
    String labels = model("colour-labels.txt");
    ImageWorkerOptions opts = new ImageWorkerOptions(Map.of())
        .device("auto").maxBatch(8).batchWait("20ms")
        .addModel("colour=" + model("colour.pt") + ",type=classify,input-size=32,labels=" + labels + ",version=3")
        .addModel("colour-onnx=" + model("colour.onnx") + ",input-size=32,labels=" + labels)
        .addModel("embed=" + model("embed.pt") + ",type=embed,input-size=32")
        .addModel("embed-onnx=" + model("embed.onnx") + ",type=embed,input-size=32");
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
  void serviceMetadataNamesBothEnginesModels() {
    assertThat(module.serviceMetadata().get("models"))
        .contains("colour@3 on cpu", "colour-onnx@1 on cpu", "embed@1 on cpu", "embed-onnx@1 on cpu");
  }

  @Test
  void torchScriptClassifierNamesThePrimaryColour() {
    assertThat(run("classify", png(Color.RED), "{\"model\":\"colour\"}").path("labels").get(0).path("label").asText())
        .isEqualTo("red");
    assertThat(run("classify", png(new Color(20, 200, 30)), "{}").path("labels").get(0).path("label").asText())
        .isEqualTo("green");
    JsonNode blue = run("classify", png(Color.BLUE), "{\"top_k\":2}");
    assertThat(blue.path("labels")).hasSize(2);
    assertThat(blue.path("labels").get(0).path("label").asText()).isEqualTo("blue");
    assertThat(blue.path("labels").get(0).path("score").asDouble()).isGreaterThan(0.9);
    assertThat(blue.path("version").asText()).isEqualTo("3");
  }

  @Test
  void onnxClassifierAgreesWithTorchScript() {
    for (Color c : new Color[] {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE}) {
      JsonNode pt = run("classify", png(c), "{\"model\":\"colour\"}");
      JsonNode onnx = run("classify", png(c), "{\"model\":\"colour-onnx\"}");
      assertThat(onnx.path("labels").get(0).path("label").asText()).isEqualTo(pt.path("labels").get(0).path("label").asText());
      assertThat(onnx.path("labels").get(0).path("score").asDouble())
          .isCloseTo(pt.path("labels").get(0).path("score").asDouble(), Offset.offset(1e-4));
    }
  }

  @Test
  void torchScriptEmbeddingsAreUnitLengthAndMatchTheOnnxExport() {
    float[] red = vector(run("embed", png(Color.RED), "{\"model\":\"embed\"}"));
    float[] red2 = vector(run("embed", png(new Color(235, 15, 10)), "{\"model\":\"embed\"}"));
    float[] blue = vector(run("embed", png(Color.BLUE), "{\"model\":\"embed\"}"));
    float[] redOnnx = vector(run("embed", png(Color.RED), "{\"model\":\"embed-onnx\"}"));
    assertThat(red).hasSize(16);
    assertThat(dot(red, red)).isCloseTo(1f, Offset.offset(1e-4f));
    assertThat(dot(red, red2)).isGreaterThan(dot(red, blue));
    assertThat(redOnnx).containsExactly(red, Offset.offset(1e-4f));
  }

  @Test
  void concurrentTorchScriptJobsAreBatchedAndGetTheSameResultsAsAlone() throws Exception {
    ModelRegistry.Served served = module.models().get("colour").orElseThrow();
    ImageModel model = served.model();
    List<float[]> inputs = new ArrayList<>();
    for (Color c : new Color[] {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE, Color.CYAN, Color.MAGENTA}) {
      inputs.add(model.preprocess(TestImages.solid(50, 40, c)));
    }
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
        assertThat(futures.get(i).get().values()).containsExactly(alone.get(i), Offset.offset(1e-5f));
      }
    } finally {
      pool.shutdown();
    }
    assertThat(env.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(inputs.size());
  }
}
