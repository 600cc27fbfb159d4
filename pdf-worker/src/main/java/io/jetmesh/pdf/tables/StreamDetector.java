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
      if (cand.prose || gap > 1.6f * Math.max(cand.line.height(), below.line.height())
          || !fitsAsHeader(cand, bounds)) {
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
      TreeMap<Integer, Cell> cells = new TreeMap<>();
      for (Segment s : r.segments) {
        placeSegment(s, bounds, cells);
      }
      grid.add(cells);
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

  /** Words of a segment go to the column of their centre; a segment crossing a separator spans columns. */
  private static void placeSegment(Segment s, float[] bounds, TreeMap<Integer, Cell> cells) {
    int c0 = column(bounds, s.words.get(0).centerX());
    int c1 = column(bounds, s.words.get(s.words.size() - 1).centerX());
    StringBuilder sb = new StringBuilder();
    for (PageWord w : s.words) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(w.text());
    }
    Cell cell = new Cell(c0, c1 - c0 + 1, sb.toString());
    cells.merge(c0, cell, Cell::append);
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
   * Separators between columns: gaps in the horizontal coverage of the multi lines' words, at least
   * {@code 0.5 * fs} wide. Returns the centre of each gap.
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
    for (Row r : body) {
      if (!r.multi() || numericOnly && !hasNumericCell(r)) {
        continue;
      }
      for (Segment s : r.cells) {
        for (PageWord w : s.words) {
          int a = Math.max(0, (int) Math.floor(w.x0() - left));
          int b = Math.min(n - 1, (int) Math.ceil(w.x1() - left));
          for (int x = a; x < b; x++) {
            cov[x]++;
          }
        }
      }
    }
    List<Float> seps = new ArrayList<>();
    int x = 0;
    // many figure lines leave exact gaps: a single space between right-aligned figures is a column break
    float minGap = numericOnly && numericLines >= 5 ? Math.max(1.5f, 0.25f * fs) : Math.max(2f, 0.5f * fs);
    while (x < n) {
      if (cov[x] == 0) {
        int a = x;
        while (x < n && cov[x] == 0) {
          x++;
        }
        if (x < n && a > 0 && x - a >= minGap) {
          seps.add(left + (a + x) / 2f);
        }
      } else {
        x++;
      }
    }
    float[] out = new float[seps.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = seps.get(k);
    }
    return out;
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

  /** A line above the run joins as header if it does not start like a caption at the left edge. */
  private static boolean fitsAsHeader(Row r, float[] bounds) {
    if (r.segments.isEmpty()) {
      return false;
    }
    float left = bounds[0];
    float right = bounds[bounds.length - 1];
    float l = r.line.left;
    float rr = r.line.right;
    if (l < left - 10 || rr > right + 10) {
      return false;
    }
    if (r.segments.size() >= 2) {
      // distinct segments must fall in distinct columns
      int prev = -1;
      for (Segment s : r.segments) {
        int c = column(bounds, s.words.get(0).centerX());
        if (c <= prev) {
          return false;
        }
        prev = column(bounds, s.words.get(s.words.size() - 1).centerX());
      }
      return true;
    }
    // one segment: a spanning header over the value columns, not a caption starting at the table's left edge
    return r.segments.get(0).x0 > bounds[1] - 2;
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

  /** A wrapped line: its first cell continues in lower case, or it fills only columns the previous row lacks. */
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
    return false;
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
