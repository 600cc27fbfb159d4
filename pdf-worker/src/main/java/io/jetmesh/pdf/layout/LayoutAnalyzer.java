package io.jetmesh.pdf.layout;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns one page's glyphs into words, and words into paragraphs in reading order: the facade over the layout steps,
 * {@link WordGrouper} (glyphs to words), {@link ReadingOrder} (XY-cut into leaves), {@link LineBuilder} (words to
 * lines, with {@link BidiText} putting right-to-left lines in logical order) and {@link ParagraphBuilder} (lines to
 * paragraphs). Stateless and thread-safe.
 */
public final class LayoutAnalyzer {
  static final Pattern LIST_MARKER = Pattern.compile(
      "^([\\u2022\\u00b7\\u25aa\\u25ab\\u2023\\u2043\\u25cf\\u25cb\\u25a0\\u25a1\\u27a2\\u27a4\\u25ba\\u25b6"
          + "\\u2713\\u2714\\u2013\\u2014\\-*\\u0084\\uf0b7\\uf0a7\\uf0d8\\uf076\\uf0fc\\uf0a8]"
          + "|\\(?\\d{1,3}[.)](?!\\s*\\d{3}[-.\\s]\\d{4})|\\(?[a-zA-Z][.)]|\\(?[ivxIVX]{1,5}[.)])(\\s|$)");

  private LayoutAnalyzer() {}

  /** Groups glyphs into words (any order in, grouped by direction and baseline). */
  public static List<Word> words(PageCollector collector) {
    return WordGrouper.group(collector.glyphs());
  }

  /** Groups the glyphs of the text-only pass into words. */
  public static List<Word> words(TextContentReader reader) {
    return WordGrouper.group(reader.glyphs());
  }

  static List<Word> words(List<Glyph> glyphs) {
    return WordGrouper.group(glyphs);
  }

  /**
   * Orders the page: {@code words} (words inside tables/pictures already removed) plus {@code anchors} become
   * paragraphs and anchors in reading order.
   */
  public static List<LayoutElement> layout(List<Word> words, List<LayoutElement.Anchor> anchors) {
    List<Box> items = new ArrayList<>(words.size() + anchors.size());
    items.addAll(words);
    items.addAll(anchors);
    // leaves -> lines (anchors pass through)
    List<Box> seq = new ArrayList<>();
    boolean rtlPage = ReadingOrder.rtlDominant(words);
    LineBuilder.Context context = LineBuilder.Context.of(words, rtlPage);
    for (List<Box> leaf : ReadingOrder.leaves(items, rtlPage)) {
      List<Word> ws = new ArrayList<>();
      for (Box o : leaf) {
        if (o instanceof Word w) {
          ws.add(w);
        } else {
          seq.add(o);
        }
      }
      seq.addAll(LineBuilder.of(ws, context));
    }
    return ParagraphBuilder.of(seq);
  }

  /** NFKC (ligatures, presentation forms, compatibility characters), soft hyphens and control characters removed. */
  public static String normalize(String s) {
    String n = Normalizer.isNormalized(s, Normalizer.Form.NFKC) ? s : Normalizer.normalize(s, Normalizer.Form.NFKC);
    StringBuilder sb = null;
    for (int k = 0; k < n.length(); k++) {
      char c = n.charAt(k);
      boolean drop = c == '\u00ad' && k < n.length() - 1 || c < 0x20 && c != '\t' && c != '\n' || c == '\ufffd';
      if (drop && sb == null) {
        sb = new StringBuilder(n.length());
        sb.append(n, 0, k);
      }
      if (sb != null && !drop) {
        sb.append(c);
      }
    }
    return sb == null ? n : sb.toString();
  }
}
