package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import java.util.List;

/**
 * One retrieval chunk.
 *
 * @param index position in the document's chunk list
 * @param text the chunk's own text
 * @param contextualizedText the heading path followed by the text: what should be embedded (docling calls this
 *     {@code contextualize})
 * @param headings the heading path, outermost first
 * @param pages page numbers the chunk's items appear on (empty for plain text)
 * @param sourceRefs ids of the source items ({@code #/texts/12}, {@code #/tables/0}, {@code #/lines/40})
 * @param kinds kinds of the source items ({@code paragraph}, {@code list_item}, {@code table}, ...)
 * @param charCount characters (Unicode code points) of {@code text}
 * @param tokenCount tokens of {@code contextualizedText} as the embedding model's tokenizer counts them
 * @param part 1-based part number when one source item was split over several chunks, else 0
 */
record Chunk(int index, String text, String contextualizedText, List<String> headings, List<Integer> pages,
    List<String> sourceRefs, List<String> kinds, int charCount, int tokenCount, int part) {

  ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("index", index);
    o.put("text", text);
    o.put("contextualized_text", contextualizedText);
    headings.forEach(o.putArray("headings")::add);
    pages.forEach(o.putArray("pages")::add);
    sourceRefs.forEach(o.putArray("source_refs")::add);
    kinds.forEach(o.putArray("kinds")::add);
    o.put("char_count", charCount);
    o.put("token_count", tokenCount);
    if (part > 0) {
      o.put("part", part);
    }
    return o;
  }
}
