package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Unruled tables from whitespace alignment. Lines are split into segments at wide gaps; runs of consecutive
 * lines with two or more short segments are table candidates; columns are the x ranges that the words of those
 * lines never cover; header lines above the run are added when they fit the columns; wrapped cell lines are
 * merged into their row. Conservative: prose segments (long runs of words) never count, and candidates that
 * look like lists or two-column body text are rejected.
 */
final class StreamDetector {
  private static final Pattern LIST_MARKER =
      Pattern.compile("^([(\\[]?([0-9]{1,3}|[a-zA-Z]|[ivxlcIVXLC]{1,5})[.)\\]:]?|[•·◦▪▫■□●○‣⁃\\-–—*+>»✓✔]+)$");

  /** A bullet or an item number that starts a list item ("•", "-", "1.", "a)", "(iv)"). */
  private static final Pattern ITEM_MARKER =
      Pattern.compile("^([•·◦▪▫■□●○‣⁃–—*\\-]|\\(?([0-9]{1,2}|[a-z]|[ivx]{1,4})[.)])$");

  private final int pageNo;
  private final float pageWidth;

  StreamDetector(int pageNo, float pageWidth) {
    this.pageNo = pageNo;
    this.pageWidth = pageWidth;
  }

  /** A run of words in a line without a wide gap. */
  static final class Segment {
    final List<PageWord> words = new ArrayList<>();
    float x0 = Float.MAX_VALUE;
    float x1 = -Float.MAX_VALUE;

    void add(PageWord w) {
      words.add(w);
      x0 = Math.min(x0, w.x0());
      x1 = Math.max(x1, w.x1());
    }
  }

  /** A line with its segments and whether it is prose. */
  static final class Row {
    final TextLine line;
    final List<Segment> segments = new ArrayList<>();
    final List<Segment> cells = new ArrayList<>(); // non-prose segments
    boolean prose;

    Row(TextLine line) {
      this.line = line;
    }

    boolean multi() {
      return cells.size() >= 2;
    }
  }

  List<Table> detect(List<PageWord> words) {
    List<Table> out = new ArrayList<>();
    if (words.size() < 4) {
      return out;
    }
    List<Row> rows = new ArrayList<>();
    for (TextLine l : TextLine.of(words)) {
      rows.add(segment(l));
    }
    int i = 0;
    while (i < rows.size()) {
      if (!rows.get(i).multi()) {
        i++;
        continue;
      }
      // grow a run of multi lines, tolerating up to two non-multi lines in between
      int start = i;
      int end = i;
      int j = i + 1;
      int bridged = 0;
      int multiLines = 1;
      while (j < rows.size()) {
        Row prev = rows.get(j - 1);
        Row cur = rows.get(j);
        float gap = cur.line.top - prev.line.bottom;
        float lh = Math.max(prev.line.height(), cur.line.height());
        // a wider gap is a section break inside a long table when the run is established and the next line is
        // a row or a short section label
        boolean sectionBreak = gap <= 2.6f * lh && multiLines >= 3
            && (cur.multi() || cur.segments.size() == 1 && cur.segments.get(0).words.size() <= 6);
        if (gap > 1.6f * lh && !sectionBreak || cur.prose) {
          break;
        }
        if (cur.multi()) {
          multiLines++;
          end = j;
          bridged = 0;
        } else if (++bridged > 2) {
          break;
        }
        j++;
      }
      Table t = build(rows, start, end);
      if (t != null) {
        out.add(t);
      }
      i = end + 1;
    }
    return out;
  }

  private Row segment(TextLine l) {
    Row row = new Row(l);
    float split = 0.9f * l.fontSize;
    Segment s = null;
    PageWord last = null;
    for (PageWord w : l.words) {
      if (s == null || w.x0() - last.x1() > split) {
        s = new Segment();
        row.segments.add(s);
      }
      s.add(w);
      last = w;
    }
    int longSegments = 0;
    boolean numeric = false;
    for (Segment seg : row.segments) {
      if (isProse(seg)) {
        longSegments++;
      } else if (seg.words.size() <= 2 && HeaderFlags.isNumeric(text(seg))) {
        numeric = true;
      }
    }
    // one long phrase beside figures is a row label ("% ratio of certificate holders to entrants   13"),
    // not running text
    boolean longLabel = longSegments == 1 && numeric;
    for (Segment seg : row.segments) {
      if (longLabel || !isProse(seg)) {
        row.cells.add(seg);
      }
    }
    row.prose = longSegments > 0 && !longLabel && row.cells.size() <= 1;
    return row;
  }

  private static String text(Segment s) {
    StringBuilder sb = new StringBuilder();
    for (PageWord w : s.words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(w.text());
    }
    return sb.toString();
  }

  private boolean isProse(Segment s) {
    return s.words.size() >= 7 && (s.x1 - s.x0) >= 0.28f * pageWidth;
  }

  private Table build(List<Row> rows, int start, int end) {
    List<Row> body = rows.subList(start, end + 1);
    int multi = 0;
    float fs = 0;
    float left = Float.MAX_VALUE;
    float right = -Float.MAX_VALUE;
    for (Row r : body) {
      if (r.multi()) {
        multi++;
        fs = Math.max(fs, r.line.fontSize);
        for (Segment s : r.cells) {
          left = Math.min(left, s.x0);
          right = Math.max(right, s.x1);
        }
      }
    }
    if (multi < 2) {
      return null;
    }
    // column separators: x ranges no word of a multi line covers
    float[] seps = separators(body, left, right, fs);
    int nCols = seps.length + 1;
    if (nCols < 2) {
      return null;
    }
    float[] bounds = new float[nCols + 1];
    bounds[0] = left;
    System.arraycopy(seps, 0, bounds, 1, seps.length);
    bounds[nCols] = right;

    // header lines above the run
    int top = start;
    for (int k = start - 1; k >= 0 && k >= start - 4; k--) {
      Row cand = rows.get(k);
      Row below = rows.get(k + 1);
      float gap = below.line.top - cand.line.bottom;
      if (gap > 1.6f * Math.max(cand.line.height(), below.line.height()) || !fitsAsHeader(cand, bounds)) {
        break;
      }
      top = k;
    }
    List<Row> lines = new ArrayList<>(rows.subList(top, end + 1));
    // trailing/leading lines that fit no column structure are dropped from the ends
    while (!lines.isEmpty() && !lines.get(lines.size() - 1).multi()) {
      lines.remove(lines.size() - 1);
    }
    int headerLines = start - top;

    // cells per line
    List<TreeMap<Integer, Cell>> grid = new ArrayList<>();
    List<TextLine> gridLines = new ArrayList<>();
    for (Row r : lines) {
      grid.add(place(r.line, bounds));
      gridLines.add(r.line);
    }
    // validate before merging lines
    if (!plausible(grid, nCols, lines)) {
      return null;
    }
    // merge wrapped lines into their row
    List<TreeMap<Integer, Cell>> merged = new ArrayList<>();
    List<float[]> rowBoxes = new ArrayList<>();
    int mergedHeaderRows = 0;
    for (int k = 0; k < grid.size(); k++) {
      TreeMap<Integer, Cell> cur = grid.get(k);
      TextLine line = gridLines.get(k);
      boolean header = k < headerLines;
      if (!merged.isEmpty()) {
        TreeMap<Integer, Cell> prev = merged.get(merged.size() - 1);
        float[] pb = rowBoxes.get(rowBoxes.size() - 1);
        float gap = line.top - pb[1];
        boolean prevHeader = merged.size() <= mergedHeaderRows;
        if (gap < 0.8f * line.height() && (header && prevHeader && compatibleHeader(prev, cur)
            || !header && !prevHeader && isContinuation(prev, cur))) {
          for (var e : cur.entrySet()) {
            prev.merge(e.getKey(), e.getValue(), Cell::append);
          }
          pb[1] = line.bottom;
          continue;
        }
      }
      merged.add(cur);
      rowBoxes.add(new float[] {line.top, line.bottom});
      if (header) {
        mergedHeaderRows = merged.size();
      }
    }
    List<TableCell> cells = new ArrayList<>();
    for (int r = 0; r < merged.size(); r++) {
      float[] rb = rowBoxes.get(r);
      for (var e : merged.get(r).entrySet()) {
        Cell c = e.getValue();
        cells.add(new TableCell(r, c.col, 1, c.span, c.text.toString(), false, false,
            bounds[c.col], rb[0], bounds[c.col + c.span], rb[1]));
      }
    }
    int nRows = merged.size();
    if (nRows < 2) {
      return null;
    }
    float y0 = rowBoxes.get(0)[0];
    float y1 = rowBoxes.get(nRows - 1)[1];
    return new Table(pageNo, left, y0, right, y1, nRows, nCols,
        HeaderFlags.apply(cells, nRows, nCols, mergedHeaderRows > 0 ? mergedHeaderRows : -1), "stream");
  }

  /** Text of one cell being assembled. */
  static final class Cell {
    final int col;
    int span;
    final StringBuilder text = new StringBuilder();

    Cell(int col, int span, String text) {
      this.col = col;
      this.span = span;
      this.text.append(text);
    }

    Cell append(Cell other) {
      if (text.length() > 0 && other.text.length() > 0) {
        text.append(' ');
      }
      text.append(other.text);
      span = Math.max(span, other.col + other.span - col);
      return this;
    }
  }

  /**
   * The cells of one line. The line splits into chunks at gaps wider than a word space (0.4 em, or 0.3 em where
   * the words' centres fall in different columns), and between two figures at a column separator (tight numeric columns are apart by a single space). A chunk covers the columns it
   * overlaps by at least half (of the column or of itself, whichever is narrower): a label overflowing into an empty
   * neighbour column spans it, a heading centred over a column narrower than itself does not; chunks that claim the
   * same column are one cell.
   */
  static TreeMap<Integer, Cell> place(TextLine line, float[] bounds) {
    List<float[]> spans = new ArrayList<>(); // {x0, x1} per chunk
    List<List<PageWord>> chunkWords = new ArrayList<>();
    PageWord last = null;
    float fs = Math.max(1f, line.fontSize);
    for (PageWord w : line.words) {
      boolean split = last == null;
      if (!split) {
        float gap = w.x0() - last.x1();
        // wider than a word space; or a little wider where the word's centre moves to the next column
        split = gap >= 0.4f * fs
            || gap >= 0.3f * fs && column(bounds, w.centerX()) != column(bounds, last.centerX());
        if (!split && HeaderFlags.isNumeric(w.text()) && HeaderFlags.isNumeric(last.text())) {
          for (int c = 1; c < bounds.length - 1 && !split; c++) {
            split = bounds[c] >= last.x1() - 1 && bounds[c] <= w.x0() + 1;
          }
        }
      }
      if (split) {
        spans.add(new float[] {w.x0(), w.x1()});
        chunkWords.add(new ArrayList<>(List.of(w)));
      } else {
        float[] sp = spans.get(spans.size() - 1);
        sp[1] = Math.max(sp[1], w.x1());
        chunkWords.get(chunkWords.size() - 1).add(w);
      }
      last = w;
    }
    List<String> texts = new ArrayList<>(chunkWords.size());
    for (List<PageWord> cw : chunkWords) {
      texts.add(TextLine.lineText(cw));
    }
    TreeMap<Integer, Cell> cells = new TreeMap<>();
    Cell prev = null;
    for (int i = 0; i < spans.size(); i++) {
      float a = spans.get(i)[0];
      float b = spans.get(i)[1];
      int c0 = -1;
      int c1 = -1;
      for (int c = column(bounds, a); c <= column(bounds, b); c++) {
        float band = bounds[c + 1] - bounds[c];
        float overlap = Math.min(b, bounds[c + 1]) - Math.max(a, bounds[c]);
        if (overlap >= 0.5f * Math.min(band, b - a)) {
          c0 = c0 < 0 ? c : c0;
          c1 = c;
        }
      }
      if (c0 < 0) {
        c0 = c1 = column(bounds, (a + b) / 2);
      }
      if (prev != null && c0 <= prev.col + prev.span - 1) {
        // claims a column the cell on its left holds: the left cell gives up the overlap, or they are one cell
        if (c0 > prev.col) {
          prev.span = c0 - prev.col;
        } else {
          prev.append(new Cell(prev.col, Math.max(1, c1 - prev.col + 1), texts.get(i)));
          continue;
        }
      }
      Cell cell = new Cell(c0, c1 - c0 + 1, texts.get(i));
      cells.put(c0, cell);
      prev = cell;
    }
    return cells;
  }

  private static int column(float[] bounds, float x) {
    int n = bounds.length - 1;
    for (int c = 1; c < n; c++) {
      if (x < bounds[c]) {
        return c - 1;
      }
    }
    return n - 1;
  }

  /**
   * Separators between columns, from the horizontal coverage of the multi lines' words (each line counted once per
   * x): every uncovered gap at least {@code 0.5 * fs} wide is one (its centre); where a gap is crossed by a few lines
   * only (at most one line in eight: a long label overflowing into an empty cell, one wide figure, a heading spanning
   * columns), the least covered stretch of it is one too, and the crossing lines become spanning cells. A table with
   * fewer than eight lines needs clean gaps.
   */
  private float[] separators(List<Row> body, float left, float right, float fs) {
    int n = (int) Math.ceil(right - left) + 1;
    if (n <= 1 || n > 20_000) {
      return new float[0];
    }
    // data lines (with numeric cells) define the columns when there are enough of them: header lines above
    // often straddle the gaps between numeric columns (grouped headers become spanning cells instead)
    int multi = 0;
    int numericLines = 0;
    for (Row r : body) {
      if (r.multi()) {
        multi++;
        if (hasNumericCell(r)) {
          numericLines++;
        }
      }
    }
    boolean numericOnly = numericLines >= 3 && numericLines >= 0.5 * multi;
    int[] cov = new int[n];
    int[] stamp = new int[n];
    int lines = 0;
    for (Row r : body) {
      if (!r.multi() || numericOnly && !hasNumericCell(r)) {
        continue;
      }
      lines++;
      for (Segment s : r.cells) {
        for (PageWord w : s.words) {
          int a = Math.max(0, (int) Math.floor(w.x0() - left));
          int b = Math.min(n - 1, (int) Math.ceil(w.x1() - left));
          for (int x = a; x < b; x++) {
            if (stamp[x] != lines) {
              stamp[x] = lines;
              cov[x]++;
            }
          }
        }
      }
    }
    int allow = lines / 8;
    List<Float> seps = new ArrayList<>();
    List<float[]> weak = new ArrayList<>(); // {x, lines crossing}
    // many figure lines leave exact gaps: a single space between right-aligned figures is a column break
    float minGap = numericOnly && numericLines >= 5 ? Math.max(1.5f, 0.25f * fs) : Math.max(2f, 0.5f * fs);
    int x = 0;
    while (x < n) {
      if (cov[x] > allow) {
        x++;
        continue;
      }
      int a = x;
      while (x < n && cov[x] <= allow) {
        x++;
      }
      if (a == 0 || x >= n) {
        continue; // margins, not gaps
      }
      // clean gaps inside the low stretch: each is a separator (a sparse column between two of them survives)
      boolean clean = false;
      int k = a;
      while (k < x) {
        if (cov[k] != 0) {
          k++;
          continue;
        }
        int z = k;
        while (k < x && cov[k] == 0) {
          k++;
        }
        if (k - z >= minGap) {
          seps.add(left + (z + k) / 2f);
          clean = true;
        }
      }
      if (clean || x - a < minGap) {
        continue;
      }
      // otherwise the widest stretch crossed by the fewest lines that is wide enough
      for (int m = 1; m <= allow; m++) {
        int bestFrom = -1;
        int bestLen = 0;
        for (int i = a; i < x; ) {
          if (cov[i] > m) {
            i++;
            continue;
          }
          int z = i;
          while (i < x && cov[i] <= m) {
            i++;
          }
          if (i - z > bestLen) {
            bestLen = i - z;
            bestFrom = z;
          }
        }
        if (bestLen >= minGap) {
          weak.add(new float[] {left + bestFrom + bestLen / 2f, m});
          break;
        }
      }
    }
    if (!weak.isEmpty()) {
      // all crossed separators together may be crossed by at most `allow` distinct lines: lines crossing
      // different separators are not overflowing cells but a layout that is not this column structure
      weak.sort(java.util.Comparator.comparingDouble((float[] w) -> w[1]));
      java.util.Set<Row> crossing = new java.util.HashSet<>();
      for (float[] w : weak) {
        java.util.Set<Row> these = new java.util.HashSet<>(crossing);
        for (Row r : body) {
          if (r.multi() && (!numericOnly || hasNumericCell(r)) && crosses(r, w[0])) {
            these.add(r);
          }
        }
        if (these.size() <= allow) {
          crossing = these;
          seps.add(w[0]);
        }
      }
      seps.sort(null);
    }
    float[] out = new float[seps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = seps.get(i);
    }
    return out;
  }

  private static boolean crosses(Row r, float x) {
    for (Segment s : r.cells) {
      for (PageWord w : s.words) {
        if (w.x0() < x && w.x1() > x) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasNumericCell(Row r) {
    for (int i = 1; i < r.cells.size(); i++) {
      Segment seg = r.cells.get(i);
      for (PageWord w : seg.words) {
        if (HeaderFlags.isNumeric(w.text())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A line above the run joins as header when it splits into cells along the run's columns (headings centred over
   * their columns, possibly wider than them, with narrow gaps between them), none of them a phrase of running text,
   * or when it is one heading spanning the value columns (not a caption starting at the table's left edge).
   */
  private static boolean fitsAsHeader(Row r, float[] bounds) {
    if (r.segments.isEmpty()) {
      return false;
    }
    float left = bounds[0];
    float right = bounds[bounds.length - 1];
    if (r.line.left < left - 10 || r.line.right > right + 10) {
      return false;
    }
    TreeMap<Integer, Cell> cells = place(r.line, bounds);
    if (cells.size() >= 2) {
      for (Cell c : cells.values()) {
        if (c.text.toString().split(" ").length > 6) {
          return false;
        }
      }
      return true;
    }
    return !r.prose && r.segments.size() == 1 && r.segments.get(0).x0 > bounds[1] - 2;
  }

  private static boolean compatibleHeader(TreeMap<Integer, Cell> prev, TreeMap<Integer, Cell> cur) {
    // merge stacked header lines unless one of them spans columns (a grouped header over sub-headers)
    for (Cell c : prev.values()) {
      if (c.span > 1) {
        return false;
      }
    }
    for (Cell c : cur.values()) {
      if (c.span > 1) {
        return false;
      }
    }
    return true;
  }

  /** A bullet glyph, alone or glued to the item's first word. */
  static boolean isBullet(String word) {
    return !word.isEmpty() && "•·◦▪▫■□●○‣⁃".indexOf(word.charAt(0)) >= 0;
  }

  static boolean isListMarker(String word) {
    return ITEM_MARKER.matcher(word).matches() || word.length() > 1 && "•·◦▪■●○‣⁃".indexOf(word.charAt(0)) >= 0;
  }

  /**
   * A wrapped line: its first cell continues in lower case; or, with the first column empty, it is the next item
   * of a list that a cell of the previous row starts (list items inside a cell are one cell, not rows).
   */
  private static boolean isContinuation(TreeMap<Integer, Cell> prev, TreeMap<Integer, Cell> cur) {
    if (cur.isEmpty()) {
      return true;
    }
    Cell first = cur.firstEntry().getValue();
    String t = first.text.toString();
    if (t.isEmpty()) {
      return false;
    }
    char ch = t.charAt(0);
    if (Character.isLowerCase(ch)) {
      return prev.containsKey(first.col);
    }
    Cell above = prev.get(first.col);
    return first.col > 0 && cur.size() == 1 && above != null && isListMarker(t.split(" ")[0])
        && isListMarker(above.text.toString().split(" ")[0]);
  }

  /** Titles with non-decreasing page numbers at the right: a table of contents (or an index), not a table. */
  private static boolean isTableOfContents(List<TreeMap<Integer, Cell>> grid) {
    int last = -1;
    int numbers = 0;
    for (TreeMap<Integer, Cell> row : grid) {
      Cell c = row.get(1);
      if (c == null) {
        continue;
      }
      String t = c.text.toString().trim();
      if (!t.matches("\\d{1,4}")) {
        return false;
      }
      int n = Integer.parseInt(t);
      if (n < last) {
        return false;
      }
      last = n;
      numbers++;
    }
    return numbers >= 4;
  }

  /** Rejects lists, two-column prose and sparse accidental alignments. */
  private boolean plausible(List<TreeMap<Integer, Cell>> grid, int nCols, List<Row> lines) {
    int filledLines = 0;
    int cellsTotal = 0;
    int wordsTotal = 0;
    int[] colCount = new int[nCols];
    int[] colLong = new int[nCols];
    int markers = 0;
    int col0 = 0;
    for (TreeMap<Integer, Cell> row : grid) {
      if (row.size() >= 2) {
        filledLines++;
      }
      for (Cell c : row.values()) {
        cellsTotal++;
        String t = c.text.toString();
        int nw = t.split("\\s+").length;
        wordsTotal += nw;
        colCount[c.col]++;
        if (nw >= 4) {
          colLong[c.col]++;
        }
        if (c.col == 0) {
          col0++;
          if (LIST_MARKER.matcher(t.trim()).matches()) {
            markers++;
          }
        }
      }
    }
    if (filledLines < 3 || cellsTotal == 0) {
      return false;
    }
    // every column must be used by a few lines; otherwise the alignment is accidental
    for (int c = 0; c < nCols; c++) {
      if (colCount[c] < 2) {
        return false;
      }
    }
    // lists: first column is only markers (bullets, numbers, letters)
    if (col0 > 0 && markers >= 0.6 * col0 && nCols <= 3) {
      return false;
    }
    if (nCols == 2 && isTableOfContents(grid)) {
      return false;
    }
    // columns of running text: most of their cells are phrases of four or more words
    int proseCols = 0;
    for (int c = 0; c < nCols; c++) {
      if (colLong[c] >= 0.5 * colCount[c]) {
        proseCols++;
      }
    }
    if (proseCols >= 2 || proseCols == nCols) {
      return false;
    }
    double wordsPerCell = (double) wordsTotal / cellsTotal;
    if (wordsPerCell > 5.5) {
      return false;
    }
    return true;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "StreamDetector[page=%d]", pageNo);
  }
}

