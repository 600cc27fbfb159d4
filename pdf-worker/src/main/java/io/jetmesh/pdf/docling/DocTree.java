package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds a {@link DocumentModel} the way docling's declarative backends build a DoclingDocument: items are appended
 * to the current parent (the body, a group, or a list item), groups are opened and closed around their content, and
 * everything ends up in the same model the PDF path produces, so JSON, Markdown, HTML and text exports are shared.
 *
 * <p>Used by the converters in {@code io.jetmesh.pdf.formats}; not thread-safe (one per conversion). The number of
 * items is bounded ({@code maxItems}): a document that would exceed it fails with {@link TooManyItemsException}
 * instead of exhausting the heap.
 */
public final class DocTree {
  private final List<DocNode> body = new ArrayList<>();
  private final Deque<DocNode> parents = new ArrayDeque<>();
  private final Map<Integer, float[]> pages = new TreeMap<>();
  private final long maxItems;
  private long items;
  private String layer;
  private int pageNo;
  private float pageHeight;

  /** Thrown when a document has more items than the conversion's limit. */
  public static final class TooManyItemsException extends RuntimeException {
    public TooManyItemsException(long max) {
      super("the document has more than " + max + " items (max_items)");
    }
  }

  private DocTree(long maxItems) {
    this.maxItems = maxItems;
  }

  /** @param maxItems largest number of items (texts, groups, tables, pictures, cells) the document may have */
  public static DocTree create(long maxItems) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("maxItems must be >= 1: " + maxItems);
    }
    return new DocTree(maxItems);
  }

  // ------------------------------------------------------------------ layers and pages

  /** Items added from now on go to {@code layer}: {@code body}, {@code furniture}, {@code notes}, {@code invisible}. */
  public DocTree layer(String contentLayer) {
    this.layer = "body".equals(contentLayer) ? null : contentLayer;
    return this;
  }

  public String layer() {
    return layer == null ? "body" : layer;
  }

  /** Declares a page and makes it current: items added from now on carry provenance on it. */
  public DocTree page(int no, float width, float height) {
    pages.put(no, new float[] {width, height});
    pageNo = no;
    pageHeight = height;
    return this;
  }

  /** Counts {@code n} units (e.g. table cells) against the item limit. */
  public void count(long n) {
    items += n;
    if (items > maxItems) {
      throw new TooManyItemsException(maxItems);
    }
  }

  // ------------------------------------------------------------------ items

  public DocNode title(String text) {
    return text("title", text);
  }

  /** A section header; {@code level} 1 is rendered {@code ##}. */
  public DocNode heading(String text, int level) {
    DocNode n = text("section_header", text);
    n.level = Math.max(1, Math.min(100, level));
    return n;
  }

  public DocNode text(String label, String text) {
    return text(label, text, null, null);
  }

  /** A text item ({@code text}, {@code paragraph}, {@code caption}, {@code footnote}, {@code checkbox_selected}, ...). */
  public DocNode text(String label, String text, Formatting formatting, String hyperlink) {
    DocNode n = node(DocNode.Kind.TEXT, label);
    n.text = text == null ? "" : text;
    n.orig = n.text;
    n.formatting = formatting;
    n.hyperlink = hyperlink == null || hyperlink.isBlank() ? null : hyperlink;
    return add(n);
  }

  public DocNode code(String text, String language) {
    DocNode n = text("code", text);
    n.codeLanguage = language;
    return n;
  }

  /** Sets an item's link target and formatting (code runs inside links, formatted code). */
  public DocNode style(DocNode n, Formatting formatting, String hyperlink) {
    n.formatting = formatting;
    n.hyperlink = hyperlink == null || hyperlink.isBlank() ? null : hyperlink;
    return n;
  }

  public DocNode formula(String latex) {
    return text("formula", latex);
  }

  /** A list item of the current list group; {@code marker} as written ({@code 3.}, {@code •}) or empty. */
  public DocNode listItem(String text, boolean enumerated, String marker, Formatting formatting, String hyperlink) {
    DocNode n = text("list_item", text, formatting, hyperlink);
    n.enumerated = enumerated;
    n.marker = marker == null ? "" : marker;
    return n;
  }

  public DocNode table(Table table) {
    DocNode n = node(DocNode.Kind.TABLE, "table");
    n.table = Objects.requireNonNull(table, "table == null");
    count(table.cells().size());
    if (pageNo > 0) {
      n.box(table.x0(), table.y0(), table.x1(), table.y1(), pageNo, pageHeight);
    }
    return add(n);
  }

  public DocNode picture() {
    return add(node(DocNode.Kind.PICTURE, "picture"));
  }

  /** A chart: a picture with its data as a table ({@code kind} as docling's classes: {@code bar_chart}, ...). */
  public DocNode chart(String kind, Table data) {
    DocNode n = picture();
    n.chartKind = kind;
    n.chartData = data;
    if (data != null) {
      count(data.cells().size());
    }
    return n;
  }

  /** Adds {@code caption} (a text item created in the current parent) as the caption of {@code target}. */
  public void caption(DocNode target, DocNode caption) {
    target.captions.add(caption);
    detach(caption);
    target.children.add(caption);
  }

  // ------------------------------------------------------------------ groups

  /** Opens a group in the current parent and makes it current until {@link #close()}. */
  public DocNode open(String name, String label) {
    DocNode g = group(name, label);
    add(g);
    parents.push(g);
    return g;
  }

  public DocNode openList() {
    return open("list", "list");
  }

  public DocNode openInline() {
    return open("group", "inline");
  }

  /** Makes an existing item (a list item holding a sub-list or inline content) the current parent. */
  public void enter(DocNode item) {
    parents.push(item);
  }

  /** Closes the innermost open group or entered item. */
  public void close() {
    if (parents.isEmpty()) {
      throw new IllegalStateException("no open group to close");
    }
    parents.pop();
  }

  /** The innermost open group or entered item; null for the body. */
  public DocNode current() {
    return parents.peek();
  }

  /** How many groups are open. */
  public int depth() {
    return parents.size();
  }

  /** Closes groups until {@code depth} are open. */
  public void closeTo(int depth) {
    while (parents.size() > depth) {
      parents.pop();
    }
  }

  /**
   * Opens a group that holds the content of a table cell (docling's rich cell): it belongs to {@code table} and
   * becomes current until {@link #close()}; the cell's JSON references it.
   */
  public DocNode openRichCell(DocNode table, TableCell cell, String name) {
    DocNode g = group(name, "unspecified");
    if (table.richCells == null) {
      table.richCells = new LinkedHashMap<>();
    }
    table.richCells.put(cell, g);
    parents.push(g);
    return g;
  }

  /** Drops a rich cell group that stayed empty. */
  public void dropRichCell(DocNode table, TableCell cell) {
    if (table.richCells != null) {
      table.richCells.remove(cell);
    }
  }

  /** Replaces the table of a table item (cells found after their rich content was built). */
  public void setTable(DocNode tableNode, Table table) {
    if (tableNode.richCells != null && !tableNode.richCells.isEmpty()) {
      Map<TableCell, DocNode> byPos = new LinkedHashMap<>();
      for (Map.Entry<TableCell, DocNode> e : tableNode.richCells.entrySet()) {
        for (TableCell c : table.cells()) {
          if (c.row() == e.getKey().row() && c.col() == e.getKey().col()) {
            byPos.put(c, e.getValue());
          }
        }
      }
      tableNode.richCells = byPos;
    }
    count(Math.max(0, table.cells().size() - tableNode.table.cells().size()));
    tableNode.table = table;
  }

  /** Removes the last item added to the current parent (an item that turned out empty). */
  public void removeLast() {
    List<DocNode> siblings = parents.isEmpty() ? body : parents.peek().children;
    if (!siblings.isEmpty()) {
      siblings.remove(siblings.size() - 1);
    }
  }

  /** The items of the current parent, in order. */
  public List<DocNode> siblings() {
    return parents.isEmpty() ? body : parents.peek().children;
  }

  public boolean isEmpty() {
    return body.isEmpty();
  }

  // ------------------------------------------------------------------ build

  public DocumentModel build(String name, String filename, BigInteger hash, String mimetype) {
    return new DocumentModel(name, filename, hash, body, pages, mimetype);
  }

  private DocNode group(String name, String label) {
    DocNode g = node(DocNode.Kind.GROUP, label);
    g.groupName = name;
    g.groupLabel = label;
    return g;
  }

  private DocNode node(DocNode.Kind kind, String label) {
    count(1);
    DocNode n = new DocNode(kind, label);
    n.layer = layer;
    n.furniture = "furniture".equals(layer);
    if (pageNo > 0) {
      n.box(0, 0, 0, 0, pageNo, pageHeight);
    } else {
      n.noProv = true;
    }
    return n;
  }

  /** Sets an item's provenance box (top-left origin) on the current page. */
  public void box(DocNode n, float x0, float y0, float x1, float y1) {
    if (pageNo > 0) {
      n.box(x0, y0, x1, y1, pageNo, pageHeight);
      n.noProv = false;
    }
  }

  /** Marks an item's box as given in top-left coordinates (written as such, not flipped). */
  public void topLeft(DocNode n) {
    n.topLeftProv = true;
  }

  private DocNode add(DocNode n) {
    (parents.isEmpty() ? body : parents.peek().children).add(n);
    return n;
  }

  private void detach(DocNode n) {
    List<DocNode> siblings = parents.isEmpty() ? body : parents.peek().children;
    siblings.remove(n);
  }
}
