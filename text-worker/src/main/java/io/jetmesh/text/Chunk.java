package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import java.util.List;

/**
 * One retrieval chunk, as docling-core's chunkers make it.
 *
 * @param index position in the document's chunk list
 * @param text the chunk's own text (docling's {@code chunk.text}; docling-serve's {@code raw_text})
 * @param contextualizedText the heading path, one heading per line, followed by the text: what should be embedded
 *     (docling's {@code chunker.contextualize(chunk)}; docling-serve's {@code text})
 * @param headings the heading path, outermost first (empty where docling has none)
 * @param pages page numbers the chunk's items appear on, ascending (docling-serve's {@code page_numbers})
 * @param sourceRefs ids of the source items without repeats ({@code #/texts/12}, {@code #/tables/0}, {@code #/lines/40})
 * @param docItems the source items as docling lists them in {@code meta.doc_items} (a merged chunk repeats an item
 *     that was split)
 * @param kinds kinds of the source items ({@code paragraph}, {@code list_item}, {@code table}, ...)
 * @param charCount characters (Unicode code points) of {@code text}
 * @param tokenCount tokens of {@code contextualizedText} as the tokenizer counts them (docling's {@code num_tokens})
 * @param part 1-based part number when one source chunk was split over several chunks, else 0
 */
record Chunk(int index, String text, String contextualizedText, List<String> headings, List<Integer> pages,
    List<String> sourceRefs, List<ItemRef> docItems, List<String> kinds, int charCount, int tokenCount, int part) {

  /** A document item a chunk covers: its reference and docling label. */
  record ItemRef(String ref, String label) {}

  ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("index", index);
    o.put("text", text);
    o.put("contextualized_text", contextualizedText);
    headings.forEach(o.putArray("headings")::add);
    pages.forEach(o.putArray("pages")::add);
    sourceRefs.forEach(o.putArray("source_refs")::add);
    ArrayNode items = o.putArray("doc_items");
    for (ItemRef r : docItems) {
      items.addObject().put("self_ref", r.ref()).put("label", r.label());
    }
    kinds.forEach(o.putArray("kinds")::add);
    o.put("char_count", charCount);
    o.put("token_count", tokenCount);
    if (part > 0) {
      o.put("part", part);
    }
    return o;
  }
}
