package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Finds tables on one page from its words and rulings: ruled tables from the grid their lines form
 * (lattice), then unruled tables from whitespace-aligned word columns (stream) among the words outside the
 * ruled tables. Text read sideways (a rotated page, a table printed sideways) is searched in its own reading frame
 * ({@link ReadingFrame}), so its rows follow its lines. Thread-safe and stateless.
 *
 * <p>Cost: O(n log n) in words and rulings for ordinary pages, once more per other reading direction present; pages with more than
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
    int[] dirChars = new int[4];
    for (PageWord w : page.words()) {
      if (!w.text().isBlank() && w.x1() >= w.x0() && w.y1() >= w.y0()) {
        words.add(w);
        dirChars[w.dir() / 90] += w.text().length();
      }
    }
    List<Table> tables = new ArrayList<>();
    // one pass per reading direction present: upright text in display space, sideways text (rotated pages, tables
    // printed sideways) in its own reading frame, so that rows follow its text lines
    for (int d = 0; d < 4; d++) {
      if (dirChars[d] == 0) {
        continue;
      }
      if (d == 0) {
        tables.addAll(detect(page.pageNo(), page.width(), page.height(), words, page.rulings(), 0));
      } else {
        ReadingFrame f = new ReadingFrame(d * 90, page.width(), page.height());
        List<Table> found = detect(page.pageNo(), f.width(), f.height(), f.words(words), f.rulings(page.rulings()),
            d * 90);
        for (Table t : found) {
          Table shown = f.toDisplay(t);
          if (!overlapsAny(shown, tables)) {
            tables.add(shown);
          }
        }
      }
    }
    if (!page.graphics().isEmpty()) {
      tables.removeIf(t -> isChart(t, page.graphics()));
    }
    tables.sort(Comparator.comparingDouble(Table::y0).thenComparingDouble(Table::x0));
    return tables;
  }

  /**
   * Tables of one reading direction {@code dir}, in a frame where that direction runs left to right: ruled grids
   * whose text mostly reads in {@code dir}, then unruled tables among the words of that direction outside them.
   */
  private List<Table> detect(int pageNo, float width, float height, List<PageWord> words, List<Ruling> rulingList,
                             int dir) {
    RulingSet rulings = RulingSet.of(rulingList, width, height);
    List<Table> tables = withoutNested(LatticeDetector.detect(pageNo, rulings, words, dir));
    if (words.size() <= MAX_WORDS) {
      List<PageWord> rest = new ArrayList<>();
      for (PageWord w : outside(words, tables)) {
        if (w.dir() == dir) {
          rest.add(w);
        }
      }
      tables.addAll(new StreamDetector(pageNo, width).detect(rest));
    }
    return tables;
  }

  /**
   * A ruled table drawn inside a cell of another (a nested table) is part of that cell: the outer cell's text holds
   * the inner table's text row by row, as docling exports nested tables, and the inner table is not reported again
   * (its text would appear twice).
   */
  static List<Table> withoutNested(List<Table> tables) {
    if (tables.size() < 2) {
      return new ArrayList<>(tables);
    }
    List<Table> out = new ArrayList<>(tables.size());
    for (Table t : tables) {
      boolean nested = false;
      for (Table o : tables) {
        if (o != t && o.x0() <= t.x0() + 1 && o.y0() <= t.y0() + 1 && o.x1() >= t.x1() - 1 && o.y1() >= t.y1() - 1
            && (o.x1() - o.x0()) * (o.y1() - o.y0()) > (t.x1() - t.x0()) * (t.y1() - t.y0())) {
          nested = true;
          break;
        }
      }
      if (!nested) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean overlapsAny(Table t, List<Table> tables) {
    for (Table o : tables) {
      float ow = Math.min(t.x1(), o.x1()) - Math.max(t.x0(), o.x0());
      float oh = Math.min(t.y1(), o.y1()) - Math.max(t.y0(), o.y0());
      if (ow > 0 && oh > 0) {
        return true;
      }
    }
    return false;
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
