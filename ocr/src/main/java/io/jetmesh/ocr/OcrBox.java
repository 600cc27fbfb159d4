package io.jetmesh.ocr;

/** An axis-aligned box in image pixels, origin top-left. */
public record OcrBox(int x, int y, int width, int height) {
  public int right() {
    return x + width;
  }

  public int bottom() {
    return y + height;
  }
}
