package io.jetmesh.pdf.tables;

import java.util.Objects;

/**
 * One word on a page with its box (PDF points, top-left origin of the displayed page), font size in points, whether
 * the font is bold, the font's base name (may be empty), and its reading direction on the displayed page: 0 (left to
 * right), 90 (top to bottom), 180 (upside down) or 270 (bottom to top), as text on a rotated page or a table printed
 * sideways has.
 */
public record PageWord(String text, float x0, float y0, float x1, float y1, float fontSize, boolean bold,
                       String fontName, int dir) {
  public PageWord {
    Objects.requireNonNull(text, "text == null");
    if (fontName == null) {
      fontName = "";
    }
    if (dir != 0 && dir != 90 && dir != 180 && dir != 270) {
      throw new IllegalArgumentException("dir must be 0, 90, 180 or 270: " + dir);
    }
  }

  /** An upright word (reading left to right on the displayed page). */
  public PageWord(String text, float x0, float y0, float x1, float y1, float fontSize, boolean bold,
                  String fontName) {
    this(text, x0, y0, x1, y1, fontSize, bold, fontName, 0);
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
