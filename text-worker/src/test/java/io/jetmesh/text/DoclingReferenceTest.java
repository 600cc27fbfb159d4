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

  static List<Chunk> chunk(JsonNode doc, TokenCounter counter, int maxTokens, boolean mergePeers) throws Exception {
    return new HybridChunker(counter, HybridChunker.Settings.docling(maxTokens, mergePeers))
        .chunk(DoclingTree.parse(doc), () -> { });
  }

  @Test
  void hybridChunksOfDoclingsTestDocumentAreDoclingsChunksWithMergePeers() throws Exception {
    List<Chunk> chunks = chunk(resource("2_inp_dl_doc.json"), tokens, 64, true);
    JsonNode expected = resource("2a_expected.json").path("root");
    List<String> mismatches = new ArrayList<>();
    int identical = 0;
    for (int i = 0; i < Math.max(expected.size(), chunks.size()); i++) {
      if (i >= expected.size() || i >= chunks.size()) {
        mismatches.add("chunk " + i + ": " + (i >= chunks.size() ? "missing" : "extra: " + chunks.get(i).text()));
        continue;
      }
      JsonNode e = expected.get(i);
      Chunk c = chunks.get(i);
      List<String> headings = new ArrayList<>();
      e.path("headings").forEach(h -> headings.add(h.asText()));
      List<String> items = new ArrayList<>();
      e.path("doc_items").forEach(r -> items.add(r.asText()));
      List<String> actualItems = c.docItems().stream().map(Chunk.ItemRef::ref).toList();
      boolean same = c.text().equals(e.path("text").asText()) && c.headings().equals(headings)
          && actualItems.equals(items) && c.contextualizedText().equals(e.path("ser_text").asText())
          && c.tokenCount() == e.path("num_tokens").asInt();
      if (same) {
        identical++;
      } else {
        mismatches.add("chunk " + i + ":\n  docling: " + e + "\n  jetmesh: " + c.toJson());
      }
    }
    LOG.info("docling-core 2a (merge_peers=True, max_tokens=64): {} of {} chunks identical", identical,
        expected.size());
    assertThat(mismatches).as("chunks that differ from docling's").isEmpty();
    assertThat(identical).isEqualTo(expected.size()).isEqualTo(28);
  }
}
