package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.layout.TextBlock;

/**
 * A paragraph as the document builder keeps it for every page: text, box (display space, points, top-left origin)
 * and style, without per-word data, so a 1,000-page document stays small in memory.
 */
public record Para(String text, float x0, float y0, float x1, float y1, float fontSize, float boldFraction,
                   float italicFraction, float monoFraction, float mathFraction, int lineCount, boolean rtl) {
  public static Para of(TextBlock b) {
    return new Para(b.text(), b.x0(), b.y0(), b.x1(), b.y1(), b.fontSize(), b.boldFraction(), b.italicFraction(), b.monoFraction(),
        b.mathFraction(), b.lines().size(), b.rtl());
  }
}
