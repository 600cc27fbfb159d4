package io.jetmesh.pdf.formats.text;

import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.TextInput;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AsciiDoc read line by line, as docling's AsciiDoc backend does (no Java AsciiDoc parser exists without a Ruby
 * runtime; AsciidoctorJ embeds JRuby): {@code = Title}, {@code == Section} headings by level, {@code *}/{@code -}
 * and {@code .} list items nested by marker depth, {@code |===} tables (cells split on {@code |}), {@code image::}
 * pictures with a preceding {@code .Caption}, {@code ----} and {@code ....} literal blocks as code, attribute lines
 * and comments skipped, other lines joined into paragraphs.
 */
public final class AsciiDocConverter {
  private static final Pattern TITLE = Pattern.compile("^(={1,6})\\s+(.+?)\\s*=*$");
  private static final Pattern LIST = Pattern.compile("^\\s*(\\*+|-|\\.+|\\d+\\.)\\s+(.*)$");
  private static final Pattern IMAGE = Pattern.compile("^image::?([^\\[]*)\\[([^\\]]*)\\]");

  private AsciiDocConverter() {}

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    String[] lines = TextInput.read(file, cx.limits()).replace("\r\n", "\n").split("\n", -1);
    StringBuilder para = new StringBuilder();
    String caption = null;
    int listDepth = -1;
    List<Integer> depths = new ArrayList<>();
    List<DocNode> items = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if ((i & 1023) == 0) {
        cx.checkCancelled();
      }
      String line = lines[i];
      String t = line.strip();
      Matcher list = LIST.matcher(line);
      if (t.isEmpty() || t.startsWith("//") || t.matches("^:[\\w!-]+:.*") || t.matches("^\\[[^\\]]*\\]$")) {
        flush(para, tree);
        if (t.isEmpty() && listDepth >= 0 && !(i + 1 < lines.length && LIST.matcher(lines[i + 1]).matches())) {
          tree.closeTo(listDepth);
          listDepth = -1;
          depths.clear();
          items.clear();
        }
        continue;
      }
      Matcher title = TITLE.matcher(t);
      if (title.matches()) {
        flush(para, tree);
        int level = title.group(1).length();
        if (level == 1) {
          tree.title(title.group(2));
        } else {
          tree.heading(title.group(2), level - 1);
        }
        continue;
      }
      if (t.equals("|===")) {
        flush(para, tree);
        List<List<String>> rows = new ArrayList<>();
        i++;
        while (i < lines.length && !lines[i].strip().equals("|===")) {
          String r = lines[i].strip();
          if (r.startsWith("|")) {
            List<String> cells = new ArrayList<>();
            for (String c : r.substring(1).split("\\|", -1)) {
              cells.add(c.strip());
            }
            rows.add(cells);
          }
          i++;
        }
        table(rows, caption, tree);
        caption = null;
        continue;
      }
      if (t.equals("----") || t.equals("....")) {
        flush(para, tree);
        StringBuilder code = new StringBuilder();
        i++;
        while (i < lines.length && !lines[i].strip().equals(t)) {
          code.append(code.length() > 0 ? "\n" : "").append(lines[i]);
          i++;
        }
        if (!code.toString().isBlank()) {
          tree.code(code.toString(), null);
        }
        continue;
      }
      Matcher image = IMAGE.matcher(t);
      if (image.find()) {
        flush(para, tree);
        DocNode pic = tree.picture();
        if (caption != null) {
          tree.caption(pic, tree.text("caption", caption));
          caption = null;
        }
        continue;
      }
      if (t.startsWith(".") && t.length() > 1 && !Character.isWhitespace(t.charAt(1)) && t.charAt(1) != '.') {
        flush(para, tree);
        caption = t.substring(1).strip();
        continue;
      }
      if (list.matches()) {
        flush(para, tree);
        String marker = list.group(1);
        boolean ordered = marker.startsWith(".") || Character.isDigit(marker.charAt(0));
        int level = marker.equals("-") ? 0 : Character.isDigit(marker.charAt(0)) ? 0 : marker.length() - 1;
        if (listDepth < 0) {
          listDepth = tree.depth();
          tree.openList();
          depths.add(tree.depth());
          items.add(null);
        }
        while (depths.size() - 1 > level) {
          depths.remove(depths.size() - 1);
          items.remove(items.size() - 1);
        }
        tree.closeTo(depths.get(depths.size() - 1));
        while (depths.size() - 1 < level && items.get(items.size() - 1) != null) {
          tree.enter(items.get(items.size() - 1));
          tree.openList();
          depths.add(tree.depth());
          items.add(null);
        }
        DocNode item = tree.listItem(list.group(2).strip(), ordered, "", null, null);
        items.set(items.size() - 1, item);
        continue;
      }
      if (listDepth >= 0) {
        tree.closeTo(listDepth);
        listDepth = -1;
        depths.clear();
        items.clear();
      }
      para.append(para.length() > 0 ? " " : "").append(t);
    }
    flush(para, tree);
    if (listDepth >= 0) {
      tree.closeTo(listDepth);
    }
  }

  private static void flush(StringBuilder para, DocTree tree) {
    if (para.length() > 0) {
      tree.text("text", para.toString());
      para.setLength(0);
    }
  }

  private static void table(List<List<String>> rows, String caption, DocTree tree) {
    if (rows.isEmpty()) {
      return;
    }
    int width = rows.stream().mapToInt(List::size).max().orElse(0);
    List<TableCell> cells = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < rows.get(r).size(); c++) {
        cells.add(new TableCell(r, c, 1, 1, rows.get(r).get(c), r == 0, false, 0, 0, 0, 0));
      }
    }
    DocNode t = tree.table(new Table(0, 0, 0, 0, 0, rows.size(), width, cells, "asciidoc"));
    if (caption != null) {
      tree.caption(t, tree.text("caption", caption));
    }
  }
}
