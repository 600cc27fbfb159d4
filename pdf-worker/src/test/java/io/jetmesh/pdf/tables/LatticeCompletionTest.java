package io.jetmesh.pdf.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ruled tables whose rules are incomplete: the grid is completed from how the text is laid out. */
class LatticeCompletionTest {

  private static final String[][] DATA = {
      {"Country", "Cohesion", "ERDF", "Total"},
      {"Bulgaria", "2.3", "3.2", "5.5"},
      {"Cyprus", "0.21", "0", "0.21"},
      {"Estonia", "1.1", "1.9", "3.0"},
      {"Latvia", "1.5", "2.4", "3.9"},
      {"TOTAL", "5.11", "7.5", "12.61"}};
  private static final float[] XS = {100, 200, 280, 360, 440};

  @Test
  void bodyWithoutRowRulesIsSplitIntoRowsAlongAlignedFigures() {
    // rules: frame, under the header, above the total; no rules between body rows
    TestPdf pdf = new TestPdf();
    float top = 100;
    float header = 118;
    float totalTop = 190;
    float bottom = 208;
    pdf.grid(XS, new float[] {top, header, totalTop, bottom});
    for (int c = 0; c < 4; c++) {
      pdf.text(XS[c] + 4, top + 13, DATA[0][c], 10, true);
      for (int r = 1; r <= 4; r++) {
        pdf.text(XS[c] + 4, header + 4 + r * 14 - 2, DATA[r][c]);
      }
      pdf.text(XS[c] + 4, totalTop + 13, DATA[5][c]);
    }
    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    assertThat(tables.get(0).method()).isEqualTo("lattice");
    assertThat(tables.get(0).grid()).isDeepEqualTo(DATA);
  }

  @Test
  void rowsRuledOnlyHorizontallyAreSplitAtTheHeaderColumns() {
    // vertical rules only in the header row; every body row is a band between horizontal rules
    TestPdf pdf = new TestPdf();
    float[] ys = {100, 118, 134, 150, 166, 182, 198};
    for (float y : ys) {
      pdf.line(XS[0], y, XS[4], y);
    }
    for (float x : XS) {
      pdf.line(x, ys[0], x, ys[1]);
    }
    for (int r = 0; r < DATA.length; r++) {
      for (int c = 0; c < 4; c++) {
        pdf.text(XS[c] + 4, ys[r] + 12, DATA[r][c], 10, r == 0);
      }
    }
    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    assertThat(tables.get(0).grid()).isDeepEqualTo(DATA);
  }

  @Test
  void titleAndNoteInsideTheFrameAreNotRows() {
    TestPdf pdf = new TestPdf();
    float[] ys = {80, 100, 118, 134, 150, 170};
    // outer frame around title, table and note; inner grid only around the table rows
    pdf.line(XS[0], ys[0], XS[4], ys[0]).line(XS[0], ys[5], XS[4], ys[5]);
    pdf.line(XS[0], ys[0], XS[0], ys[5]).line(XS[4], ys[0], XS[4], ys[5]);
    for (int k = 1; k <= 4; k++) {
      pdf.line(XS[0], ys[k], XS[4], ys[k]);
    }
    for (int c = 1; c < 4; c++) {
      pdf.line(XS[c], ys[1], XS[c], ys[4]);
    }
    pdf.text(104, 94, "Exhibit 3. Funds by country, in billion euro");
    pdf.text(104, 164, "Source: made-up figures for a test of the table extractor.");
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        pdf.text(XS[c] + 4, ys[r + 1] + 12, DATA[r][c], 10, r == 0);
      }
    }
    List<Table> tables = pdf.tables();

    assertThat(tables).hasSize(1);
    Table t = tables.get(0);
    assertThat(t.grid()).isDeepEqualTo(new String[][] {DATA[0], DATA[1], DATA[2]});
    assertThat(t.cells()).filteredOn(TableCell::columnHeader).extracting(TableCell::text)
        .containsExactly(DATA[0]);
  }

  @Test
  void boxedParagraphIsNotATable() {
    TestPdf pdf = new TestPdf();
    pdf.grid(new float[] {72, 523}, new float[] {100, 200});
    pdf.line(72, 130, 523, 130);
    pdf.text(80, 118, "Highlights", 12, true);
    pdf.prose(80, 515, 145, 4, 10, 13, 21);
    assertThat(pdf.tables()).isEmpty();
  }
}
