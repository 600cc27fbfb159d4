package io.jetmesh.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.worker.JobException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns each input format into the same list of {@link DocItem}s in reading order. */
final class DocumentReader {
  private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
  private static final Pattern LIST = Pattern.compile("^(\\s*)([-*+]|\\d{1,9}[.)])[ \\t]+(.*)$");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+|~~~+).*$");
  private static final Pattern THEMATIC = Pattern.compile("^ {0,3}([-*_])( *\\1){2,} *$");
  private static final Pattern TABLE_SEPARATOR = Pattern.compile("^\\s*\\|?\\s*:?-{1,}:?\\s*(\\|\\s*:?-{1,}:?\\s*)*\\|?\\s*$");
  private static final Pattern HTML_COMMENT_LINE = Pattern.compile("^\\s*<!--.*-->\\s*$");

  private DocumentReader() {}

  static List<DocItem> read(TextInput input) throws JobException {
    return switch (input.kind()) {
      case PLAIN -> plain(input.text());
      case MARKDOWN -> markdown(input.text());
      case DOCLING -> docling(input.json());
      case TEXTS -> {
        List<DocItem> items = new ArrayList<>();
        List<String> texts = input.texts();
        for (int i = 0; i < texts.size(); i++) {
          items.add(DocItem.of(DocItem.Kind.PARAGRAPH, texts.get(i), "#/texts/" + i));
        }
        yield items;
      }
      case CHUNKS -> {
        List<DocItem> items = new ArrayList<>();
        int i = 0;
        for (JsonNode c : input.json()) {
          if (!c.path("text").isTextual()) {
            throw JobException.invalidInput("chunks[" + i + "] has no text field");
          }
          items.add(new DocItem(DocItem.Kind.PARAGRAPH, c.get("text").asText(), 0, ints(c.path("pages")),
              "#/chunks/" + i, null));
          i++;
        }
        yield items;
      }
    };
  }

  // ---------------------------------------------------------------- plain text

  /** Paragraphs are separated by blank lines; the ref names the paragraph's first line ({@code #/lines/7}). */
  static List<DocItem> plain(String text) {
    List<DocItem> items = new ArrayList<>();
    StringBuilder para = new StringBuilder();
    int paraStart = 0;
    int lineNo = 0;
    int pos = 0;
    int len = text.length();
    while (pos <= len) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? len : nl;
      String line = text.substring(pos, end);
      lineNo++;
      if (line.isBlank()) {
        flushParagraph(items, para, paraStart);
      } else {
        if (para.length() == 0) {
          paraStart = lineNo;
        } else {
          para.append('\n');
        }
        para.append(stripCr(line));
      }
      if (nl < 0) {
        break;
      }
      pos = nl + 1;
    }
    flushParagraph(items, para, paraStart);
    return items;
  }

  private static void flushParagraph(List<DocItem> items, StringBuilder para, int line) {
    if (para.length() > 0) {
      items.add(DocItem.of(DocItem.Kind.PARAGRAPH, para.toString().strip(), "#/lines/" + line));
      para.setLength(0);
    }
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  // ---------------------------------------------------------------- Markdown

  /**
   * A CommonMark subset that covers what converters emit: ATX and setext headings, paragraphs, bullet and numbered
   * lists (continuation lines folded in), pipe tables, fenced code and block quotes. Inline markup is kept as is.
   */
  static List<DocItem> markdown(String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = stripCr(lines[i]);
    }
    List<DocItem> items = new ArrayList<>();
    StringBuilder para = new StringBuilder();
    int paraStart = 0;
    int i = 0;
    while (i < lines.length) {
      String line = lines[i];
      int lineNo = i + 1;
      Matcher m;
      if (line.isBlank() || HTML_COMMENT_LINE.matcher(line).matches()) {
        flushParagraph(items, para, paraStart);
        i++;
      } else if ((m = FENCE.matcher(line)).matches()) {
        flushParagraph(items, para, paraStart);
        String fence = m.group(1);
        StringBuilder code = new StringBuilder();
        i++;
        while (i < lines.length && !lines[i].strip().startsWith(fence)) {
          if (code.length() > 0) {
            code.append('\n');
          }
          code.append(lines[i]);
          i++;
        }
        i++; // closing fence (or end of input)
        if (!code.toString().isBlank()) {
          items.add(DocItem.of(DocItem.Kind.CODE, code.toString(), "#/lines/" + lineNo));
        }
      } else if ((m = ATX.matcher(line)).matches()) {
        flushParagraph(items, para, paraStart);
        String title = m.group(2) == null ? "" : m.group(2).strip();
        if (!title.isEmpty()) {
          items.add(new DocItem(DocItem.Kind.HEADING, title, m.group(1).length(), List.of(), "#/lines/" + lineNo, null));
        }
        i++;
      } else if (para.length() > 0 && SETEXT.matcher(line).matches() && para.indexOf("\n") < 0) {
        // "Title\n=====" or "Title\n-----": the paragraph line above is a heading
        int level = line.strip().startsWith("=") ? 1 : 2;
        items.add(new DocItem(DocItem.Kind.HEADING, para.toString().strip(), level, List.of(), "#/lines/" + paraStart, null));
        para.setLength(0);
        i++;
      } else if (THEMATIC.matcher(line).matches()) {
        flushParagraph(items, para, paraStart);
        i++;
      } else if (line.strip().startsWith("|") && i + 1 < lines.length && TABLE_SEPARATOR.matcher(lines[i + 1]).matches()
          || line.strip().startsWith("|") && line.strip().endsWith("|") && line.strip().length() > 1) {
        flushParagraph(items, para, paraStart);
        List<List<String>> rows = new ArrayList<>();
        int header = 0;
        while (i < lines.length && lines[i].strip().startsWith("|")) {
          if (TABLE_SEPARATOR.matcher(lines[i]).matches() && lines[i].contains("-")) {
            header = rows.size();
          } else {
            rows.add(splitRow(lines[i]));
          }
          i++;
        }
        DocItem.Table table = new DocItem.Table(rows, header, "");
        items.add(new DocItem(DocItem.Kind.TABLE, table.toMarkdown(), 0, List.of(), "#/lines/" + lineNo, table));
      } else if ((m = LIST.matcher(line)).matches() && (para.length() == 0 || !m.group(2).matches("\\d.*"))) {
        flushParagraph(items, para, paraStart);
        int indent = m.group(1).length();
        StringBuilder item = new StringBuilder(m.group(3).strip());
        i++;
        // continuation lines: indented deeper than the marker and not a new item
        while (i < lines.length && !lines[i].isBlank() && !LIST.matcher(lines[i]).matches()
            && leadingSpaces(lines[i]) > indent && !FENCE.matcher(lines[i]).matches()) {
          item.append(' ').append(lines[i].strip());
          i++;
        }
        String marker = m.group(2).matches("\\d.*") ? m.group(2) : "-";
        items.add(DocItem.of(DocItem.Kind.LIST_ITEM, marker + " " + item, "#/lines/" + lineNo));
      } else {
        String content = line.stripLeading().startsWith(">") ? line.stripLeading().replaceFirst("^>+\\s?", "") : line.strip();
        if (para.length() == 0) {
          paraStart = lineNo;
        } else {
          para.append('\n');
        }
        para.append(content);
        i++;
      }
    }
    flushParagraph(items, para, paraStart);
    return items;
  }

  private static int leadingSpaces(String s) {
    int n = 0;
    while (n < s.length() && (s.charAt(n) == ' ' || s.charAt(n) == '\t')) {
      n++;
    }
    return n;
  }

  private static List<String> splitRow(String line) {
    String s = line.strip();
    if (s.startsWith("|")) {
      s = s.substring(1);
    }
    if (s.endsWith("|") && !s.endsWith("\\|")) {
      s = s.substring(0, s.length() - 1);
    }
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '\\' && k + 1 < s.length() && s.charAt(k + 1) == '|') {
        cell.append('|');
        k++;
      } else if (c == '|') {
        cells.add(cell.toString().strip());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString().strip());
    return cells;
  }

  // ---------------------------------------------------------------- DoclingDocument

  /**
   * Walks the document tree from {@code body} in reading order. Furniture (page headers and footers) is skipped, as
   * docling's chunkers do; captions are attached to their table; pictures contribute their captions.
   */
  static List<DocItem> docling(JsonNode doc) throws JobException {
    JsonNode body = doc.get("body");
    if (body == null || !body.isObject()) {
      throw JobException.invalidInput("DoclingDocument has no body");
    }
    List<DocItem> items = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    walk(doc, body, items, seen, 0);
    return items;
  }

  private static void walk(JsonNode doc, JsonNode node, List<DocItem> items, Set<String> seen, int depth) throws JobException {
    if (depth > 200) {
      throw JobException.invalidInput("DoclingDocument nesting deeper than 200 levels at " + node.path("self_ref").asText());
    }
    for (JsonNode child : node.path("children")) {
      String ref = child.path("$ref").asText("");
      if (ref.isEmpty() || !seen.add(ref)) {
        continue;
      }
      JsonNode item = resolve(doc, ref);
      if (item == null) {
        throw JobException.invalidInput("DoclingDocument reference " + ref + " points at nothing");
      }
      if ("furniture".equals(item.path("content_layer").asText("body"))) {
        continue;
      }
      visit(doc, ref, item, items, seen, depth);
    }
  }

  private static void visit(JsonNode doc, String ref, JsonNode item, List<DocItem> items, Set<String> seen, int depth)
      throws JobException {
    String label = item.path("label").asText("");
    List<Integer> pages = pages(item);
    String text = item.path("text").asText("").strip();
    if (ref.startsWith("#/tables/")) {
      DocItem.Table table = table(item, captionText(doc, item, seen));
      if (!table.rows().isEmpty() || !table.caption().isEmpty()) {
        items.add(new DocItem(DocItem.Kind.TABLE, table.toMarkdown(), 0, pages, ref, table));
      }
      return;
    }
    if (ref.startsWith("#/pictures/")) {
      String caption = captionText(doc, item, seen);
      if (!caption.isEmpty()) {
        items.add(new DocItem(DocItem.Kind.CAPTION, caption, 0, pages, ref, null));
      }
      // text found inside the picture (OCR of a chart) is not body text; skip its children
      for (JsonNode c : item.path("children")) {
        seen.add(c.path("$ref").asText(""));
      }
      return;
    }
    if (ref.startsWith("#/groups/") || ref.startsWith("#/key_value_items/") || ref.startsWith("#/form_items/")) {
      walk(doc, item, items, seen, depth + 1);
      return;
    }
    switch (label) {
      case "title" -> items.add(new DocItem(DocItem.Kind.TITLE, text, 0, pages, ref, null));
      case "section_header" -> items.add(new DocItem(DocItem.Kind.HEADING, text, Math.max(1, item.path("level").asInt(1)),
          pages, ref, null));
      case "list_item" -> {
        String marker = item.path("enumerated").asBoolean(false) && !item.path("marker").asText("").isBlank()
            ? item.path("marker").asText().strip() : "-";
        items.add(new DocItem(DocItem.Kind.LIST_ITEM, marker + " " + text, 0, pages, ref, null));
      }
      case "code" -> items.add(new DocItem(DocItem.Kind.CODE, text, 0, pages, ref, null));
      case "formula" -> items.add(new DocItem(DocItem.Kind.FORMULA, text, 0, pages, ref, null));
      case "caption" -> items.add(new DocItem(DocItem.Kind.CAPTION, text, 0, pages, ref, null));
      case "page_header", "page_footer" -> { }
      default -> {
        if (!text.isEmpty()) {
          items.add(new DocItem(DocItem.Kind.PARAGRAPH, text, 0, pages, ref, null));
        }
      }
    }
    if (item.path("children").size() > 0) {
      walk(doc, item, items, seen, depth + 1);
    }
  }

  private static JsonNode resolve(JsonNode doc, String ref) {
    if (!ref.startsWith("#/")) {
      return null;
    }
    JsonNode n = doc.at(ref.substring(1));
    return n.isMissingNode() ? null : n;
  }

  private static String captionText(JsonNode doc, JsonNode item, Set<String> seen) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : item.path("captions")) {
      String ref = c.path("$ref").asText("");
      seen.add(ref);
      JsonNode cap = resolve(doc, ref);
      if (cap != null && !cap.path("text").asText("").isBlank()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(cap.path("text").asText().strip());
      }
    }
    return sb.toString();
  }

  private static DocItem.Table table(JsonNode item, String caption) {
    JsonNode data = item.path("data");
    int nRows = data.path("num_rows").asInt(0);
    int nCols = data.path("num_cols").asInt(0);
    JsonNode cells = data.path("table_cells");
    for (JsonNode c : cells) {
      nRows = Math.max(nRows, c.path("end_row_offset_idx").asInt(0));
      nCols = Math.max(nCols, c.path("end_col_offset_idx").asInt(0));
    }
    // Bound the grid: a corrupt document must not make us allocate rows x cols in the billions.
    if ((long) nRows * nCols > 1_000_000L) {
      nRows = 0;
    }
    String[][] grid = new String[nRows][nCols];
    boolean[] headerRow = new boolean[nRows];
    java.util.Arrays.fill(headerRow, nRows > 0);
    boolean[] rowHasCell = new boolean[nRows];
    for (JsonNode c : cells) {
      int r0 = c.path("start_row_offset_idx").asInt(0);
      int r1 = Math.min(nRows, c.path("end_row_offset_idx").asInt(r0 + 1));
      int c0 = c.path("start_col_offset_idx").asInt(0);
      int c1 = Math.min(nCols, c.path("end_col_offset_idx").asInt(c0 + 1));
      String t = c.path("text").asText("").strip();
      boolean header = c.path("column_header").asBoolean(false);
      for (int r = Math.max(0, r0); r < r1; r++) {
        rowHasCell[r] = true;
        if (!header) {
          headerRow[r] = false;
        }
        for (int k = Math.max(0, c0); k < c1; k++) {
          grid[r][k] = t;
        }
      }
    }
    List<List<String>> rows = new ArrayList<>();
    int headerRows = 0;
    boolean inHeader = true;
    for (int r = 0; r < nRows; r++) {
      if (!rowHasCell[r]) {
        continue;
      }
      List<String> row = new ArrayList<>(nCols);
      for (int k = 0; k < nCols; k++) {
        row.add(grid[r][k] == null ? "" : grid[r][k]);
      }
      rows.add(row);
      if (inHeader && headerRow[r]) {
        headerRows++;
      } else {
        inHeader = false;
      }
    }
    if (headerRows == rows.size() && rows.size() > 1) {
      headerRows = 1; // every cell flagged as header: keep the first row only as the repeated header
    }
    return new DocItem.Table(rows, headerRows, caption);
  }

  private static List<Integer> pages(JsonNode item) {
    Set<Integer> pages = new LinkedHashSet<>();
    for (JsonNode p : item.path("prov")) {
      if (p.path("page_no").canConvertToInt()) {
        pages.add(p.path("page_no").asInt());
      }
    }
    return List.copyOf(pages);
  }

  private static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode n : array) {
      if (n.canConvertToInt()) {
        out.add(n.asInt());
      }
    }
    return out;
  }
}
