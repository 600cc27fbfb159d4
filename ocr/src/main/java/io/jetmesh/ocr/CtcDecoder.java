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

  /** One decoded character: its text, probability and the first and last time step of its run. */
  record Char(String text, float prob, int step, int end) {
    float center() {
      return (step + end) / 2f;
    }
  }

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
        chars.add(new Char(classes[best], bp, t, t));
      } else if (best != 0 && best == prev && !chars.isEmpty()) {
        Char last = chars.get(chars.size() - 1);
        chars.set(chars.size() - 1, new Char(last.text(), Math.max(last.prob(), bp), last.step(), t));
      }
      prev = best;
    }
    return chars;
  }

  /**
   * Restores word spaces the model left out. The Chinese-trained PP-OCR recogniser often drops the space between
   * Latin words in small or tightly set print ("TOTALSALES"), but the characters' time steps still show the gap: a
   * character pitch well above the line's median pitch is a word boundary.
   */
  static List<Char> restoreSpaces(List<Char> chars, float factor) {
    if (chars.size() < 3) {
      return chars;
    }
    List<Float> pitches = new ArrayList<>();
    for (int i = 1; i < chars.size(); i++) {
      if (!chars.get(i).text().isBlank() && !chars.get(i - 1).text().isBlank()) {
        pitches.add(chars.get(i).center() - chars.get(i - 1).center());
      }
    }
    if (pitches.size() < 2) {
      return chars;
    }
    pitches.sort(null);
    float median = pitches.get(pitches.size() / 2);
    List<Char> out = new ArrayList<>(chars.size() + 4);
    out.add(chars.get(0));
    for (int i = 1; i < chars.size(); i++) {
      Char prev = chars.get(i - 1);
      Char cur = chars.get(i);
      if (!cur.text().isBlank() && !prev.text().isBlank()
          && cur.center() - prev.center() > Math.max(factor * median, median + 1.5f)) {
        out.add(new Char(" ", Math.min(prev.prob(), cur.prob()), prev.end() + 1, cur.step() - 1));
      }
      out.add(cur);
    }
    return out;
  }
}
