package io.jetmesh.pdf.formats.xlsx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cell values as docling prints them (Python's str() of openpyxl's values). */
class CellValuesTest {
  @Test
  void numbersDatesAndTimesPrintAsPythonWould() {
    assertThat(CellValues.number("5", false, false)).isEqualTo("5");
    assertThat(CellValues.number("3.5", false, false)).isEqualTo("3.5");
    assertThat(CellValues.number("1E-5", false, false)).isEqualTo("1e-05");
    assertThat(CellValues.number("45292", true, false)).isEqualTo("2024-01-01 00:00:00");
    assertThat(CellValues.number("0.5", true, false)).isEqualTo("12:00:00");
    assertThat(CellValues.isDateFormat(14, null)).isTrue();
    assertThat(CellValues.isDateFormat(164, "#,##0.00")).isFalse();
    assertThat(CellValues.isDateFormat(165, "dd/mm/yyyy hh:mm")).isTrue();
  }


  @Test
  void cellReferencesAndColumnNames() {
    assertThat(XlsxConverter.ref("B12")).containsExactly(11, 1);
    assertThat(XlsxConverter.ref("$AA$3")).containsExactly(2, 26);
    assertThat(XlsxConverter.ref("12")).isNull();
    assertThat(XlsxConverter.colName(27)).isEqualTo("AB");
  }
}
