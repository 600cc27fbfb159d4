package io.jetmesh.pdf.tables;

import java.util.Objects;

/**
 * One word on a page with its box (PDF points, top-left origin), font size in points, whether the font is bold,
 * and the font's base name (may be empty).
 */
public record PageWord(String text, float x0, float y0, float x1, float y1, float fontSize, boolean bold,
                       String fontName) {
  public PageWord {
    Objects.requireNonNull(text, "text == null");
    if (fontName == null) {
      fontName = "";
    }
  }

  public float width() {
    return x1 - x0;
  }

  public float height() {
    return y1 - y0;
  }

  public float centerX() {
    return (x0 + x1) / 2f;
  }

  public float centerY() {
    return (y0 + y1) / 2f;
  }
}
