package io.jetmesh.pdf.layout;

import java.util.List;

/**
 * A paragraph-like run of lines in reading order (one docling text item before labelling). {@code text} joins the
 * lines with spaces, de-hyphenates line ends and is NFKC-normalised.
 */
public record TextBlock(List<Line> lines, String text, float x0, float y0, float x1, float y1, float fontSize,
                        float boldFraction, float italicFraction, float monoFraction, float mathFraction, boolean rtl)
    implements LayoutElement {
  public int charCount() {
    return text.length();
  }
}
