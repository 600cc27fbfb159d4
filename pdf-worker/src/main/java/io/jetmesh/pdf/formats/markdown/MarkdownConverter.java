package io.jetmesh.pdf.formats.markdown;

import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.docling.Formatting;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.Inline;
import io.jetmesh.pdf.formats.TextInput;
import io.jetmesh.pdf.formats.html.HtmlConverter;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.commonmark.ext.gfm.strikethrough.Strikethrough;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Markdown (CommonMark with GFM tables and strikethrough, via commonmark-java) as docling's Markdown backend reads
 * it: {@code #} headings as title and {@code ##..} as section headers by level, paragraphs with their inline
 * formatting and links, nested bullet and ordered lists (ordered lists keep their start number), fenced and
 * indented code with its language, GFM tables (header row first), images as pictures, block quotes flattened; empty
 * headings, list items and code blocks are dropped; HTML blocks go through the HTML converter.
 */
public final class MarkdownConverter {
  private static final Parser PARSER = Parser.builder()
      .extensions(List.of(TablesExtension.create(), StrikethroughExtension.create())).build();

  private final DocTree tree;
  private final ConversionContext cx;

  private MarkdownConverter(DocTree tree, ConversionContext cx) {
    this.tree = tree;
    this.cx = cx;
  }

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    String text = TextInput.read(file, cx.limits());
    convertText(text, cx, tree);
  }

  /** Converts Markdown text into the tree. */
  public static void convertText(String text, ConversionContext cx, DocTree tree) throws JobException {
    Node doc = PARSER.parse(text);
    new MarkdownConverter(tree, cx).blocks(doc);
  }

  private void blocks(Node parent) throws JobException {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNext()) {
      block(n);
    }
  }

  private void block(Node n) throws JobException {
    cx.checkCancelled();
    if (n instanceof Heading h) {
      Inline in = new Inline();
      collect(h, in, null, null, new ArrayList<>());
      if (in.isEmpty()) {
        return;
      }
      if (in.runs().size() == 1) {
        Inline.Run r = in.runs().get(0);
        DocNode item = h.getLevel() == 1 ? tree.title(r.text()) : tree.heading(r.text(), h.getLevel() - 1);
        tree.style(item, r.formatting(), r.hyperlink());
      } else {
        DocNode item = h.getLevel() == 1 ? tree.title("") : tree.heading("", h.getLevel() - 1);
        tree.enter(item);
        in.emit(tree, "text");
        tree.close();
      }
    } else if (n instanceof Paragraph p) {
      paragraph(p);
    } else if (n instanceof BulletList || n instanceof OrderedList) {
      list(n);
    } else if (n instanceof FencedCodeBlock f) {
      String code = stripFinalNewline(f.getLiteral());
      if (!code.isBlank()) {
        String info = f.getInfo() == null ? "" : f.getInfo().strip();
        tree.code(code, info.isEmpty() ? null : info.split("\\s+")[0]);
      }
    } else if (n instanceof IndentedCodeBlock c) {
      String code = stripFinalNewline(c.getLiteral());
      if (!code.isBlank()) {
        tree.code(code, null);
      }
    } else if (n instanceof BlockQuote) {
      blocks(n);
    } else if (n instanceof TableBlock t) {
      table(t);
    } else if (n instanceof HtmlBlock html) {
      HtmlConverter.convertFragment(html.getLiteral(), cx, tree);
    } else if (n instanceof ThematicBreak) {
      // no item in docling
    } else {
      blocks(n);
    }
  }

  private void paragraph(Paragraph p) throws JobException {
    // an image alone in its paragraph is a picture; images among text become pictures after the text
    List<Image> images = new ArrayList<>();
    Inline in = new Inline();
    collect(p, in, null, null, images);
    in.emit(tree, "text");
    for (Image im : images) {
      tree.picture();
    }
  }

  private void list(Node list) throws JobException {
    boolean ordered = list instanceof OrderedList;
    int start = ordered && ((OrderedList) list).getMarkerStartNumber() != null
        ? ((OrderedList) list).getMarkerStartNumber() : 1;
    boolean opened = false;
    int index = 0;
    for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
      if (!(item instanceof ListItem li)) {
        continue;
      }
      Inline in = new Inline();
      List<Image> images = new ArrayList<>();
      List<Node> rest = new ArrayList<>();
      boolean first = true;
      for (Node c = li.getFirstChild(); c != null; c = c.getNext()) {
        if (c instanceof Paragraph && first) {
          collect(c, in, null, null, images);
          first = false;
        } else {
          rest.add(c);
          first = false;
        }
      }
      if (in.isEmpty() && rest.isEmpty()) {
        continue; // docling drops empty list items
      }
      if (!opened) {
        tree.openList();
        opened = true;
      }
      DocNode node = in.emitListItem(tree, ordered, ordered ? (start + index) + "." : "");
      index++;
      if (!images.isEmpty() || !rest.isEmpty()) {
        tree.enter(node);
        for (Image im : images) {
          tree.picture();
        }
        for (Node c : rest) {
          block(c);
        }
        tree.close();
      }
    }
    if (opened) {
      tree.close();
    }
  }

  private void table(TableBlock t) {
    List<TableCell> cells = new ArrayList<>();
    int r = 0;
    int width = 0;
    for (Node section = t.getFirstChild(); section != null; section = section.getNext()) {
      boolean head = section instanceof TableHead;
      for (Node row = section.getFirstChild(); row != null; row = row.getNext()) {
        if (!(row instanceof TableRow)) {
          continue;
        }
        int c = 0;
        for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
          Inline in = new Inline();
          collect(cell, in, null, null, new ArrayList<>());
          cells.add(new TableCell(r, c, 1, 1, in.plainText(), head, false, 0, 0, 0, 0));
          c++;
        }
        width = Math.max(width, c);
        r++;
      }
    }
    if (r > 0 && width > 0) {
      tree.table(new Table(0, 0, 0, 0, 0, r, width, cells, "markdown"));
    }
  }

  /** Collects the inline content of {@code n} into runs, with the formatting and link in force. */
  private void collect(Node n, Inline in, Formatting f, String href, List<Image> images) {
    for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
      if (c instanceof Text t) {
        in.add(t.getLiteral(), f, href, false);
      } else if (c instanceof Code code) {
        in.add(code.getLiteral(), f, href, true);
      } else if (c instanceof Emphasis) {
        collect(c, in, (f == null ? Formatting.PLAIN : f).withItalic(true), href, images);
      } else if (c instanceof StrongEmphasis) {
        collect(c, in, (f == null ? Formatting.PLAIN : f).withBold(true), href, images);
      } else if (c instanceof Strikethrough) {
        collect(c, in, (f == null ? Formatting.PLAIN : f).withStrikethrough(true), href, images);
      } else if (c instanceof Link l) {
        collect(c, in, f, l.getDestination(), images);
      } else if (c instanceof Image im) {
        images.add(im);
      } else if (c instanceof SoftLineBreak || c instanceof HardLineBreak) {
        in.add(" ", f, href, false);
      } else if (c instanceof HtmlInline html) {
        String tag = html.getLiteral();
        if (!tag.startsWith("<!--") && !tag.startsWith("<") ) {
          in.add(tag, f, href, false);
        }
      } else {
        collect(c, in, f, href, images);
      }
    }
  }

  private static String stripFinalNewline(String s) {
    String t = s == null ? "" : s;
    while (t.endsWith("\n")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

}
