package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddingModelTest {
  static EmbeddingModel model;

  @BeforeAll
  static void load() throws Exception {
    model = TestModels.model();
  }

  @Test
  void relatedSentencesScoreClearlyHigherThanUnrelatedOnes() {
    float[][] v = model.forward(List.of(model.encode("A cat sits on the mat"),
        model.encode("A kitten is sitting on a rug"), model.encode("Stock markets fell sharply")));
    double related = dot(v[0], v[1]);
    double unrelated = dot(v[0], v[2]);
    assertThat(v[0]).hasSize(384);
    assertThat(related).isGreaterThan(0.5);
    assertThat(unrelated).isLessThan(0.2);
    assertThat(related - unrelated).isGreaterThan(0.3);
  }

  /**
   * The int8 model quantises activations dynamically with one scale per batch tensor, so a text's vector depends a
   * little on its batch-mates (measured: cos 0.98-0.99 to the vector computed alone). Padding itself is masked out.
   */
  @Test
  void vectorsAreUnitLengthAndStayCloseWhenBatchedWithLongerTexts() {
    float[][] alone = model.forward(List.of(model.encode("short")));
    float[][] padded = model.forward(List.of(model.encode("short"),
        model.encode("a considerably longer sentence that forces padding of the short one in the batch")));
    assertThat(dot(alone[0], alone[0])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(dot(alone[0], padded[0])).isGreaterThan(0.97);
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void largeBatchesSplitAcrossCoresKeepInputOrder() {
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      texts.add(i % 3 == 0 ? "A cat sits on the mat" : i % 3 == 1 ? "Stock markets fell sharply today after the news"
          : "The weather is sunny");
    }
    float[][] batch = model.forward(texts.stream().map(model::encode).toList());
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = model.forward(List.of(model.encode(texts.get(i))))[0];
      assertThat(dot(alone, batch[i])).as("text %d", i).isGreaterThan(0.97);
    }
  }
}
