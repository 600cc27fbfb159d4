package io.jetmesh.pdf.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextLineTest {
  /** Words laid out left to right from x = 100, each 30 pt wide, on one baseline. */
  private static List<PageWord> line(String... leftToRight) {
    List<PageWord> out = new ArrayList<>();
    float x = 100;
    for (String t : leftToRight) {
      out.add(new PageWord(t, x, 100, x + 30, 110, 10, false, ""));
      x += 34;
    }
    return out;
  }

  @Test
  void leftToRightLinesReadLeftToRight() {
    assertThat(TextLine.lineText(line("Total", "for", "2012"))).isEqualTo("Total for 2012");
  }

  @Test
  void rightToLeftCellTextReadsFromTheRightWithNumbersAndLatinRunsInTheirOwnOrder() {
    // logical: "מחיר כולל 12.50 ש״ח" shown left to right as: ש״ח 12.50 כולל מחיר
    assertThat(TextLine.lineText(line("ש״ח", "12.50", "כולל", "מחיר"))).isEqualTo("מחיר כולל 12.50 ש״ח");
    // a Latin name of two words inside Arabic keeps its word order
    assertThat(TextLine.lineText(line("الشركة", "Acme", "Corp", "شركة"))).isEqualTo("شركة Acme Corp الشركة");
    assertThat(TextLine.join(line("ريخته", "گری"))).isEqualTo("گری ريخته");
  }

  @Test
  void aRightToLeftCellWithMoreLatinThanHebrewLettersStillReadsFromTheRight() {
    // logical: "לפי Microsoft Word ולפי Google Docs בלבד", both ends Hebrew in visual order
    assertThat(TextLine.lineText(line("בלבד", "Google", "Docs", "ולפי", "Microsoft", "Word", "לפי")))
        .isEqualTo("לפי Microsoft Word ולפי Google Docs בלבד");
    // a Latin line naming a Hebrew word keeps left-to-right order
    assertThat(TextLine.lineText(line("The", "word", "שלום", "means", "peace"))).isEqualTo("The word שלום means peace");
  }
}
