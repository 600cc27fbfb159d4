package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;

/** Builds small DoclingDocuments for tests, item by item, as docling's {@code add_*} methods would. */
final class TestDocs {
  private final ObjectNode doc = Json.object();
  private final ArrayNode texts;
  private final ArrayNode groups;
  private final ArrayNode tables;
  private final ArrayNode pictures;
  private final ArrayNode bodyChildren;

  TestDocs() {
    doc.put("schema_name", "DoclingDocument").put("version", "1.10.0").put("name", "test");
    texts = doc.putArray("texts");
    groups = doc.putArray("groups");
    tables = doc.putArray("tables");
    pictures = doc.putArray("pictures");
    bodyChildren = doc.putObject("body").put("self_ref", "#/body").putArray("children");
  }

  ObjectNode json() {
    return doc;
  }

  DoclingTree tree() {
    try {
      return DoclingTree.parse(doc);
    } catch (io.jetmesh.worker.JobException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A text item under {@code parent} (null: the body); returns it for further fields. */
  ObjectNode text(ObjectNode parent, String label, String text) {
    ObjectNode n = texts.addObject();
    n.put("self_ref", "#/texts/" + (texts.size() - 1)).put("label", label).put("text", text).put("orig", text);
    n.putArray("prov").addObject().put("page_no", 1);
    n.putArray("children");
    attach(parent, n);
    return n;
  }

  ObjectNode text(String label, String text) {
    return text(null, label, text);
  }

  ObjectNode heading(int level, String text) {
    return text(null, "section_header", text).put("level", level);
  }

  ObjectNode group(ObjectNode parent, String label) {
    String ref = "#/groups/" + groups.size();
    ObjectNode g = groups.addObject().put("self_ref", ref).put("label", label).put("name", label);
    g.putArray("children");
    attach(parent, g);
    return g;
  }

  /** A list item; {@code marker} as docling keeps it ("-", "1.", "•", "a)", ""). */
  ObjectNode item(ObjectNode list, String marker, boolean enumerated, String text) {
    return text(list, "list_item", text).put("marker", marker).put("enumerated", enumerated);
  }

  /** A table from rows of cell texts; the first {@code headerRows} rows are column headers. */
  ObjectNode table(ObjectNode parent, int headerRows, String[]... rows) {
    String ref = "#/tables/" + tables.size();
    ObjectNode t = tables.addObject().put("self_ref", ref).put("label", "table");
    t.putArray("prov").addObject().put("page_no", 1);
    t.putArray("children");
    t.putArray("captions");
    ObjectNode data = t.putObject("data");
    int cols = rows.length == 0 ? 0 : rows[0].length;
    data.put("num_rows", rows.length).put("num_cols", cols);
    ArrayNode cells = data.putArray("table_cells");
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < rows[r].length; c++) {
        cells.addObject().put("text", rows[r][c]).put("start_row_offset_idx", r).put("end_row_offset_idx", r + 1)
            .put("start_col_offset_idx", c).put("end_col_offset_idx", c + 1).put("column_header", r < headerRows)
            .put("row_header", false);
      }
    }
    attach(parent, t);
    return t;
  }

  /** Adds a raw cell to a table (for spans and row headers). */
  static void cell(ObjectNode table, String text, int r0, int r1, int c0, int c1, boolean colHeader, boolean rowHeader) {
    ((ArrayNode) table.path("data").path("table_cells")).addObject().put("text", text).put("start_row_offset_idx", r0)
        .put("end_row_offset_idx", r1).put("start_col_offset_idx", c0).put("end_col_offset_idx", c1)
        .put("column_header", colHeader).put("row_header", rowHeader);
  }

  /** An empty table of the given size, for {@link #cell}. */
  ObjectNode emptyTable(int rows, int cols) {
    ObjectNode t = table(null, 0);
    ObjectNode data = Json.object().put("num_rows", rows).put("num_cols", cols);
    data.putArray("table_cells");
    t.set("data", data);
    return t;
  }

  ObjectNode picture(ObjectNode parent) {
    String ref = "#/pictures/" + pictures.size();
    ObjectNode p = pictures.addObject().put("self_ref", ref).put("label", "picture");
    p.putArray("prov").addObject().put("page_no", 1);
    p.putArray("children");
    p.putArray("captions");
    attach(parent, p);
    return p;
  }

  /** Adds a caption text to a table or picture (child and caption, as docling does). */
  ObjectNode caption(ObjectNode floating, String text) {
    ObjectNode cap = text(floating, "caption", text);
    ((ArrayNode) floating.path("captions")).addObject().put("$ref", cap.path("self_ref").asText());
    return cap;
  }

  private void attach(ObjectNode parent, ObjectNode child) {
    String ref = child.path("self_ref").asText();
    if (parent == null) {
      child.putObject("parent").put("$ref", "#/body");
      bodyChildren.addObject().put("$ref", ref);
    } else {
      child.putObject("parent").put("$ref", parent.path("self_ref").asText());
      ((ArrayNode) parent.path("children")).addObject().put("$ref", ref);
    }
  }
}
