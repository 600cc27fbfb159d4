package io.jetmesh.text;

import io.jetmesh.text.DoclingTree.Node;
import io.jetmesh.text.DoclingTree.Type;
import io.jetmesh.worker.JobException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * docling-core's {@code HierarchicalChunker} ({@code transforms/chunker/hierarchical_chunker.py}): one chunk per
 * top-level document item in reading order, without a token budget. A list (a list group) is one chunk with all
 * its items, nested lists included; a table is one chunk with its captions; a heading is no chunk of its own but
 * the heading path of the chunks that follow it: a title is level 0, a section header its level, and a heading
 * replaces the heading at its level and closes every deeper one. Items that serialize to nothing (a caption
 * outside its table, a picture without text) make no chunk.
 */
final class HierarchicalChunker {
  private HierarchicalChunker() {}

  /**
   * A chunk before token refinement.
   *
   * @param text the serialized text
   * @param items the document items it covers (docling's {@code doc_items}; repeats kept after merging)
   * @param headings the heading path, or null when there is none (docling leaves {@code headings} unset)
   * @param part 1-based number of this piece when one chunk was split into several, else 0
   */
  record DocChunk(String text, List<Node> items, List<String> headings, int part) {
    DocChunk withText(String t, int p) {
      return new DocChunk(t, items, headings, p);
    }
  }

  static List<DocChunk> chunk(DoclingTree tree, ChunkSerializer serializer, HybridChunker.Checkpoint checkpoint)
      throws JobException {
    List<DocChunk> out = new ArrayList<>();
    TreeMap<Integer, String> headings = new TreeMap<>();
    Set<String> visited = new HashSet<>();
    int[] steps = {0};
    tree.iterate(tree.body(), false, item -> {
      if ((++steps[0] & 255) == 0) {
        checkpoint.check();
      }
      if (!"body".equals(item.contentLayer)) {
        return;
      }
      if (item.type.isHeading()) {
        int level = item.type == Type.TITLE ? 0 : item.level;
        headings.tailMap(level, true).clear();
        headings.put(level, item.text);
        return;
      }
      if (item.type == Type.GROUP || visited.contains(item.ref)) {
        return;
      }
      ChunkSerializer.Result r = serializer.serialize(item, visited);
      if (r.text().isEmpty() || r.items().isEmpty()) {
        return;
      }
      out.add(new DocChunk(r.text(), r.items(), headings.isEmpty() ? null : List.copyOf(headings.values()), 0));
    });
    return out;
  }
}
