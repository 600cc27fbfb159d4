package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.image.model.ModelSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ImageWorkerOptionsTest {
  @Test
  void commandLineOverridesEnvironmentWhichOverridesDefaults() {
    ImageWorkerOptions opts = new ImageWorkerOptions(Map.of("JETMESH_IMAGE_DEVICE", "cpu",
        "JETMESH_IMAGE_MODELS", "a=/m/a.pt,labels=/m/a.txt; b=/m/b.onnx", "JETMESH_IMAGE_MAX_BATCH", "4"));
    assertThat(opts.device()).isEqualTo("cpu");
    assertThat(opts.models()).containsExactly("a=/m/a.pt,labels=/m/a.txt", "b=/m/b.onnx");
    assertThat(opts.maxBatch()).isEqualTo(4);
    assertThat(opts.batchWait()).isEqualTo(Duration.ofMillis(5));
    new CommandLine(opts).parseArgs("--device", "gpu:1", "--max-pixels", "1000", "--batch-wait", "2ms",
        "--ocr-engine", "paddle", "--model", "c=s3://models/c.pt,type=classify,labels=s3://models/c.txt");
    assertThat(opts.device()).isEqualTo("gpu:1");
    assertThat(opts.limits().maxPixels()).isEqualTo(1000);
    assertThat(opts.batchWait()).isEqualTo(Duration.ofMillis(2));
    assertThat(opts.ocrEngine()).isEqualTo("paddle");
    assertThat(opts.models()).contains("c=s3://models/c.pt,type=classify,labels=s3://models/c.txt");
  }

  @Test
  void modelSpecDefaultsFromExtensionAndLabels() {
    ModelSpec onnx = ModelSpec.parse("emb=/m/e.onnx");
    assertThat(onnx.engine()).isEqualTo("OnnxRuntime");
    assertThat(onnx.type()).isEqualTo(ModelSpec.Type.EMBED);
    assertThat(onnx.inputSize()).isEqualTo(224);
    ModelSpec pt = ModelSpec.parse("cls=/m/c.pt,labels=/m/l.txt,input-size=32,mean=0.5:0.5:0.5,std=0.25:0.25:0.25,version=7");
    assertThat(pt.engine()).isEqualTo("PyTorch");
    assertThat(pt.type()).isEqualTo(ModelSpec.Type.CLASSIFY);
    assertThat(pt.mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(pt.version()).isEqualTo("7");
  }

  @Test
  void badModelSpecsNameTheProblem() {
    assertThatThrownBy(() -> ModelSpec.parse("/m/c.pt")).hasMessageContaining("name=PATH_OR_URI");
    assertThatThrownBy(() -> ModelSpec.parse("c=/m/c.pt,type=classify")).hasMessageContaining("needs labels");
    assertThatThrownBy(() -> ModelSpec.parse("c=/m/c.pt,colour=red")).hasMessageContaining("unknown key 'colour'");
    assertThatThrownBy(() -> ModelSpec.parse("c=/m/c.pt,mean=1:2")).hasMessageContaining("3 values");
    assertThatThrownBy(() -> ModelSpec.parse("c=/m/c.pt,engine=TensorFlow")).hasMessageContaining("PyTorch or OnnxRuntime");
  }

  @Test
  void badDurationsAreRejected() {
    assertThatThrownBy(() -> new ImageWorkerOptions(Map.of()).batchWait("soon").batchWait())
        .hasMessageContaining("--batch-wait");
  }
}
