package io.jetmesh.pdf.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableExtractorTest {

  private static String[][] grid(Table t) {
    return t.grid();
  }

  private static TableCell cell(Table t, int row, int col) {
    return t.cells().stream().filter(c -> c.row() == row && c.col() == col).findFirst()
        .orElseThrow(() -> new AssertionError("no cell at " + row + "," + col + " in " + t));
  }

  @Test
  void ruledFourByThreeTableIsExtractedCellByCell() {
    String[][] data = {
        {"Item", "Qty", "Price"},
        {"Widget", "2", "9.99"},
        {"Gadget", "5", "19.50"},
        {"Total", "7", "117.48"}};
    TestPdf pdf = new TestPdf();
    float[] xs = {100, 220, 300, 400};
    float[] ys = {100, 120, 140, 160, 180};
    pdf.grid(xs, ys);
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 3; c++) {
        pdf.text(xs[c] + 4, ys[r] + 14, data[r][c], 10, r == 0);
      }
    }
    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    Table t = tables.get(0);
    assertThat(t.method()).isEqualTo("lattice");
    assertThat(t.numRows()).isEqualTo(4);
    assertThat(t.numCols()).isEqualTo(3);
    assertThat(grid(t)).isDeepEqualTo(data);
    assertThat(t.pageNo()).isEqualTo(1);
    assertThat(t.x0()).isCloseTo(100f, org.assertj.core.data.Offset.offset(1f));
    assertThat(t.y0()).isCloseTo(100f, org.assertj.core.data.Offset.offset(1f));
    assertThat(cell(t, 0, 1).columnHeader()).isTrue();
    assertThat(cell(t, 1, 1).columnHeader()).isFalse();
    assertThat(cell(t, 2, 0).rowHeader()).isTrue();
  }

  @Test
  void spanningCellsFollowMissingInnerRulings() {
    // 4 columns x 4 rows; row 0: "Region" spans 2 rows (rows 0-1), "Sales" spans columns 1-3
    TestPdf pdf = new TestPdf();
    float[] xs = {100, 200, 270, 340, 410};
    float[] ys = {100, 120, 140, 160, 180};
    // outer frame
    pdf.line(xs[0], ys[0], xs[4], ys[0]).line(xs[0], ys[4], xs[4], ys[4]);
    pdf.line(xs[0], ys[0], xs[0], ys[4]).line(xs[4], ys[0], xs[4], ys[4]);
    // row line under row 0 only right of column 0 (Region spans rows 0-1)
    pdf.line(xs[1], ys[1], xs[4], ys[1]);
    pdf.line(xs[0], ys[2], xs[4], ys[2]).line(xs[0], ys[3], xs[4], ys[3]);
    // column line after column 0 everywhere; columns 1|2|3 separated only from row 1 down
    pdf.line(xs[1], ys[0], xs[1], ys[4]);
    pdf.line(xs[2], ys[1], xs[2], ys[4]).line(xs[3], ys[1], xs[3], ys[4]);
    pdf.text(104, 134, "Region").text(260, 114, "Sales");
    pdf.text(204, 134, "2011").text(274, 134, "2012").text(344, 134, "2013");
    pdf.text(104, 154, "North").text(204, 154, "10").text(274, 154, "11").text(344, 154, "12");
    pdf.text(104, 174, "South").text(204, 174, "20").text(274, 174, "21").text(344, 174, "22");

    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    Table t = tables.get(0);
    assertThat(t.numRows()).isEqualTo(4);
    assertThat(t.numCols()).isEqualTo(4);
    TableCell region = cell(t, 0, 0);
    assertThat(region.text()).isEqualTo("Region");
    assertThat(region.rowSpan()).isEqualTo(2);
    assertThat(region.colSpan()).isEqualTo(1);
    TableCell sales = cell(t, 0, 1);
    assertThat(sales.text()).isEqualTo("Sales");
    assertThat(sales.colSpan()).isEqualTo(3);
    assertThat(sales.rowSpan()).isEqualTo(1);
    assertThat(cell(t, 1, 2).text()).isEqualTo("2012");
    assertThat(cell(t, 3, 3).text()).isEqualTo("22");
    assertThat(sales.columnHeader()).isTrue();
    assertThat(cell(t, 1, 3).columnHeader()).isTrue();
    assertThat(cell(t, 2, 1).columnHeader()).isFalse();
  }

  @Test
  void multiLineCellTextIsJoinedInReadingOrder() {
    TestPdf pdf = new TestPdf();
    float[] xs = {100, 250, 350};
    float[] ys = {100, 120, 160, 180};
    pdf.grid(xs, ys);
    pdf.text(104, 114, "Name").text(254, 114, "Value");
    pdf.text(104, 134, "first line of").text(104, 150, "a wrapped cell").text(254, 134, "42");
    pdf.text(104, 174, "Plain").text(254, 174, "7");

    Table t = pdf.tables().get(0);

    assertThat(t.numRows()).isEqualTo(3);
    assertThat(cell(t, 1, 0).text()).isEqualTo("first line of a wrapped cell");
    assertThat(cell(t, 1, 1).text()).isEqualTo("42");
  }

  @Test
  void rulingsFromThinFilledRectanglesAndTransformedPathsFormAGrid() {
    TestPdf pdf = new TestPdf();
    // horizontal rules as thin filled rectangles, verticals stroked under a translation matrix
    for (float y : new float[] {100, 120, 140, 160}) {
      pdf.fillRect(100, y - 0.4f, 200, 0.8f);
    }
    pdf.raw(cs -> {
      cs.saveGraphicsState();
      cs.transform(org.apache.pdfbox.util.Matrix.getTranslateInstance(50, -20));
      for (float x : new float[] {50, 150, 250}) {
        cs.moveTo(x, TestPdf.H - 80);
        cs.lineTo(x, TestPdf.H - 140);
        cs.stroke();
      }
      cs.restoreGraphicsState();
    });
    pdf.text(104, 114, "A").text(204, 114, "B").text(104, 134, "1").text(204, 134, "2");
    pdf.text(104, 154, "3").text(204, 154, "4");

    PageContent page = pdf.read();
    assertThat(page.rulings()).anySatisfy(r -> {
      assertThat(r.isVertical()).isTrue();
      assertThat(r.x0()).isCloseTo(100f, org.assertj.core.data.Offset.offset(0.5f));
      assertThat(r.top()).isCloseTo(100f, org.assertj.core.data.Offset.offset(0.5f));
    });
    List<Table> tables = new TableExtractor(TableSettings.DEFAULT).extract(page);

    assertThat(tables).hasSize(1);
    assertThat(grid(tables.get(0))).isDeepEqualTo(new String[][] {{"A", "B"}, {"1", "2"}, {"3", "4"}});
    assertThat(tables.get(0).method()).isEqualTo("lattice");
  }

  @Test
  void unruledWhitespaceAlignedTableIsFoundByStream() {
    TestPdf pdf = new TestPdf();
    pdf.prose(72, 523, 80, 4, 10, 13, 1);
    String[][] data = {
        {"Country", "Population", "Area km2", "Capital"},
        {"France", "67,750,000", "551,695", "Paris"},
        {"Germany", "83,200,000", "357,022", "Berlin"},
        {"Italy", "59,030,000", "301,340", "Rome"},
        {"Spain", "47,420,000", "505,990", "Madrid"}};
    float[] xs = {72, 180, 290, 390};
    for (int r = 0; r < data.length; r++) {
      for (int c = 0; c < 4; c++) {
        pdf.text(xs[c], 160 + r * 14, data[r][c], 10, r == 0);
      }
    }
    pdf.prose(72, 523, 260, 4, 10, 13, 2);

    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    Table t = tables.get(0);
    assertThat(t.method()).isEqualTo("stream");
    assertThat(grid(t)).isDeepEqualTo(data);
    assertThat(cell(t, 0, 2).columnHeader()).isTrue();
    assertThat(cell(t, 1, 2).columnHeader()).isFalse();
  }

  @Test
  void unruledTableRowWithAWrappedLabelStaysOneRow() {
    TestPdf pdf = new TestPdf();
    pdf.text(72, 100, "Measure", 10, true).text(250, 100, "2012", 10, true).text(330, 100, "2013", 10, true);
    pdf.text(72, 114, "Gross domestic").text(250, 114, "1.2").text(330, 114, "1.5");
    pdf.text(72, 126, "product growth");
    pdf.text(72, 140, "Inflation").text(250, 140, "2.1").text(330, 140, "2.4");
    pdf.text(72, 154, "Unemployment").text(250, 154, "7.9").text(330, 154, "8.3");

    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    assertThat(grid(tables.get(0))).isDeepEqualTo(new String[][] {
        {"Measure", "2012", "2013"},
        {"Gross domestic product growth", "1.2", "1.5"},
        {"Inflation", "2.1", "2.4"},
        {"Unemployment", "7.9", "8.3"}});
  }

  @Test
  void unruledTwoLineColumnHeadersBecomeOneHeaderRow() {
    TestPdf pdf = new TestPdf();
    pdf.text(72, 60, "Table 4. Household income by region", 11, true);
    float[] xs = {72, 220, 300, 380};
    String[] h1 = {"Region", "Median", "Mean", "Share of"};
    String[] h2 = {"", "income", "income", "households"};
    for (int c = 0; c < 4; c++) {
      pdf.text(xs[c], 90, h1[c], 10, true);
      if (!h2[c].isEmpty()) {
        pdf.text(xs[c], 101, h2[c], 10, true);
      }
    }
    String[][] body = {{"North", "31,200", "35,400", "24.1"}, {"South", "28,900", "33,000", "31.5"},
        {"East", "30,100", "34,800", "20.2"}, {"West", "33,700", "38,900", "24.2"}};
    for (int r = 0; r < body.length; r++) {
      for (int c = 0; c < 4; c++) {
        pdf.text(xs[c], 118 + r * 13, body[r][c]);
      }
    }
    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    Table t = tables.get(0);
    assertThat(t.grid()).isDeepEqualTo(new String[][] {
        {"Region", "Median income", "Mean income", "Share of households"},
        body[0], body[1], body[2], body[3]});
    assertThat(t.cells()).filteredOn(TableCell::columnHeader).hasSize(4);
    assertThat(cell(t, 1, 0).rowHeader()).isTrue();
  }

  @Test
  void oneColumnProsePageYieldsNoTable() {
    TestPdf pdf = new TestPdf();
    pdf.text(72, 60, "A Report on Something", 16, true);
    pdf.prose(72, 523, 90, 20, 10, 13, 3);
    pdf.prose(72, 523, 370, 25, 10, 13, 4);
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void twoColumnProsePageYieldsNoTable() {
    TestPdf pdf = new TestPdf();
    pdf.text(72, 60, "Two Column Article", 16, true);
    pdf.prose(72, 287, 90, 50, 9, 12, 5);
    pdf.prose(307, 523, 90, 50, 9, 12, 6);
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void twoColumnProseWithNarrowColumnsYieldsNoTable() {
    TestPdf pdf = new TestPdf();
    pdf.prose(40, 200, 80, 55, 8, 11, 7);
    pdf.prose(215, 375, 80, 55, 8, 11, 8);
    pdf.prose(390, 555, 80, 55, 8, 11, 9);
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void numberedAndBulletedListsYieldNoTable() {
    TestPdf pdf = new TestPdf();
    float y = 80;
    for (int i = 1; i <= 8; i++) {
      pdf.text(72, y, i + ".").text(92, y, String.join(" ", TestPdf.proseWords(4, i)));
      y += 14;
    }
    y += 20;
    for (int i = 1; i <= 6; i++) {
      pdf.text(72, y, "-").text(86, y, String.join(" ", TestPdf.proseWords(3, 20 + i)));
      y += 14;
    }
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void lineChartWithAlignedTickLabelsYieldsNoTable() {
    TestPdf pdf = new TestPdf();
    // two side-by-side charts: y tick labels at the left of each, a polyline series, legend below
    for (int chart = 0; chart < 2; chart++) {
      float ox = 72 + chart * 250;
      pdf.line(ox + 30, 100, ox + 30, 300).line(ox + 30, 300, ox + 220, 300);
      for (int k = 0; k <= 8; k++) {
        pdf.text(ox, 304 - k * 25, String.valueOf(k * 50));
      }
      float[] ys = {280, 240, 260, 200, 210, 150, 170, 120};
      pdf.raw(cs -> {
        cs.moveTo(ox + 35, TestPdf.H - ys[0]);
        for (int k = 1; k < ys.length; k++) {
          cs.lineTo(ox + 35 + k * 25, TestPdf.H - ys[k]);
        }
        cs.stroke();
      });
      pdf.text(ox + 40, 320, "Jan-08").text(ox + 100, 320, "Jul-08").text(ox + 160, 320, "Jan-09");
    }
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void wordsAndRulingsOfARotatedPageAreInDisplayedCoordinates() throws Exception {
    // /Rotate 90: displayed (X, Y) from the top-left is user space (u = Y, v = X); upright text advances along +v
    TestPdf pdf = new TestPdf();
    float[] xs = {100, 200, 300};
    float[] ys = {100, 120, 140};
    pdf.raw(cs -> {
      cs.setLineWidth(0.5f);
      for (float y : ys) {
        cs.moveTo(y, xs[0]);
        cs.lineTo(y, xs[2]);
        cs.stroke();
      }
      for (float x : xs) {
        cs.moveTo(ys[0], x);
        cs.lineTo(ys[2], x);
        cs.stroke();
      }
      String[][] cells = {{"A", "B"}, {"1", "2"}};
      for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 2; c++) {
          cs.beginText();
          cs.setFont(TestPdf.REGULAR, 10);
          cs.setTextMatrix(org.apache.pdfbox.util.Matrix.getRotateInstance(Math.PI / 2, ys[r] + 14, xs[c] + 4));
          cs.showText(cells[r][c]);
          cs.endText();
        }
      }
    });
    try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.bytes())) {
      doc.getPage(0).setRotation(90);
      PageContent page = PageWords.read(doc, 1);

      assertThat(page.width()).isEqualTo(TestPdf.H);
      List<Table> tables = new TableExtractor(TableSettings.DEFAULT).extract(page);
      assertThat(tables).hasSize(1);
      Table t = tables.get(0);
      assertThat(grid(t)).isDeepEqualTo(new String[][] {{"A", "B"}, {"1", "2"}});
      assertThat(t.x0()).isCloseTo(100f, org.assertj.core.data.Offset.offset(1f));
      assertThat(t.y0()).isCloseTo(100f, org.assertj.core.data.Offset.offset(1f));
    }
  }

  @Test
  void tableOfContentsYieldsNoTable() {
    TestPdf pdf = new TestPdf();
    pdf.text(72, 70, "Contents", 14, true);
    String[] titles = {"Introduction", "Background and scope", "Methodology", "Data collection", "Results",
        "Regional differences", "Discussion", "Recommendations", "Annex A: Tables", "Annex B: Glossary"};
    int page = 3;
    for (int i = 0; i < titles.length; i++) {
      float y = 100 + i * 16;
      pdf.text(72, y, (i + 1) + ". " + titles[i]);
      pdf.text(500, y, String.valueOf(page));
      page += 2 + i % 3;
    }
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void proseWithAnIndentedQuoteAndFootnotesYieldsNoTable() {
    TestPdf pdf = new TestPdf();
    pdf.prose(72, 523, 80, 12, 10, 13, 11);
    pdf.prose(110, 485, 250, 6, 9, 12, 12);
    pdf.prose(72, 523, 340, 14, 10, 13, 13);
    pdf.text(72, 720, "1").text(80, 720, String.join(" ", TestPdf.proseWords(12, 14)), 8, false);
    pdf.text(72, 732, "2").text(80, 732, String.join(" ", TestPdf.proseWords(10, 15)), 8, false);
    pdf.text(290, 800, "12");
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void runningHeaderAndSignatureBlockYieldNoTable() {
    TestPdf pdf = new TestPdf();
    pdf.text(72, 40, "Annual Report 2012", 8, false).text(280, 40, "Chapter 3", 8, false)
        .text(480, 40, "Page 17", 8, false);
    pdf.text(72, 50, "Ministry of Finance", 8, false).text(280, 50, "Public accounts", 8, false)
        .text(480, 50, "Draft", 8, false);
    pdf.prose(72, 523, 90, 30, 10, 13, 31);
    pdf.text(72, 520, "John Smith").text(320, 520, "Jane Doe");
    pdf.text(72, 533, "Director").text(320, 533, "Secretary");
    assertThat(pdf.tables()).isEmpty();
  }

  @Test
  void emptyPageYieldsNoTable() {
    assertThat(new TableExtractor(TableSettings.DEFAULT)
        .extract(new PageContent(1, 595, 842, List.of(), List.of()))).isEmpty();
  }
}
