package io.jetmesh.pdf.layout;

/**
 * Anything the layout places on a page by its box (display space, points, top-left origin): words, lines, and the
 * elements of the reading order. Sealed so the layout steps can tell them apart exhaustively.
 */
public sealed interface Box permits Word, Line, LayoutElement {
  float x0();

  float y0();

  float x1();

  float y1();
}
