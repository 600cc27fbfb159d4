package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.text.ChunkSerializer.TableFormat;
import io.jetmesh.text.HierarchicalChunker.DocChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docling's chunking serialization. The triplet cases are docling-core's {@code test/test_triplet_serializer.py}
 * (expected strings copied from it); the Markdown table is docling's own rendering of its test table
 * ({@code test/data/chunker/2e_out_chunks.json}).
 */
class ChunkSerializerTest {
  private static String serialize(TestDocs d, ObjectNode item, TableFormat format) throws Exception {
    DoclingTree tree = d.tree();
    return new ChunkSerializer(tree, format).serializeAlone(tree.resolve(item.path("self_ref").asText())).text();
  }

  private static String triplets(TestDocs d, ObjectNode table) throws Exception {
    return serialize(d, table, TableFormat.TRIPLETS);
  }

  private static List<DocChunk> chunks(TestDocs d, TableFormat format) throws Exception {
    DoclingTree tree = d.tree();
    return HierarchicalChunker.chunk(tree, new ChunkSerializer(tree, format), () -> { });
  }

  // ---------------------------------------------------------------- triplets (docling's test_triplet_serializer.py)

  @Test
  void tripletsWithRowAndColumnHeaders() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.emptyTable(3, 3);
    String[] head = {"", "Q1", "Q2"};
    for (int j = 0; j < 3; j++) {
      TestDocs.cell(t, head[j], 0, 1, j, j + 1, true, false);
    }
    String[][] body = {{"Rev", "100", "200"}, {"Cost", "50", "80"}};
    for (int i = 0; i < 2; i++) {
      TestDocs.cell(t, body[i][0], i + 1, i + 2, 0, 1, false, true);
      TestDocs.cell(t, body[i][1], i + 1, i + 2, 1, 2, false, false);
      TestDocs.cell(t, body[i][2], i + 1, i + 2, 2, 3, false, false);
    }
    assertThat(triplets(d, t)).isEqualTo("Rev, Q1 = 100. Rev, Q2 = 200. Cost, Q1 = 50. Cost, Q2 = 80");
  }

  @Test
  void tripletsWithColumnHeadersOnly() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 1, new String[] {"Year", "Revenue", "Employees"},
        new String[] {"2014", "92.7", "379,592"}, new String[] {"2015", "81.7", "377,757"});
    assertThat(triplets(d, t)).isEqualTo("row_0, Year = 2014. row_0, Revenue = 92.7. row_0, Employees = 379,592. "
        + "row_1, Year = 2015. row_1, Revenue = 81.7. row_1, Employees = 377,757");
  }

  @Test
  void tripletsOfASingleNamedColumnAreColumnEqualsValue() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 1, new String[] {"Country"}, new String[] {"Italy"}, new String[] {"Canada"},
        new String[] {"Switzerland"});
    assertThat(triplets(d, t)).isEqualTo("Country = Italy. Country = Canada. Country = Switzerland");
  }

  @Test
  void tripletsWithRowHeadersOnlyNameColumnsByIndex() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.emptyTable(2, 3);
    String[][] rows = {{"Rev", "100", "200"}, {"Cost", "50", "80"}};
    for (int i = 0; i < 2; i++) {
      TestDocs.cell(t, rows[i][0], i, i + 1, 0, 1, false, true);
      TestDocs.cell(t, rows[i][1], i, i + 1, 1, 2, false, false);
      TestDocs.cell(t, rows[i][2], i, i + 1, 2, 3, false, false);
    }
    assertThat(triplets(d, t)).isEqualTo("Rev, col_1 = 100. Rev, col_2 = 200. Cost, col_1 = 50. Cost, col_2 = 80");
  }

  @Test
  void tripletsWithoutHeaders() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 0, new String[] {"a", "b"}, new String[] {"c", "d"});
    assertThat(triplets(d, t)).isEqualTo("row_0, col_0 = a. row_0, col_1 = b. row_1, col_0 = c. row_1, col_1 = d");
    TestDocs e = new TestDocs();
    ObjectNode single = e.table(null, 0, new String[] {"x"}, new String[] {"y"}, new String[] {"z"});
    assertThat(triplets(e, single)).isEqualTo("row_0, col_0 = x. row_1, col_0 = y. row_2, col_0 = z");
  }

  @Test
  void aRowSpanRepeatsItsValueInEveryRowItCovers() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.emptyTable(3, 2);
    TestDocs.cell(t, "Year", 0, 1, 0, 1, true, false);
    TestDocs.cell(t, "Revenue", 0, 1, 1, 2, true, false);
    TestDocs.cell(t, "2024", 1, 3, 0, 1, false, false);
    TestDocs.cell(t, "100", 1, 2, 1, 2, false, false);
    TestDocs.cell(t, "200", 2, 3, 1, 2, false, false);
    assertThat(triplets(d, t)).isEqualTo("row_0, Year = 2024. row_0, Revenue = 100. row_1, Year = 2024. row_1, Revenue = 200");
  }

  @Test
  void tripletsSkipEmptyCellsAndJoinStackedHeadersWithADot() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 2, new String[] {"Sales", "Sales"}, new String[] {"2023", "2024"},
        new String[] {"", "7"});
    assertThat(triplets(d, t)).isEqualTo("row_0, Sales.2024 = 7");
  }

  @Test
  void aTableIsItsCaptionThenItsTriplets() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 1, new String[] {"k", "v"}, new String[] {"a", "1"});
    d.caption(t, "Table 1: values");
    List<DocChunk> chunks = chunks(d, TableFormat.TRIPLETS);
    assertThat(chunks).hasSize(1); // the caption is no chunk of its own
    assertThat(chunks.get(0).text()).isEqualTo("Table 1: values\n\nrow_0, k = a. row_0, v = 1");
    assertThat(chunks.get(0).items()).extracting(n -> n.ref).containsExactly("#/texts/0", "#/tables/0");
  }

  // ---------------------------------------------------------------- Markdown tables

  @Test
  void markdownTablesAreDoclingsGithubTables() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 1, new String[] {"Year", "Revenue  (US$ bn)", "Net income  (US$ bn)", "Employees"},
        new String[] {"2014", "92.7", "12.0", "379,592"}, new String[] {"2015", "81.7", "13.1", "377,757"});
    // docling-core 2e_out_chunks.json: numbers right-aligned and kept as written, "379,592" is text
    assertThat(serialize(d, t, TableFormat.MARKDOWN)).isEqualTo(String.join("\n",
        "|   Year |   Revenue  (US$ bn) |   Net income  (US$ bn) | Employees   |",
        "|--------|---------------------|------------------------|-------------|",
        "|   2014 |                92.7 |                   12.0 | 379,592     |",
        "|   2015 |                81.7 |                   13.1 | 377,757     |"));
  }

  @Test
  void markdownTableCellsLoseNewlinesEscapePipesAndAColumnWithTextIsLeftAligned() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode t = d.table(null, 1, new String[] {"a", "b"}, new String[] {"x|y", "1"}, new String[] {"two\nlines", ""});
    assertThat(serialize(d, t, TableFormat.MARKDOWN)).isEqualTo(String.join("\n",
        "| a         | b   |",
        "|-----------|-----|",
        "| x&#124;y  | 1   |",
        "| two lines |     |"));
  }

  // ---------------------------------------------------------------- lists, code, formulas, formatting

  @Test
  void listItemsGetMarkdownMarkersAsDoclingGivesThem() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode bullets = d.group(null, "list");
    d.item(bullets, "-", false, "dash");
    d.item(bullets, "•", false, "bullet sign");
    d.item(bullets, "a)", false, "lettered");
    ObjectNode numbered = d.group(null, "list");
    d.item(numbered, "", true, "first");
    d.item(numbered, "", true, "second");
    d.item(numbered, "3.", true, "third");
    ObjectNode legacy = d.group(null, "list");
    d.item(legacy, "", true, "no marker field").remove("marker"); // docling's default marker is "-"
    List<DocChunk> chunks = chunks(d, TableFormat.TRIPLETS);
    assertThat(chunks).extracting(DocChunk::text).containsExactly("- dash\n- bullet sign\n- a) lettered",
        "1. first\n2. second\n3. third", "- no marker field");
  }

  @Test
  void aNestedListIsIndentedByFourSpacesPerLevel() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode list = d.group(null, "list");
    ObjectNode a = d.item(list, "-", false, "a");
    ObjectNode sub = d.group(a, "list");
    d.item(sub, "-", false, "a.1");
    ObjectNode a2 = d.item(sub, "-", false, "a.2");
    d.item(d.group(a2, "list"), "-", false, "a.2.i");
    d.item(list, "-", false, "b");
    List<DocChunk> chunks = chunks(d, TableFormat.TRIPLETS);
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).text()).isEqualTo("- a\n    - a.1\n    - a.2\n        - a.2.i\n- b");
    assertThat(chunks.get(0).items()).hasSize(5);
  }

  @Test
  void codeIsFencedFormulasAreDisplayMathCheckboxesAndFormattingAreMarkdown() throws Exception {
    TestDocs d = new TestDocs();
    d.text("code", "print(1)");
    d.text("formula", "E = mc^2");
    d.text("formula", "").put("orig", "garbled");
    d.text("checkbox_selected", "done");
    d.text("checkbox_unselected", "todo");
    d.text("text", "strong").putObject("formatting").put("bold", true).put("italic", true);
    d.text("text", "docling").put("hyperlink", "https://github.com/docling-project");
    assertThat(chunks(d, TableFormat.TRIPLETS)).extracting(DocChunk::text).containsExactly("```\nprint(1)\n```",
        "$$E = mc^2$$", "<!-- formula-not-decoded -->", "- [x] done", "- [ ] todo", "***strong***",
        "[docling](https://github.com/docling-project)");
  }

  @Test
  void headingsAreHeadingPathsNotChunksAndALowerLevelClosesDeeperOnes() throws Exception {
    TestDocs d = new TestDocs();
    d.text("title", "Report");
    d.heading(1, "One");
    d.heading(2, "One.A");
    d.text("text", "under 1.A");
    d.heading(1, "Two");
    d.text("text", "under 2");
    d.text("text", "furniture").put("content_layer", "furniture");
    List<DocChunk> chunks = chunks(d, TableFormat.TRIPLETS);
    assertThat(chunks).extracting(DocChunk::text).containsExactly("under 1.A", "under 2");
    assertThat(chunks.get(0).headings()).containsExactly("Report", "One", "One.A");
    assertThat(chunks.get(1).headings()).containsExactly("Report", "Two");
  }

  @Test
  void picturesContributeCaptionsAndDescriptionsButNotTheirInnerText() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode plain = d.picture(null);
    d.text(plain, "text", "text inside the chart");
    ObjectNode captioned = d.picture(null);
    d.caption(captioned, "Figure 1: a duck");
    ObjectNode described = d.picture(null);
    described.putArray("annotations").addObject().put("kind", "description").put("text", "A duck holding a paper.");
    d.caption(described, "Figure 2");
    List<DocChunk> chunks = chunks(d, TableFormat.TRIPLETS);
    assertThat(chunks).extracting(DocChunk::text).containsExactly("Figure 1: a duck", "Figure 2\n\nA duck holding a paper.");
  }

  @Test
  void inlinePartsAreSpacedAsDoclingDecidesFromSourcePositionsAndStyling() throws Exception {
    TestDocs d = new TestDocs();
    ObjectNode styled = d.group(null, "inline");
    d.text(styled, "text", "Hello");
    d.text(styled, "text", "world").putObject("formatting").put("bold", true);
    d.text(styled, "text", "Pars");
    d.text(styled, "text", "ing").putObject("formatting").put("italic", true);
    d.text(styled, "code", "x = 1");
    ObjectNode positioned = d.group(null, "inline");
    ObjectNode a = d.text(positioned, "text", "tight");
    ObjectNode b = d.text(positioned, "text", "ly");
    ObjectNode c = d.text(positioned, "text", "spaced");
    for (Object[] p : new Object[][] {{a, 0, 5}, {b, 5, 7}, {c, 8, 14}}) {
      ((ObjectNode) p[0]).putArray("prov").addObject().put("page_no", 1).putArray("charspan").add((int) p[1]).add((int) p[2]);
    }
    List<DocChunk> chunks = chunks(d, TableFormat.TRIPLETS);
    assertThat(chunks).extracting(DocChunk::text).containsExactly("Hello **world** Pars*ing* `x = 1`",
        "tightly spaced");
  }
}
