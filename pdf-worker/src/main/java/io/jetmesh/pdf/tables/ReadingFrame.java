package io.jetmesh.pdf.tables;

import java.util.ArrayList;
import java.util.List;

/**
 * The displayed page turned so that text of one reading direction runs left to right, top to bottom. A table
 * printed sideways (a landscape table on a portrait page, or a page whose /Rotate turns upright content sideways)
 * has its rows along its text lines: detected in display space its rows and columns come out transposed, detected in
 * its own reading frame they come out right. Coordinates stay positive (the frame is translated into the page's
 * box), so the detectors see an ordinary page of {@link #width()} x {@link #height()}.
 */
final class ReadingFrame {
  private final int dir;
  private final float pageW;
  private final float pageH;

  ReadingFrame(int dir, float pageW, float pageH) {
    this.dir = dir;
    this.pageW = pageW;
    this.pageH = pageH;
  }

  float width() {
    return dir == 90 || dir == 270 ? pageH : pageW;
  }

  float height() {
    return dir == 90 || dir == 270 ? pageW : pageH;
  }

  /** Display point to frame point. */
  private float fx(float x, float y) {
    return switch (dir) {
      case 90 -> y;
      case 180 -> pageW - x;
      case 270 -> pageH - y;
      default -> x;
    };
  }

  private float fy(float x, float y) {
    return switch (dir) {
      case 90 -> pageW - x;
      case 180 -> pageH - y;
      case 270 -> x;
      default -> y;
    };
  }

  /** Frame point to display point. */
  private float dx(float fx, float fy) {
    return switch (dir) {
      case 90 -> pageW - fy;
      case 180 -> pageW - fx;
      case 270 -> fy;
      default -> fx;
    };
  }

  private float dy(float fx, float fy) {
    return switch (dir) {
      case 90 -> fx;
      case 180 -> pageH - fy;
      case 270 -> pageH - fx;
      default -> fy;
    };
  }

  List<PageWord> words(List<PageWord> words) {
    List<PageWord> out = new ArrayList<>(words.size());
    for (PageWord w : words) {
      float ax = fx(w.x0(), w.y0());
      float ay = fy(w.x0(), w.y0());
      float bx = fx(w.x1(), w.y1());
      float by = fy(w.x1(), w.y1());
      out.add(new PageWord(w.text(), Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by),
          w.fontSize(), w.bold(), w.fontName(), w.dir()));
    }
    return out;
  }

  List<Ruling> rulings(List<Ruling> rulings) {
    List<Ruling> out = new ArrayList<>(rulings.size());
    for (Ruling r : rulings) {
      out.add(new Ruling(fx(r.x0(), r.y0()), fy(r.x0(), r.y0()), fx(r.x1(), r.y1()), fy(r.x1(), r.y1())));
    }
    return out;
  }

  /** A table found in this frame, with its box and its cells' boxes back in display space. */
  Table toDisplay(Table t) {
    List<TableCell> cells = new ArrayList<>(t.cells().size());
    for (TableCell c : t.cells()) {
      float[] b = box(c.x0(), c.y0(), c.x1(), c.y1());
      cells.add(new TableCell(c.row(), c.col(), c.rowSpan(), c.colSpan(), c.text(), c.columnHeader(), c.rowHeader(),
          b[0], b[1], b[2], b[3]));
    }
    float[] b = box(t.x0(), t.y0(), t.x1(), t.y1());
    return new Table(t.pageNo(), b[0], b[1], b[2], b[3], t.numRows(), t.numCols(), cells, t.method());
  }

  private float[] box(float x0, float y0, float x1, float y1) {
    float ax = dx(x0, y0);
    float ay = dy(x0, y0);
    float bx = dx(x1, y1);
    float by = dy(x1, y1);
    return new float[] {Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)};
  }
}
