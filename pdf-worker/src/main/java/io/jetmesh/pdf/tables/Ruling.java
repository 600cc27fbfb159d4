package io.jetmesh.pdf.tables;

/**
 * A line segment drawn on the page (PDF points, top-left origin). Only (near) horizontal and vertical
 * segments matter for tables; {@link #isHorizontal()} and {@link #isVertical()} classify them.
 */
public record Ruling(float x0, float y0, float x1, float y1) {

  /** Degrees of slant (as |dy|/|dx| or |dx|/|dy|) still treated as axis-aligned. */
  private static final float SLANT = 0.02f;

  public boolean isHorizontal() {
    float dx = Math.abs(x1 - x0);
    return dx > 0 && Math.abs(y1 - y0) <= dx * SLANT;
  }

  public boolean isVertical() {
    float dy = Math.abs(y1 - y0);
    return dy > 0 && Math.abs(x1 - x0) <= dy * SLANT;
  }

  public float length() {
    return (float) Math.hypot(x1 - x0, y1 - y0);
  }

  public float left() {
    return Math.min(x0, x1);
  }

  public float right() {
    return Math.max(x0, x1);
  }

  public float top() {
    return Math.min(y0, y1);
  }

  public float bottom() {
    return Math.max(y0, y1);
  }
}
