package io.jetmesh.pdf.tables;

import java.util.List;
import java.util.Objects;

/**
 * What the table extractor sees of one page: its words and its drawn line segments.
 * All coordinates are PDF points with the origin at the TOP-LEFT of the page (y grows downward).
 *
 * @param pageNo  1-based page number
 * @param width   page width in points (after rotation, as displayed)
 * @param height  page height in points
 * @param words   the words of the page, any order
 * @param rulings  horizontal and vertical line segments (strokes and thin filled rectangles)
 * @param graphics other painted vector paths (curves, slanted lines), used to recognise charts; may be empty
 */
public record PageContent(int pageNo, float width, float height, List<PageWord> words, List<Ruling> rulings,
                          List<Graphic> graphics) {
  public PageContent {
    if (pageNo < 1) {
      throw new IllegalArgumentException("pageNo < 1: " + pageNo);
    }
    words = List.copyOf(Objects.requireNonNull(words, "words == null"));
    rulings = List.copyOf(Objects.requireNonNull(rulings, "rulings == null"));
    graphics = List.copyOf(Objects.requireNonNull(graphics, "graphics == null"));
  }

  /** A page without chart information (no {@link Graphic}s). */
  public PageContent(int pageNo, float width, float height, List<PageWord> words, List<Ruling> rulings) {
    this(pageNo, width, height, words, rulings, List.of());
  }
}
