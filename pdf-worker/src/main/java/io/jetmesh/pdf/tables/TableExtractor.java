package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Finds tables on one page from its words and rulings: ruled tables from the grid their lines form
 * (lattice), then unruled tables from whitespace-aligned word columns (stream) in the remaining text.
 * Thread-safe and stateless.
 */
public final class TableExtractor {
  private final TableSettings settings;

  public TableExtractor(TableSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  public TableSettings settings() {
    return settings;
  }

  /**
   * Tables on one page. words: the page's words (text + box in PDF user space, top-left origin, points).
   * rulings: line segments drawn on the page.
   */
  public List<Table> extract(PageContent page) {
    Objects.requireNonNull(page, "page == null");
    // Implementation lands in the following commits (lattice + stream detectors).
    return new ArrayList<>();
  }
}
