package io.jetmesh.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {
  private final CtcDecoder ctc = new CtcDecoder(List.of("A", "B", "C"));  // classes: blank A B C space

  @Test
  void mergesRepeatsAndDropsBlanks() {
    // steps: A A blank A B space space C
    int[] best = {1, 1, 0, 1, 2, 4, 4, 3};
    List<CtcDecoder.Char> chars = ctc.decode(oneHot(best), 0, best.length, 5, best.length);

    assertThat(text(chars)).isEqualTo("AAB C");
    assertThat(chars.get(0).step()).isZero();
    assertThat(chars.get(0).end()).isEqualTo(1);
  }

  @Test
  void ignoresPaddingSteps() {
    int[] best = {1, 0, 2, 0, 3, 3};
    assertThat(text(ctc.decode(oneHot(best), 0, best.length, 5, 3))).isEqualTo("AB");
  }

  @Test
  void restoresADroppedWordSpaceFromTheCharacterPitch() {
    // pitch 3 steps inside words, 7 steps across the word boundary
    List<CtcDecoder.Char> chars = List.of(c("A", 0), c("B", 3), c("C", 6), c("A", 13), c("B", 16), c("C", 19));

    assertThat(text(CtcDecoder.restoreSpaces(chars, 1.6f))).isEqualTo("ABC ABC");
  }

  @Test
  void leavesEvenlySpacedTextAlone() {
    List<CtcDecoder.Char> chars = List.of(c("A", 0), c("B", 3), c("C", 7), c("A", 10), c("B", 13), c("C", 17));

    assertThat(text(CtcDecoder.restoreSpaces(chars, 1.6f))).isEqualTo("ABCABC");
  }

  private static CtcDecoder.Char c(String t, int step) {
    return new CtcDecoder.Char(t, 0.9f, step, step);
  }

  private static String text(List<CtcDecoder.Char> chars) {
    return chars.stream().map(CtcDecoder.Char::text).collect(Collectors.joining());
  }

  private static float[] oneHot(int[] best) {
    float[] out = new float[best.length * 5];
    for (int t = 0; t < best.length; t++) {
      out[t * 5 + best[t]] = 0.9f;
    }
    return out;
  }
}
