package io.jetmesh.pdf.layout;

/**
 * A word: glyphs on one baseline with no gap wider than a space. Text is in visual (left-to-right) order; right-to-left
 * scripts are put in logical order per line by {@link LayoutAnalyzer}. Box in display space (points, top-left origin);
 * {@code fx0/fx1/fy} in the word's reading frame.
 */
public record Word(String text, float x0, float y0, float x1, float y1, float fx0, float fx1, float fy,
                   float fontSize, int dir, boolean bold, boolean italic, boolean mono, boolean math, boolean rtl,
                   String fontName) implements Box {
  float height() {
    return y1 - y0;
  }
}
