package io.jetmesh.pdf;

import static io.jetmesh.pdf.GeneratedTablePdfs.Script;
import static io.jetmesh.pdf.GeneratedTablePdfs.pdf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text classes of issue 15 on generated PDFs (exact by construction, see {@link GeneratedTextPdfs}) through the
 * {@code convert} handler: right-to-left text in logical order in Markdown, JSON and plain text; Chinese and Japanese
 * lines joined without spaces, Korean with them; headings found from the document's own statistics in any
 * numbering convention, and no headings from labels, emphasised lines in running text or contents entries.
 */
class TextClassesTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void fonts() {
    GeneratedTablePdfs.assumeFonts("TextClassesTest");
  }

  /** The convert operation's output (md, json and text) for a generated PDF. */
  static JsonNode convert(String name, byte[] pdf) {
    Path f = GeneratedTablePdfs.write(dir, name + ".pdf", pdf);
    return HandlerTestKit.forSubject("pdf.docling.convert").input(f)
        .options("{\"to_formats\":[\"md\",\"json\",\"text\"],\"do_ocr\":false}").run(new ConvertHandler(() -> null))
        .requireResult().output();
  }

  static List<String> jsonTexts(JsonNode out) {
    List<String> texts = new ArrayList<>();
    for (JsonNode t : out.path("document").path("texts")) {
      texts.add(t.path("text").asText());
    }
    return texts;
  }

  static List<String> headings(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^#{1,6} (.*)$").matcher(markdown);
    while (m.find()) {
      out.add(m.group(1).strip());
    }
    return out;
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  // ------------------------------------------------------------------ right to left

  static final List<String> HEBREW = List.of(
      "גרסה 2.5 של PDFBox יצאה בשנת 2024",
      "והיא קוראת מסמכים בעברית (וגם בערבית)",
      "בסדר הלוגי הנכון של המילים");
  static final List<String> PERSIAN = List.of(
      "من می\u200cخواهم این سند را بخوانم",
      "نسخه 3 از برنامه Docling در سال 1403",
      "کتاب\u200cها را به کتابخانه بردند");

  @Test
  void rightToLeftParagraphsReadInLogicalOrderInEveryOutput() {
    JsonNode out = convert("rtl-paragraphs", pdf(p -> {
      GeneratedTextPdfs.paragraph(p, 520, 120, HEBREW, true, 12, 15, 0);
      GeneratedTextPdfs.paragraph(p, 520, 260, PERSIAN, true, 12, 15, 0);
    }));
    String hebrew = String.join(" ", HEBREW);
    String persian = String.join(" ", PERSIAN);
    for (String output : List.of(out.path("markdown").asText(), out.path("text").asText())) {
      assertThat(output).contains(hebrew).contains(persian);
    }
    assertThat(jsonTexts(out)).contains(hebrew, persian);
  }

  @Test
  void rightToLeftTextBoxesSideBySideReadFromTheRightEachOnce() {
    List<String> right = List.of("תיבת טקסט ראשונה בצד ימין", "עם שתי שורות של טקסט");
    List<String> left = List.of("תיבה שנייה בצד שמאל של 3 עמודים", "ובה שורה נוספת אחת");
    JsonNode out = convert("rtl-boxes", pdf(p -> {
      for (int i = 0; i < 4; i++) { // a right-to-left body paragraph makes it a right-to-left page
        GeneratedTextPdfs.line(p, 520, 100 + 15 * i, HEBREW.get(i % 3), true, 12, 0);
      }
      GeneratedTextPdfs.paragraph(p, 520, 200, right, true, 11, 14, 0);
      GeneratedTextPdfs.paragraph(p, 260, 200, left, true, 11, 14, 0);
    }));
    String md = out.path("markdown").asText();
    String r = String.join(" ", right);
    String l = String.join(" ", left);
    assertThat(count(md, r)).isEqualTo(1);
    assertThat(count(md, l)).isEqualTo(1);
    assertThat(md.indexOf(r)).isLessThan(md.indexOf(l));
  }

  @Test
  void mixedRunsKeepTheirPlaceInBothParagraphDirections() {
    List<String> rtl = List.of(
        "המחיר הוא 1,234.50 ש\"ח או 25% פחות",
        "לפי Microsoft Word 2019 ולפי Google Docs",
        "2024 הייתה שנה טובה (לרוב) לכולם",
        "نسخه 3.2.1 از Apache PDFBox منتشر شد");
    List<String> ltr = List.of("The word \u05e9\u05dc\u05d5\u05dd means peace and \u0633\u0644\u0627\u0645 too",
        "in Hebrew and Arabic, said version 2.0 of the guide");
    JsonNode out = convert("mixed-runs", pdf(p -> {
      for (int i = 0; i < rtl.size(); i++) {
        GeneratedTextPdfs.line(p, 520, 100 + 40 * i, rtl.get(i), true, 12, 0);
      }
      GeneratedTextPdfs.paragraph(p, 72, 300, ltr, false, 12, 15, 0);
    }));
    for (String output : List.of(out.path("markdown").asText(), out.path("text").asText())) {
      for (String l : rtl) {
        assertThat(output).contains(l);
      }
      assertThat(output).contains(String.join(" ", ltr));
    }
  }

  @Test
  void zeroWidthNonJoinerStaysInsideItsWordWhateverRoomIsLeftAroundIt() {
    // "کتاب‌ها" (books) and "می‌خواهم" (I want), their parts drawn a fifth of an em apart around the non-joiner
    String[][] words = {{"کتاب", "ها"}, {"می", "خواهم"}};
    JsonNode out = convert("zwnj", pdf(p -> {
      float size = 12;
      float right = 520;
      for (String[] w : words) {
        for (String part : w) { // logical parts, drawn from the right
          float pw = p.width(part, Script.ARABIC, size);
          p.glyphs(right - pw, 100, new StringBuilder(part).reverse().toString(), Script.ARABIC, size);
          right -= pw + 0.2f * size;
          if (part == w[0]) {
            p.glyphs(right, 100, "\u200c", Script.ARABIC, size);
            right -= 0.2f * size;
          }
        }
        right -= 0.4f * size;
      }
      GeneratedTextPdfs.paragraph(p, 520, 140, PERSIAN, true, 12, 15, 0);
    }));
    String expected = words[0][0] + "\u200c" + words[0][1] + " " + words[1][0] + "\u200c" + words[1][1];
    for (String output : List.of(out.path("markdown").asText(), out.path("text").asText())) {
      assertThat(output).contains(expected);
    }
  }

  // ------------------------------------------------------------------ CJK

  @Test
  void chineseAndJapaneseLinesJoinWithoutSpacesKoreanKeepsThem() {
    List<String> chinese = List.of("这是一个用于测试的中文段落，它的每一行", "都使用了字间距来两端对齐。");
    List<String> japanese = List.of("これは日本語の段落で、行の終わりに", "空白を入れずにつながります。");
    List<String> korean = List.of("한국어는 단어 사이에 공백을 넣어", "씁니다 그래서 줄 끝도 공백입니다");
    JsonNode out = convert("cjk", pdf(p -> {
      GeneratedTextPdfs.paragraph(p, 72, 100, chinese, false, 12, 16, 1.8f);
      GeneratedTextPdfs.paragraph(p, 72, 200, japanese, false, 12, 16, 1f);
      GeneratedTextPdfs.paragraph(p, 72, 300, korean, false, 12, 16, 0);
    }));
    for (String output : List.of(out.path("markdown").asText(), out.path("text").asText())) {
      // outputs are NFKC-normalised: the full-width comma is a comma there
      assertThat(output).contains(nfkc(String.join("", chinese))).contains(nfkc(String.join("", japanese)))
          .contains(String.join(" ", korean));
    }
  }

  static String nfkc(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC);
  }

  // ------------------------------------------------------------------ headings

  /** Body text: {@code lines} full lines of 10 pt Latin text. */
  static float body(GeneratedTablePdfs.Page p, float y, int lines) {
    for (int i = 0; i < lines; i++) {
      p.text(72, y, "The body text of this report runs across the page in regular ten point type " + i, Script.LATIN, 10);
      y += 12.5f;
    }
    return y + 8;
  }

  @Test
  void numberedHeadingsOfOtherConventionsWithOnlyWeightOrSizeCues() {
    String[] heads = {"\uc81c1\uc7a5 \ucd1d\uce59", "(1) \uc0ac\uc5c5 \uac1c\uc694", "\u2160. \uc11c\ub860",
        "\u7b2c\u4e00\u7ae0 \u603b\u5219", "1. \uc5f0\uad6c \ubc29\ubc95"};
    JsonNode out = convert("numbered-headings", pdf(p -> {
      float y = 80;
      for (int k = 0; k < heads.length; k++) {
        y += 10;
        if (k % 2 == 0) {
          GeneratedTextPdfs.line(p, 72, y, heads[k], false, 13, 0); // larger
        } else {
          p.fakeBold(true);
          GeneratedTextPdfs.line(p, 72, y, heads[k], false, 10, 0); // bold at the body size
          p.fakeBold(false);
        }
        y = body(p, y + 18, 4);
      }
    }));
    List<String> found = headings(out.path("markdown").asText());
    assertThat(found).containsExactly("\uc81c1\uc7a5 \ucd1d\uce59", "(1) \uc0ac\uc5c5 \uac1c\uc694", "I. \uc11c\ub860",
        "\u7b2c\u4e00\u7ae0 \u603b\u5219", "1. \uc5f0\uad6c \ubc29\ubc95");
  }

  @Test
  void labelsEmphasisInRunningTextIndentedLinesAndContentsEntriesAreNoHeadings() {
    JsonNode out = convert("false-headings", pdf(p -> {
      p.text(72, 60, "Quarterly Report", Script.LATIN_BOLD, 16);
      float y = body(p, 90, 3);
      // a form: bold labels with their values beside them
      String[][] form = {{"Name:", "Jane Doe"}, {"Telephone", "(123) 456-7890"}, {"Text 1", "Chart Title"}};
      for (String[] row : form) {
        p.text(72, y, row[0], Script.LATIN_BOLD, 10);
        p.text(180, y, row[1], Script.LATIN, 10);
        y += 20;
      }
      y = body(p, y + 10, 2);
      // emphasised lines among short lines of running text, at its line pitch
      y -= 8;
      p.text(72, y, "bold words on their own line", Script.LATIN_BOLD, 10);
      p.text(72, y + 12.5f, "and a regular line after them", Script.LATIN, 10);
      p.text(72, y + 25, "then one more emphasised line", Script.LATIN_BOLD, 10);
      p.text(72, y + 37.5f, "and the text goes on", Script.LATIN, 10);
      y = body(p, y + 58, 2);
      // an indented emphasised quote, set apart by space, and a title centred over a box at the right
      p.text(110, y + 6, "a quotation set in bold, indented", Script.LATIN_BOLD, 10);
      y = body(p, y + 30, 2);
      p.text(430, y + 6, "Fact Box", Script.LATIN_BOLD, 10);
      p.text(400, y + 26, "a value in the box", Script.LATIN, 10);
      y = body(p, y + 46, 2);
      // a table of contents
      p.text(72, y + 10, "Contents", Script.LATIN_BOLD, 16);
      p.text(72, y + 40, "1. Introduction ........................ 3", Script.LATIN_BOLD, 10);
      p.text(72, y + 60, "2. Methods ............................. 7", Script.LATIN_BOLD, 10);
      y = body(p, y + 90, 3);
      // contents entries with their page numbers in a column at the right
      String[][] toc = {{"3. Results", "12"}, {"4. Discussion", "15"}, {"5. Conclusions", "19"}};
      for (String[] e : toc) {
        p.text(72, y, e[0], Script.LATIN_BOLD, 10);
        p.text(420, y, e[1], Script.LATIN, 10);
        y += 13;
      }
      y = body(p, y + 10, 3);
      p.text(72, y + 10, "2. Methods", Script.LATIN_BOLD, 14);
      body(p, y + 40, 3);
    }));
    List<String> found = headings(out.path("markdown").asText());
    assertThat(found).containsExactly("Quarterly Report", "Contents", "2. Methods");
  }

  /**
   * An emphasised line at the body size directly above a table names that table (a label, as docling reads it), not
   * a section; a larger or numbered line there still heads a section, and so does an emphasised line set apart above
   * running text.
   */
  @Test
  void anEmphasisedLineDirectlyAboveATableLabelsItUnlessSizeOrNumberingMakeItAHeading() {
    JsonNode out = convert("labels-over-tables", pdf(p -> {
      p.text(72, 60, "Project Plan", Script.LATIN_BOLD, 16);
      float y = body(p, 90, 3);
      p.text(72, y + 6, "Background", Script.LATIN_BOLD, 10);
      y = body(p, y + 28, 3);
      String[][] labels = {{"Phase 1", "10"}, {"Results", "13"}, {"2. Costs", "10"}, {"Phase 2", "10"}};
      for (String[] l : labels) {
        float size = Float.parseFloat(l[1]);
        p.text(72, y + size, l[0], Script.LATIN_BOLD, size);
        float top = y + size + 10;
        float[] xs = {72, 220, 368, 516};
        float[] ys = {top, top + 20, top + 40, top + 60};
        p.grid(xs, ys).fill(xs, ys, new String[][] {{"Task", "Owner", "Weeks"}, {"Survey " + l[0], "Ann", "4"},
            {"Design", "Bob", "6"}}, Script.LATIN, 10);
        y = body(p, top + 80, 2);
      }
    }));
    String md = out.path("markdown").asText();
    assertThat(headings(md)).as(md).containsExactly("Project Plan", "Background", "Results", "2. Costs");
    assertThat(md).contains("\nPhase 1\n", "\nPhase 2\n", "| Survey Phase 2 | Ann | 4 |");
  }

  /** A stroked box; {@code round} leaves that much of each corner open, as a rounded rectangle's straight sides do. */
  static void box(GeneratedTablePdfs.Page p, float x0, float y0, float x1, float y1, float round) {
    p.line(x0 + round, y0, x1 - round, y0).line(x1, y0 + round, x1, y1 - round)
        .line(x1 - round, y1, x0 + round, y1).line(x0, y1 - round, x0, y0 + round);
  }

  /**
   * Labels inside drawn boxes (text boxes, flowchart shapes, a chart's area with its title and axis labels, a
   * figure's border with a large caption) are no headings, whatever their size; a heading hugged by its paragraph
   * border and a sidebar's title over the sidebar's running text still are.
   */
  @Test
  void labelsInsideDrawnBoxesAreNoHeadingsButBoxedHeadingsAndSidebarTitlesAre() {
    JsonNode out = convert("labels-in-drawings", pdf(p -> {
      p.text(72, 60, "Plant Report", Script.LATIN_BOLD, 16);
      float y = body(p, 90, 3);
      // a flowchart: two shapes (one with rounded corners) joined by a line, each holding a larger label
      box(p, 72, y, 170, y + 56, 0);
      p.text(90, y + 32, "Start here", Script.LATIN, 12);
      p.line(170, y + 28, 220, y + 48);
      box(p, 220, y + 24, 330, y + 80, 8);
      p.text(236, y + 56, "Text 2", Script.LATIN_BOLD, 12);
      y = body(p, y + 100, 2);
      // a heading hugged by its border
      box(p, 70, y, 520, y + 22, 0);
      p.text(74, y + 16, "Summary of Results", Script.LATIN_BOLD, 13);
      y = body(p, y + 40, 3);
      // a chart: its area, a title in a larger size, axis labels
      box(p, 72, y, 440, y + 150, 0);
      p.text(200, y + 24, "Chart Title", Script.LATIN, 14);
      for (int i = 0; i < 4; i++) {
        p.text(80, y + 50 + i * 22, String.valueOf(6 - 2 * i), Script.LATIN, 9);
        p.line(95, y + 47 + i * 22, 430, y + 47 + i * 22);
        p.text(110 + i * 80, y + 140, "Category " + (i + 1), Script.LATIN, 9);
      }
      y = body(p, y + 170, 2);
      // a sidebar: a title over running text in a box
      box(p, 72, y, 520, y + 62, 0);
      p.text(80, y + 18, "Safety Note", Script.LATIN_BOLD, 12);
      p.text(80, y + 36, "Valves must be closed before the pump is serviced, and the", Script.LATIN, 10);
      p.text(80, y + 49, "pressure gauge must read zero before any panel is opened.", Script.LATIN, 10);
      y = body(p, y + 86, 2);
      // a figure's border holding a drawing and a large two-line caption without a number
      box(p, 86, y, 392, y + 100, 0);
      p.line(100, y + 50, 380, y + 10);
      p.text(150, y + 72, "Fig \u2013 Torque versus", Script.LATIN, 16);
      p.text(180, y + 92, "speed", Script.LATIN, 16);
    }));
    String md = out.path("markdown").asText();
    assertThat(headings(md)).as(md).containsExactly("Plant Report", "Summary of Results", "Safety Note");
    assertThat(md).contains("Start here", "Text 2", "Chart Title", "Category 3", "Torque versus");
  }
}
