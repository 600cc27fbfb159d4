package io.jetmesh.pdf.docling;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import java.util.List;
import java.util.Map;

/**
 * Serialises a {@link DocumentModel} as docling's DoclingDocument JSON (schema version 1.10.0): items in flat arrays
 * ({@code texts}, {@code groups}, {@code tables}, {@code pictures}) numbered in reading order, linked by
 * {@code $ref}s, with provenance boxes in docling's bottom-left page coordinates and table cells in top-left ones.
 */
public final class DoclingJson {
  public static final String VERSION = "1.10.0";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final ArrayNode texts = F.arrayNode();
  private final ArrayNode groups = F.arrayNode();
  private final ArrayNode tables = F.arrayNode();
  private final ArrayNode pictures = F.arrayNode();

  private DoclingJson() {}

  public static ObjectNode write(DocumentModel doc) {
    return new DoclingJson().toJson(doc);
  }

  private ObjectNode toJson(DocumentModel doc) {
    ObjectNode root = F.objectNode();
    root.put("schema_name", "DoclingDocument");
    root.put("version", VERSION);
    root.put("name", doc.name());
    ObjectNode origin = root.putObject("origin");
    origin.put("mimetype", doc.mimetype());
    origin.put("binary_hash", doc.binaryHash());
    origin.put("filename", doc.filename());
    ObjectNode furniture = root.putObject("furniture");
    furniture.put("self_ref", "#/furniture");
    furniture.putArray("children");
    furniture.put("content_layer", "furniture");
    furniture.put("name", "_root_");
    furniture.put("label", "unspecified");
    ObjectNode body = root.putObject("body");
    body.put("self_ref", "#/body");
    ArrayNode children = body.putArray("children");
    body.put("content_layer", "body");
    body.put("name", "_root_");
    body.put("label", "unspecified");
    for (DocNode n : doc.body()) {
      children.add(ref(emit(n, "#/body")));
    }
    root.set("groups", groups);
    root.set("texts", texts);
    root.set("pictures", pictures);
    root.set("tables", tables);
    root.putArray("key_value_items");
    root.putArray("form_items");
    ObjectNode pages = root.putObject("pages");
    for (Map.Entry<Integer, float[]> e : doc.pages().entrySet()) {
      ObjectNode p = pages.putObject(String.valueOf(e.getKey()));
      ObjectNode size = p.putObject("size");
      size.put("width", round(e.getValue()[0]));
      size.put("height", round(e.getValue()[1]));
      p.put("page_no", e.getKey());
    }
    return root;
  }

  private static ObjectNode ref(String r) {
    ObjectNode o = F.objectNode();
    o.put("$ref", r);
    return o;
  }

  /** Appends the node (and its subtree) to its array; returns its self_ref. */
  private String emit(DocNode n, String parent) {
    ObjectNode o = F.objectNode();
    String self;
    switch (n.kind) {
      case GROUP -> {
        self = "#/groups/" + groups.size();
        groups.add(o);
      }
      case TABLE -> {
        self = "#/tables/" + tables.size();
        tables.add(o);
      }
      case PICTURE -> {
        self = "#/pictures/" + pictures.size();
        pictures.add(o);
      }
      default -> {
        self = "#/texts/" + texts.size();
        texts.add(o);
      }
    }
    o.put("self_ref", self);
    o.set("parent", ref(parent));
    ArrayNode kids = o.putArray("children");
    o.put("content_layer", n.contentLayer());
    if (n.kind == DocNode.Kind.GROUP) {
      o.put("name", n.groupName);
      o.put("label", n.groupLabel);
    } else {
      o.put("label", n.label);
      ArrayNode prov = o.putArray("prov");
      if (!n.noProv) {
        ObjectNode p = prov.addObject();
        p.put("page_no", n.pageNo);
        ObjectNode bbox = p.putObject("bbox");
        bbox.put("l", round(n.x0));
        bbox.put("t", round(n.topLeftProv ? n.y0 : n.pageHeight - n.y0));
        bbox.put("r", round(n.x1));
        bbox.put("b", round(n.topLeftProv ? n.y1 : n.pageHeight - n.y1));
        bbox.put("coord_origin", n.topLeftProv ? "TOPLEFT" : "BOTTOMLEFT");
        ArrayNode span = p.putArray("charspan");
        span.add(0);
        span.add(n.kind == DocNode.Kind.TEXT ? n.orig.length() : 0);
      }
    }
    ArrayNode captionRefs = null;
    Map<TableCell, String> cellRefs = null;
    if (n.kind == DocNode.Kind.TEXT) {
      o.put("orig", n.orig);
      o.put("text", n.text);
      if (n.formatting != null) {
        ObjectNode f = o.putObject("formatting");
        f.put("bold", n.formatting.bold());
        f.put("italic", n.formatting.italic());
        f.put("underline", n.formatting.underline());
        f.put("strikethrough", n.formatting.strikethrough());
        f.put("script", n.formatting.script());
      }
      if (n.hyperlink != null) {
        o.put("hyperlink", n.hyperlink);
      }
      switch (n.label) {
        case "section_header" -> o.put("level", Math.max(1, n.level));
        case "list_item" -> {
          o.put("enumerated", n.enumerated);
          o.put("marker", n.marker == null ? "" : n.marker);
        }
        case "code" -> {
          captionRefs = o.putArray("captions");
          o.putArray("references");
          o.putArray("footnotes");
          o.put("code_language", n.codeLanguage == null ? "unknown" : n.codeLanguage);
        }
        default -> { }
      }
    } else if (n.kind == DocNode.Kind.TABLE || n.kind == DocNode.Kind.PICTURE) {
      captionRefs = o.putArray("captions");
      o.putArray("references");
      o.putArray("footnotes");
      if (n.kind == DocNode.Kind.PICTURE) {
        o.putArray("annotations");
        if (n.chartData != null) {
          ObjectNode meta = o.putObject("meta");
          if (n.chartKind != null) {
            meta.putObject("classification").putArray("predictions").addObject().put("class_name", n.chartKind);
          }
          meta.putObject("tabular_chart").set("chart_data", tableData(n.chartData, Map.of()));
        }
      } else if (n.richCells != null && !n.richCells.isEmpty()) {
        cellRefs = new java.util.HashMap<>();
        for (Map.Entry<TableCell, DocNode> e : n.richCells.entrySet()) {
          String r = emit(e.getValue(), self);
          kids.add(ref(r));
          cellRefs.put(e.getKey(), r);
        }
      }
      if (n.kind == DocNode.Kind.TABLE) {
        o.set("data", tableData(n.table, cellRefs == null ? Map.of() : cellRefs));
      }
    }
    for (DocNode c : n.children) {
      String r = emit(c, self);
      kids.add(ref(r));
      if (captionRefs != null && n.captions.contains(c)) {
        captionRefs.add(ref(r));
      }
    }
    return self;
  }

  static ObjectNode tableData(Table t) {
    return tableData(t, Map.of());
  }

  private static ObjectNode tableData(Table t, Map<TableCell, String> refs) {
    ObjectNode data = F.objectNode();
    ArrayNode cells = data.putArray("table_cells");
    ObjectNode[][] grid = new ObjectNode[t.numRows()][t.numCols()];
    for (TableCell c : t.cells()) {
      ObjectNode cell = cellJson(c);
      String cellRef = refs.get(c);
      if (cellRef != null) {
        cell.set("ref", ref(cellRef));
      }
      cells.add(cell);
      for (int r = c.row(); r < Math.min(t.numRows(), c.row() + c.rowSpan()); r++) {
        for (int k = c.col(); k < Math.min(t.numCols(), c.col() + c.colSpan()); k++) {
          grid[r][k] = cell;
        }
      }
    }
    data.put("num_rows", t.numRows());
    data.put("num_cols", t.numCols());
    ArrayNode g = data.putArray("grid");
    for (int r = 0; r < t.numRows(); r++) {
      ArrayNode row = g.addArray();
      for (int k = 0; k < t.numCols(); k++) {
        row.add(grid[r][k] != null ? grid[r][k]
            : cellJson(new TableCell(r, k, 1, 1, "", false, false, 0, 0, 0, 0)));
      }
    }
    return data;
  }

  private static ObjectNode cellJson(TableCell c) {
    ObjectNode cell = F.objectNode();
    if (c.x0() != 0 || c.y0() != 0 || c.x1() != 0 || c.y1() != 0) {
      // cells of documents without a layout (DOCX, HTML, CSV) have no box
      ObjectNode bbox = cell.putObject("bbox");
      bbox.put("l", round(c.x0()));
      bbox.put("t", round(c.y0()));
      bbox.put("r", round(c.x1()));
      bbox.put("b", round(c.y1()));
      bbox.put("coord_origin", "TOPLEFT");
    }
    cell.put("row_span", c.rowSpan());
    cell.put("col_span", c.colSpan());
    cell.put("start_row_offset_idx", c.row());
    cell.put("end_row_offset_idx", c.row() + c.rowSpan());
    cell.put("start_col_offset_idx", c.col());
    cell.put("end_col_offset_idx", c.col() + c.colSpan());
    cell.put("text", c.text());
    cell.put("column_header", c.columnHeader());
    cell.put("row_header", c.rowHeader());
    cell.put("row_section", false);
    cell.put("fillable", false);
    return cell;
  }

  static double round(float v) {
    return Math.round(v * 100.0) / 100.0;
  }

}
