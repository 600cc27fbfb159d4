package io.jetmesh.pdf.formats;

import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.docling.Formatting;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A paragraph's inline content as docling keeps it: runs of text with one formatting, link and code flag each.
 * Adjacent runs that agree are merged; a paragraph of one run becomes one text item, a paragraph of several an
 * {@code inline} group of text items (rendered joined by spaces). Shared by the HTML, Markdown and Office
 * converters.
 */
public final class Inline {
  /** Runs of HTML/XML whitespace (not Unicode spaces such as NBSP, which are content). */
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\n\\r\\f\\u000b]+");
  /** One run: stripped text, its formatting (null = plain), link target (null = none), and whether it is code. */
  public record Run(String text, Formatting formatting, String hyperlink, boolean code) {
    boolean sameStyle(Run o) {
      return java.util.Objects.equals(norm(formatting), norm(o.formatting))
          && java.util.Objects.equals(hyperlink, o.hyperlink) && code == o.code;
    }

    private static Formatting norm(Formatting f) {
      return f == null || f.isPlain() ? null : f;
    }
  }

  private final List<Run> runs = new ArrayList<>();
  private boolean pendingSpace;

  /** Appends text with a style; whitespace at the edges separates runs, inner whitespace is kept as one space. */
  public Inline add(String text, Formatting f, String href, boolean code) {
    if (text == null || text.isEmpty()) {
      return this;
    }
    String collapsed = code ? text : WHITESPACE.matcher(text).replaceAll(" ");
    boolean lead = !collapsed.isEmpty() && Character.isWhitespace(collapsed.charAt(0));
    String t = collapsed.strip();
    if (t.isEmpty()) {
      pendingSpace |= !collapsed.isEmpty();
      return this;
    }
    Run r = new Run(t, f == null || f.isPlain() ? null : f, href, code);
    if (!runs.isEmpty() && runs.get(runs.size() - 1).sameStyle(r)) {
      Run last = runs.remove(runs.size() - 1);
      String sep = pendingSpace || lead ? " " : "";
      runs.add(new Run(last.text + sep + t, last.formatting, last.hyperlink, last.code));
    } else {
      runs.add(r);
    }
    pendingSpace = !collapsed.isEmpty() && Character.isWhitespace(collapsed.charAt(collapsed.length() - 1));
    return this;
  }

  public Inline add(Run r) {
    return add(r.text, r.formatting, r.hyperlink, r.code);
  }

  public boolean isEmpty() {
    return runs.isEmpty();
  }

  public List<Run> runs() {
    return List.copyOf(runs);
  }

  /** The plain text of all runs joined by spaces. */
  public String plainText() {
    StringBuilder sb = new StringBuilder();
    for (Run r : runs) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(r.text);
    }
    return sb.toString();
  }

  public void clear() {
    runs.clear();
    pendingSpace = false;
  }

  /** Emits the runs as one item labelled {@code label}, or an inline group of items; returns the item or group. */
  public DocNode emit(DocTree tree, String label) {
    if (runs.isEmpty()) {
      return null;
    }
    if (runs.size() == 1) {
      return item(tree, runs.get(0), label);
    }
    DocNode g = tree.openInline();
    for (Run r : runs) {
      item(tree, r, "text");
    }
    tree.close();
    return g;
  }

  /** Emits the runs as a list item (one run) or an empty list item holding an inline group. */
  public DocNode emitListItem(DocTree tree, boolean enumerated, String marker) {
    if (runs.size() == 1 && !runs.get(0).code) {
      Run r = runs.get(0);
      return tree.listItem(r.text, enumerated, marker, r.formatting, r.hyperlink);
    }
    DocNode li = tree.listItem("", enumerated, marker, null, null);
    if (!runs.isEmpty()) {
      tree.enter(li);
      tree.openInline();
      for (Run r : runs) {
        item(tree, r, "text");
      }
      tree.close();
      tree.close();
    }
    return li;
  }

  private static DocNode item(DocTree tree, Run r, String label) {
    if (r.code) {
      return tree.style(tree.code(r.text, null), r.formatting, r.hyperlink);
    }
    return tree.text(label, r.text, r.formatting, r.hyperlink);
  }
}
