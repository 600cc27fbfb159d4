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
import org.junit.jupiter.api.Assumptions;
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
    String missing = GeneratedTablePdfs.missingFonts();
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
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
}
