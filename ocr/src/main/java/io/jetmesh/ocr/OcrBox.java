package io.jetmesh.ocr;

import java.util.Collection;

/** An axis-aligned box in image pixels, origin top-left. */
public record OcrBox(int x, int y, int width, int height) {
  public int right() {
    return x + width;
  }

  public int bottom() {
    return y + height;
  }

  /** The smallest box containing all {@code boxes} (an empty box at the origin when there are none). */
  public static OcrBox union(Collection<OcrBox> boxes) {
    if (boxes.isEmpty()) {
      return new OcrBox(0, 0, 0, 0);
    }
    int x0 = Integer.MAX_VALUE;
    int y0 = Integer.MAX_VALUE;
    int x1 = Integer.MIN_VALUE;
    int y1 = Integer.MIN_VALUE;
    for (OcrBox b : boxes) {
      x0 = Math.min(x0, b.x);
      y0 = Math.min(y0, b.y);
      x1 = Math.max(x1, b.right());
      y1 = Math.max(y1, b.bottom());
    }
    return new OcrBox(x0, y0, x1 - x0, y1 - y0);
  }

  /**
   * This box (in the upright image of size {@code uprightWidth} x {@code uprightHeight}) expressed in the input
   * image's coordinates, given that the input was turned clockwise by {@code rotation} degrees to make it upright.
   */
  public OcrBox unrotate(int rotation, int uprightWidth, int uprightHeight) {
    return switch (rotation) {
      case 0 -> this;
      // upright = input turned 180: undo by turning 180 again
      case 180 -> new OcrBox(uprightWidth - right(), uprightHeight - bottom(), width, height);
      // upright = input turned 90 clockwise: input point = upright turned 90 counter-clockwise, (x,y) -> (y, W-x)
      case 90 -> new OcrBox(y, uprightWidth - right(), height, width);
      // upright = input turned 270 clockwise: input point = upright turned 90 clockwise, (x,y) -> (H-y, x)
      case 270 -> new OcrBox(uprightHeight - bottom(), x, height, width);
      default -> throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + rotation);
    };
  }
}
