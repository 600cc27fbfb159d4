package io.jetmesh.pdf.docling;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lists in the Markdown export keep docling's conventions ({@code - } and {@code N. } bullets, sub-lists indented by
 * 4 spaces) and are lists in CommonMark too: a parent whose marker CommonMark does not know ({@code a.}, {@code iv.},
 * {@code 1.2.}) would be a paragraph, and its indented sub-list a lazy continuation or, after a blank line, a code
 * block. GatewayBrowserTest renders the export of a generated PDF with markdown-it.
 */
class ExportersListTest {
  static DocNode item(String text, String marker, DocNode... sublist) {
    DocNode n = new DocNode(DocNode.Kind.TEXT, "list_item");
    n.text = text;
    n.marker = marker;
    n.enumerated = marker != null && marker.matches(".*[0-9A-Za-z].*"); // as DocumentBuilder: bullets are not enumerated
    if (sublist.length > 0) {
      n.children.add(list(sublist));
    }
    return n;
  }

  static DocNode list(DocNode... items) {
    DocNode g = new DocNode(DocNode.Kind.GROUP, "list");
    g.children.addAll(List.of(items));
    return g;
  }

  static String markdown(DocNode... body) {
    return Exporters.markdown(new DocumentModel("t", "t.pdf", BigInteger.ONE, List.of(body), Map.of()));
  }

  @Test
  void bulletsAndNumbersNestWithFourSpacesAsDoclingWrites() {
    assertThat(markdown(list(item("First", "\u2022", item("Sub one", "\u2013"), item("Sub two", "\u2013",
        item("Deep", "\u2022"))), item("Second", "\u2022")), list(item("Step", "1.", item("Detail", "2."))))).isEqualTo("""
        - First
            - Sub one
            - Sub two
                - Deep
        - Second

        1. Step
            2. Detail
        """);
  }

  @Test
  void markersCommonMarkDoesNotKnowStayInTheTextAfterABullet() {
    assertThat(markdown(list(item("Apples", "a.", item("Green", "i."), item("Red", "ii.")), item("Pears", "(b)")),
        list(item("Morning Walk", "1.1."), item("Greenhouse", "1.2")))).isEqualTo("""
        - a. Apples
            - i. Green
            - ii. Red
        - b. Pears

        - 1.1. Morning Walk
        - 1.2 Greenhouse
        """);
  }

  @Test
  void aSubListUnderAWideNumberIsIndentedToItsText() {
    assertThat(markdown(list(item("Hundredth", "100.", item("Under it", "-")), item("Tenth", "10.", item("Below", "-")))))
        .isEqualTo("""
            100. Hundredth
                 - Under it
            10. Tenth
                - Below
            """);
  }
}
