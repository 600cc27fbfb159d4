package io.jetmesh.pdf.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * A large, realistic, deterministic test document for speed comparisons: an N-page A4 report with a title, numbered
 * section and subsection headings, body paragraphs of made-up prose, bullet lists, a ruled table every few pages,
 * two-column pages for part of the document (5 pages of every 20), and a running header and footer with page
 * numbers. The same pages and seed give the same bytes. Pages are laid out one after another and their content
 * streams go to PDFBox's temp-file scratch cache, so memory does not grow with the page count beyond PDFBox's own
 * page objects.
 *
 * <pre>
 * java -cp "$(pdf-worker/scripts/eval-classpath.sh)" io.jetmesh.pdf.eval.ReportGenerator OUT.pdf PAGES [--seed N]
 * </pre>
 */
public final class ReportGenerator {
  static final String TITLE = "Meridian Freight Cooperative";
  static final String SUBTITLE = "Annual Operations Review";
  static final String HEADER = TITLE + " - " + SUBTITLE;

  private static final PDFont BODY = new PDType1Font(Standard14Fonts.FontName.TIMES_ROMAN);
  private static final PDFont ITALIC = new PDType1Font(Standard14Fonts.FontName.TIMES_ITALIC);
  private static final PDFont HEAD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private static final PDFont SANS = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

  private static final float PAGE_W = PDRectangle.A4.getWidth();
  private static final float PAGE_H = PDRectangle.A4.getHeight();
  private static final float MARGIN = 64;
  private static final float GUTTER = 22;
  private static final float TOP = PAGE_H - 80;
  private static final float BOTTOM = 70;
  private static final float BODY_SIZE = 10.5f;
  private static final float LEADING = 13.2f;

  /** A heading as placed: its page and its text (section number included). */
  public record Heading(int page, int level, String text) {}

  /** What was written. */
  public record Summary(Path file, int pages, long bytes, int tables, List<Heading> headings) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || !args[1].matches("\\d+")) {
      System.err.println("usage: ReportGenerator OUT.pdf PAGES [--seed N]");
      System.exit(2);
    }
    long seed = 1;
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--seed") && i + 1 < args.length) {
        seed = Long.parseLong(args[++i]);
      } else {
        System.err.println("unknown argument: " + args[i]);
        System.exit(2);
      }
    }
    long t0 = System.nanoTime();
    Summary s = generate(Path.of(args[0]), Integer.parseInt(args[1]), seed);
    System.out.printf("wrote %s: %d pages, %d sections, %d tables, %,d bytes, seed %d, %.1f s%n", s.file(), s.pages(),
        s.headings().stream().filter(h -> h.level() == 1).count(), s.tables(), s.bytes(), seed,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Writes a {@code pages}-page report to {@code out}. */
  public static Summary generate(Path out, int pages, long seed) throws IOException {
    if (pages < 1) {
      throw new IllegalArgumentException("pages must be at least 1");
    }
    try (PDDocument doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
      doc.setDocumentId(seed); // the trailer /ID is derived from it instead of the clock: same seed, same bytes
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle(TITLE + " " + SUBTITLE);
      info.setAuthor("jetmesh ReportGenerator");
      info.setSubject("Generated test document, seed " + seed);
      info.setProducer("jetmesh");
      Calendar date = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      date.clear();
      date.set(2026, Calendar.JANUARY, 15, 9, 0, 0);
      info.setCreationDate(date);
      Layout layout = new Layout(doc, pages, new Prose(new Random(seed)));
      layout.run();
      doc.save(out.toFile());
      return new Summary(out, pages, Files.size(out), layout.tables, List.copyOf(layout.headings));
    }
  }

  /** Thrown when the last page is full. */
  private static final class Done extends RuntimeException {
    Done() {
      super(null, null, false, false);
    }
  }

  /** The flow: blocks are laid out top to bottom, column by column, page by page, until the last page is full. */
  private static final class Layout {
    final PDDocument doc;
    final int total;
    final Prose prose;
    final Random rnd;
    final List<Heading> headings = new ArrayList<>();
    final Map<String, Float> widths = new HashMap<>();
    int tables;
    int pageNo;
    int columns;
    int column;
    float y;
    PDPageContentStream cs;
    String section = "";
    int tablePage = -1;

    Layout(PDDocument doc, int total, Prose prose) {
      this.doc = doc;
      this.total = total;
      this.prose = prose;
      this.rnd = prose.rnd;
    }

    static boolean twoColumns(int page) {
      return page > 1 && ((page - 1) / 5) % 4 == 2; // pages 11-15, 31-35, 51-55, ...
    }

    float colWidth() {
      return columns == 1 ? PAGE_W - 2 * MARGIN : (PAGE_W - 2 * MARGIN - GUTTER) / 2;
    }

    float colX() {
      return MARGIN + column * (colWidth() + GUTTER);
    }

    void run() throws IOException {
      try {
        newPage();
        titleBlock();
        for (int s = 1; ; s++) {
          section(s);
        }
      } catch (Done done) {
        // the last page is full
      } finally {
        if (cs != null) {
          cs.close();
          cs = null;
        }
      }
    }

    void newPage() throws IOException {
      if (cs != null) {
        cs.close();
        cs = null;
      }
      if (pageNo == total) {
        throw new Done();
      }
      pageNo++;
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      cs = new PDPageContentStream(doc, page);
      columns = twoColumns(pageNo) ? 2 : 1;
      column = 0;
      y = TOP;
      // running header and footer
      text(SANS, 8, MARGIN, PAGE_H - 48, HEADER);
      if (!section.isEmpty()) {
        String s = clip(section, SANS, 8, 220);
        text(SANS, 8, PAGE_W - MARGIN - width(s, SANS, 8), PAGE_H - 48, s);
      }
      rule(MARGIN, PAGE_H - 54, PAGE_W - MARGIN, 0.5f);
      rule(MARGIN, 52, PAGE_W - MARGIN, 0.5f);
      text(SANS, 8, MARGIN, 40, "Confidential - prepared for the members' assembly");
      String folio = "Page " + pageNo + " of " + total;
      text(SANS, 8, PAGE_W - MARGIN - width(folio, SANS, 8), 40, folio);
    }

    /** Makes room for {@code h} points in the current column, moving to the next column or page when needed. */
    void room(float h) throws IOException {
      if (y - h >= BOTTOM) {
        return;
      }
      if (column + 1 < columns) {
        column++;
        y = TOP;
      } else {
        newPage();
      }
    }

    void titleBlock() throws IOException {
      text(HEAD, 26, MARGIN, y - 30, TITLE);
      text(HEAD, 16, MARGIN, y - 56, SUBTITLE + " " + (2020 + rnd.nextInt(7)));
      text(ITALIC, 11, MARGIN, y - 78, "Prepared by the office of the secretary general; figures are unaudited.");
      rule(MARGIN, y - 92, PAGE_W - MARGIN, 1.2f);
      y -= 118;
    }

    void section(int s) throws IOException {
      section = s + " " + prose.title();
      heading(1, section);
      paragraphs(1 + rnd.nextInt(2));
      int subs = 2 + rnd.nextInt(3);
      for (int k = 1; k <= subs; k++) {
        heading(2, s + "." + k + " " + prose.title());
        paragraphs(1 + rnd.nextInt(3));
        if (rnd.nextInt(3) == 0) {
          bullets(3 + rnd.nextInt(3));
          paragraphs(1);
        }
        maybeTable();
      }
    }

    void heading(int level, String title) throws IOException {
      float size = level == 1 ? 15 : 12;
      List<String> lines = wrap(title, HEAD, size, colWidth());
      float space = level == 1 ? 16 : 8;
      room(space + lines.size() * (size + 4) + 3 * LEADING); // keep the heading with the next lines
      y -= space;
      for (String line : lines) {
        y -= size + 4;
        text(HEAD, size, colX(), y, line);
      }
      y -= 4;
      headings.add(new Heading(pageNo, level, title));
    }

    void paragraphs(int n) throws IOException {
      for (int i = 0; i < n; i++) {
        lines(wrap(prose.paragraph(), BODY, BODY_SIZE, colWidth()), BODY, 0);
        y -= 6;
      }
    }

    void bullets(int n) throws IOException {
      for (int i = 0; i < n; i++) {
        List<String> item = wrap(prose.sentence(), BODY, BODY_SIZE, colWidth() - 14);
        room(LEADING);
        text(BODY, BODY_SIZE, colX() + 2, y - LEADING, "\u2022");
        lines(item, BODY, 14);
      }
      y -= 6;
    }

    void lines(List<String> lines, PDFont font, float indent) throws IOException {
      for (String line : lines) {
        room(LEADING);
        y -= LEADING;
        text(font, BODY_SIZE, colX() + indent, y, line);
      }
    }

    /** A ruled table on a one-column page, at most one every 3 pages. */
    void maybeTable() throws IOException {
      if (columns != 1 || tablePage >= 0 && pageNo - tablePage < 3) {
        return;
      }
      String[] head = {"Region", "Shipments", "On time", "Cost per t-km", "Change"};
      int rows = 4 + rnd.nextInt(5);
      float rowH = 16;
      float h = 22 + (rows + 1) * rowH + 10;
      room(h);
      if (columns != 1) {
        return; // the flow moved to a two-column page
      }
      tables++;
      tablePage = pageNo;
      float x0 = colX();
      float w = colWidth();
      float[] cw = {0.28f * w, 0.18f * w, 0.16f * w, 0.20f * w, 0.18f * w};
      y -= 14;
      text(ITALIC, 9.5f, x0, y, "Table " + tables + ": " + prose.title() + " by region");
      y -= 8;
      float top = y;
      for (int r = 0; r <= rows; r++) {
        String[] cells = r == 0 ? head : new String[] {prose.region(), String.format("%,d", 1_000 + rnd.nextInt(90_000)),
            (80 + rnd.nextInt(20)) + "." + rnd.nextInt(10) + " %", String.format("%.3f", 0.02 + rnd.nextInt(900) / 10_000.0),
            (rnd.nextBoolean() ? "+" : "-") + rnd.nextInt(15) + "." + rnd.nextInt(10) + " %"};
        float cx = x0;
        for (int c = 0; c < cells.length; c++) {
          PDFont f = r == 0 ? HEAD : BODY;
          float size = r == 0 ? 8.5f : 9.5f;
          float tx = c == 0 ? cx + 4 : cx + cw[c] - 4 - width(cells[c], f, size); // numbers right-aligned
          text(f, size, tx, y - rowH + 4.5f, cells[c]);
          cx += cw[c];
        }
        y -= rowH;
        rule(x0, y, x0 + w, r == 0 ? 0.9f : 0.4f);
      }
      rule(x0, top, x0 + w, 0.9f);
      float cx = x0;
      for (int c = 0; c <= cw.length; c++) {
        cs.setLineWidth(0.4f);
        cs.moveTo(cx, top);
        cs.lineTo(cx, y);
        cs.stroke();
        if (c < cw.length) {
          cx += cw[c];
        }
      }
      y -= 12;
    }

    void text(PDFont font, float size, float x, float yy, String s) throws IOException {
      cs.beginText();
      cs.setFont(font, size);
      cs.newLineAtOffset(x, yy);
      cs.showText(s);
      cs.endText();
    }

    void rule(float x1, float yy, float x2, float width) throws IOException {
      cs.setLineWidth(width);
      cs.moveTo(x1, yy);
      cs.lineTo(x2, yy);
      cs.stroke();
    }

    float width(String s, PDFont font, float size) throws IOException {
      String key = font.getName() + '\u0000' + s;
      Float w = widths.get(key);
      if (w == null) {
        w = font.getStringWidth(s) / 1000f;
        if (widths.size() < 50_000) {
          widths.put(key, w);
        }
      }
      return w * size;
    }

    String clip(String s, PDFont font, float size, float max) throws IOException {
      while (s.length() > 4 && width(s, font, size) > max) {
        s = s.substring(0, s.length() - 4) + "...";
      }
      return s;
    }

    List<String> wrap(String text, PDFont font, float size, float max) throws IOException {
      List<String> out = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      float lw = 0;
      float space = width(" ", font, size);
      for (String word : text.split(" ")) {
        float ww = width(word, font, size);
        if (line.length() > 0 && lw + space + ww > max) {
          out.add(line.toString());
          line.setLength(0);
          lw = 0;
        }
        if (line.length() > 0) {
          line.append(' ');
          lw += space;
        }
        line.append(word);
        lw += ww;
      }
      if (line.length() > 0) {
        out.add(line.toString());
      }
      return out;
    }
  }

  /** Made-up business prose from word lists; everything comes from one seeded Random. */
  static final class Prose {
    final Random rnd;

    Prose(Random rnd) {
      this.rnd = rnd;
    }

    private static final String[] ADJ = {"regional", "seasonal", "integrated", "automated", "cross-border", "inland",
        "refrigerated", "long-haul", "last-mile", "contracted", "shared", "digital", "consolidated", "revised",
        "preliminary", "sustained", "unexpected", "planned", "measured", "independent", "coastal", "northern", "central"};
    private static final String[] NOUN = {"depot network", "routing model", "fleet", "warehouse capacity",
        "maintenance schedule", "tariff structure", "customs process", "fuel budget", "driver roster", "rail corridor",
        "booking platform", "loading dock", "container pool", "service level", "claims backlog", "carbon ledger",
        "safety programme", "pallet exchange", "cold chain", "dispatch centre", "member survey", "pricing committee",
        "transit time", "inventory buffer", "training plan", "vendor contract", "audit trail", "port agreement"};
    private static final String[] VERB = {"improved", "reduced", "extended", "stabilised", "delayed", "absorbed",
        "outperformed", "replaced", "simplified", "strained", "offset", "doubled", "supported", "exposed", "reshaped",
        "accelerated", "constrained", "funded", "consolidated", "tested"};
    private static final String[] OBJ = {"average dwell time", "the share of empty kilometres", "overtime hours",
        "handling costs", "the number of damaged consignments", "peak-season throughput", "invoice disputes",
        "idle capacity at the smaller sites", "the reliability of weekend departures", "spare-part inventories",
        "the queue at the northern gate", "cash reserves", "the backlog of member requests", "night-shift staffing"};
    private static final String[] WHEN = {"in the first quarter", "during the summer peak", "after the spring tender",
        "over the twelve months", "since the merger of the two eastern depots", "in the second half of the year",
        "ahead of the winter timetable", "while the new terminal was commissioned", "throughout the review period"};
    private static final String[] LINK = {"In addition", "However", "As a result", "By contrast", "Meanwhile",
        "At the same time", "In practice", "Notably", "For the coming year", "On balance", "Taken together"};
    private static final String[] CLAUSE = {"which the board had anticipated in its previous review",
        "although the effect varied considerably between sites", "mainly because volumes shifted towards rail",
        "which members noticed in their monthly statements", "once the new scanners were installed",
        "despite a shortage of qualified drivers", "as recommended by the external auditors",
        "largely on the strength of the export business", "without any change to the published tariffs"};
    private static final String[] REGION = {"North Coast", "Inland Valley", "Eastern Plains", "Harbour District",
        "Southern Ridge", "Lake Country", "Western Gateway", "Metropolitan Belt", "Border Crossing", "River Delta",
        "High Moors", "Airport Zone"};
    private static final String[] TOPIC = {"Network performance", "Fleet renewal", "Customer service",
        "Financial position", "Safety and compliance", "Warehousing", "Cross-border traffic", "Energy and emissions",
        "People and training", "Information systems", "Risk management", "Member relations", "Pricing",
        "Infrastructure projects", "Procurement", "Outlook"};
    private static final String[] QUAL = {"and regional differences", "in the review period", "compared with the plan",
        "for the coming year", "at the main hubs", "and lessons learned", "by business line", "after the reorganisation",
        "and open questions", "in figures"};

    private String pick(String[] a) {
      return a[rnd.nextInt(a.length)];
    }

    String region() {
      return pick(REGION);
    }

    String title() {
      return pick(TOPIC) + " " + pick(QUAL);
    }

    String sentence() {
      return switch (rnd.nextInt(6)) {
        case 0 -> cap("the " + pick(ADJ) + " " + pick(NOUN)) + " " + pick(VERB) + " " + pick(OBJ) + " " + pick(WHEN) + ".";
        case 1 -> pick(LINK) + ", the " + pick(NOUN) + " " + pick(VERB) + " " + pick(OBJ) + ", " + pick(CLAUSE) + ".";
        case 2 -> cap(pick(OBJ)) + " fell by " + (1 + rnd.nextInt(30)) + "." + rnd.nextInt(10) + " percent "
            + pick(WHEN) + ", " + pick(CLAUSE) + ".";
        case 3 -> "At " + (3 + rnd.nextInt(60)) + " of our " + (60 + rnd.nextInt(40)) + " sites the " + pick(ADJ) + " "
            + pick(NOUN) + " " + pick(VERB) + " " + pick(OBJ) + ".";
        case 4 -> pick(LINK) + ", members in the " + pick(REGION) + " region asked for " + article(pick(ADJ)) + " "
            + pick(NOUN) + ", " + pick(CLAUSE) + ".";
        default -> "The committee expects the " + pick(NOUN) + " to cost about " + (2 + rnd.nextInt(40)) + "."
            + rnd.nextInt(10) + " million " + pick(WHEN) + ".";
      };
    }

    String paragraph() {
      int n = 3 + rnd.nextInt(5);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          b.append(' ');
        }
        b.append(sentence());
      }
      return b.toString();
    }

    private static String article(String word) {
      return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private static String cap(String s) {
      return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
  }

  private ReportGenerator() {}
}
