package io.jetmesh.ocr;

import java.util.List;

/** One text line: its words in reading order, its box and mean confidence. */
public record OcrLine(String text, OcrBox box, float confidence, List<OcrWord> words) {
  public OcrLine {
    words = List.copyOf(words);
  }
}
