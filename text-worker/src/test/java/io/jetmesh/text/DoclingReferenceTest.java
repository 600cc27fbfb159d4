package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docling-core's own chunker test data (see {@code src/test/resources/docling-core/chunker/README.md}): the chunks
 * of {@code 2_inp_dl_doc.json} with sentence-transformers/all-MiniLM-L6-v2, {@code max_tokens=64} and
 * {@code merge_peers=True} must be docling's, chunk by chunk: text, heading path, doc items, contextualized text
 * and its token count.
 */
class DoclingReferenceTest {
  private static final Logger LOG = LoggerFactory.getLogger(DoclingReferenceTest.class);

  private final TokenCounter tokens = TestServices.get().model().tokenCounter();

  static JsonNode resource(String name) throws IOException {
    try (InputStream in = DoclingReferenceTest.class.getResourceAsStream("/docling-core/chunker/" + name)) {
      assertThat(in).as(name).isNotNull();
      return Json.tree(in.readAllBytes());
    }
  }

  static List<Chunk> chunk(JsonNode doc, TokenCounter counter, HybridChunker.Settings settings) throws Exception {
    return new HybridChunker(counter, settings).chunk(DoclingTree.parse(doc), () -> { });
  }

  /**
   * Compares every chunk with docling's on what the expected file holds ({@code text} always; {@code headings},
   * {@code doc_items}, {@code ser_text} and {@code num_tokens} where present) and returns how many are identical.
   */
  static int compare(String name, List<Chunk> chunks, JsonNode expected) {
    List<String> mismatches = new ArrayList<>();
    int identical = 0;
    for (int i = 0; i < Math.max(expected.size(), chunks.size()); i++) {
      if (i >= expected.size() || i >= chunks.size()) {
        mismatches.add("chunk " + i + ": " + (i >= chunks.size() ? "missing: " + expected.get(i)
            : "extra: " + chunks.get(i).toJson()));
        continue;
      }
      JsonNode e = expected.get(i);
      Chunk c = chunks.get(i);
      boolean same = c.text().equals(e.path("text").asText());
      if (e.has("headings")) {
        List<String> headings = new ArrayList<>();
        e.path("headings").forEach(h -> headings.add(h.asText()));
        same &= c.headings().equals(headings);
      }
      if (e.has("doc_items")) {
        List<String> items = new ArrayList<>();
        e.path("doc_items").forEach(r -> items.add(r.asText()));
        same &= c.docItems().stream().map(Chunk.ItemRef::ref).toList().equals(items);
      }
      if (e.has("ser_text")) {
        same &= c.contextualizedText().equals(e.path("ser_text").asText());
      }
      if (e.has("num_tokens")) {
        same &= c.tokenCount() == e.path("num_tokens").asInt();
      }
      if (same) {
        identical++;
      } else {
        mismatches.add("chunk " + i + ":\n  docling: " + e + "\n  jetmesh: " + c.toJson());
      }
    }
    LOG.info("docling-core {}: {} of {} chunks identical", name, identical, expected.size());
    assertThat(mismatches).as("%s: chunks that differ from docling's", name).isEmpty();
    return identical;
  }

  @Test
  void hybridChunksOfDoclingsTestDocumentAreDoclingsChunksWithMergePeers() throws Exception {
    List<Chunk> chunks = chunk(resource("2_inp_dl_doc.json"), tokens, HybridChunker.Settings.docling(64, true));
    assertThat(compare("2a (merge_peers=True, max_tokens=64)", chunks, resource("2a_expected.json").path("root")))
        .isEqualTo(28);
  }

  @Test
  void withoutMergePeersTheChunksAreDoclingsToo() throws Exception {
    List<Chunk> chunks = chunk(resource("2_inp_dl_doc.json"), tokens, HybridChunker.Settings.docling(64, false));
    assertThat(compare("2b (merge_peers=False, max_tokens=64)", chunks, resource("2b_expected.json").path("root")))
        .isEqualTo(33);
  }

  @Test
  void aDelimiterThatCostsTokensChangesSplitsAndMergesAsInDocling() throws Exception {
    // delim "####" is four tokens: heading paths and merges cost more, so splits move (docling's 2d test)
    HybridChunker.Settings settings = new HybridChunker.Settings(64, true, ChunkSerializer.TableFormat.TRIPLETS, true,
        0, "####", 0);
    List<Chunk> chunks = chunk(resource("2_inp_dl_doc.json"), tokens, settings);
    assertThat(compare("2d (delim=\"####\", merge_peers=True)", chunks, resource("2d_expected.json").path("root")))
        .isEqualTo(32);
  }

  @Test
  void countingEveryTextWithoutTheAdditiveShortcutGivesTheSameChunks() throws Exception {
    TokenCounter exact = HybridChunkerTest.exactOnly(tokens);
    assertThat(compare("2a, exact counting", chunk(resource("2_inp_dl_doc.json"), exact,
        HybridChunker.Settings.docling(64, true)), resource("2a_expected.json").path("root"))).isEqualTo(28);
    assertThat(compare("2b, exact counting", chunk(resource("2_inp_dl_doc.json"), exact,
        HybridChunker.Settings.docling(64, false)), resource("2b_expected.json").path("root"))).isEqualTo(33);
  }
}
