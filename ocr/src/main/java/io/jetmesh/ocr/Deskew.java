package io.jetmesh.ocr;

import com.recognition.software.jdeskew.ImageDeskew;
import java.awt.image.BufferedImage;

/** Small-skew estimation (tess4j's Hough-transform {@link ImageDeskew}, pure Java) on a reduced copy. */
final class Deskew {
  /** Skews beyond this are not "small" and are left to orientation detection or the layout analysis. */
  static final double MAX_DEGREES = 15;

  private Deskew() {}

  /** Estimated skew in degrees (positive = text rises to the right... as measured by ImageDeskew), 0 if unsure. */
  static double angle(BufferedImage gray) {
    BufferedImage img = gray;
    int side = Math.max(gray.getWidth(), gray.getHeight());
    if (side > 1600) { // Hough cost grows with pixels; 1600 px keeps 0.1-degree resolution on text lines
      img = ImageOps.scale(gray, 1600.0 / side);
    }
    double a = new ImageDeskew(img).getSkewAngle();
    return Double.isFinite(a) && Math.abs(a) <= MAX_DEGREES ? a : 0;
  }
}
