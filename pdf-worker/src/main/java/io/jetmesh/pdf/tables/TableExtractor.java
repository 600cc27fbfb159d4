package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Finds tables on one page from its words and rulings: ruled tables from the grid their lines form
 * (lattice), then unruled tables from whitespace-aligned word columns (stream) among the words outside the
 * ruled tables. Thread-safe and stateless.
 *
 * <p>Cost: O(n log n) in words and rulings for ordinary pages; pages with more than
 * {@link #MAX_WORDS} words or {@link LatticeDetector#MAX_RULINGS} merged rulings skip the respective pass
 * (such pages are maps, drawings or dense listings, not tables we can structure reliably).
 */
public final class TableExtractor {
  /** Above this many words a page is not searched for unruled tables. */
  public static final int MAX_WORDS = 20_000;
  /** Slanted or curved segments inside a table's box from which it is taken for a chart. */
  static final int CHART_SEGMENTS = 12;

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
    List<PageWord> words = new ArrayList<>(page.words().size());
    for (PageWord w : page.words()) {
      if (!w.text().isBlank() && w.x1() >= w.x0() && w.y1() >= w.y0()) {
        words.add(w);
      }
    }
    RulingSet rulings = RulingSet.of(page.rulings(), page.width(), page.height());
    List<Table> tables = new ArrayList<>(LatticeDetector.detect(page.pageNo(), rulings, words));
    if (words.size() <= MAX_WORDS) {
      List<PageWord> rest = outside(words, tables);
      tables.addAll(new StreamDetector(page.pageNo(), page.width()).detect(rest));
    }
    if (!page.graphics().isEmpty()) {
      tables.removeIf(t -> isChart(t, page.graphics()));
    }
    tables.sort(Comparator.comparingDouble(Table::y0).thenComparingDouble(Table::x0));
    return tables;
  }

  /** Chart series drawn over the table's area: its "columns" are tick labels and legend entries. */
  static boolean isChart(Table t, List<Graphic> graphics) {
    int segments = 0;
    for (Graphic g : graphics) {
      if (g.centerX() >= t.x0() && g.centerX() <= t.x1() && g.centerY() >= t.y0() && g.centerY() <= t.y1()) {
        segments += g.segments();
        if (segments >= CHART_SEGMENTS) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<PageWord> outside(List<PageWord> words, List<Table> tables) {
    if (tables.isEmpty()) {
      return words;
    }
    List<PageWord> rest = new ArrayList<>(words.size());
    for (PageWord w : words) {
      boolean in = false;
      for (Table t : tables) {
        if (w.centerX() >= t.x0() && w.centerX() <= t.x1() && w.centerY() >= t.y0() && w.centerY() <= t.y1()) {
          in = true;
          break;
        }
      }
      if (!in) {
        rest.add(w);
      }
    }
    return rest;
  }
}
