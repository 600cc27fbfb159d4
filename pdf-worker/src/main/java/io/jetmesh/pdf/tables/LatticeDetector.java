package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ruled tables: connected groups of horizontal and vertical rulings form a grid; grid units not separated by a
 * ruling are merged into spanning cells; words are assigned to cells by their centre.
 */
final class LatticeDetector {
  /** Tolerance (points) for a ruling end to touch another ruling. */
  static final float TOUCH = 3f;
  /** Grid lines closer than this (points) are one line (double rules). */
  static final float GRID_SNAP = 3.5f;
  /** A separator must cover this fraction of a grid unit's side. */
  static final float COVER = 0.6f;
  /** Above this many merged rulings a page is vector art, not tables: skip the lattice pass. */
  static final int MAX_RULINGS = 4000;
  /** Grids with more units than this are not tables we can structure (bounds the per-grid work). */
  static final int MAX_UNITS = 10_000;

  private LatticeDetector() {
  }

  /** Ruled tables whose text mostly reads in direction {@code dir} (see {@link PageWord#dir()}). */
  static List<Table> detect(int pageNo, RulingSet rs, List<PageWord> words, int dir) {
    List<Ruling> hs = rs.horizontals;
    List<Ruling> vs = rs.verticals;
    List<Table> out = new ArrayList<>();
    if (hs.size() < 2 || vs.size() < 2 || hs.size() + vs.size() > MAX_RULINGS) {
      return out;
    }
    int n = hs.size() + vs.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    // verticals sorted by x (RulingSet sorts by position) -> binary search the x window of each horizontal
    float[] vx = new float[vs.size()];
    for (int i = 0; i < vx.length; i++) {
      vx[i] = vs.get(i).x0();
    }
    for (int i = 0; i < hs.size(); i++) {
      Ruling h = hs.get(i);
      int from = lowerBound(vx, h.left() - TOUCH);
      for (int j = from; j < vx.length && vx[j] <= h.right() + TOUCH; j++) {
        Ruling v = vs.get(j);
        if (h.y0() >= v.top() - TOUCH && h.y0() <= v.bottom() + TOUCH) {
          union(parent, i, hs.size() + j);
        }
      }
    }
    List<List<Integer>> groups = new ArrayList<>();
    int[] groupOf = new int[n];
    java.util.Arrays.fill(groupOf, -1);
    for (int i = 0; i < n; i++) {
      int root = find(parent, i);
      if (groupOf[root] < 0) {
        groupOf[root] = groups.size();
        groups.add(new ArrayList<>());
      }
      groups.get(groupOf[root]).add(i);
    }
    WordIndex index = null;
    for (List<Integer> g : groups) {
      List<Ruling> gh = new ArrayList<>();
      List<Ruling> gv = new ArrayList<>();
      for (int i : g) {
        if (i < hs.size()) {
          gh.add(hs.get(i));
        } else {
          gv.add(vs.get(i - hs.size()));
        }
      }
      if (gh.size() >= 2 && gv.size() >= 2) {
        if (index == null) {
          index = new WordIndex(words);
        }
        Table t = grid(pageNo, gh, gv, index, dir);
        if (t != null) {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static Table grid(int pageNo, List<Ruling> gh, List<Ruling> gv, WordIndex index, int dir) {
    float hLeft = Float.MAX_VALUE;
    float hRight = -Float.MAX_VALUE;
    for (Ruling h : gh) {
      hLeft = Math.min(hLeft, h.left());
      hRight = Math.max(hRight, h.right());
    }
    float vTop = Float.MAX_VALUE;
    float vBottom = -Float.MAX_VALUE;
    for (Ruling v : gv) {
      vTop = Math.min(vTop, v.top());
      vBottom = Math.max(vBottom, v.bottom());
    }
    // horizontal rules reaching past the outer verticals enclose a column without side lines (a stub column)
    float[] xs = withEdges(positions(gv, false), hLeft, hRight);
    float[] ys = withEdges(positions(gh, true), vTop, vBottom);
    if (xs.length < 2 || ys.length < 2 || (long) xs.length * ys.length > MAX_UNITS) {
      return null;
    }
    List<PageWord> words = index.within(xs[0], ys[0], xs[xs.length - 1], ys[ys.length - 1]);
    if (words.isEmpty() || dominantDir(words) != dir) {
      return null;
    }
    // row bands holding several text lines aligned across columns are rows without inner rules: split them
    List<Ruling> hs = new ArrayList<>(gh);
    List<Ruling> synthetic = splitBands(xs, ys, words);
    if (!synthetic.isEmpty()) {
      hs.addAll(synthetic);
      ys = withEdges(positions(hs, true), vTop, vBottom);
    }
    int rows = ys.length - 1;
    int cols = xs.length - 1;
    float x0 = xs[0];
    float x1 = xs[cols];
    float y0 = ys[0];
    float y1 = ys[rows];
    // separators
    boolean[][] vSep = new boolean[rows][cols + 1]; // vertical line at xs[c] within row r
    boolean[][] hSep = new boolean[rows + 1][cols]; // horizontal line at ys[r] within col c
    for (Ruling v : gv) {
      int c = nearest(xs, v.x0());
      for (int r = 0; r < rows; r++) {
        if (covers(v.top(), v.bottom(), ys[r], ys[r + 1])) {
          vSep[r][c] = true;
        }
      }
    }
    for (Ruling h : hs) {
      int r = nearest(ys, h.y0());
      for (int c = 0; c < cols; c++) {
        if (covers(h.left(), h.right(), xs[c], xs[c + 1])) {
          hSep[r][c] = true;
        }
      }
    }
    // rows whose words sit in the column bands with wide gaps at the column lines are separated even where
    // the vertical rules are missing (tables ruled only between rows)
    splitColumns(xs, ys, words, vSep);
    // likewise a row rule drawn only across some columns (label column left open) still separates the
    // text of the open columns when no word crosses it and there is text on both sides
    splitRows(xs, ys, words, hSep);
    // words -> units
    List<List<PageWord>> unitWords = new ArrayList<>(rows * cols);
    for (int i = 0; i < rows * cols; i++) {
      unitWords.add(null);
    }
    boolean[] rowUsed = new boolean[rows];
    boolean[] colUsed = new boolean[cols];
    int inside = 0;
    for (PageWord w : words) {
      float cx = w.centerX();
      float cy = w.centerY();
      if (cx < x0 || cx > x1 || cy < y0 || cy > y1) {
        continue;
      }
      int c = slot(xs, cx);
      int r = slot(ys, cy);
      int u = r * cols + c;
      if (unitWords.get(u) == null) {
        unitWords.set(u, new ArrayList<>());
      }
      unitWords.get(u).add(w);
      rowUsed[r] = true;
      colUsed[c] = true;
      inside++;
    }
    if (inside == 0) {
      return null;
    }
    // merge units not separated by rulings into cells
    int[] parent = new int[rows * cols];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (c + 1 < cols && !vSep[r][c + 1]) {
          union(parent, r * cols + c, r * cols + c + 1);
        }
        if (r + 1 < rows && !hSep[r + 1][c]) {
          union(parent, r * cols + c, (r + 1) * cols + c);
        }
      }
    }
    // bounding rectangles of merged groups; groups whose rectangles overlap are merged until stable
    int[][] box = rectangles(parent, rows, cols);
    if (box == null) {
      return null;
    }
    // compact: drop grid rows/cols without any text
    int[] rowIdx = compact(rowUsed);
    int[] colIdx = compact(colUsed);
    int nRows = rowIdx[rows];
    int nCols = colIdx[cols];
    if (nRows < 2 || nCols < 2) {
      return null;
    }
    List<TableCell> cells = new ArrayList<>();
    int textCells = 0;
    boolean[] seen = new boolean[rows * cols];
    for (int u = 0; u < rows * cols; u++) {
      int root = find(parent, u);
      if (seen[root]) {
        continue;
      }
      seen[root] = true;
      int[] b = box[root];
      List<PageWord> ws = new ArrayList<>();
      for (int r = b[0]; r <= b[2]; r++) {
        for (int c = b[1]; c <= b[3]; c++) {
          List<PageWord> l = unitWords.get(r * cols + c);
          if (l != null && find(parent, r * cols + c) == root) {
            ws.addAll(l);
          }
        }
      }
      int r0 = firstKept(rowUsed, b[0], b[2]);
      int c0 = firstKept(colUsed, b[1], b[3]);
      if (r0 < 0 || c0 < 0) {
        continue; // an empty cell entirely in dropped rows/cols
      }
      int r1 = lastKept(rowUsed, b[0], b[2]);
      int c1 = lastKept(colUsed, b[1], b[3]);
      String text = TextLine.join(ws);
      if (!text.isEmpty()) {
        textCells++;
      }
      cells.add(new TableCell(rowIdx[r0], colIdx[c0], rowIdx[r1] - rowIdx[r0] + 1, colIdx[c1] - colIdx[c0] + 1,
          text, false, false, xs[b[1]], ys[b[0]], xs[b[3] + 1], ys[b[2] + 1]));
    }
    cells = dedupePositions(cells);
    // distinct cells in both directions: a lone ruled box with stray lines is not a table
    int maxRowEnd = 0;
    int maxColEnd = 0;
    for (TableCell c : cells) {
      maxRowEnd = Math.max(maxRowEnd, c.row());
      maxColEnd = Math.max(maxColEnd, c.col());
    }
    if (textCells < 2 || maxRowEnd < 1 || maxColEnd < 1 || !tabular(cells)) {
      return null;
    }
    TableShape.Collapsed g = TableShape.collapseUnusedLines(cells, nRows, nCols);
    cells = new ArrayList<>(g.cells());
    nRows = g.numRows();
    nCols = g.numCols();
    cells.sort(Comparator.comparingInt(TableCell::row).thenComparingInt(TableCell::col));
    TableShape.Trimmed t = TableShape.trimCaptionRows(cells, nRows, nCols);
    if (t.numRows() < 2) {
      return null;
    }
    return new Table(pageNo, x0, t.y0(y0), x1, t.y1(y1), t.numRows(), nCols,
        HeaderFlags.apply(t.cells(), t.numRows(), nCols), "lattice");
  }

  /** The reading direction most of the words' characters have (a sideways header does not turn a table). */
  static int dominantDir(List<PageWord> words) {
    int[] chars = new int[4];
    for (PageWord w : words) {
      chars[w.dir() / 90] += w.text().length();
    }
    int best = 0;
    for (int d = 1; d < 4; d++) {
      if (chars[d] > chars[best]) {
        best = d;
      }
    }
    return best * 90;
  }

  /** Adds the outer positions a and b when they lie clearly outside the given sorted positions. */
  private static float[] withEdges(float[] p, float a, float b) {
    if (p.length == 0) {
      return p;
    }
    List<Float> out = new ArrayList<>();
    if (a < p[0] - 2 * GRID_SNAP) {
      out.add(a);
    }
    for (float v : p) {
      out.add(v);
    }
    if (b > p[p.length - 1] + 2 * GRID_SNAP) {
      out.add(b);
    }
    float[] r = new float[out.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = out.get(i);
    }
    return r;
  }

  /**
   * Synthetic row rules for bands that hold several rows of text: at least two columns (and half of the used
   * columns) have text on more than one line, and there are three or more lines or the stacked text is numeric.
   * A line continuing a wrapped label (only the first used column, starting in lower case) is not split off.
   */
  private static List<Ruling> splitBands(float[] xs, float[] ys, List<PageWord> words) {
    List<Ruling> out = new ArrayList<>();
    int rows = ys.length - 1;
    int cols = xs.length - 1;
    List<List<PageWord>> bands = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      bands.add(new ArrayList<>());
    }
    for (PageWord w : words) {
      bands.get(slot(ys, w.centerY())).add(w);
    }
    boolean seenText = false;
    for (int r = 0; r < rows; r++) {
      List<PageWord> band = bands.get(r);
      if (band.size() < 4) {
        seenText |= spreadsColumns(band, xs);
        continue;
      }
      List<TextLine> lines = TextLine.of(band);
      if (lines.size() < 2) {
        continue;
      }
      int[] firstCol = new int[lines.size()];
      int[] usedCols = new int[lines.size()];
      int[] linesPerCol = new int[cols];
      int numeric = 0;
      int total = 0;
      for (int i = 0; i < lines.size(); i++) {
        boolean[] used = new boolean[cols];
        firstCol[i] = Integer.MAX_VALUE;
        for (PageWord w : lines.get(i).words) {
          int c = slot(xs, w.centerX());
          used[c] = true;
          firstCol[i] = Math.min(firstCol[i], c);
          total++;
          if (HeaderFlags.isNumeric(w.text())) {
            numeric++;
          }
        }
        for (int c = 0; c < cols; c++) {
          if (used[c]) {
            linesPerCol[c]++;
            usedCols[i]++;
          }
        }
      }
      int nonEmpty = 0;
      int multi = 0;
      for (int c = 0; c < cols; c++) {
        if (linesPerCol[c] > 0) {
          nonEmpty++;
        }
        if (linesPerCol[c] > 1) {
          multi++;
        }
      }
      // rows, not wrapped text: nearly every line fills most used columns or is a label in the first column
      // alone (a section row); wrapped cells leave lines holding only the tail of some other column
      int firstUsed = Integer.MAX_VALUE;
      for (int c = 0; c < cols; c++) {
        if (linesPerCol[c] > 0) {
          firstUsed = Math.min(firstUsed, c);
        }
      }
      int wideLines = 0;
      int ragged = 0;
      for (int i = 0; i < lines.size(); i++) {
        if (usedCols[i] >= Math.max(2, 0.6 * nonEmpty)) {
          wideLines++;
        } else if (!(usedCols[i] == 1 && firstCol[i] == firstUsed)) {
          ragged++;
        }
      }
      if (multi < 2 || multi < 0.5 * nonEmpty || wideLines < 2 || ragged > 0.25 * lines.size()
          || centredBetweenLines(band, lines, xs, linesPerCol) || holdsList(lines, xs)) {
        continue;
      }
      boolean firstTextBand = !seenText;
      seenText |= spreadsColumns(band, xs);
      if (firstTextBand && lines.size() < 3) {
        continue; // the top band is usually the header, whose cells wrap over aligned lines
      }
      if (numeric < 0.4 * total) {
        // text rows need stronger evidence: no ragged line, no line continuing in lower case
        boolean lower = false;
        for (int i = 1; i < lines.size(); i++) {
          String t = lines.get(i).words.get(0).text();
          lower |= !t.isEmpty() && Character.isLowerCase(t.codePointAt(0));
        }
        if (ragged > 0 || lower || lines.size() < 4) {
          continue;
        }
      }
      for (int i = 0; i + 1 < lines.size(); i++) {
        TextLine a = lines.get(i);
        TextLine b = lines.get(i + 1);
        if (isWrap(a, b, firstCol[i], firstCol[i + 1], usedCols[i], usedCols[i + 1])) {
          continue;
        }
        float y = (a.bottom + b.top) / 2;
        out.add(new Ruling(xs[0], y, xs[cols], y));
      }
    }
    return out;
  }

  /**
   * Whether a column holding a single line of text in the band has it centred between the band's lines rather than
   * on one of them: then the band is one row whose other cells hold several lines each ("6 | 6 | OTSL / HTML |
   * 0.965 / 0.969"), not several rows.
   */
  private static boolean centredBetweenLines(List<PageWord> band, List<TextLine> lines, float[] xs, int[] linesPerCol) {
    List<float[]> multiLineCenters = new ArrayList<>(); // {centerY, height} of lines in multi-line columns
    for (TextLine l : lines) {
      for (PageWord w : l.words) {
        if (linesPerCol[slot(xs, w.centerX())] > 1) {
          multiLineCenters.add(new float[] {w.centerY(), w.height()});
        }
      }
    }
    if (multiLineCenters.isEmpty()) {
      return false;
    }
    for (PageWord w : band) {
      if (linesPerCol[slot(xs, w.centerX())] != 1) {
        continue;
      }
      float best = Float.MAX_VALUE;
      float above = Float.MAX_VALUE;
      float below = -Float.MAX_VALUE;
      for (float[] m : multiLineCenters) {
        best = Math.min(best, Math.abs(m[0] - w.centerY()));
        above = Math.min(above, m[0]);
        below = Math.max(below, m[0]);
      }
      if (best > 0.35f * w.height() && w.centerY() > above && w.centerY() < below) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a cell of the band, right of the first column, holds a bulleted list: two or more of its lines start
   * with a bullet. (Numbered lines are often rows of their own, so item numbers do not count here.)
   */
  private static boolean holdsList(List<TextLine> lines, float[] xs) {
    int cols = xs.length - 1;
    int[] items = new int[cols];
    for (TextLine l : lines) {
      int prev = -1;
      for (PageWord w : l.words) {
        int c = slot(xs, w.centerX());
        if (c > 0 && c != prev && StreamDetector.isBullet(w.text()) && ++items[c] >= 2) {
          return true;
        }
        prev = c;
      }
    }
    return false;
  }

  /** Whether the words occupy two or more columns (a caption band above the header does not). */
  private static boolean spreadsColumns(List<PageWord> band, float[] xs) {
    int first = -1;
    for (PageWord w : band) {
      int c = slot(xs, w.centerX());
      if (first < 0) {
        first = c;
      } else if (c != first) {
        return true;
      }
    }
    return false;
  }

  /** b continues a's first-column label: b is a lone lower-case fragment, or a is a lone label above b's row. */
  private static boolean isWrap(TextLine a, TextLine b, int firstA, int firstB, int usedA, int usedB) {
    String bt = b.words.get(0).text();
    boolean bLower = !bt.isEmpty() && Character.isLowerCase(bt.codePointAt(0));
    if (usedB == 1 && firstB == firstA && bLower) {
      return true;
    }
    return usedA == 1 && firstA == firstB && bLower;
  }

  /** Marks a missing vertical separator as present in a row where the words are clearly split at that line. */
  private static void splitColumns(float[] xs, float[] ys, List<PageWord> words, boolean[][] vSep) {
    int rows = ys.length - 1;
    int cols = xs.length - 1;
    List<List<PageWord>> bands = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      bands.add(new ArrayList<>());
    }
    for (PageWord w : words) {
      bands.get(slot(ys, w.centerY())).add(w);
    }
    for (int r = 0; r < rows; r++) {
      List<PageWord> band = bands.get(r);
      if (band.size() < 2) {
        continue;
      }
      List<TextLine> lines = null;
      for (int c = 1; c < cols; c++) {
        if (vSep[r][c]) {
          continue;
        }
        if (lines == null) {
          lines = TextLine.of(band);
        }
        if (clearlySplit(lines, xs, xs[c])) {
          vSep[r][c] = true;
        }
      }
    }
  }

  private static void splitRows(float[] xs, float[] ys, List<PageWord> words, boolean[][] hSep) {
    int rows = ys.length - 1;
    int cols = xs.length - 1;
    // per column: does a band have text, and does a word cross line r
    boolean[][] hasText = new boolean[rows][cols];
    boolean[][] crossed = new boolean[rows + 1][cols];
    for (PageWord w : words) {
      int c = slot(xs, w.centerX());
      hasText[slot(ys, w.centerY())][c] = true;
      for (int r = Math.max(1, lowerBound(ys, w.y0() + 1)); r < rows && ys[r] < w.y1() - 1; r++) {
        crossed[r][c] = true;
      }
    }
    for (int r = 1; r < rows; r++) {
      int present = 0;
      for (int c = 0; c < cols; c++) {
        if (hSep[r][c]) {
          present++;
        }
      }
      // the open columns lie to one side of the rule (it reaches the table's left or right edge); a rule reaching
      // neither edge belongs to a table nested in a cell and says nothing about the other columns' rows
      if (present == 0 || present == cols || present < 0.5 * cols || !hSep[r][0] && !hSep[r][cols - 1]) {
        continue;
      }
      for (int c = 0; c < cols; c++) {
        if (!hSep[r][c] && !crossed[r][c] && hasText[r - 1][c] && hasText[r][c]) {
          hSep[r][c] = true;
        }
      }
    }
  }

  private static int linesIn(float[] xs, float from, float to) {
    int n = 0;
    for (float x : xs) {
      if (x > from && x < to) {
        n++;
      }
    }
    return n;
  }

  private static boolean clearlySplit(List<TextLine> lines, float[] xs, float x) {
    int both = 0;
    for (TextLine l : lines) {
      PageWord left = null;
      PageWord right = null;
      for (PageWord w : l.words) {
        if (w.x0() < x - 1 && w.x1() > x + 1) {
          return false; // a word crosses the line
        }
        if (w.x1() <= x + 1) {
          left = w;
        } else if (right == null) {
          right = w;
        }
      }
      if (left != null && right != null) {
        if (right.x0() - left.x1() < 0.6f * l.fontSize) {
          return false; // a phrase runs across the line
        }
        // the gap must hold this column line only: a gap over several lines is a spanning cell's margin
        if (linesIn(xs, left.x1(), right.x0()) == 1) {
          both++;
        }
      }
    }
    return both > 0;
  }

  /**
   * A ruled frame around text is a table only when at least two rows hold two or more non-empty cells
   * (boxed paragraphs and sidebars hold one text cell per row).
   */
  private static boolean tabular(List<TableCell> cells) {
    java.util.Map<Integer, Integer> perRow = new java.util.HashMap<>();
    for (TableCell c : cells) {
      if (!c.text().isBlank()) {
        perRow.merge(c.row(), 1, Integer::sum);
      }
    }
    int rows = 0;
    for (int n : perRow.values()) {
      if (n >= 2) {
        rows++;
      }
    }
    return rows >= 2;
  }

  /** Two groups could compact onto the same start position; keep the one with text. */
  private static List<TableCell> dedupePositions(List<TableCell> cells) {
    java.util.Map<Long, TableCell> byPos = new java.util.LinkedHashMap<>();
    for (TableCell c : cells) {
      long key = ((long) c.row() << 32) | c.col();
      TableCell prev = byPos.get(key);
      if (prev == null || prev.text().isEmpty() && !c.text().isEmpty()) {
        byPos.put(key, c);
      }
    }
    return new ArrayList<>(byPos.values());
  }

  private static int[][] rectangles(int[] parent, int rows, int cols) {
    for (int round = 0; ; round++) {
      int[][] box = new int[rows * cols][];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          int root = find(parent, r * cols + c);
          int[] b = box[root];
          if (b == null) {
            box[root] = new int[] {r, c, r, c};
          } else {
            b[0] = Math.min(b[0], r);
            b[1] = Math.min(b[1], c);
            b[2] = Math.max(b[2], r);
            b[3] = Math.max(b[3], c);
          }
        }
      }
      boolean changed = false;
      for (int root = 0; root < box.length; root++) {
        int[] b = box[root];
        if (b == null) {
          continue;
        }
        for (int r = b[0]; r <= b[2]; r++) {
          for (int c = b[1]; c <= b[3]; c++) {
            int other = find(parent, r * cols + c);
            if (other != find(parent, root)) {
              union(parent, root, other);
              changed = true;
            }
          }
        }
      }
      if (!changed) {
        return box;
      }
      if (round >= 8) {
        return null; // separators this irregular are not a table grid (and would cost quadratic time)
      }
    }
  }

  private static int[] compact(boolean[] used) {
    int[] idx = new int[used.length + 1];
    int k = 0;
    for (int i = 0; i < used.length; i++) {
      idx[i] = k;
      if (used[i]) {
        k++;
      }
    }
    idx[used.length] = k;
    return idx;
  }

  private static int firstKept(boolean[] used, int from, int to) {
    for (int i = from; i <= to; i++) {
      if (used[i]) {
        return i;
      }
    }
    return -1;
  }

  private static int lastKept(boolean[] used, int from, int to) {
    for (int i = to; i >= from; i--) {
      if (used[i]) {
        return i;
      }
    }
    return -1;
  }

  private static boolean covers(float from, float to, float a, float b) {
    float overlap = Math.min(to, b) - Math.max(from, a);
    return overlap >= COVER * (b - a) - 0.5f;
  }

  /** Distinct, snapped positions of the rulings (y of horizontals or x of verticals), ascending. */
  private static float[] positions(List<Ruling> rs, boolean horizontal) {
    float[] p = new float[rs.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = horizontal ? rs.get(i).y0() : rs.get(i).x0();
    }
    java.util.Arrays.sort(p);
    float[] out = new float[p.length];
    int k = 0;
    for (float v : p) {
      if (k == 0 || v - out[k - 1] > GRID_SNAP) {
        out[k++] = v;
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static int nearest(float[] a, float v) {
    int best = 0;
    float d = Float.MAX_VALUE;
    int i = lowerBound(a, v);
    for (int j = Math.max(0, i - 1); j <= Math.min(a.length - 1, i); j++) {
      if (Math.abs(a[j] - v) < d) {
        d = Math.abs(a[j] - v);
        best = j;
      }
    }
    return best;
  }

  /** Index of the band [a[i], a[i+1]] holding v (clamped). */
  private static int slot(float[] a, float v) {
    int i = lowerBound(a, v) - 1;
    return Math.max(0, Math.min(a.length - 2, i));
  }

  static int lowerBound(float[] a, float v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
