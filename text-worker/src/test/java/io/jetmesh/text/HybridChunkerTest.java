package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docling's hybrid chunking rules on documents built for each rule, counted with the model's tokenizer. */
class HybridChunkerTest {
  private final TokenCounter tokens = TestServices.get().model().tokenCounter();

  private List<Chunk> chunk(TestDocs d, int maxTokens, boolean mergePeers) throws Exception {
    return new HybridChunker(tokens, HybridChunker.Settings.docling(maxTokens, mergePeers)).chunk(d.tree(), () -> { });
  }

  @Test
  void aListOverBudgetIsSplitBetweenItemsAndHybridChunksLoseTheNesting() throws Exception {
    TestDocs d = new TestDocs();
    d.heading(1, "Steps");
    ObjectNode list = d.group(null, "list");
    for (int i = 1; i <= 12; i++) {
      ObjectNode item = d.item(list, "-", false, "Step number " + i + " of the procedure");
      if (i == 2) {
        d.item(d.group(item, "list"), "-", false, "a detail of step two");
      }
    }
    List<Chunk> chunks = chunk(d, 40, false);
    assertThat(chunks.size()).isGreaterThan(1);
    StringBuilder all = new StringBuilder();
    for (Chunk c : chunks) {
      assertThat(c.tokenCount()).isLessThanOrEqualTo(40);
      assertThat(c.text()).startsWith("- Step number ");
      assertThat(c.headings()).containsExactly("Steps");
      all.append(c.text()).append('\n');
    }
    // docling serializes each item of a window alone: the nested item comes without its indentation
    assertThat(all.toString()).contains("- Step number 2 of the procedure\n- a detail of step two\n");
    assertThat(all.toString().lines().count()).isEqualTo(13);
    // docling rebuilds every multi-item chunk from its items, even one that fits: the nesting is gone there too;
    // only the hierarchical chunker keeps the serialized list with its indentation
    List<Chunk> whole = chunk(d, 254, true);
    assertThat(whole).hasSize(1);
    assertThat(whole.get(0).text()).contains("- Step number 2 of the procedure\n- a detail of step two");
    List<Chunk> hierarchical = HybridChunker.hierarchical(d.tree(), ChunkSerializer.TableFormat.TRIPLETS, tokens,
        () -> { });
    assertThat(hierarchical.get(0).text()).contains("- Step number 2 of the procedure\n    - a detail of step two");
  }

  @Test
  void headingsLongerThanTheBudgetAreDroppedFromTheirChunks() throws Exception {
    TestDocs d = new TestDocs();
    d.heading(1, "Short");
    d.text("text", "A paragraph under the short heading.");
    d.heading(2, "very long heading " + "words ".repeat(60));
    d.text("text", "A paragraph under the long heading.");
    List<Chunk> chunks = chunk(d, 32, true);
    assertThat(chunks).extracting(Chunk::text).containsExactly("A paragraph under the short heading.",
        "A paragraph under the long heading.");
    assertThat(chunks.get(0).contextualizedText()).isEqualTo("Short\nA paragraph under the short heading.");
    assertThat(chunks.get(1).headings()).isEmpty();
    assertThat(chunks.get(1).contextualizedText()).isEqualTo("A paragraph under the long heading.");
  }

  @Test
  void mergePeersJoinsSmallChunksUnderTheSameHeadingsOnly() throws Exception {
    TestDocs d = new TestDocs();
    d.heading(1, "A");
    d.text("text", "First.");
    d.text("text", "Second.");
    d.heading(1, "B");
    d.text("text", "Third.");
    assertThat(chunk(d, 64, true)).extracting(Chunk::text).containsExactly("First.\nSecond.", "Third.");
    assertThat(chunk(d, 64, false)).extracting(Chunk::text).containsExactly("First.", "Second.", "Third.");
    // merged peers keep every item, in order
    assertThat(chunk(d, 64, true).get(0).sourceRefs()).containsExactly("#/texts/1", "#/texts/2");
  }

  @Test
  void textWithoutSpacesIsCutBetweenCharactersAsSemchunkDoes() throws Exception {
    // Chinese punctuation is not one of semchunk's splitters: without whitespace it cuts between characters
    String zh = "机器学习是人工智能的一个分支。".repeat(20);
    TestDocs d = new TestDocs();
    d.text("text", zh);
    List<Chunk> chunks = chunk(d, 64, false);
    StringBuilder joined = new StringBuilder();
    for (Chunk c : chunks) {
      assertThat(c.tokenCount()).isLessThanOrEqualTo(64);
      joined.append(c.text());
    }
    assertThat(joined.toString()).isEqualTo(zh);
    assertThat(chunks.get(0).tokenCount()).isEqualTo(64); // one token per CJK character: full pieces
  }

  @Test
  void hierarchicalModeMakesOneChunkPerItemWithoutABudget() throws Exception {
    TestDocs d = new TestDocs();
    d.heading(1, "Intro");
    d.text("text", "word ".repeat(400).strip());
    ObjectNode list = d.group(null, "list");
    d.item(list, "-", false, "one");
    d.item(list, "-", false, "two");
    d.text("text", "after the list");
    List<Chunk> chunks = HybridChunker.hierarchical(d.tree(), ChunkSerializer.TableFormat.TRIPLETS, tokens, () -> { });
    assertThat(chunks).extracting(Chunk::text).containsExactly("word ".repeat(400).strip(), "- one\n- two",
        "after the list");
    assertThat(chunks.get(0).tokenCount()).isEqualTo(1 + 400); // "Intro" + 400 words, counted, not cut
    assertThat(chunks.get(1).docItems()).extracting(Chunk.ItemRef::label).containsExactly("list_item", "list_item");
  }

  @Test
  void aTableWithItsCaptionOverBudgetGivesDoclingsEmptyCaptionWindow() throws Exception {
    // docling splits [caption, table] by items: the caption alone serializes to "" (it belongs to the table),
    // the table is split by semchunk, and merge_peers glues the empty window to the first piece
    TestDocs d = new TestDocs();
    String[][] rows = new String[31][];
    rows[0] = new String[] {"City", "Population"};
    for (int i = 1; i <= 30; i++) {
      rows[i] = new String[] {"City " + i, Integer.toString(1000 * i)};
    }
    ObjectNode t = d.table(null, 1, rows);
    d.caption(t, "Cities");
    List<Chunk> merged = chunk(d, 48, true);
    assertThat(merged.get(0).text()).startsWith("\nCities\nrow_0, City = City 1. row_0, Population = 1000.");
    assertThat(merged.get(0).sourceRefs()).containsExactly("#/texts/0", "#/tables/0");
    List<Chunk> unmerged = chunk(d, 48, false);
    assertThat(unmerged.get(0).text()).isEmpty();
    assertThat(unmerged.get(1).text()).isEqualTo("Cities");
    for (Chunk c : merged) {
      assertThat(c.tokenCount()).isLessThanOrEqualTo(48);
    }
  }

  /** The same tokenizer without the additive shortcut: every count is a tokenizer call. */
  static TokenCounter exactOnly(TokenCounter t) {
    return new TokenCounter() {
      @Override
      public int count(String text) {
        return t.count(text);
      }

      @Override
      public int[] countAll(List<String> texts) {
        return t.countAll(texts);
      }

      @Override
      public int maxTokenChars() {
        return t.maxTokenChars();
      }

      @Override
      public String name() {
        return t.name();
      }
    };
  }

  @Test
  void addingUpCountsGivesExactlyTheChunksOfCountingEveryText() throws Exception {
    java.util.Random r = new java.util.Random(1616);
    String[] words = {"alpha", "Beta.", "gamma,", "delta;", "(epsilon)", "zeta!", "[SEP]", "naïve", "日本", "x".repeat(120),
        "e.g.", "U.S.", "-", "co-op", "it's", "3.14", "“quote”", "a/b", "…", "&"};
    String[] seps = {" ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0"};
    TokenCounter exact = exactOnly(tokens);
    for (int round = 0; round < 40; round++) {
      TestDocs d = new TestDocs();
      for (int k = 0, items = 1 + r.nextInt(12); k < items; k++) {
        int kind = r.nextInt(10);
        if (kind == 0) {
          d.heading(1 + r.nextInt(3), words[r.nextInt(words.length)] + " heading");
        } else if (kind == 1) {
          ObjectNode list = d.group(null, "list");
          for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
            d.item(list, "-", false, sentence(r, words, seps, 3 + r.nextInt(30)));
          }
        } else {
          d.text("text", sentence(r, words, seps, 5 + r.nextInt(300)));
        }
      }
      int max = 8 + r.nextInt(120);
      boolean merge = r.nextBoolean();
      HybridChunker.Settings settings = HybridChunker.Settings.docling(max, merge);
      List<Chunk> fast = new HybridChunker(tokens, settings).chunk(d.tree(), () -> { });
      List<Chunk> slow = new HybridChunker(exact, settings).chunk(d.tree(), () -> { });
      assertThat(fast).as("round %d, max_tokens %d, merge_peers %s", round, max, merge).isEqualTo(slow);
    }
  }

  private static String sentence(java.util.Random r, String[] words, String[] seps, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(words[r.nextInt(words.length)]).append(i == n - 1 ? "" : seps[r.nextInt(seps.length)]);
    }
    return sb.toString();
  }
}
