package io.jetmesh.pdf.layout;

import org.apache.pdfbox.pdmodel.graphics.image.PDImage;

/**
 * An image drawn on a page: its display-space box (points, top-left origin) and its size in pixels as declared by the
 * image dictionary (read without decoding, so an image claiming 100000x100000 pixels costs nothing here).
 */
public record PageImage(float x0, float y0, float x1, float y1, int pixelWidth, int pixelHeight, PDImage image) {
  public long pixels() {
    return (long) pixelWidth * (long) pixelHeight;
  }

  public float area() {
    return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  }
}
