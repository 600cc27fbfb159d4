package io.jetmesh.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.worker.JobException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DoclingDocument as docling-core's chunkers see it: the {@code body} tree with every {@code $ref} resolved, each
 * node typed the way docling-core's pydantic model types it (a {@code section_header} text is a section header, a
 * {@code list} group a list group, ...). Plain text and Markdown are turned into the same tree
 * ({@link #fromItems}), so every input is chunked by one algorithm.
 */
final class DoclingTree {
  /** The docling-core class a node stands for. */
  enum Type {
    /** {@code GroupItem} of any label but list and inline (also the body). */
    GROUP,
    /** {@code ListGroup}: label {@code list} (or the older {@code ordered_list}). */
    LIST,
    /** {@code InlineGroup}. */
    INLINE,
    /** {@code TextItem}: text, paragraph, caption, footnote, checkbox, reference, ... */
    TEXT,
    TITLE,
    SECTION_HEADER,
    LIST_ITEM,
    CODE,
    FORMULA,
    TABLE,
    PICTURE,
    KEY_VALUE,
    FORM;

    boolean isHeading() {
      return this == TITLE || this == SECTION_HEADER;
    }

    /** A DocItem (not a group). */
    boolean isItem() {
      return this != GROUP && this != LIST && this != INLINE;
    }

    /** A TextItem (or a subclass). */
    boolean isText() {
      return this == TEXT || this == TITLE || this == SECTION_HEADER || this == LIST_ITEM || this == CODE
          || this == FORMULA;
    }
  }

  /** docling's {@code Formatting} of a text item. */
  record Formatting(boolean bold, boolean italic, boolean underline, boolean strikethrough) {
    static final Formatting NONE = new Formatting(false, false, false, false);
  }

  /** One cell of a table grid; {@code ref} is set for a rich cell that points at another item. */
  record Cell(String text, boolean columnHeader, boolean rowHeader, String ref) {
    static final Cell EMPTY = new Cell("", false, false, null);
  }

  /** A table's grid as docling computes it: {@code num_rows x num_cols}, a spanning cell in every slot it covers. */
  record Grid(int rows, int cols, Cell[][] cells) {}

  /** One node of the tree. Mutable while the tree is built, then only read. */
  static final class Node {
    final String ref;
    final Type type;
    final String label;
    String text = "";
    String orig = "";
    boolean hasOrig;
    /** Sub- or superscript (a non-baseline {@code formatting.script}). */
    boolean scripted;
    /** The first and last provenance as {page, charspan start, charspan end}, or null. */
    int[] firstProv;
    int[] lastProv;
    int level = 1;
    String marker = "";
    boolean enumerated;
    Formatting formatting = Formatting.NONE;
    String hyperlink;
    String contentLayer = "body";
    List<Integer> pages = List.of();
    final List<Node> children = new ArrayList<>();
    Node parent;
    final List<String> captions = new ArrayList<>();
    Grid grid;
    /** Texts of the item's {@code meta} (summary, description, classification, molecule), when it has meta. */
    List<String> metaTexts;
    /** Texts of legacy {@code annotations} (description, classification, molecule). */
    final List<String> annotationTexts = new ArrayList<>();

    Node(String ref, Type type, String label) {
      this.ref = ref;
      this.type = type;
      this.label = label;
    }

    @Override
    public String toString() {
      return ref + " (" + label + ")";
    }
  }

  private final Node body;
  private final Map<String, Node> byRef;
  private final Set<String> captionRefs;
  private final JsonNode origin;

  private DoclingTree(Node body, Map<String, Node> byRef, JsonNode origin) {
    this.body = body;
    this.byRef = byRef;
    this.origin = origin;
    Set<String> caps = new HashSet<>();
    for (Node n : byRef.values()) {
      caps.addAll(n.captions);
    }
    this.captionRefs = caps;
  }

  Node body() {
    return body;
  }

  Node resolve(String ref) {
    return byRef.get(ref);
  }

  /** The document's {@code origin} (mimetype, binary_hash, filename), or null. */
  JsonNode origin() {
    return origin;
  }

  /** Whether {@code ref} is the caption of some item (such texts are serialized with their item, not alone). */
  boolean isCaption(String ref) {
    return captionRefs.contains(ref);
  }

  /** What {@link #iterate} visits. */
  @FunctionalInterface
  interface Visitor {
    void visit(Node node) throws JobException;
  }

  /**
   * docling-core's {@code iterate_items(root, with_groups=True, included_content_layers={BODY})}: {@code root} and
   * its descendants depth-first in order; nodes of other content layers are not visited (their children are);
   * a picture's children only with {@code traversePictures}.
   */
  void iterate(Node root, boolean traversePictures, Visitor v) throws JobException {
    if ("body".equals(root.contentLayer)) {
      v.visit(root);
    }
    if (root.type == Type.PICTURE && !traversePictures) {
      return;
    }
    for (Node c : root.children) {
      iterate(c, traversePictures, v);
    }
  }

  // ---------------------------------------------------------------- DoclingDocument JSON

  /** Parses a DoclingDocument; a reference to nothing or a nesting deeper than 200 is {@code INVALID_INPUT}. */
  static DoclingTree parse(JsonNode doc) throws JobException {
    JsonNode bodyJson = doc.get("body");
    if (bodyJson == null || !bodyJson.isObject()) {
      throw JobException.invalidInput("DoclingDocument has no body");
    }
    Map<String, JsonNode> json = new HashMap<>();
    for (String array : new String[] {"texts", "groups", "tables", "pictures", "key_value_items", "form_items"}) {
      int i = 0;
      for (JsonNode item : doc.path(array)) {
        String ref = item.path("self_ref").asText("#/" + array + "/" + i);
        json.put(ref, item);
        i++;
      }
    }
    Map<String, Node> byRef = new HashMap<>();
    Node body = new Node("#/body", Type.GROUP, "unspecified");
    byRef.put(body.ref, body);
    Set<String> onPath = new HashSet<>();
    link(body, bodyJson, json, byRef, onPath, 0);
    // captions of items also resolve when they are not in the tree (older documents keep them outside)
    for (Node n : List.copyOf(byRef.values())) {
      for (String cap : n.captions) {
        if (!byRef.containsKey(cap) && json.containsKey(cap)) {
          byRef.put(cap, node(cap, json.get(cap)));
        }
      }
    }
    JsonNode origin = doc.get("origin");
    return new DoclingTree(body, byRef, origin != null && origin.isObject() ? origin : null);
  }

  private static void link(Node parent, JsonNode parentJson, Map<String, JsonNode> json, Map<String, Node> byRef,
      Set<String> onPath, int depth) throws JobException {
    if (depth > 200) {
      throw JobException.invalidInput("DoclingDocument nesting deeper than 200 levels at " + parent.ref);
    }
    for (JsonNode child : parentJson.path("children")) {
      String ref = child.path("$ref").asText("");
      if (ref.isEmpty() || byRef.containsKey(ref) || onPath.contains(ref)) {
        continue; // a node has one parent in a valid document; a repeated or cyclic reference is ignored
      }
      JsonNode item = json.get(ref);
      if (item == null) {
        throw JobException.invalidInput("DoclingDocument reference " + ref + " points at nothing");
      }
      Node n = node(ref, item);
      n.parent = parent;
      parent.children.add(n);
      byRef.put(ref, n);
      onPath.add(ref);
      link(n, item, json, byRef, onPath, depth + 1);
      onPath.remove(ref);
    }
  }

  private static Node node(String ref, JsonNode item) {
    String label = item.path("label").asText("");
    Type type;
    if (ref.startsWith("#/groups/")) {
      type = switch (label) {
        case "list", "ordered_list" -> Type.LIST;
        case "inline" -> Type.INLINE;
        default -> Type.GROUP;
      };
    } else if (ref.startsWith("#/tables/")) {
      type = Type.TABLE;
    } else if (ref.startsWith("#/pictures/")) {
      type = Type.PICTURE;
    } else if (ref.startsWith("#/key_value_items/")) {
      type = Type.KEY_VALUE;
    } else if (ref.startsWith("#/form_items/")) {
      type = Type.FORM;
    } else {
      type = switch (label) {
        case "title" -> Type.TITLE;
        case "section_header" -> Type.SECTION_HEADER;
        case "list_item" -> Type.LIST_ITEM;
        case "code" -> Type.CODE;
        case "formula" -> Type.FORMULA;
        default -> Type.TEXT;
      };
    }
    Node n = new Node(ref, type, label);
    n.text = item.path("text").asText("");
    n.orig = item.path("orig").asText("");
    n.hasOrig = !n.orig.isEmpty();
    n.level = item.path("level").asInt(1);
    // docling-core's ListItem.marker defaults to "-" (older documents have no marker field)
    n.marker = item.hasNonNull("marker") ? item.get("marker").asText("") : "-";
    n.enumerated = item.path("enumerated").asBoolean(false);
    n.contentLayer = item.path("content_layer").asText("body");
    JsonNode f = item.get("formatting");
    if (f != null && f.isObject()) {
      n.formatting = new Formatting(f.path("bold").asBoolean(false), f.path("italic").asBoolean(false),
          f.path("underline").asBoolean(false), f.path("strikethrough").asBoolean(false));
      String script = f.path("script").asText("baseline");
      n.scripted = !script.isEmpty() && !"baseline".equals(script);
    }
    JsonNode link = item.get("hyperlink");
    if (link != null && link.isTextual() && !link.asText().isEmpty()) {
      n.hyperlink = link.asText();
    }
    Set<Integer> pages = new LinkedHashSet<>();
    for (JsonNode p : item.path("prov")) {
      if (p.path("page_no").canConvertToInt()) {
        pages.add(p.path("page_no").asInt());
        JsonNode span = p.path("charspan");
        if (span.size() == 2) {
          int[] prov = {p.path("page_no").asInt(), span.path(0).asInt(0), span.path(1).asInt(0)};
          if (n.firstProv == null) {
            n.firstProv = prov;
          }
          n.lastProv = prov;
        }
      }
    }
    n.pages = List.copyOf(pages);
    for (JsonNode c : item.path("captions")) {
      String cap = c.path("$ref").asText("");
      if (!cap.isEmpty()) {
        n.captions.add(cap);
      }
    }
    if (type == Type.TABLE) {
      n.grid = grid(item.path("data"));
    }
    JsonNode meta = item.get("meta");
    if (meta != null && meta.isObject()) {
      n.metaTexts = metaTexts(meta);
    }
    for (JsonNode a : item.path("annotations")) {
      String t = annotationText(a);
      if (t != null) {
        n.annotationTexts.add(t);
      }
    }
    return n;
  }

  /** docling's {@code TableData.grid}: num_rows x num_cols, each cell copied into every slot it spans. */
  private static Grid grid(JsonNode data) {
    int rows = Math.max(0, data.path("num_rows").asInt(0));
    int cols = Math.max(0, data.path("num_cols").asInt(0));
    if ((long) rows * cols > 4_000_000L) {
      rows = 0; // a corrupt size must not allocate billions of cells
      cols = 0;
    }
    Cell[][] g = new Cell[rows][cols];
    for (Cell[] r : g) {
      java.util.Arrays.fill(r, Cell.EMPTY);
    }
    for (JsonNode c : data.path("table_cells")) {
      int r0 = Math.max(0, c.path("start_row_offset_idx").asInt(0));
      int r1 = Math.min(rows, c.path("end_row_offset_idx").asInt(r0 + 1));
      int c0 = Math.max(0, c.path("start_col_offset_idx").asInt(0));
      int c1 = Math.min(cols, c.path("end_col_offset_idx").asInt(c0 + 1));
      String ref = c.path("ref").path("$ref").asText(null);
      Cell cell = new Cell(c.path("text").asText(""), c.path("column_header").asBoolean(false),
          c.path("row_header").asBoolean(false), ref);
      for (int r = Math.min(r0, rows); r < r1; r++) {
        for (int k = Math.min(c0, cols); k < c1; k++) {
          g[r][k] = cell;
        }
      }
    }
    return new Grid(rows, cols, g);
  }

  /** The text fields of an item's meta, in docling-core's field order. */
  private static List<String> metaTexts(JsonNode meta) {
    List<String> out = new ArrayList<>();
    for (String field : new String[] {"summary", "description"}) {
      String t = meta.path(field).path("text").asText("");
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    JsonNode predictions = meta.path("classification").path("predictions");
    if (predictions.isArray() && !predictions.isEmpty()) {
      JsonNode best = predictions.get(0);
      for (JsonNode p : predictions) {
        if (p.path("confidence").asDouble(0) > best.path("confidence").asDouble(0)) {
          best = p;
        }
      }
      String name = best.path("class_name").asText("");
      if (!name.isEmpty()) {
        out.add(name.replace('_', ' '));
      }
    }
    String smi = meta.path("molecule").path("smi").asText("");
    if (!smi.isEmpty()) {
      out.add(smi);
    }
    return out;
  }

  /** docling-core's {@code _get_annotation_text}. */
  private static String annotationText(JsonNode a) {
    return switch (a.path("kind").asText("")) {
      case "classification" -> {
        JsonNode first = a.path("predicted_classes").path(0);
        yield first.isMissingNode() ? null : first.path("class_name").asText("").replace('_', ' ');
      }
      case "description" -> a.path("text").asText(null);
      case "molecule_data" -> a.path("smi").asText(null);
      default -> null;
    };
  }

  // ---------------------------------------------------------------- plain text and Markdown

  private static final Pattern LIST_MARKER = Pattern.compile("^(-|\\d{1,9}[.)])\\s(.*)$", Pattern.DOTALL);

  /**
   * The tree docling's converters would build from these items: headings become a title or section headers,
   * paragraphs texts, each run of list items a list group (marker and enumeration from the item's leading
   * {@code -} or {@code 1.}), tables table items with their header rows flagged as column headers and the caption
   * as a caption text, code code items.
   */
  static DoclingTree fromItems(List<DocItem> items) {
    Map<String, Node> byRef = new HashMap<>();
    Node body = new Node("#/body", Type.GROUP, "unspecified");
    byRef.put(body.ref, body);
    int groups = 0;
    Node list = null;
    int unnamed = 0;
    for (DocItem it : items) {
      String ref = it.ref() == null || byRef.containsKey(it.ref()) ? "#/items/" + unnamed++ : it.ref();
      if (it.kind() != DocItem.Kind.LIST_ITEM) {
        list = null;
      }
      Node n;
      switch (it.kind()) {
        case TITLE -> n = new Node(ref, Type.TITLE, "title");
        case HEADING -> {
          n = new Node(ref, Type.SECTION_HEADER, "section_header");
          n.level = Math.max(1, it.level());
        }
        case LIST_ITEM -> {
          if (list == null) {
            list = new Node("#/groups/" + groups++, Type.LIST, "list");
            list.parent = body;
            body.children.add(list);
            byRef.put(list.ref, list);
          }
          n = new Node(ref, Type.LIST_ITEM, "list_item");
          Matcher m = LIST_MARKER.matcher(it.text());
          if (m.matches()) {
            n.marker = m.group(1);
            n.enumerated = !"-".equals(n.marker);
            n.text = m.group(2);
          } else {
            n.marker = "-";
            n.text = it.text();
          }
          n.pages = it.pages();
          n.parent = list;
          list.children.add(n);
          byRef.put(ref, n);
          continue;
        }
        case TABLE -> {
          n = new Node(ref, Type.TABLE, "table");
          DocItem.Table t = it.table();
          if (t != null) {
            int cols = t.columns();
            Cell[][] g = new Cell[t.rows().size()][cols];
            for (int r = 0; r < g.length; r++) {
              List<String> row = t.rows().get(r);
              for (int k = 0; k < cols; k++) {
                g[r][k] = new Cell(k < row.size() ? row.get(k) : "", r < t.headerRows(), false, null);
              }
            }
            n.grid = new Grid(g.length, cols, g);
            if (!t.caption().isEmpty()) {
              Node cap = new Node(ref + "/caption", Type.TEXT, "caption");
              cap.text = t.caption();
              cap.pages = it.pages();
              cap.parent = n;
              n.children.add(cap);
              n.captions.add(cap.ref);
              byRef.put(cap.ref, cap);
            }
          } else {
            n.grid = new Grid(0, 0, new Cell[0][0]);
          }
        }
        case CODE -> n = new Node(ref, Type.CODE, "code");
        case FORMULA -> n = new Node(ref, Type.FORMULA, "formula");
        case CAPTION -> n = new Node(ref, Type.TEXT, "caption");
        default -> n = new Node(ref, Type.TEXT, "text");
      }
      if (n.type != Type.TABLE) {
        n.text = it.text();
      }
      n.pages = it.pages();
      n.parent = body;
      body.children.add(n);
      byRef.put(ref, n);
    }
    return new DoclingTree(body, byRef, null);
  }
}
