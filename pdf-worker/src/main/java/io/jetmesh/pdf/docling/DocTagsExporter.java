package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;

/**
 * docling's DocTags export: {@code <doctag>} with one tag per item ({@code title}, {@code section_header_level_N},
 * {@code text}, {@code caption}, {@code code}, {@code formula}, {@code unordered_list}/{@code ordered_list} of
 * {@code list_item}s, {@code picture}, tables as OTSL ({@code fcel}/{@code ecel} cells, {@code ched} header cells,
 * {@code lcel}/{@code ucel}/{@code xcel} for spans, {@code nl} row ends)). Items with a page box carry docling's
 * {@code <loc_N>} coordinates on a 0..500 grid; pages are separated by {@code <page_break>}.
 */
public final class DocTagsExporter {
  private DocTagsExporter() {}

  public static String doctags(DocumentModel doc) {
    StringBuilder sb = new StringBuilder("<doctag>");
    int[] page = {0};
    for (DocNode n : doc.body()) {
      node(n, doc, sb, page);
    }
    return sb.append("</doctag>").toString();
  }

  private static void node(DocNode n, DocumentModel doc, StringBuilder sb, int[] page) {
    if (!Exporters.exported(n)) {
      return;
    }
    if (!n.noProv && n.pageNo > 0 && n.kind != DocNode.Kind.GROUP) {
      if (page[0] > 0 && n.pageNo > page[0]) {
        sb.append("<page_break>");
      }
      page[0] = Math.max(page[0], n.pageNo);
    }
    switch (n.kind) {
      case GROUP -> {
        if ("list".equals(n.groupLabel)) {
          boolean ordered = !n.children.isEmpty() && n.children.get(0).enumerated;
          String tag = ordered ? "ordered_list" : "unordered_list";
          sb.append('<').append(tag).append('>');
          n.children.forEach(c -> node(c, doc, sb, page));
          sb.append("</").append(tag).append('>');
        } else if ("inline".equals(n.groupLabel)) {
          sb.append("<inline>");
          n.children.forEach(c -> node(c, doc, sb, page));
          sb.append("</inline>");
        } else {
          n.children.forEach(c -> node(c, doc, sb, page));
        }
      }
      case TABLE -> {
        sb.append("<otsl>").append(loc(n, doc)).append(otsl(n.table));
        for (DocNode c : n.captions) {
          sb.append("<caption>").append(HtmlExporter.esc(c.text)).append("</caption>");
        }
        sb.append("</otsl>");
      }
      case PICTURE -> {
        sb.append("<picture>").append(loc(n, doc));
        for (DocNode c : n.captions) {
          sb.append("<caption>").append(HtmlExporter.esc(c.text)).append("</caption>");
        }
        sb.append("</picture>");
      }
      default -> {
        String tag = switch (n.label) {
          case "section_header" -> "section_header_level_" + Math.max(1, n.level);
          default -> n.label;
        };
        sb.append('<').append(tag).append('>').append(loc(n, doc));
        if ("code".equals(n.label)) {
          sb.append("<_").append(n.codeLanguage == null ? "unknown" : n.codeLanguage).append("_>");
        }
        sb.append(HtmlExporter.esc(n.text));
        for (DocNode c : n.children) {
          if (!n.captions.contains(c)) {
            node(c, doc, sb, page);
          }
        }
        sb.append("</").append(tag).append('>');
      }
    }
  }

  private static String loc(DocNode n, DocumentModel doc) {
    if (n.noProv || n.pageNo <= 0 || n.topLeftProv) {
      return "";
    }
    float[] size = doc.pages().get(n.pageNo);
    if (size == null || size[0] <= 0 || size[1] <= 0 || n.x1 <= n.x0) {
      return "";
    }
    return "<loc_" + grid(n.x0, size[0]) + "><loc_" + grid(n.y0, size[1]) + "><loc_" + grid(n.x1, size[0])
        + "><loc_" + grid(n.y1, size[1]) + ">";
  }

  private static int grid(float v, float extent) {
    return Math.max(0, Math.min(500, Math.round(v / extent * 500)));
  }

  /** OTSL: one token per grid position, a cell's text after its start token. */
  static String otsl(Table t) {
    TableCell[][] owner = new TableCell[t.numRows()][t.numCols()];
    for (TableCell c : t.cells()) {
      for (int r = c.row(); r < Math.min(t.numRows(), c.row() + c.rowSpan()); r++) {
        for (int k = c.col(); k < Math.min(t.numCols(), c.col() + c.colSpan()); k++) {
          owner[r][k] = c;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < t.numRows(); r++) {
      for (int k = 0; k < t.numCols(); k++) {
        TableCell c = owner[r][k];
        if (c == null) {
          sb.append("<ecel>");
        } else if (c.row() == r && c.col() == k) {
          if (c.text().isEmpty()) {
            sb.append("<ecel>");
          } else {
            sb.append(c.columnHeader() ? "<ched>" : c.rowHeader() ? "<rhed>" : "<fcel>").append(HtmlExporter.esc(c.text()));
          }
        } else if (c.row() == r) {
          sb.append("<lcel>");
        } else if (c.col() == k) {
          sb.append("<ucel>");
        } else {
          sb.append("<xcel>");
        }
      }
      sb.append("<nl>");
    }
    return sb.toString();
  }
}
