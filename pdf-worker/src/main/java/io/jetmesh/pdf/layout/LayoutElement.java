package io.jetmesh.pdf.layout;

/** An element of a page in reading order: a text block, or an anchor standing for a table or picture. */
public sealed interface LayoutElement extends Box permits TextBlock, LayoutElement.Anchor {
  /** A non-text region placed in reading order: {@code kind} table or picture, {@code index} into the page's list. */
  record Anchor(String kind, int index, float x0, float y0, float x1, float y1) implements LayoutElement {}
}
