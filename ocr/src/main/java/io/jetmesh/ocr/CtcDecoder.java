package io.jetmesh.ocr;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy CTC decoding of a PP-OCR recognition output ({@code [T, C]} per line, softmax already applied by the
 * model): best class per time step, repeats merged, blanks (class 0) dropped. Class {@code i >= 1} is
 * {@code dictionary[i - 1]}, and the class after the dictionary is the space ({@code use_space_char}).
 */
final class CtcDecoder {
  private final String[] classes;

  CtcDecoder(List<String> dictionary) {
    classes = new String[dictionary.size() + 2];
    classes[0] = "";
    for (int i = 0; i < dictionary.size(); i++) {
      classes[i + 1] = dictionary.get(i);
    }
    classes[classes.length - 1] = " ";
  }

  int classCount() {
    return classes.length;
  }

  /** One decoded character: its text, probability and time step. */
  record Char(String text, float prob, int step) {}

  /** Decodes line {@code n} of a {@code [N, T, C]} output, reading only the first {@code usedSteps} steps. */
  List<Char> decode(float[] out, int n, int steps, int numClasses, int usedSteps) {
    List<Char> chars = new ArrayList<>();
    int prev = -1;
    int base = n * steps * numClasses;
    for (int t = 0; t < Math.min(steps, usedSteps); t++) {
      int off = base + t * numClasses;
      int best = 0;
      float bp = out[off];
      for (int c = 1; c < numClasses; c++) {
        if (out[off + c] > bp) {
          bp = out[off + c];
          best = c;
        }
      }
      if (best != 0 && best != prev && best < classes.length) {
        chars.add(new Char(classes[best], bp, t));
      }
      prev = best;
    }
    return chars;
  }
}
