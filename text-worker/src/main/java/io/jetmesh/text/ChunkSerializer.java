package io.jetmesh.text;

import io.jetmesh.text.DoclingTree.Cell;
import io.jetmesh.text.DoclingTree.Grid;
import io.jetmesh.text.DoclingTree.Node;
import io.jetmesh.text.DoclingTree.Type;
import io.jetmesh.worker.JobException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text of a document node as docling-core's {@code ChunkingDocSerializer} writes it (docling-core
 * {@code transforms/chunker/hierarchical_chunker.py}, a {@code MarkdownDocSerializer} from
 * {@code transforms/serializer/markdown.py} and {@code common.py} with images as empty placeholders and no
 * escaping of underscores or HTML):
 *
 * <ul>
 *   <li>a text is its text, with {@code **bold**}, {@code *italic*}, {@code ~~strikethrough~~} and
 *       {@code [text](hyperlink)} applied; a checkbox gets {@code - [x] } / {@code - [ ] };
 *   <li>a list item gets its Markdown marker ({@code - }, or {@code N. } when the list is enumerated and the item
 *       has no marker of its own; an original marker with a letter or digit, such as {@code a)}, is kept after
 *       {@code - }); a list is its items one per line, a nested list indented by 4 spaces per level;
 *   <li>code is fenced ({@code ```\n...\n```}), a formula is {@code $$...$$};
 *   <li>a table is its captions then its cells as triplets ({@code row, column = value. ...}) or, with
 *       {@link TableFormat#MARKDOWN}, a GitHub Markdown table ({@link GithubTable});
 *   <li>a picture is its meta or annotation texts and captions; key-value and form items are docling's
 *       {@code <!-- missing-... -->} placeholders;
 *   <li>a text that is some item's caption is serialized only with that item.
 * </ul>
 *
 * Each result also names the document items it covers ({@code spans}), which become a chunk's {@code doc_items}.
 */
final class ChunkSerializer {
  /** How tables are written. */
  enum TableFormat {
    /** docling's default {@code TripletTableSerializer}. */
    TRIPLETS,
    /** docling's {@code MarkdownTableSerializer} (docling-serve {@code chunking_use_markdown_tables}). */
    MARKDOWN
  }

  /** A serialized text and the items it covers, in order and without repeats. */
  record Result(String text, List<Node> items) {
    static final Result EMPTY = new Result("", List.of());

    static Result of(String text, List<Result> parts) {
      Map<String, Node> items = new LinkedHashMap<>();
      for (Result p : parts) {
        for (Node n : p.items) {
          items.putIfAbsent(n.ref, n);
        }
      }
      return new Result(text, List.copyOf(items.values()));
    }

    static Result of(String text, Node item) {
      return new Result(text, List.of(item));
    }
  }

  private static final Pattern INNER_TRIPLETS = Pattern.compile("^\\s*row_\\d+,\\s*col_\\d+\\s*=");
  private static final Pattern ALNUM = Pattern.compile("[a-zA-Z0-9]");
  private static final Pattern NUMBERED = Pattern.compile("\\d+\\.");

  private final DoclingTree tree;
  private final TableFormat tables;

  ChunkSerializer(DoclingTree tree, TableFormat tables) {
    this.tree = tree;
    this.tables = tables;
  }

  TableFormat tableFormat() {
    return tables;
  }

  /** docling's {@code serialize(item=node, visited=visited)}. */
  Result serialize(Node node, Set<String> visited) throws JobException {
    return serialize(node, 0, false, visited, 0);
  }

  /** A node alone, as docling's hybrid chunker serializes each item of a multi-item chunk. */
  Result serializeAlone(Node node) throws JobException {
    return serialize(node, 0, false, new HashSet<>(), 0);
  }

  private Result serialize(Node item, int listLevel, boolean inline, Set<String> visited, int depth)
      throws JobException {
    if (depth > 200) {
      throw JobException.invalidInput("DoclingDocument nesting deeper than 200 levels at " + item.ref);
    }
    visited.add(item.ref);
    List<Result> parts = new ArrayList<>();
    if (item.metaTexts != null && !excluded(item)) {
      String meta = String.join("\n\n", item.metaTexts);
      if (!meta.isEmpty()) {
        parts.add(item.type.isItem() ? Result.of(meta, item) : new Result(meta, List.of()));
      }
    }
    Result part = switch (item.type) {
      case LIST -> list(item, listLevel, inline, visited, depth);
      case INLINE -> inline(item, listLevel, visited, depth);
      case TEXT, TITLE, SECTION_HEADER, LIST_ITEM, CODE, FORMULA -> {
        if (tree.isCaption(item.ref)) {
          yield null; // docling returns an empty result: the floating item holding the caption serializes it
        }
        yield excluded(item) ? Result.EMPTY : text(item, inline, visited, depth);
      }
      case TABLE -> tables == TableFormat.MARKDOWN ? markdownTable(item, visited, depth)
          : tripletTable(item, visited, depth);
      case PICTURE -> picture(item);
      case KEY_VALUE -> excluded(item) ? Result.EMPTY : Result.of("<!-- missing-key-value-item -->", item);
      case FORM -> excluded(item) ? Result.EMPTY : Result.of("<!-- missing-form-item -->", item);
      case GROUP -> { // docling's fallback serializer: the group's parts, at list level 0
        List<Result> sub = parts(item, 0, false, visited, depth);
        yield Result.of(joinNonEmpty(sub, "\n\n"), sub);
      }
    };
    if (part == null) {
      return Result.EMPTY;
    }
    parts.add(part);
    return Result.of(joinNonEmpty(parts, "\n\n"), parts);
  }

  /** Items outside the body layer are excluded (docling's default {@code layers={BODY}}). */
  private static boolean excluded(Node n) {
    return !"body".equals(n.contentLayer);
  }

  /** docling's {@code get_parts}: the descendants of {@code item} not yet visited, each serialized. */
  private List<Result> parts(Node item, int listLevel, boolean inline, Set<String> visited, int depth)
      throws JobException {
    List<Result> parts = new ArrayList<>();
    tree.iterate(item, false, node -> {
      if (visited.add(node.ref)) {
        Result r = serialize(node, listLevel, inline, visited, depth + 1);
        if (!r.text.isEmpty()) {
          parts.add(r);
        }
      }
    });
    return parts;
  }

  private Result list(Node item, int listLevel, boolean inline, Set<String> visited, int depth) throws JobException {
    List<Result> parts = parts(item, listLevel + 1, inline, visited, depth);
    List<Result> merged = new ArrayList<>();
    for (Result p : parts) {
      // a part that comes from an inline group is glued to the item before it
      if (!merged.isEmpty() && !p.items.isEmpty() && p.items.get(0).parent != null
          && p.items.get(0).parent.type == Type.INLINE) {
        Result last = merged.remove(merged.size() - 1);
        List<Node> items = new ArrayList<>(last.items);
        items.addAll(p.items);
        merged.add(new Result(last.text + p.text, items));
      } else {
        merged.add(p);
      }
    }
    String indent = " ".repeat(listLevel * 4);
    StringBuilder sb = new StringBuilder();
    for (Result p : merged) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(!p.text.isEmpty() && p.text.charAt(0) == ' ' ? p.text : indent + p.text);
    }
    return Result.of(sb.toString(), merged);
  }

  private Result inline(Node item, int listLevel, Set<String> visited, int depth) throws JobException {
    List<Result> parts = parts(item, listLevel, true, visited, depth);
    StringBuilder sb = new StringBuilder();
    String prevText = "";
    Node prevItem = null;
    for (Result p : parts) {
      Node it = p.items.isEmpty() ? null : p.items.get(0);
      if (!prevText.isEmpty() && InlineBoundary.space(prevText, prevItem, p.text, it)) {
        sb.append(' ');
      }
      sb.append(p.text);
      prevText = p.text;
      prevItem = it;
    }
    return Result.of(sb.toString(), parts);
  }

  /** docling's {@code MarkdownTextSerializer} with escaping off. */
  private Result text(Node item, boolean inline, Set<String> visited, int depth) throws JobException {
    boolean inlineRepr = item.text.isEmpty() && item.children.size() == 1 && item.children.get(0).type == Type.INLINE;
    String text;
    boolean pending;
    if (inlineRepr) {
      text = serialize(item.children.get(0), 0, false, visited, depth + 1).text;
      pending = false;
    } else {
      text = item.text;
      pending = true;
    }
    if ("checkbox_selected".equals(item.label)) {
      text = "- [x] " + text;
    } else if ("checkbox_unselected".equals(item.label)) {
      text = "- [ ] " + text;
    }
    String part;
    if (item.type == Type.LIST_ITEM || item.type.isHeading()) {
      if (!inlineRepr) {
        text = postProcess(text, item);
        pending = false;
      }
      if (item.type == Type.LIST_ITEM) {
        part = listItem(item, text);
      } else {
        part = "#".repeat(item.type == Type.TITLE ? 1 : item.level + 1) + " " + text;
      }
    } else if (item.type == Type.CODE) {
      boolean backticks = inline || item.hyperlink != null;
      part = backticks ? "`" + text + "`" : "```\n" + text + "\n```";
    } else if (item.type == Type.FORMULA) {
      part = !text.isEmpty() ? (inline ? "$" + text + "$" : "$$" + text + "$$")
          : item.hasOrig ? "<!-- formula-not-decoded -->" : "";
    } else {
      part = text;
    }
    List<Result> parts = new ArrayList<>();
    if (!part.isEmpty()) {
      parts.add(Result.of(part, item));
    }
    if (item.type == Type.CODE) { // the only text item that is a FloatingItem
      Result cap = captions(item);
      if (!cap.text.isEmpty()) {
        parts.add(cap);
      }
    }
    String joined = joinAll(parts, inline ? " " : "\n\n");
    if (pending) {
      joined = postProcess(joined, item);
    }
    return Result.of(joined, parts);
  }

  /** The Markdown marker docling gives a list item (orig_list_item_marker_mode AUTO, ensure valid markers). */
  private String listItem(Node item, String text) {
    List<String> pieces = new ArrayList<>(3);
    String marker = item.marker;
    boolean auto = ALNUM.matcher(marker).find();
    boolean valid = marker.equals("-") || marker.equals("*") || marker.equals("+") || NUMBERED.matcher(marker).matches();
    if (!valid) {
      Node list = item.parent;
      if (list != null && list.type == Type.LIST && firstItemEnumerated(list) && marker.isEmpty()) {
        pieces.add((list.children.indexOf(item) + 1) + ".");
      } else {
        pieces.add("-");
      }
    }
    if (!marker.isEmpty() && (auto || valid)) {
      pieces.add(marker);
    }
    pieces.add(text);
    return String.join(" ", pieces);
  }

  private static boolean firstItemEnumerated(Node list) {
    return !list.children.isEmpty() && list.children.get(0).type == Type.LIST_ITEM && list.children.get(0).enumerated;
  }

  /** docling's {@code post_process}: formatting, then the hyperlink. */
  private static String postProcess(String text, Node item) {
    String res = text;
    if (item.formatting.bold()) {
      res = "**" + res + "**";
    }
    if (item.formatting.italic()) {
      res = "*" + res + "*";
    }
    if (item.formatting.strikethrough()) {
      res = "~~" + res + "~~";
    }
    if (item.hyperlink != null) {
      res = "[" + res + "](" + item.hyperlink + ")";
    }
    return res;
  }

  /** docling's {@code serialize_captions}: the caption texts joined by a space. */
  private Result captions(Node item) {
    List<Result> caps = new ArrayList<>();
    for (String ref : item.captions) {
      Node cap = tree.resolve(ref);
      if (cap != null && cap.type.isText() && !excluded(cap)) {
        caps.add(Result.of(cap.text, cap));
      }
    }
    return Result.of(joinAll(caps, " "), caps);
  }

  private Result picture(Node item) {
    List<Result> parts = new ArrayList<>();
    Result cap = captions(item);
    if (!cap.text.isEmpty()) {
      parts.add(cap);
    }
    if (!excluded(item) && item.metaTexts == null) {
      for (String a : item.annotationTexts) {
        if (!a.isEmpty()) {
          parts.add(Result.of(a, item));
        }
      }
    }
    // the image itself is docling's placeholder, empty for chunking: it adds neither text nor a span
    return Result.of(joinNonEmpty(parts, "\n\n"), parts);
  }

  /** The text of a table cell: a rich cell is the serialized item it points at. */
  private String cellText(Cell cell, Set<String> visited, int depth) throws JobException {
    if (cell.ref() != null) {
      Node target = tree.resolve(cell.ref());
      if (target != null) {
        return serialize(target, 0, false, visited, depth + 1).text;
      }
    }
    return cell.text();
  }

  private Result markdownTable(Node item, Set<String> visited, int depth) throws JobException {
    List<Result> parts = new ArrayList<>();
    Result cap = captions(item);
    if (!cap.text.isEmpty()) {
      parts.add(cap);
    }
    if (!excluded(item)) {
      Grid g = item.grid;
      List<List<String>> rows = new ArrayList<>(g.rows());
      for (Cell[] row : g.cells()) {
        List<String> r = new ArrayList<>(row.length);
        for (Cell c : row) {
          // newlines and pipes would break the Markdown table (docling escapes the pipe as an HTML entity)
          r.add(cellText(c, visited, depth).replace("\n", " ").replace("|", "&#124;"));
        }
        rows.add(r);
      }
      String table = GithubTable.render(rows);
      if (!table.isEmpty()) {
        parts.add(Result.of(table, item));
      }
    }
    return Result.of(joinAll(parts, "\n\n"), parts);
  }

  /**
   * docling's {@code TripletTableSerializer}: the table as a DataFrame (leading rows with a column header cell are
   * the column names, joined with {@code .} when there are several), then one {@code row, column = value} per
   * non-empty data cell. Rows are labelled by their first cell when the table has row-header cells, else
   * {@code row_i}; columns by their name, else {@code col_j}. A single named column gives {@code column = value}.
   */
  private Result tripletTable(Node item, Set<String> visited, int depth) throws JobException {
    List<Result> parts = new ArrayList<>();
    Result cap = captions(item);
    if (!cap.text.isEmpty()) {
      parts.add(cap);
    }
    if (excluded(item)) {
      return Result.of(joinAll(parts, "\n\n"), parts);
    }
    Grid g = item.grid;
    if (g.rows() > 0 && g.cols() > 0) {
      int headerRows = 0;
      for (Cell[] row : g.cells()) {
        boolean any = false;
        for (Cell c : row) {
          any |= c.columnHeader();
        }
        if (!any) {
          break;
        }
        headerRows++;
      }
      String[] columns = null;
      if (headerRows > 0) {
        columns = new String[g.cols()];
        java.util.Arrays.fill(columns, "");
        for (int r = 0; r < headerRows; r++) {
          for (int c = 0; c < g.cols(); c++) {
            String name = cellText(g.cells()[r][c], visited, depth);
            columns[c] += columns[c].isEmpty() ? name : "." + name;
          }
        }
      }
      int nrows = g.rows() - headerRows;
      int ncols = g.cols();
      String[][] data = new String[nrows][ncols];
      for (int r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
          data[r][c] = cellText(g.cells()[headerRows + r][c], visited, depth);
        }
      }
      if (nrows > 0) {
        boolean rowHeaders = false;
        for (Cell[] row : g.cells()) {
          for (Cell c : row) {
            rowHeaders |= c.rowHeader();
          }
        }
        boolean colHeaders = false;
        if (columns != null) {
          for (String c : columns) {
            colHeaders |= !PyText.strip(c).isEmpty();
          }
        }
        List<String> triplets = triplets(data, columns, rowHeaders, colHeaders);
        if (!triplets.isEmpty()) {
          parts.add(Result.of(String.join(". ", triplets), item));
        }
      }
    }
    return Result.of(joinAll(parts, "\n\n"), parts);
  }

  private static List<String> triplets(String[][] data, String[] columns, boolean rowHeaders, boolean colHeaders) {
    int nrows = data.length;
    int ncols = nrows == 0 ? 0 : data[0].length;
    List<String> out = new ArrayList<>();
    String[] colLabels = new String[ncols];
    for (int j = 0; j < ncols; j++) {
      String h = colHeaders ? PyText.strip(columns[j]) : "";
      colLabels[j] = h.isEmpty() ? "col_" + j : h;
    }
    if (ncols == 1 && colHeaders && !rowHeaders) {
      String name = colLabels[0];
      for (String[] row : data) {
        String v = PyText.strip(row[0]);
        if (!v.isEmpty()) {
          out.add(name + " = " + v);
        }
      }
      if (!out.isEmpty()) {
        return out;
      }
    }
    for (int i = 0; i < nrows; i++) {
      String rowLabel = "row_" + i;
      if (rowHeaders) {
        String h = PyText.strip(data[i][0]);
        rowLabel = h.isEmpty() ? rowLabel : h;
      }
      for (int j = 0; j < ncols; j++) {
        if (rowHeaders && j == 0) {
          continue;
        }
        String v = data[i][j];
        if (INNER_TRIPLETS.matcher(v).find()) {
          out.add(rowLabel + ", " + colLabels[j] + " -> " + PyText.strip(v));
          continue;
        }
        String value = PyText.strip(v);
        if (!value.isEmpty()) {
          out.add(rowLabel + ", " + colLabels[j] + " = " + value);
        }
      }
    }
    return out;
  }

  private static String joinNonEmpty(List<Result> parts, String delim) {
    StringBuilder sb = new StringBuilder();
    for (Result p : parts) {
      if (!p.text.isEmpty()) {
        if (sb.length() > 0) {
          sb.append(delim);
        }
        sb.append(p.text);
      }
    }
    return sb.toString();
  }

  /** Python's {@code delim.join([r.text for r in parts])}: empty texts keep their delimiters. */
  private static String joinAll(List<Result> parts, String delim) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        sb.append(delim);
      }
      sb.append(parts.get(i).text);
    }
    return sb.toString();
  }
}
