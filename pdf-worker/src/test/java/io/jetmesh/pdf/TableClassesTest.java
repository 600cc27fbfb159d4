package io.jetmesh.pdf;

import static io.jetmesh.pdf.GeneratedTablePdfs.Script;
import static io.jetmesh.pdf.GeneratedTablePdfs.pdf;
import static io.jetmesh.pdf.GeneratedTablePdfs.ruled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table classes of issue 15 on generated PDFs (exact by construction, see {@link GeneratedTablePdfs}), through
 * the {@code tables} and {@code convert} handlers as a client calls them.
 */
class TableClassesTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void fonts() {
    GeneratedTablePdfs.assumeFonts("TableClassesTest");
  }

  static final String[][] ITEMS = {
      {"Name", "Qty", "Price", "Note"},
      {"Widget", "2", "9.99", "red"},
      {"Gadget", "5", "19.50", "blue"},
      {"Total", "7", "117.48", "none"}};

  /** The tables operation's output for a generated PDF. */
  static JsonNode tables(String name, byte[] pdf) {
    Path f = GeneratedTablePdfs.write(dir, name + ".pdf", pdf);
    return HandlerTestKit.forSubject("pdf.docling.tables").input(f).options("{}").run(new TablesHandler())
        .requireResult().output().path("tables");
  }

  /** The convert operation's Markdown for a generated PDF. */
  static String markdown(String name, byte[] pdf) {
    Path f = GeneratedTablePdfs.write(dir, name + ".pdf", pdf);
    return HandlerTestKit.forSubject("pdf.docling.convert").input(f)
        .options("{\"to_formats\":[\"md\"],\"do_ocr\":false}").run(new ConvertHandler(() -> null))
        .requireResult().output().path("markdown").asText();
  }

  static String[][] grid(JsonNode table) {
    List<String[]> rows = new ArrayList<>();
    for (JsonNode r : table.path("grid")) {
      String[] row = new String[r.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = r.get(i).asText();
      }
      rows.add(row);
    }
    return rows.toArray(new String[0][]);
  }

  static String pipeRow(String... cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  // ------------------------------------------------------------------ rotated pages and sideways tables

  @ParameterizedTest(name = "/Rotate {0}, content drawn turned by {1}")
  @CsvSource({"0, 0", "90, 90", "270, 270", "90, 0", "270, 0", "0, 90", "0, 270"})
  void ruledTableReadsAlongItsTextLinesWhateverThePageRotation(int rotate, int drawn) {
    byte[] pdf = pdf(rotate, drawn, ruled(ITEMS, Script.LATIN, 80, 100, 90));
    JsonNode ts = tables("rot-" + rotate + "-" + drawn, pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(ITEMS);
    String md = markdown("rot-md-" + rotate + "-" + drawn, pdf);
    assertThat(md).contains(pipeRow(ITEMS[0])).contains(pipeRow(ITEMS[1])).contains(pipeRow(ITEMS[3]));
    // the table's words leave the text flow: no cell text is repeated outside the table
    assertThat(md.split("Gadget", -1)).hasSize(2);
  }

  @org.junit.jupiter.api.Test
  void sidewaysColumnHeadersDoNotTurnAnUprightTable() {
    String[][] body = {{"", "", ""}, {"north", "12", "30"}, {"south", "14", "31"}, {"east", "16", "32"}};
    byte[] pdf = pdf(p -> {
      float[] xs = {80, 180, 240, 300};
      float[] ys = {100, 160, 180, 200, 220};
      p.grid(xs, ys);
      p.fill(xs, ys, body, Script.LATIN, 10);
      p.text(84, 150, "Region", Script.LATIN, 10);
      p.textUp(214, 155, "Sales", Script.LATIN, 10);
      p.textUp(274, 155, "Staff", Script.LATIN, 10);
    });
    JsonNode ts = tables("sideways-headers", pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(new String[][] {
        {"Region", "Sales", "Staff"}, {"north", "12", "30"}, {"south", "14", "31"}, {"east", "16", "32"}});
  }

  @ParameterizedTest(name = "/Rotate {0}, content drawn turned by {1}")
  @CsvSource({"90, 0", "0, 270"})
  void borderlessTableReadsAlongItsTextLinesOnASidewaysPage(int rotate, int drawn) {
    String[][] rows = {
        {"Station", "Jan", "Feb", "Mar"},
        {"Aberdeen", "3.1", "3.4", "5.2"},
        {"Bristol", "5.8", "6.0", "8.1"},
        {"Cardiff", "5.5", "5.9", "7.7"},
        {"Dundee", "3.0", "3.3", "5.0"}};
    float[] lefts = {80, 200, 260, 320};
    float[] rights = {180, 230, 290, 350};
    boolean[] numeric = {false, true, true, true};
    byte[] pdf = pdf(rotate, drawn, GeneratedTablePdfs.borderless(rows, lefts, rights, numeric, Script.LATIN, 120, 16, 10));
    JsonNode ts = tables("sideways-borderless-" + rotate + "-" + drawn, pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(rows);
  }

  // ------------------------------------------------------------------ borderless (whitespace-aligned) tables

  static final String[] SECTORS = {"Agriculture", "Mining and quarrying", "Manufacturing", "Electricity",
      "Water supply", "Construction", "Wholesale trade", "Transport", "Accommodation", "Information", "Finance",
      "Real estate", "Professional services", "Administration", "Public sector", "Education", "Health", "Arts",
      "Other services", "Households", "Extraterritorial", "Fishing", "Forestry", "Textiles", "Chemicals", "Machinery"};

  /** A 27 x 8 figure table: a label column and seven right-aligned number columns, headings in the first row. */
  static String[][] figures(int seed, String... headings) {
    java.util.Random r = new java.util.Random(seed);
    String[][] t = new String[27][8];
    t[0][0] = "Sector";
    for (int c = 1; c < 8; c++) {
      t[0][c] = headings.length > 0 ? headings[c - 1] : String.valueOf(2010 + c);
    }
    for (int i = 1; i < 27; i++) {
      t[i][0] = SECTORS[i - 1];
      for (int c = 1; c < 8; c++) {
        t[i][c] = String.format(java.util.Locale.ROOT, "%,d", 100 + r.nextInt(c % 2 == 0 ? 9000 : 900000));
      }
    }
    return t;
  }

  /** Draws a figure table: headings centred over their columns, figures right-aligned, no rulings. */
  static byte[] borderlessFigures(String[][] t, float gutter, Script labels) {
    float size = 8;
    float[] lefts = new float[8];
    float[] rights = new float[8];
    boolean[] numeric = new boolean[8];
    lefts[0] = 40;
    rights[0] = 150;
    for (int c = 1; c < 8; c++) {
      lefts[c] = rights[c - 1] + gutter;
      rights[c] = lefts[c] + 48;
      numeric[c] = true;
    }
    return pdf(p -> {
      p.text(40, 60, "Table 3: output by sector", Script.LATIN_BOLD, 10);
      for (int c = 0; c < 8; c++) {
        Script script = c == 0 ? labels : Script.LATIN;
        float w = p.phraseWidth(t[0][c], script, size);
        p.text(c == 0 ? (labels.rtl() ? rights[0] : lefts[0]) : (lefts[c] + rights[c] - w) / 2, 80, t[0][c],
            script, size);
      }
      GeneratedTablePdfs.borderless(java.util.Arrays.copyOfRange(t, 1, t.length), lefts, rights, numeric, labels,
          93, 10.8f, size).draw(p);
    });
  }

  @org.junit.jupiter.api.Test
  void borderlessFigureTableKeepsItsEightColumns() {
    String[][] t = figures(1);
    JsonNode ts = tables("borderless-27x8", borderlessFigures(t, 12, Script.LATIN));
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(t);
  }

  @org.junit.jupiter.api.Test
  void oneLabelOverflowingIntoAnEmptyCellDoesNotMergeTwoColumns() {
    String[][] t = figures(3);
    t[5][0] = "Total manufacturing and services sectors";
    t[5][1] = "";
    t[9][3] = "12,345,678,901";
    JsonNode ts = tables("borderless-overflow", borderlessFigures(t, 12, Script.LATIN));
    assertThat(ts).hasSize(1);
    String[][] g = grid(ts.get(0));
    assertThat(g).hasNumberOfRows(27);
    assertThat(g[0]).hasSize(8);
    // the overflowing label spans the empty cell beside it (the dense grid repeats a spanning cell's text)
    assertThat(g[5][0]).isEqualTo("Total manufacturing and services sectors");
    assertThat(g[5][2]).isEqualTo(t[5][2]);
    for (int r : new int[] {1, 2, 3, 4, 6, 10, 26}) {
      assertThat(g[r]).as("row %d", r).isEqualTo(t[r]);
    }
  }

  @org.junit.jupiter.api.Test
  void headingsCentredOverNarrowerColumnsWithNarrowGapsFormTheHeaderRow() {
    String[][] t = figures(2, "Region A total", "Region B total", "Region C total", "Region D total",
        "Region E total", "Region F total", "Region G total");
    JsonNode ts = tables("borderless-wide-headings", borderlessFigures(t, 8, Script.LATIN));
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(t);
    assertThat(ts.get(0).path("cells").get(3).path("column_header").asBoolean()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void tightGuttersBetweenFigureColumnsStillSeparateThem() {
    String[][] t = figures(4);
    JsonNode ts = tables("borderless-tight", borderlessFigures(t, 4, Script.LATIN));
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(t);
  }

  @ParameterizedTest(name = "{0} labels")
  @CsvSource({"CJK", "HEBREW", "ARABIC"})
  void borderlessTableWithNonLatinLabelsKeepsItsGrid(Script labels) {
    String[] words = switch (labels) {
      case CJK -> new String[] {"农业", "采矿业", "制造业", "电力供应", "建筑业", "批发贸易", "运输", "金融"};
      case HEBREW -> new String[] {"חקלאות", "כרייה", "תעשייה", "חשמל", "בנייה", "מסחר", "תחבורה", "כספים"};
      default -> new String[] {"الزراعة", "التعدين", "الصناعة", "الكهرباء", "البناء", "التجارة", "النقل", "المال"};
    };
    String[][] t = figures(5);
    t = java.util.Arrays.copyOf(t, 9);
    for (int r = 1; r < 9; r++) {
      t[r][0] = words[r - 1];
    }
    t[0][0] = labels == Script.CJK ? "部门" : labels == Script.HEBREW ? "ענף" : "القطاع";
    JsonNode ts = tables("borderless-" + labels, borderlessFigures(t, 12, labels));
    assertThat(ts).hasSize(1);
    String[][] g = grid(ts.get(0));
    assertThat(g).hasNumberOfRows(9);
    for (int r = 0; r < 9; r++) {
      assertThat(g[r]).as("row %d", r).hasSize(8);
      assertThat(java.util.Arrays.copyOfRange(g[r], 1, 8)).isEqualTo(java.util.Arrays.copyOfRange(t[r], 1, 8));
      assertThat(g[r][0]).as("label of row %d", r).isNotEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void ruledRowsWhoseCellsHoldTwoLinesBesideCentredSingleLinesStayOneRow() {
    // rules between row groups only; the first two cells of a row hold one line centred in the row, the others
    // two lines each (a paper's results table: "6 | 6 | OTSL / HTML | 0.965 / 0.969 | ...")
    String[][] rows = {{"6", "6", "0.965", "0.969", "0.934", "0.927", "0.955", "0.955", "0.88", "0.857", "2.73", "5.39"},
        {"4", "4", "0.938", "0.952", "0.904", "0.909", "0.927", "0.938", "0.853", "0.843", "1.97", "3.77"},
        {"2", "4", "0.923", "0.945", "0.897", "0.901", "0.915", "0.931", "0.859", "0.834", "1.91", "3.81"}};
    String[] head = {"enc", "dec", "Language", "simple", "complex", "all", "mAP", "time"};
    byte[] pdf = pdf(p -> {
      float[] xs = {140, 188, 235, 282, 316, 357, 390, 422, 474};
      float[] ys = {338, 364, 390, 416, 442};
      for (float y : ys) {
        p.line(xs[0], y, xs[8], y);
      }
      for (int c = 1; c < 8; c++) {
        p.line(xs[c], ys[0], xs[c], ys[4]);
      }
      for (int c = 0; c < 8; c++) {
        p.text(xs[c] + 4, 355, head[c], Script.LATIN, 9);
      }
      for (int r = 0; r < 3; r++) {
        float top = ys[r + 1];
        p.text(xs[0] + 20, top + 14.5f, rows[r][0], Script.LATIN, 9).text(xs[1] + 20, top + 14.5f, rows[r][1], Script.LATIN, 9);
        p.text(xs[2] + 8, top + 9, "OTSL", Script.LATIN, 9).text(xs[2] + 8, top + 22, "HTML", Script.LATIN, 9);
        for (int c = 3; c < 8; c++) {
          p.text(xs[c] + 4, top + 9, rows[r][2 * c - 4], Script.LATIN, 9)
              .text(xs[c] + 4, top + 22, rows[r][2 * c - 3], Script.LATIN, 9);
        }
      }
    });
    JsonNode ts = tables("two-line-cells", pdf);
    assertThat(ts).hasSize(1);
    String[][] expected = new String[4][];
    expected[0] = head;
    for (int r = 0; r < 3; r++) {
      expected[r + 1] = new String[] {rows[r][0], rows[r][1], "OTSL HTML", rows[r][2] + " " + rows[r][3],
          rows[r][4] + " " + rows[r][5], rows[r][6] + " " + rows[r][7], rows[r][8] + " " + rows[r][9],
          rows[r][10] + " " + rows[r][11]};
    }
    assertThat(grid(ts.get(0))).isDeepEqualTo(expected);
  }

  // ------------------------------------------------------------------ nested tables, lists in cells, forms

  @org.junit.jupiter.api.Test
  void aTableInsideACellIsPartOfThatCellAndNotRepeated() {
    byte[] pdf = pdf(p -> {
      float[] xs = {60, 180, 400, 520};
      float[] ys = {100, 120, 220, 240};
      p.grid(xs, ys).fill(xs, ys, new String[][] {{"Item", "Details", "Owner"}, {"Pump", "", "North"},
          {"Valve", "none", "South"}}, Script.LATIN, 10);
      float[] ixs = {200, 290, 380};
      float[] iys = {135, 155, 175, 195};
      p.grid(ixs, iys).fill(ixs, iys, new String[][] {{"Size", "Weight"}, {"40 cm", "12 kg"}, {"55 cm", "18 kg"}},
          Script.LATIN, 10);
    });
    JsonNode ts = tables("nested", pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(new String[][] {
        {"Item", "Details", "Owner"}, {"Pump", "Size Weight 40 cm 12 kg 55 cm 18 kg", "North"},
        {"Valve", "none", "South"}});
    String md = markdown("nested-md", pdf);
    assertThat(md.split("12 kg", -1)).as(md).hasSize(2);
  }

  /**
   * A table nested in a cell as word processors print it: the inner table starts on the cell's top rule or ends on
   * its bottom rule, so its rulings join the outer grid. Its column and row lines must not become the outer table's:
   * the outer table keeps its own 3 x 2 shape and the inner table's text appears once, in its cell, row by row.
   */
  @ParameterizedTest(name = "inner table touching the cell''s {0} rule")
  @CsvSource({"top", "bottom"})
  void aTableNestedInACellTouchingItsRulesKeepsTheOuterGrid(String touching) {
    byte[] pdf = pdf(p -> {
      float[] xs = {70, 300, 530};
      float[] ys = {100, 118, 136, 230};
      p.grid(xs, ys).fill(xs, ys, new String[][] {{"Item", "Details"}, {"Pump", "North"}, {"", ""}}, Script.LATIN,
          10);
      // left cell: a 3-column inner table; right cell: a sentence and a 2-column inner table
      float top = touching.equals("top") ? ys[2] + 0.5f : ys[3] - 0.5f - 48;
      float[] ixs = {76, 150, 224, 294};
      float[] iys = {top, top + 16, top + 32, top + 48};
      p.grid(ixs, iys).fill(ixs, iys, new String[][] {{"Size", "Weight", "Colour"}, {"40 cm", "12 kg", "grey"},
          {"55 cm", "18 kg", "blue"}}, Script.LATIN, 10);
      float[] jxs = {306, 415, 524};
      float[] jys = {top, top + 16, top + 32};
      p.grid(jxs, jys).fill(jxs, jys, new String[][] {{"Part", "Stock"}, {"Seal", "14"}}, Script.LATIN, 10);
      p.text(306, touching.equals("top") ? ys[3] - 8 : ys[2] + 14, "Spare parts listed", Script.LATIN, 10);
    });
    String inner = "Size Weight Colour 40 cm 12 kg grey 55 cm 18 kg blue";
    String parts = touching.equals("top") ? "Part Stock Seal 14 Spare parts listed" : "Spare parts listed Part Stock Seal 14";
    JsonNode ts = tables("nested-touching-" + touching, pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(new String[][] {{"Item", "Details"}, {"Pump", "North"},
        {inner, parts}});
    String md = markdown("nested-touching-md-" + touching, pdf);
    assertThat(md).as(md).contains(pipeRow(inner, parts));
    assertThat(md.split("12 kg", -1)).as(md).hasSize(2);
    assertThat(md.split("Seal", -1)).as(md).hasSize(2);
  }

  @org.junit.jupiter.api.Test
  void listItemsInARuledCellStayInThatCell() {
    byte[] pdf = pdf(p -> {
      float[] xs = {60, 160, 360, 480};
      float[] ys = {100, 120, 170, 220};
      p.grid(xs, ys).fill(xs, ys, new String[][] {{"Step", "Actions", "Owner"}, {"Prepare", "", ""},
          {"Finish", "", ""}}, Script.LATIN, 10);
      String[][] items = {{"• Check the valve", "• Open the tap", "• Call the office"},
          {"• Sign the form", "• File it", "• Tell the office"}};
      String[][] owners = {{"J. Smith", "A. Jones", "B. Brown"}, {"C. White", "D. Green", "E. Black"}};
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < 3; i++) {
          p.text(164, ys[r + 1] + 14 + i * 14, items[r][i], Script.LATIN, 10);
          p.text(364, ys[r + 1] + 14 + i * 14, owners[r][i], Script.LATIN, 10);
        }
      }
    });
    JsonNode ts = tables("ruled-list-cells", pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(new String[][] {
        {"Step", "Actions", "Owner"},
        {"Prepare", "• Check the valve • Open the tap • Call the office", "J. Smith A. Jones B. Brown"},
        {"Finish", "• Sign the form • File it • Tell the office", "C. White D. Green E. Black"}});
  }

  @org.junit.jupiter.api.Test
  void listItemsInABorderlessCellStayInThatCell() {
    String[][] rows = {{"Step", "Actions", "Owner"}, {"Prepare", "• Check the valve", "J. Smith"},
        {"", "• Open the tap", ""}, {"", "• Call the office", ""}, {"Finish", "• Sign the form", "C. White"},
        {"", "• File it", ""}, {"Report", "• Write it", "E. Black"}};
    byte[] pdf = pdf(p -> {
      float[] x = {60, 180, 400};
      for (int r = 0; r < rows.length; r++) {
        for (int c = 0; c < 3; c++) {
          if (!rows[r][c].isEmpty()) {
            p.text(x[c], 100 + r * 14, rows[r][c], Script.LATIN, 10);
          }
        }
      }
    });
    JsonNode ts = tables("borderless-list-cells", pdf);
    assertThat(ts).hasSize(1);
    assertThat(grid(ts.get(0))).isDeepEqualTo(new String[][] {
        {"Step", "Actions", "Owner"},
        {"Prepare", "• Check the valve • Open the tap • Call the office", "J. Smith"},
        {"Finish", "• Sign the form • File it", "C. White"},
        {"Report", "• Write it", "E. Black"}});
  }

  @org.junit.jupiter.api.Test
  void keyValueFormKeepsEachLabelWithItsValueAndPhoneNumbersAreNotListItems() {
    String[][] kv = {{"Name:", "Jane Smith"}, {"Date of birth:", "12 March 1980"}, {"Phone:", "(123) 456-7890"},
        {"Email:", "jane@example.org"}, {"Address:", "12 High Street, Springfield"}, {"Member since:", "2015"}};
    byte[] pdf = pdf(p -> {
      p.text(50, 60, "Application form", Script.LATIN_BOLD, 14);
      p.text(50, 90, "Please check the details below before you sign.", Script.LATIN, 10);
      for (int i = 0; i < kv.length; i++) {
        p.text(50, 120 + i * 18, kv[i][0], Script.LATIN_BOLD, 10).text(170, 120 + i * 18, kv[i][1], Script.LATIN, 10);
      }
      p.text(50, 260, "Signed in Springfield on the date shown above, by the applicant named above.", Script.LATIN, 10);
      p.text(50, 290, "(321) 654-0987 is the office to call with questions.", Script.LATIN, 10);
    });
    String md = markdown("key-value-form", pdf);
    for (String[] pair : kv) {
      assertThat(md).as(md).contains(pipeRow(pair));
    }
    assertThat(md).as(md).contains("(321) 654-0987 is the office").doesNotContain("321.");
  }
}
