package io.jetmesh.pdf.layout;

import java.util.List;

/** A line of words in reading order, with its logical text (bidi applied) and dominant style. */
public record Line(List<Word> words, String text, float x0, float y0, float x1, float y1, float fx0, float fx1,
                   float fy, float fontSize, float boldFraction, float italicFraction, float monoFraction, float mathFraction, int dir) implements Box {}
