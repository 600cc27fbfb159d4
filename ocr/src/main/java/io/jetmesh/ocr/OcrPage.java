package io.jetmesh.ocr;

import java.util.List;

/**
 * The recognised content of one image.
 *
 * @param width width of the (upright) image the boxes refer to
 * @param height height of the (upright) image the boxes refer to
 * @param rotation clockwise degrees (0, 90, 180, 270) the input was rotated by to make it upright
 * @param lines text lines in reading order
 * @param text the whole text, lines joined by newlines, blocks by blank lines
 * @param confidence mean word confidence in [0, 1]
 */
public record OcrPage(int width, int height, int rotation, List<OcrLine> lines, String text, float confidence) {
  public OcrPage {
    lines = List.copyOf(lines);
  }

  public List<OcrWord> words() {
    return lines.stream().flatMap(l -> l.words().stream()).toList();
  }
}
