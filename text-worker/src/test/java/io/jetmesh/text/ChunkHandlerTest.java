package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jetmesh.testing.SharedCorpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ChunkHandlerTest {
  private final TextServices services = TestServices.get();
  private final TokenCounter tokens = services.model().tokenCounter();

  private JsonNode chunk(byte[] input, String name, String options) {
    var run = HandlerTestKit.forSubject("text.analyze.chunk").input(input, name).options(options)
        .run(new ChunkHandler(services));
    return run.requireResult().output();
  }

  private JsonNode chunk(String input, String name, String options) {
    return chunk(input.getBytes(StandardCharsets.UTF_8), name, options);
  }

  static Path groundTruthDir() {
    return SharedCorpus.dir().resolve("corpus/docling/groundtruth");
  }

  @Test
  void chunksEveryCorpusDoclingDocumentWithinBudgetKeepingAllBodyText() throws Exception {
    Path dir = SharedCorpus.require("corpus/docling/groundtruth", "chunking every corpus DoclingDocument");
    List<Path> docs;
    try (Stream<Path> s = Files.list(dir)) {
      docs = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assumeTrue(!docs.isEmpty(), "no DoclingDocument JSON in " + dir);
    for (Path p : docs) {
      byte[] bytes = Files.readAllBytes(p);
      JsonNode doc = Json.tree(bytes);
      JsonNode out = chunk(bytes, p.getFileName().toString(), "{\"max_tokens\": 128}");
      assertThat(out.path("input_kind").asText()).isEqualTo("docling");
      JsonNode chunks = out.path("chunks");
      assertThat(chunks.size()).as(p.toString()).isPositive();
      Set<String> refs = new HashSet<>();
      for (JsonNode c : chunks) {
        assertThat(c.path("token_count").asInt()).as("%s chunk %s", p, c.path("index")).isLessThanOrEqualTo(128);
        assertThat(tokens.count(c.path("contextualized_text").asText())).isEqualTo(c.path("token_count").asInt());
        assertThat(c.path("pages").size()).as("pages of %s chunk %s", p, c.path("index")).isPositive();
        c.path("source_refs").forEach(r -> refs.add(r.asText()));
      }
      // every body text item with text (not furniture, not a caption attached to a table) lands in some chunk
      for (JsonNode t : doc.path("texts")) {
        boolean body = "body".equals(t.path("content_layer").asText("body"));
        String label = t.path("label").asText();
        boolean structural = label.equals("section_header") || label.equals("title") || label.equals("caption");
        boolean inPicture = t.path("parent").path("$ref").asText().startsWith("#/pictures/");
        if (body && !structural && !inPicture && !t.path("text").asText().isBlank()) {
          assertThat(refs).as("%s: %s (%s)", p.getFileName(), t.path("self_ref").asText(), label)
              .contains(t.path("self_ref").asText());
        }
      }
    }
  }

  @Test
  void multiPageCorpusDocumentChunksCarryHeadingPathsAndMergeParagraphsUnderOneHeading() throws Exception {
    Path p = SharedCorpus.require("corpus/docling/groundtruth/multi_page.json", "heading paths of a corpus document's chunks");
    JsonNode out = chunk(Files.readAllBytes(p), "multi_page.json", "{}");
    JsonNode first = out.path("chunks").get(0);
    assertThat(first.path("headings").get(0).asText()).isEqualTo("The Evolution of the Word Processor");
    assertThat(first.path("contextualized_text").asText()).startsWith("The Evolution of the Word Processor\n");
    // the two paragraphs under "Pre-Digital Era" are merged into one chunk (merge_peers)
    JsonNode preDigital = null;
    for (JsonNode c : out.path("chunks")) {
      if (c.path("headings").toString().contains("Pre-Digital Era")) {
        preDigital = c;
        break;
      }
    }
    assertThat(preDigital).isNotNull();
    assertThat(preDigital.path("source_refs").size()).isGreaterThanOrEqualTo(2);
    // the document spans several pages and the chunks say which
    Set<Integer> pages = new HashSet<>();
    out.path("chunks").forEach(c -> c.path("pages").forEach(n -> pages.add(n.asInt())));
    assertThat(pages.size()).isGreaterThan(1);
  }

  /** A DoclingDocument built here: title, nested sections, a long paragraph, a list, and a 60-row table. */
  static ObjectNode builtDocument() {
    ObjectNode doc = Json.object();
    doc.put("schema_name", "DoclingDocument").put("version", "1.10.0").put("name", "built");
    ArrayNode texts = doc.putArray("texts");
    ArrayNode tables = doc.putArray("tables");
    ArrayNode groups = doc.putArray("groups");
    ArrayNode bodyChildren = doc.putObject("body").put("self_ref", "#/body").putArray("children");
    java.util.function.BiFunction<String, String, ObjectNode> text = (label, t) -> {
      ObjectNode n = texts.addObject();
      n.put("self_ref", "#/texts/" + (texts.size() - 1)).put("label", label).put("text", t).put("orig", t)
          .put("content_layer", "body");
      n.putArray("prov").addObject().put("page_no", texts.size() < 6 ? 1 : 2);
      n.putObject("parent").put("$ref", "#/body");
      n.putArray("children");
      return n;
    };
    java.util.function.Consumer<ObjectNode> addToBody =
        n -> bodyChildren.addObject().put("$ref", n.path("self_ref").asText());
    addToBody.accept(text.apply("title", "Annual Report of the Lighthouse Keepers"));
    addToBody.accept(text.apply("section_header", "Operations").put("level", 1));
    addToBody.accept(text.apply("text", "The lighthouse operated every night of the year without interruption."));
    addToBody.accept(text.apply("section_header", "Maintenance").put("level", 2));
    StringBuilder longPara = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      longPara.append("Maintenance task number ").append(i).append(" involved cleaning the lens and checking the lamp. ");
    }
    addToBody.accept(text.apply("text", longPara.toString().strip()));
    ObjectNode furniture = text.apply("page_footer", "Page 1 of 2").put("content_layer", "furniture");
    addToBody.accept(furniture);
    ObjectNode list = groups.addObject().put("self_ref", "#/groups/0").put("label", "list").put("name", "list");
    bodyChildren.addObject().put("$ref", "#/groups/0");
    ArrayNode listChildren = list.putArray("children");
    for (String item : new String[] {"Lens polished", "Lamp replaced", "Stairs painted"}) {
      ObjectNode li = text.apply("list_item", item);
      li.putObject("parent").put("$ref", "#/groups/0");
      listChildren.addObject().put("$ref", li.path("self_ref").asText());
    }
    addToBody.accept(text.apply("section_header", "Visitors").put("level", 1));
    ObjectNode caption = text.apply("caption", "Table 1: Visitors per month");
    ObjectNode table = tables.addObject().put("self_ref", "#/tables/0").put("label", "table");
    table.putArray("prov").addObject().put("page_no", 2);
    table.putArray("captions").addObject().put("$ref", caption.path("self_ref").asText());
    table.putArray("children").addObject().put("$ref", caption.path("self_ref").asText());
    ObjectNode data = table.putObject("data");
    ArrayNode cells = data.putArray("table_cells");
    int rows = 61;
    data.put("num_rows", rows).put("num_cols", 3);
    String[] header = {"Month", "Visitors", "Remarks"};
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < 3; c++) {
        String t = r == 0 ? header[c] : c == 0 ? "Month " + r : c == 1 ? Integer.toString(100 + r) : "calm weather, clear skies";
        cells.addObject().put("text", t).put("start_row_offset_idx", r).put("end_row_offset_idx", r + 1)
            .put("start_col_offset_idx", c).put("end_col_offset_idx", c + 1).put("column_header", r == 0);
      }
    }
    bodyChildren.addObject().put("$ref", "#/tables/0");
    return doc;
  }

  @Test
  void builtDocumentIsChunkedByStructureWithTriplesForTheTableAsDoclingDoes() {
    byte[] input = Json.toBytes(builtDocument());
    JsonNode out = chunk(input, "built.json", "{\"max_tokens\": 96}");
    List<JsonNode> chunks = new ArrayList<>();
    out.path("chunks").forEach(chunks::add);
    for (JsonNode c : chunks) {
      assertThat(c.path("token_count").asInt()).isLessThanOrEqualTo(96);
      assertThat(c.path("text").asText()).doesNotContain("Page 1 of 2"); // furniture is skipped
    }
    // heading path: title > section > subsection
    JsonNode maintenance = chunks.stream().filter(c -> c.path("text").asText().startsWith("Maintenance task number 0"))
        .findFirst().orElseThrow();
    assertThat(maintenance.path("headings").toString())
        .isEqualTo("[\"Annual Report of the Lighthouse Keepers\",\"Operations\",\"Maintenance\"]");
    assertThat(maintenance.path("part").asInt()).isEqualTo(1);
    // the long paragraph was split at sentence ends (semchunk prefers whitespace after a full stop)
    List<JsonNode> parts = chunks.stream().filter(c -> c.path("source_refs").toString().contains("#/texts/4")).toList();
    assertThat(parts.size()).isGreaterThan(3);
    parts.forEach(c -> assertThat(c.path("text").asText().split("\n")[0]).startsWith("Maintenance task number")
        .endsWith("lamp."));
    // the list stays together, with its markers
    JsonNode list = chunks.stream().filter(c -> c.path("kinds").toString().contains("list_item")).findFirst().orElseThrow();
    assertThat(list.path("text").asText()).contains("- Lens polished\n- Lamp replaced\n- Stairs painted");
    // the table: caption, then one "row, column = value" triplet per cell, split where the budget ends
    List<JsonNode> tableChunks = chunks.stream().filter(c -> c.path("kinds").toString().contains("table")).toList();
    assertThat(tableChunks.size()).isGreaterThan(1);
    StringBuilder all = new StringBuilder();
    for (JsonNode c : tableChunks) {
      assertThat(c.path("headings").toString()).isEqualTo("[\"Annual Report of the Lighthouse Keepers\",\"Visitors\"]");
      assertThat(c.path("pages").toString()).isEqualTo("[2]");
      all.append(c.path("text").asText());
    }
    // docling: the caption's own doc-item window is empty text, merged with the caption piece semchunk cut at "\n\n"
    assertThat(tableChunks.get(0).path("text").asText()).isEqualTo("\nTable 1: Visitors per month");
    assertThat(tableChunks.get(0).path("source_refs").toString()).isEqualTo("[\"#/texts/10\",\"#/tables/0\"]");
    assertThat(tableChunks.get(1).path("text").asText()).startsWith("row_0, Month = Month 1. row_0, Visitors = 101.");
    StringBuilder triplets = new StringBuilder("Table 1: Visitors per month");
    for (int r = 1; r <= 60; r++) {
      triplets.append(r == 1 ? "" : ".").append(" row_").append(r - 1).append(", Month = Month ").append(r)
          .append(". row_").append(r - 1).append(", Visitors = ").append(100 + r).append(". row_").append(r - 1)
          .append(", Remarks = calm weather, clear skies");
    }
    // every character of the table text is in exactly one chunk (only the whitespace at the cuts is dropped)
    assertThat(all.toString().replaceAll("\\s", "")).isEqualTo(triplets.toString().replaceAll("\\s", ""));
  }

  @Test
  void markdownTablesSplitBetweenRowsRepeatTheirHeaderWithRepeatTableHeader() {
    byte[] input = Json.toBytes(builtDocument());
    JsonNode out = chunk(input, "built.json", "{\"max_tokens\": 96, \"use_markdown_tables\": true}");
    assertThat(out.path("use_markdown_tables").asBoolean()).isTrue();
    List<JsonNode> tableChunks = new ArrayList<>();
    out.path("chunks").forEach(c -> {
      if (c.path("kinds").toString().contains("table") && c.path("text").asText().contains("| Month ")) {
        tableChunks.add(c);
      }
    });
    assertThat(tableChunks.size()).isGreaterThan(1);
    int rows = 0;
    for (JsonNode c : tableChunks) {
      String t = c.path("text").asText();
      // docling's header lines of a Markdown table are its first two non-blank lines: here the caption and the header
      assertThat(t).startsWith("Table 1: Visitors per month\n| Month    |   Visitors | Remarks                   |\n");
      rows += (int) t.lines().filter(l -> l.startsWith("| Month ") && !l.startsWith("| Month  ")).count();
    }
    assertThat(rows).isEqualTo(60); // every row once, none lost or duplicated
    assertThat(tableChunks.get(0).path("text").asText()).contains("|----------|------------|");

    JsonNode noRepeat = chunk(input, "built.json",
        "{\"max_tokens\": 96, \"use_markdown_tables\": true, \"repeat_table_header\": false}");
    long withHeader = 0;
    for (JsonNode c : noRepeat.path("chunks")) {
      withHeader += c.path("text").asText().contains("|   Visitors |") ? 1 : 0;
    }
    assertThat(withHeader).isEqualTo(1); // semchunk splits at newlines: the header is in the first part only
  }

  @Test
  void markdownHeadingsListsAndTablesAreStructure() {
    String md = """
        # Guide

        Intro paragraph about the guide.

        ## Install

        Run the installer.

        - step one
        - step two
          continues here
        1. numbered

        | a | b |
        |---|---|
        | 1 | 2 |

        ```
        code block
        ```

        ## Use
        Second section.
        """;
    JsonNode out = chunk(md, "guide.md", "{}");
    assertThat(out.path("input_kind").asText()).isEqualTo("markdown");
    JsonNode chunks = out.path("chunks");
    assertThat(chunks.size()).isEqualTo(3);
    assertThat(chunks.get(0).path("headings").toString()).isEqualTo("[\"Guide\"]");
    assertThat(chunks.get(1).path("headings").toString()).isEqualTo("[\"Guide\",\"Install\"]");
    // docling's serialization: list markers kept, the table as triplets, code fenced; merged under one heading
    assertThat(chunks.get(1).path("text").asText()).isEqualTo(
        "Run the installer.\n- step one\n- step two continues here\n1. numbered\nrow_0, a = 1. row_0, b = 2\n```\ncode block\n```");
    assertThat(chunks.get(1).path("kinds").toString()).isEqualTo("[\"paragraph\",\"list_item\",\"table\",\"code\"]");
    assertThat(chunks.get(1).path("source_refs").get(0).asText()).isEqualTo("#/lines/7");
    assertThat(chunks.get(2).path("contextualized_text").asText()).isEqualTo("Guide\nUse\nSecond section.");
  }

  @Test
  void overlapRepeatsTheEndOfThePreviousPartAndNeverExceedsTheBudget() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      sb.append("Sentence ").append(i).append(" talks about topic ").append(i).append(". ");
    }
    JsonNode plain = chunk(sb.toString(), "t.txt", "{\"max_tokens\": 40, \"overlap_tokens\": 12}");
    JsonNode chunks = plain.path("chunks");
    assertThat(chunks.size()).isGreaterThan(3);
    for (int i = 0; i < chunks.size(); i++) {
      assertThat(chunks.get(i).path("token_count").asInt()).isLessThanOrEqualTo(40);
      if (i > 0) {
        String prev = chunks.get(i - 1).path("text").asText();
        String firstSentence = chunks.get(i).path("text").asText().split("(?<=\\.) ")[0];
        assertThat(prev).as("chunk %d starts with the end of chunk %d", i, i - 1).endsWith(firstSentence);
      }
    }
    JsonNode noOverlap = chunk(sb.toString(), "t.txt", "{\"max_tokens\": 40}");
    assertThat(noOverlap.path("chunks").size()).isLessThan(chunks.size());
  }

  @Test
  void aSingleHugeWordIsOneTokenAsInDoclingUnlessCappedByCharactersPerToken() {
    // WordPiece counts a word of over 100 characters as one [UNK]: docling keeps such a word whole
    String blob = "x".repeat(50_000);
    JsonNode docling = chunk("Start. " + blob + " end.", "t.txt", "{\"max_tokens\": 64}");
    assertThat(docling.path("chunks").size()).isEqualTo(1);
    assertThat(docling.path("chunks").get(0).path("token_count").asInt()).isEqualTo(5); // start . [UNK] end .
    // max_chars_per_token cuts it into pieces of at most 32 * 64 characters, keeping every character
    JsonNode out = chunk("Start. " + blob + " end.", "t.txt", "{\"max_tokens\": 64, \"max_chars_per_token\": 32}");
    StringBuilder joined = new StringBuilder();
    for (JsonNode c : out.path("chunks")) {
      assertThat(c.path("token_count").asInt()).isLessThanOrEqualTo(64);
      assertThat(c.path("char_count").asInt()).isLessThanOrEqualTo(32 * 64);
      joined.append(c.path("text").asText());
    }
    assertThat(joined.toString().replaceAll("[^x]", "")).hasSize(50_000);

    JsonNode approx = chunk("One two three. Four five six.", "t.txt", "{\"tokenizer\": \"approximate\", \"max_tokens\": 500}");
    assertThat(approx.path("tokenizer").asText()).isEqualTo("approximate");
    assertThat(approx.path("chunks").get(0).path("token_count").asInt()).isEqualTo(8);
  }

  @Test
  void pdfWorkerOutputIsChunkedFromItsDocumentField() {
    ObjectNode pdfOut = Json.object();
    pdfOut.set("document", builtDocument());
    pdfOut.put("markdown", "# ignored when a document is present");
    JsonNode out = chunk(Json.toBytes(pdfOut), "convert.json", "{}");
    assertThat(out.path("input_kind").asText()).isEqualTo("docling");
    assertThat(out.path("chunks").get(0).path("headings").get(0).asText()).isEqualTo("Annual Report of the Lighthouse Keepers");
  }

  @Test
  void budgetsUpToDoclingServesLimitAreAcceptedForChunkingButNotForEmbedding() {
    // docling-serve's default chunking_max_tokens is 512, above the model's input: fine for chunking
    JsonNode out = chunk("Some text. More text.", "t.txt", "{\"max_tokens\": 512}");
    assertThat(out.path("max_tokens").asInt()).isEqualTo(512);
    var run = HandlerTestKit.forSubject("text.analyze.chunk").input("text".getBytes(StandardCharsets.UTF_8), "t.txt")
        .options("{\"max_tokens\": 40000}").run(new ChunkHandler(services));
    assertThat(run.error().getMessage()).contains("max_tokens").contains("1..32768");
    // embedding chunks must fit the model, so embed keeps the model's input as the ceiling
    var embed = HandlerTestKit.forSubject("text.analyze.embed").input("text".getBytes(StandardCharsets.UTF_8), "t.txt")
        .options("{\"max_tokens\": 1000}").run(new EmbedHandler(services));
    assertThat(embed.error().getMessage()).contains("max_tokens").contains("1..254");
  }

  @Test
  void anUnknownTokenizerIsUnsupportedNamingWhatIsAvailable() {
    var run = HandlerTestKit.forSubject("text.analyze.chunk").input("text".getBytes(StandardCharsets.UTF_8), "t.txt")
        .options("{\"tokenizer\": \"Qwen/Qwen3-Embedding-0.6B\"}").run(new ChunkHandler(services));
    assertThat(run.error().code()).isEqualTo(io.jetmesh.protocol.ErrorCode.UNSUPPORTED);
    assertThat(run.error().getMessage()).contains("Qwen/Qwen3-Embedding-0.6B").contains("sentence-transformers/all-MiniLM-L6-v2")
        .contains("approximate");
    // docling-serve's default tokenizer name is the bundled model
    JsonNode out = chunk("Some text.", "t.txt", "{\"tokenizer\": \"sentence-transformers/all-MiniLM-L6-v2\"}");
    assertThat(out.path("tokenizer").asText()).isEqualTo("all-minilm-l6-v2-q");
  }

  @Test
  void aLongParagraphWithoutPunctuationIsSplitWithinBudgetKeepingEveryWord() {
    StringBuilder sb = new StringBuilder();
    java.util.Random r = new java.util.Random(1);
    while (sb.length() < 200_000) {
      sb.append("lorem").append(r.nextInt(1000)).append(' ');
    }
    long t0 = System.nanoTime();
    JsonNode out = chunk(sb.toString(), "big.txt", "{}");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    int chars = 0;
    for (JsonNode c : out.path("chunks")) {
      assertThat(c.path("token_count").asInt()).isLessThanOrEqualTo(254);
      chars += c.path("char_count").asInt();
    }
    // every word kept: the chunks hold the text less the spaces between parts
    assertThat(chars).isGreaterThan(198_000);
    assertThat(out.path("chunks").get(0).path("part").asInt()).isEqualTo(1);
    org.slf4j.LoggerFactory.getLogger(ChunkHandlerTest.class).info("200 kB paragraph: {} chunks in {} ms",
        out.path("count").asInt(), ms);
  }
}
