package io.jetmesh.pdf.docling;

import io.jetmesh.pdf.tables.Table;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Labels the paragraphs of all pages and builds the document tree: page headers and footers (by position, repetition
 * across pages and page-number patterns), title and section headers (font size and weight relative to the body
 * text, numbering like {@code 1.2} for the level), list items with markers and nesting by indent, captions attached
 * to their table or picture, footnotes, code (monospace) and formulas (math fonts).
 *
 * <p>Works on {@link PageResult}s, which hold no per-glyph data, so the whole document fits in little memory.
 */
public final class DocumentBuilder {
  private static final Pattern CAPTION = Pattern.compile(
      "^(Figure|Fig\\.?|Table|Tab\\.|Listing|Chart|Scheme|Algorithm|Exhibit|Plate)\\s*[0-9IVXivx]+([.\\-][0-9]+)*"
          + "\\s*[.:\\-\u2013\u2014]?(\\s|$)");
  private static final Pattern LIST = Pattern.compile(
      "^(?<m>[\\u2022\\u00b7\\u25aa\\u25ab\\u2023\\u2043\\u25cf\\u25cb\\u25a0\\u25a1\\u27a2\\u27a4\\u25ba\\u25b6"
          + "\\u2713\\u2714\\u2013\\u2014\\-*\\u0084\\uf0b7\\uf0a7\\uf0d8\\uf076\\uf0fc\\uf0a8](\\s*[\\u0084])*"
          // "(123) 456-7890" is a phone number, not item 123
          + "|\\(?\\d{1,3}[.)](?!\\s*\\d{3}[-.\\s]\\d{4})|\\(?[a-z][.)]|\\(?[ivx]{1,5}[.)])\\s+(?<t>\\S.*)$",
      Pattern.DOTALL);
  private static final Pattern NUMBERED_HEADING = Pattern.compile("^(\\d+(\\.\\d+)*|[A-Z](\\.\\d+)+)\\.?\\s+\\S");
  /**
   * Numbering that opens a heading in the conventions of many scripts: {@code 1}, {@code 1.2.3}, {@code (1)},
   * {@code 1)}, Roman {@code I.} (also {@code Ⅰ.}, which NFKC folds to {@code I}), {@code A.}, Korean
   * {@code 제1장} and {@code 가.}, Chinese and Japanese {@code 第一章} and {@code 一、}.
   */
  private static final Pattern HEADING_NUMBER = Pattern.compile(
      "^(?:\\d{1,2}(?:\\.\\d{1,2})*\\.?|\\(\\d{1,2}\\)|\\d{1,2}\\)|[IVXLC]{1,6}\\.|[A-Z]\\.|[A-Z](?:\\.\\d+)+"
          + "|\uc81c\\s?\\d{1,3}\\s?[\uc7a5\uc808\ud3b8\ubd80\uc870\ud56d]"
          + "|\u7b2c[0-9\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341\u767e\u96f6\u3007]{1,4}"
          + "[\u7ae0\u7bc0\u8282\u90e8\u7bc7\u689d\u6761\u56de]"
          + "|[\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341]{1,3}[\u3001\uff0e]"
          + "|[\uac00\ub098\ub2e4\ub77c\ub9c8\ubc14\uc0ac\uc544\uc790\ucc28\uce74\ud0c0\ud30c\ud558][.)])"
          + "(?:\\s+|(?<=[\uc7a5\uc808\ud3b8\ubd80\uc870\ud56d\u7ae0\u7bc0\u8282\u90e8\u7bc7\u689d\u6761\u56de\u3001\uff0e])\\s*)"
          + "[^\\s\\d]");
  /** A table-of-contents entry: text, then dot leaders or a wide gap, then a page number. */
  private static final Pattern TOC_ENTRY =
      Pattern.compile(".*\\S(\\s*[.\u00b7\u2026_\u2024\u2025\u30fb\u2219]){3,}\\s*[\\dIVXivx]{1,5}$");
  /** Page numbers only, one or many (a column of them beside contents entries). */
  private static final Pattern PAGE_NUMBERS = Pattern.compile("[\\divxlcIVXLC]{1,5}(\\s+[\\divxlcIVXLC]{1,5})*");
  private static final Pattern PAGE_NUMBER = Pattern.compile(
      "^(page\\s*)?[\\divxlcIVXLC]{1,6}([\\-\u2013/. ]+[\\dIVX]{1,6})?(\\s*(of|/)\\s*\\d+)?$", Pattern.CASE_INSENSITIVE);
  /** Share of the page height at the top and bottom where running headers and footers live. */
  private static final float TOP_BAND = 0.135f;
  private static final float BOTTOM_BAND = 0.11f;

  private final List<PageResult> pages;
  private float bodySize = 10f;
  private float bodyBold;
  private float bodyItalic;

  private DocumentBuilder(List<PageResult> pages) {
    this.pages = pages;
  }

  /** Builds the document tree. */
  public static DocumentModel build(String name, String filename, BigInteger hash, List<PageResult> pages) {
    return new DocumentBuilder(pages).build(name, filename, hash);
  }

  private DocumentModel build(String name, String filename, BigInteger hash) {
    bodyStats();
    Map<String, Integer> repeats = repeatedBandTexts();
    List<float[]> headingSizes = headingSizes();
    Map<Integer, float[]> sizes = new TreeMap<>();
    List<DocNode> flat = new ArrayList<>();
    boolean titleSeen = false;
    float maxSize = maxFontSize();
    for (PageResult p : pages) {
      sizes.put(p.pageNo(), new float[] {p.width(), p.height()});
      List<DocNode> pageNodes = new ArrayList<>();
      List<DocNode> tableNodes = new ArrayList<>();
      List<DocNode> pictureNodes = new ArrayList<>();
      for (int i = 0; i < p.tables().size(); i++) {
        Table t = p.tables().get(i);
        DocNode n = new DocNode(DocNode.Kind.TABLE, "table");
        n.table = t;
        n.box(t.x0(), t.y0(), t.x1(), t.y1(), p.pageNo(), p.height());
        tableNodes.add(n);
      }
      for (PageResult.Picture pic : p.pictures()) {
        DocNode n = new DocNode(DocNode.Kind.PICTURE, "picture");
        n.box(pic.x0(), pic.y0(), pic.x1(), pic.y1(), p.pageNo(), p.height());
        for (Para t : pic.texts()) {
          DocNode c = textNode("text", t, p);
          n.children.add(c);
        }
        pictureNodes.add(n);
      }
      List<DocNode> captions = new ArrayList<>();
      for (Object o : p.flow()) {
        if (o instanceof PageResult.Region r) {
          pageNodes.add("table".equals(r.kind()) ? tableNodes.get(r.index()) : pictureNodes.get(r.index()));
          continue;
        }
        Para para = (Para) o;
        String label = classify(para, p, repeats);
        if ("section_header".equals(label) && !titleSeen && p.pageNo() == 1 && para.fontSize() >= 1.5f * bodySize
            && para.fontSize() >= maxSize - 0.5f && para.y0() < p.height() * 0.4f) {
          label = "title";
          titleSeen = true;
        }
        DocNode n = textNode(label, para, p);
        if ("section_header".equals(label)) {
          n.level = level(para, headingSizes);
        } else if ("list_item".equals(label)) {
          Matcher m = LIST.matcher(para.text());
          if (m.matches()) {
            n.marker = m.group("m").strip();
            n.text = m.group("t").strip();
            n.enumerated = Character.isLetterOrDigit(n.marker.replace("(", "").charAt(0));
          }
          n.indent = para.x0();
        } else if ("caption".equals(label)) {
          captions.add(n);
        }
        pageNodes.add(n);
      }
      attachCaptions(captions, pageNodes, p);
      flat.addAll(pageNodes);
    }
    return new DocumentModel(name, filename, hash, groupLists(flat), sizes);
  }

  private DocNode textNode(String label, Para para, PageResult p) {
    DocNode n = new DocNode(DocNode.Kind.TEXT, label);
    n.text = para.text();
    n.orig = para.text();
    n.box(para.x0(), para.y0(), para.x1(), para.y1(), p.pageNo(), p.height());
    n.furniture = "page_header".equals(label) || "page_footer".equals(label);
    return n;
  }

  // ---------------------------------------------------------------- statistics

  private void bodyStats() {
    Map<Integer, Integer> hist = new HashMap<>();
    Map<Integer, Integer> all = new HashMap<>();
    long chars = 0;
    double bold = 0;
    double italic = 0;
    for (PageResult p : pages) {
      p.charsBySize().forEach((size, n) -> all.merge(size, n, Integer::sum));
      for (Object o : p.flow()) {
        if (o instanceof Para para) {
          int n = para.text().length();
          hist.merge(Math.round(para.fontSize() * 2), n, Integer::sum);
          chars += n;
          bold += para.boldFraction() * n;
          italic += para.italicFraction() * n;
        }
      }
    }
    // the body size is the commonest size of all the text, tables included: a document of headings over tables
    // has its body text in the tables
    (all.isEmpty() ? hist : all).entrySet().stream().max(Map.Entry.comparingByValue())
        .ifPresent(e -> bodySize = e.getKey() / 2f);
    bodyBold = chars == 0 ? 0 : (float) (bold / chars);
    bodyItalic = chars == 0 ? 0 : (float) (italic / chars);
  }

  private float maxFontSize() {
    float m = 0;
    for (PageResult p : pages) {
      for (Object o : p.flow()) {
        if (o instanceof Para para && para.text().length() > 2) {
          m = Math.max(m, para.fontSize());
        }
      }
    }
    return m;
  }

  private static String bandKey(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\d+", "#").replaceAll("\\s+", " ").strip();
  }

  /** Texts in the top/bottom bands, counted by page (digits folded, so "Page 3" and "Page 4" repeat). */
  private Map<String, Integer> repeatedBandTexts() {
    Map<String, Integer> counts = new HashMap<>();
    for (PageResult p : pages) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (Object o : p.flow()) {
        if (o instanceof Para para && inBand(para, p) != 0 && seen.add(bandKey(para.text()))) {
          counts.merge(bandKey(para.text()), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /** -1 top band, +1 bottom band, 0 neither. */
  private static int inBand(Para para, PageResult p) {
    if (para.y1() <= p.height() * TOP_BAND) {
      return -1;
    }
    if (para.y0() >= p.height() * (1 - BOTTOM_BAND)) {
      return 1;
    }
    return 0;
  }

  private List<float[]> headingSizes() {
    // distinct font sizes of heading candidates, largest first, merged within 0.6 pt
    List<Float> sizes = new ArrayList<>();
    for (PageResult p : pages) {
      for (Object o : p.flow()) {
        if (o instanceof Para para && looksLikeHeading(para)) {
          sizes.add(para.fontSize());
        }
      }
    }
    sizes.sort(Comparator.reverseOrder());
    List<float[]> out = new ArrayList<>();
    for (float s : sizes) {
      if (out.isEmpty() || out.get(out.size() - 1)[0] - s > 0.6f) {
        out.add(new float[] {s});
      }
    }
    return out;
  }

  private int level(Para para, List<float[]> sizes) {
    Matcher m = NUMBERED_HEADING.matcher(para.text());
    if (m.find()) {
      String num = m.group(1);
      return Math.min(6, num.split("\\.").length);
    }
    int rank = 0;
    for (int i = 0; i < sizes.size(); i++) {
      if (para.fontSize() >= sizes.get(i)[0] - 0.6f) {
        rank = i;
        break;
      }
      rank = i;
    }
    return Math.min(6, rank + 1);
  }

  // ---------------------------------------------------------------- labels

  private boolean looksLikeHeading(Para para) {
    String t = para.text();
    if (para.lineCount() > 3 || t.length() > 200 || t.length() < 2 || !t.codePoints().anyMatch(Character::isLetter)
        || !Character.isLetterOrDigit(t.codePointAt(0)) && "\"'\u201c\u00a7(".indexOf(t.charAt(0)) < 0) {
      return false;
    }
    if (para.monoFraction() > 0.8f || CAPTION.matcher(t).find() || TOC_ENTRY.matcher(t).matches()) {
      return false;
    }
    boolean bigger = para.fontSize() >= bodySize * 1.15f;
    boolean bold = emphasized(para);
    boolean sentence = t.endsWith(".") && !NUMBERED_HEADING.matcher(t).find() || t.endsWith(",") || t.endsWith(";");
    if (sentence && t.length() > 60) {
      return false;
    }
    // a one-word label ("Name:", "Total:") introduces what follows it; only a clearly larger one heads a section
    if (t.endsWith(":") && t.indexOf(' ') < 0 && para.fontSize() < bodySize * 1.3f) {
      return false;
    }
    if (LIST.matcher(t).matches() && !NUMBERED_HEADING.matcher(t).find() && !HEADING_NUMBER.matcher(t).find()) {
      return false;
    }
    if (bigger) {
      return t.length() <= 200;
    }
    return bold && t.length() <= 120 && para.lineCount() <= 2 && !sentence;
  }

  /** Bold (or italic) throughout, in a document whose body text is not, at about the body size. */
  private boolean emphasized(Para para) {
    return (para.boldFraction() > 0.8f && bodyBold < 0.5f || para.italicFraction() > 0.9f && bodyItalic < 0.5f)
        && para.fontSize() >= bodySize * 0.95f;
  }

  /**
   * A paragraph with a short one beside it on the same text line: a label and its value (a form field, a key-value
   * layout, a table without rulings), not a heading, which has its line to itself. A paragraph of another column
   * beside it is taller than one line and does not count.
   */
  private static boolean hasValueBeside(Para para, PageResult p) {
    float h = para.y1() - para.y0();
    for (Object o : p.flow()) {
      if (!(o instanceof Para q) || q == para) {
        continue;
      }
      float qh = q.y1() - q.y0();
      float overlap = Math.min(para.y1(), q.y1()) - Math.max(para.y0(), q.y0());
      boolean beside = q.x0() >= para.x1() - 1f || q.x1() <= para.x0() + 1f;
      // a column of page numbers beside entries makes them a table of contents, however many lines it has
      boolean numbers = PAGE_NUMBERS.matcher(q.text()).matches();
      if (beside && overlap >= 0.5f * Math.min(h, qh) && (numbers || qh <= 2.5f * Math.max(h, para.fontSize() * 1.2f))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a paragraph set apart by emphasis alone (no larger size, no numbering) is set apart by space too (the
   * white space above or below it is wider than half a line) or heads a body paragraph right below it (a run-in
   * heading). Emphasised lines among other short lines follow the line pitch of the text around them.
   */
  private static boolean setApart(Para para, PageResult p) {
    Para above = null;
    Para below = null;
    for (Object o : p.flow()) {
      if (!(o instanceof Para q) || q == para) {
        continue;
      }
      boolean xOverlap = Math.min(q.x1(), para.x1()) - Math.max(q.x0(), para.x0()) > 0;
      if (!xOverlap) {
        continue;
      }
      // line boxes of consecutive lines may overlap by their ascenders and descenders
      float slack = 0.4f * (para.y1() - para.y0());
      if (q.y1() <= para.y0() + slack && inBand(q, p) >= 0 && (above == null || q.y1() > above.y1())) {
        above = q;
      } else if (q.y0() >= para.y1() - slack && inBand(q, p) <= 0 && (below == null || q.y0() < below.y0())) {
        below = q;
      }
    }
    float space = 0.5f * para.fontSize();
    boolean bodyBelow = below != null && below.lineCount() >= 2 && below.text().length() >= 100
        && below.boldFraction() < 0.5f && below.italicFraction() < 0.5f;
    return above != null && para.y0() - above.y1() >= space || below != null && below.y0() - para.y1() >= space
        || above == null && below == null || bodyBelow;
  }

  /**
   * A heading candidate in its page: not a label beside its value; set apart when only emphasis marks it; and, unless
   * clearly larger than the body text, aligned with the text or centred (an indented emphasised line is a quote or a
   * label, a title centred over an infobox or a form box is not the page's heading).
   */
  private boolean headingOnPage(Para para, PageResult p) {
    if (hasValueBeside(para, p) || inDrawing(para, p)) {
      return false;
    }
    if (para.fontSize() < bodySize * 1.3f && !alignedOrCentred(para, p)) {
      return false;
    }
    boolean bigger = para.fontSize() >= bodySize * 1.15f;
    boolean numbered = HEADING_NUMBER.matcher(para.text()).find();
    if (!bigger && !numbered && labelsRegionBelow(para, p)) {
      return false;
    }
    return bigger || numbered || setApart(para, p);
  }

  /**
   * Whether the paragraph is a label inside a drawn box: a text box, a shape of a flowchart, a chart's area, a
   * figure's border. The box leaves room around the text (more than two lines' height; a heading boxed by its
   * paragraph border is hugged by it) and holds no running text (a sidebar's title over its paragraphs still heads
   * them).
   */
  private static boolean inDrawing(Para para, PageResult p) {
    float h = para.y1() - para.y0();
    for (io.jetmesh.pdf.tables.Frame f : p.frames()) {
      if (!f.contains(para.x0(), para.y0(), para.x1(), para.y1(), 1f) || f.height() - h <= 2f * para.fontSize()) {
        continue;
      }
      boolean runningText = false;
      for (Object o : p.flow()) {
        if (o instanceof Para q && q != para && (q.lineCount() >= 2 || q.text().length() >= 80)
            && f.contains(q.x0(), q.y0(), q.x1(), q.y1(), 1f)) {
          runningText = true;
          break;
        }
      }
      if (!runningText) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the first thing below the paragraph (horizontally overlapping it) is a table or a picture, within about
   * a line: an emphasised line at the body size right above one names it ("Phase 1", "Results by region"), as a
   * caption without a "Table 1" prefix does; a section heading would be set apart by its size or numbering too.
   */
  private static boolean labelsRegionBelow(Para para, PageResult p) {
    float nearest = Float.MAX_VALUE;
    boolean region = false;
    for (Object o : p.flow()) {
      if (o instanceof Para q && q != para && overlapsX(q.x0(), q.x1(), para) && q.y0() >= para.y1() - 1f
          && q.y0() - para.y1() < nearest) {
        nearest = q.y0() - para.y1();
        region = false;
      }
    }
    for (Table t : p.tables()) {
      if (overlapsX(t.x0(), t.x1(), para) && t.y0() >= para.y1() - 1f && t.y0() - para.y1() < nearest) {
        nearest = t.y0() - para.y1();
        region = true;
      }
    }
    for (PageResult.Picture pic : p.pictures()) {
      if (overlapsX(pic.x0(), pic.x1(), para) && pic.y0() >= para.y1() - 1f && pic.y0() - para.y1() < nearest) {
        nearest = pic.y0() - para.y1();
        region = true;
      }
    }
    return region && nearest <= 1.5f * para.fontSize();
  }

  private static boolean overlapsX(float x0, float x1, Para para) {
    return Math.min(x1, para.x1()) - Math.max(x0, para.x0()) > 0;
  }

  /**
   * Whether the paragraph starts where another paragraph of its page starts (ends, for right-to-left text), within
   * half an em, or is centred on the page's running text within two ems. Pages without running text decide nothing.
   */
  private static boolean alignedOrCentred(Para para, PageResult p) {
    float tol = 0.5f * para.fontSize();
    float left = Float.MAX_VALUE;
    float right = -Float.MAX_VALUE;
    boolean anyText = false;
    for (Object o : p.flow()) {
      if (!(o instanceof Para q) || q == para) {
        continue;
      }
      if (para.rtl() ? Math.abs(q.x1() - para.x1()) <= tol : Math.abs(q.x0() - para.x0()) <= tol) {
        return true;
      }
      if (q.text().length() >= 40) {
        anyText = true;
        left = Math.min(left, q.x0());
        right = Math.max(right, q.x1());
      }
    }
    return !anyText || Math.abs((para.x0() + para.x1()) / 2 - (left + right) / 2) <= 2f * para.fontSize();
  }

  /**
   * A numbered line in bold or a larger size that reads as a title, not an item: one line, short, no sentence end.
   * Many conventions ({@code (1)}, {@code 1.}, {@code \uc81c1\uc7a5}, {@code \u2160.}) number headings with list
   * markers, so the numbering alone decides nothing.
   */
  private boolean numberedHeading(Para para) {
    String t = para.text();
    return HEADING_NUMBER.matcher(t).find() && para.lineCount() == 1 && t.length() <= 80
        && !t.matches(".*[.!?;,:\u3002\uff1a]$") && (para.fontSize() >= bodySize * 1.15f || emphasized(para));
  }

  /** True when no other paragraph of the page lies above ({@code top}) or below it. */
  private static boolean isExtreme(Para para, PageResult p, boolean top) {
    for (Object o : p.flow()) {
      if (o instanceof Para q && q != para && (top ? q.y0() < para.y0() : q.y1() > para.y1())) {
        return false;
      }
    }
    return true;
  }

  /** A short line of symbols, numbers and one-letter variables around an operator: {@code a2 + 8 = 12}. */
  private static final Pattern EQUATION_TOKEN = Pattern.compile("[A-Za-z]?\\d*|[\\d.,]+|[=+\\-*/^()<>\u2212\u00b1\u00d7\u00f7\u2264\u2265\u2260\u2211\u222b\u221a\u2202\u2248]|[A-Za-z][_^]?\\w?");

  private static boolean looksLikeEquation(Para para) {
    String t = para.text().strip();
    if (para.lineCount() > 2 || t.length() > 120 || t.length() < 3) {
      return false;
    }
    if (!t.matches(".*[=\u2264\u2265\u2260\u2248\u2211\u222b].*")) {
      return false;
    }
    String[] tokens = t.split("\\s+");
    int mathy = 0;
    for (String tok : tokens) {
      if (EQUATION_TOKEN.matcher(tok).matches()) {
        mathy++;
      }
    }
    return tokens.length >= 3 && mathy >= tokens.length * 0.8;
  }

  private String classify(Para para, PageResult p, Map<String, Integer> repeats) {
    String t = para.text();
    int band = inBand(para, p);
    if (band == 0 && para.lineCount() == 1 && PAGE_NUMBER.matcher(t.strip()).matches() && t.length() <= 12) {
      // a bare page number sits in a wider margin than running headers
      band = para.y1() <= p.height() * 0.15f ? -1 : para.y0() >= p.height() * 0.85f ? 1 : 0;
      if (band == 0 && para.y0() > p.height() * 0.7f && isExtreme(para, p, false)) {
        band = 1;
      } else if (band == 0 && para.y1() < p.height() * 0.3f && isExtreme(para, p, true)) {
        band = -1;
      }
    }
    boolean edge = para.lineCount() == 1 && t.length() <= 100 && para.fontSize() <= bodySize * 1.3f
        && (para.y0() >= p.height() * 0.94f || para.y1() <= p.height() * 0.05f);
    if (edge) {
      // a single line in the outermost margin is running furniture whatever its style
      return para.y1() <= p.height() * 0.05f ? "page_header" : "page_footer";
    }
    if (band != 0 && para.lineCount() <= 2 && t.length() <= 160 && para.fontSize() <= bodySize * 1.1f) {
      boolean repeated = pages.size() > 1 && repeats.getOrDefault(bandKey(t), 0) >= 2;
      boolean number = PAGE_NUMBER.matcher(t.strip()).matches();
      boolean small = para.fontSize() < bodySize * 0.95f;
      if (repeated || number || small) {
        return band < 0 ? "page_header" : "page_footer";
      }
    }
    if (CAPTION.matcher(t).find() && t.length() < 1200) {
      return "caption";
    }
    if (para.monoFraction() > 0.8f) {
      return "code";
    }
    if (para.mathFraction() > 0.5f && t.length() < 400 || looksLikeEquation(para)) {
      return "formula";
    }
    if (LIST.matcher(t).matches() && !(NUMBERED_HEADING.matcher(t).find() && looksLikeHeading(para)
        && para.fontSize() > bodySize * 1.1f) && !(numberedHeading(para) && looksLikeHeading(para)
        && !hasValueBeside(para, p))) {
      return "list_item";
    }
    if (looksLikeHeading(para) && headingOnPage(para, p)) {
      return "section_header";
    }
    if (para.fontSize() <= bodySize * 0.85f && para.y0() > p.height() * 0.65f
        && t.matches("^[\\d*\u2020\u2021\u00a7\u00b9\u00b2\u00b3].*") && t.length() > 3) {
      return "footnote";
    }
    return "text";
  }

  private static void attachCaptions(List<DocNode> captions, List<DocNode> pageNodes, PageResult p) {
    for (DocNode cap : captions) {
      String lower = cap.text.toLowerCase(Locale.ROOT);
      DocNode.Kind want = lower.startsWith("tab") ? DocNode.Kind.TABLE : DocNode.Kind.PICTURE;
      boolean listing = lower.startsWith("listing") || lower.startsWith("algorithm");
      DocNode best = null;
      float bestDist = p.height() * 0.3f;
      for (DocNode n : pageNodes) {
        boolean match = listing ? "code".equals(n.label) : n.kind == want;
        if (!match || n == cap) {
          continue;
        }
        float d = Math.max(0, Math.max(n.y0 - cap.y1, cap.y0 - n.y1));
        if (d < bestDist) {
          bestDist = d;
          best = n;
        }
      }
      if (best != null) {
        pageNodes.remove(cap);
        best.captions.add(cap);
        best.children.add(0, cap);
      }
    }
  }

  /** Wraps runs of consecutive list items in list groups, nesting deeper-indented items under the previous item. */
  private static List<DocNode> groupLists(List<DocNode> flat) {
    List<DocNode> out = new ArrayList<>();
    int i = 0;
    while (i < flat.size()) {
      DocNode n = flat.get(i);
      if (!"list_item".equals(n.label)) {
        out.add(n);
        i++;
        continue;
      }
      DocNode root = new DocNode(DocNode.Kind.GROUP, "list");
      List<DocNode> stack = new ArrayList<>(); // groups
      List<Float> indents = new ArrayList<>();
      stack.add(root);
      indents.add(n.indent);
      while (i < flat.size() && ("list_item".equals(flat.get(i).label) || flat.get(i).furniture)) {
        DocNode item = flat.get(i);
        i++;
        if (item.furniture) {
          out.add(item);
          continue;
        }
        float tol = 4f;
        while (stack.size() > 1 && item.indent < indents.get(indents.size() - 1) - tol) {
          stack.remove(stack.size() - 1);
          indents.remove(indents.size() - 1);
        }
        DocNode group = stack.get(stack.size() - 1);
        if (item.indent > indents.get(indents.size() - 1) + tol && !group.children.isEmpty()) {
          DocNode parentItem = group.children.get(group.children.size() - 1);
          DocNode sub = new DocNode(DocNode.Kind.GROUP, "list");
          parentItem.children.add(sub);
          stack.add(sub);
          indents.add(item.indent);
          group = sub;
        }
        group.children.add(item);
      }
      out.add(root);
    }
    return out;
  }
}
