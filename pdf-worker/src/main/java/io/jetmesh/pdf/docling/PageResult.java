package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Frame;
import io.jetmesh.pdf.tables.Table;
import java.util.List;
import java.util.Map;

/**
 * What one page contributes to the document: its size, its flow in reading order ({@link Para} or
 * {@link Region} placeholders for tables and pictures), the tables and pictures themselves, and how its text was
 * obtained.
 *
 * @param textSource {@code native}, {@code ocr} or {@code none}
 * @param charsBySize characters of all the page's text (flow, tables and pictures) by font size in half points, for
 *     the document's body-text statistics
 * @param frames closed boxes drawn on the page (text boxes, shapes, chart and figure borders), which tell labels
 *     inside drawings from the page's headings
 */
public record PageResult(int pageNo, float width, float height, List<Object> flow, List<Table> tables,
                         List<Picture> pictures, String textSource, Map<Integer, Integer> charsBySize,
                         List<Frame> frames) {
  public PageResult {
    flow = List.copyOf(flow);
    tables = List.copyOf(tables);
    pictures = List.copyOf(pictures);
    charsBySize = Map.copyOf(charsBySize);
    frames = List.copyOf(frames);
  }

  /** A page without drawn frames. */
  public PageResult(int pageNo, float width, float height, List<Object> flow, List<Table> tables,
                    List<Picture> pictures, String textSource, Map<Integer, Integer> charsBySize) {
    this(pageNo, width, height, flow, tables, pictures, textSource, charsBySize, List.of());
  }

  /** A page whose font-size statistics come from its flow alone. */
  public PageResult(int pageNo, float width, float height, List<Object> flow, List<Table> tables,
                    List<Picture> pictures, String textSource) {
    this(pageNo, width, height, flow, tables, pictures, textSource, Map.of());
  }

  /** A table or picture placeholder in the reading order. */
  public record Region(String kind, int index) {}

  /** A picture: its box and the text found inside it (labels of a diagram), in reading order. */
  public record Picture(float x0, float y0, float x1, float y1, List<Para> texts) {
    public Picture {
      texts = List.copyOf(texts);
    }
  }

  public static PageResult empty(int pageNo, float width, float height, String textSource) {
    return new PageResult(pageNo, width, height, List.of(), List.of(), List.of(), textSource);
  }
}
