package io.jetmesh.pdf.layout;

/**
 * One shown character in display space (points, top-left origin, as the page is viewed after /Rotate).
 * {@code fx}/{@code fy} are the baseline origin in the glyph's reading frame (display space rotated so that the text
 * runs left to right), which is what line and word grouping compare; the box is the glyph's display-space box.
 */
record Glyph(String text, float x0, float y0, float x1, float y1, float fx0, float fx1, float fy, float fontSize,
             int dir, FontInfo font) {
  boolean isSpace() {
    return text.length() == 1 && Character.isWhitespace(text.charAt(0)) || "\u00a0".equals(text);
  }
}
