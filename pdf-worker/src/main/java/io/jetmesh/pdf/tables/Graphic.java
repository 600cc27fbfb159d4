package io.jetmesh.pdf.tables;

/**
 * A painted vector path that is not a ruling (curves, slanted lines: chart series, pie slices, drawings), as its
 * bounding box (PDF points, top-left origin) and the number of such segments. Tables overlaid on many of these
 * are charts (tick labels and legends align like table columns) and are not reported.
 */
public record Graphic(float x0, float y0, float x1, float y1, int segments) {
  public float centerX() {
    return (x0 + x1) / 2;
  }

  public float centerY() {
    return (y0 + y1) / 2;
  }
}
