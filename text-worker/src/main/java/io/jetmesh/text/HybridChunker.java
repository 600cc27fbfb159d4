package io.jetmesh.text;

import io.jetmesh.text.DoclingTree.Node;
import io.jetmesh.text.DoclingTree.Type;
import io.jetmesh.text.HierarchicalChunker.DocChunk;
import io.jetmesh.worker.JobException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * docling-core's {@code HybridChunker} ({@code transforms/chunker/hybrid_chunker.py}), re-implemented so that for the
 * same DoclingDocument, tokenizer, {@code max_tokens} and {@code merge_peers} the chunks are docling's, to the
 * character. On top of the {@link HierarchicalChunker}'s one chunk per item:
 *
 * <ol>
 *   <li><b>split by items</b>: a chunk of several items (a list) is cut, between items, into windows whose
 *       contextualized text fits {@code max_tokens}; each window's text is its items serialized one by one and
 *       joined with {@code delim} (so nested list items lose their indentation, as in docling);
 *   <li><b>split the text</b>: a chunk still over budget is cut by semchunk ({@link SemanticSplitter}) into pieces
 *       of at most {@code max_tokens} minus the tokens of its heading path; when the headings alone take the whole
 *       budget they are dropped from the chunk. A Markdown table with {@code repeat_table_header} is instead cut
 *       between rows with its header rows repeated in every piece ({@link LineSplitter});
 *   <li><b>merge peers</b> ({@code merge_peers}): consecutive chunks with equal heading paths are joined with
 *       {@code delim} while the joined chunk fits.
 * </ol>
 *
 * The budget counts the contextualized text, {@code headings joined by delim + delim + text}, without special
 * tokens ({@code tokenizer.tokenize(text)} in docling). A piece's own text never exceeds the budget; docling's line
 * splitter for tables packs rows up to the full budget, so a table piece under headings may exceed it by the
 * headings, as docling's does.
 */
final class HybridChunker {
  /**
   * Chunking settings.
   *
   * @param maxTokens budget per chunk (docling's {@code max_tokens})
   * @param mergePeers docling's {@code merge_peers}
   * @param tables how tables are serialized (docling-serve's {@code chunking_use_markdown_tables})
   * @param repeatTableHeader docling's {@code repeat_table_header}: a Markdown table over budget is split between
   *     rows with its header repeated
   * @param overlapTokens tokens by which consecutive pieces of a split text overlap (semchunk's {@code overlap};
   *     docling uses 0)
   * @param delim what joins headings, items and merged chunks (docling's {@code delim}, {@code "\n"})
   * @param maxCharsPerToken when > 0, a text counts as at least {@code ceil(chars / maxCharsPerToken)} tokens in
   *     every budget decision (jetmesh's guard against unbroken blobs: WordPiece counts any word over 100 characters
   *     as one {@code [UNK]}, so a 300 kB base64 run is one "token"); 0, docling's behaviour, counts tokens only
   */
  record Settings(int maxTokens, boolean mergePeers, ChunkSerializer.TableFormat tables, boolean repeatTableHeader,
      int overlapTokens, String delim, int maxCharsPerToken) {
    static final String DELIM = "\n";

    Settings {
      if (maxTokens < 1) {
        throw new IllegalArgumentException("maxTokens must be >= 1: " + maxTokens);
      }
      if (overlapTokens < 0 || overlapTokens > 0 && overlapTokens >= maxTokens) {
        throw new IllegalArgumentException("overlapTokens must be in 0.." + (maxTokens - 1) + ": " + overlapTokens);
      }
      Objects.requireNonNull(tables, "tables == null");
      Objects.requireNonNull(delim, "delim == null");
      if (maxCharsPerToken < 0) {
        throw new IllegalArgumentException("maxCharsPerToken must be >= 0: " + maxCharsPerToken);
      }
    }

    /** docling-core's defaults with this budget: triplet tables, header repetition, no overlap, no character cap. */
    static Settings docling(int maxTokens, boolean mergePeers) {
      return new Settings(maxTokens, mergePeers, ChunkSerializer.TableFormat.TRIPLETS, true, 0, DELIM, 0);
    }
  }

  /** A point where a long run may stop (job cancelled or timed out). */
  @FunctionalInterface
  interface Checkpoint {
    void check() throws JobException;
  }

  /** Memoised counts; cleared when large so a huge document keeps memory bounded. */
  private static final int MEMO_LIMIT = 200_000;

  private final TokenCounter counter;
  private final Settings settings;
  private final Map<String, Integer> memo = new HashMap<>();
  private final boolean additive;

  HybridChunker(TokenCounter counter, Settings settings) {
    this.counter = Objects.requireNonNull(counter, "counter == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
    this.additive = counter.additive() && !settings.delim().isEmpty() && PyText.isBlank(settings.delim())
        && settings.maxCharsPerToken() == 0;
  }

  /** docling's {@code HybridChunker.chunk(dl_doc)}. */
  List<Chunk> chunk(DoclingTree tree, Checkpoint checkpoint) throws JobException {
    ChunkSerializer serializer = new ChunkSerializer(tree, settings.tables());
    List<DocChunk> chunks = HierarchicalChunker.chunk(tree, serializer, checkpoint);
    prefetch(chunks);
    List<DocChunk> byItems = new ArrayList<>(chunks.size());
    for (DocChunk c : chunks) {
      byItems.addAll(splitByDocItems(c, serializer));
    }
    checkpoint.check();
    List<DocChunk> split = new ArrayList<>(byItems.size());
    int steps = 0;
    for (DocChunk c : byItems) {
      if ((++steps & 63) == 0) {
        checkpoint.check();
      }
      split.addAll(splitUsingPlainText(c, serializer));
    }
    if (settings.mergePeers()) {
      split = mergePeers(split);
    }
    checkpoint.check();
    if (!additive) {
      return finish(split, counter, settings.delim());
    }
    // every chunk text was counted on the way (merged texts are sums): no second pass over the document
    int[] tokens = new int[split.size()];
    for (int k = 0; k < tokens.length; k++) {
      tokens[k] = countContextualized(split.get(k).headings(), split.get(k).text());
    }
    return finish(split, tokens, settings.delim());
  }

  /** docling's {@code HierarchicalChunker.chunk(dl_doc)}: one chunk per item, no budget. */
  static List<Chunk> hierarchical(DoclingTree tree, ChunkSerializer.TableFormat tables, TokenCounter counter,
      Checkpoint checkpoint) throws JobException {
    return finish(HierarchicalChunker.chunk(tree, new ChunkSerializer(tree, tables), checkpoint), counter,
        Settings.DELIM);
  }

  // ------------------------------------------------------------------ docling's steps

  /** Counts every chunk's text and heading path in batches up front (the native tokenizer uses all cores). */
  private void prefetch(List<DocChunk> chunks) {
    Set<String> texts = new LinkedHashSet<>();
    for (DocChunk c : chunks) {
      texts.add(c.text());
      if (c.headings() != null) {
        texts.add(String.join(settings.delim(), c.headings()));
        if (!additive) {
          texts.add(contextualize(c.headings(), c.text(), settings.delim()));
        }
      }
      if (texts.size() >= 4096) {
        prefetchBatch(texts);
      }
    }
    prefetchBatch(texts);
  }

  private void prefetchBatch(Set<String> texts) {
    List<String> todo = new ArrayList<>(texts.size());
    for (String t : texts) {
      if (!memo.containsKey(t)) {
        todo.add(t);
      }
    }
    texts.clear();
    if (memo.size() + todo.size() > MEMO_LIMIT) {
      memo.clear();
    }
    int[] n = counter.countAll(todo);
    for (int i = 0; i < n.length; i++) {
      memo.put(todo.get(i), n[i]);
    }
  }

  private void remember(String text, int tokens) {
    if (memo.size() >= MEMO_LIMIT) {
      memo.clear();
    }
    memo.put(text, tokens);
  }

  /** Budget counts of many texts, the unknown ones in one batch. */
  private int[] countAll(List<String> texts) {
    int[] out = new int[texts.size()];
    List<String> todo = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      Integer n = memo.get(texts.get(i));
      if (n != null) {
        out[i] = capped(texts.get(i), n);
      } else {
        todo.add(texts.get(i));
        where.add(i);
      }
    }
    int[] counted = counter.countAll(todo);
    for (int k = 0; k < counted.length; k++) {
      String t = todo.get(k);
      if (t.length() < 10_000) { // long split texts are seen once: not worth the memory
        remember(t, counted[k]);
      }
      out[where.get(k)] = capped(t, counted[k]);
    }
    return out;
  }

  /** The budget count of a text: its tokens, or with the character cap at least chars / maxCharsPerToken. */
  private int count(String text) {
    Integer n = memo.get(text);
    if (n != null) {
      return capped(text, n);
    }
    if (memo.size() >= MEMO_LIMIT) {
      memo.clear();
    }
    int c = counter.count(text);
    memo.put(text, c);
    return capped(text, c);
  }

  private int capped(String text, int tokens) {
    int k = settings.maxCharsPerToken();
    if (k == 0 || text.length() <= (long) tokens * k) {
      return tokens;
    }
    int chars = PyText.length(text);
    return Math.max(tokens, (chars + k - 1) / k);
  }

  /** Tokens of the contextualized text: additive over the whitespace delimiter for WordPiece-style tokenizers. */
  private int countContextualized(List<String> headings, String text) {
    if (headings == null) {
      return count(text);
    }
    if (additive) {
      return count(String.join(settings.delim(), headings)) + count(text);
    }
    return count(contextualize(headings, text, settings.delim()));
  }

  static String contextualize(List<String> headings, String text, String delim) {
    return headings == null || headings.isEmpty() ? text : String.join(delim, headings) + delim + text;
  }

  /** docling's {@code _split_by_doc_items}. */
  private List<DocChunk> splitByDocItems(DocChunk chunk, ChunkSerializer serializer) throws JobException {
    List<Node> items = chunk.items();
    int n = items.size();
    if (n <= 1) {
      return List.of(chunk);
    }
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      Node it = items.get(i);
      String t = serializer.serializeAlone(it).text();
      texts[i] = it.type.isHeading() ? "" : t;
    }
    List<DocChunk> out = new ArrayList<>();
    int start = 0;
    int end = 0;
    while (end < n) {
      DocChunk window = window(chunk, texts, start, end);
      if (countContextualized(window.headings(), window.text()) <= settings.maxTokens()) {
        if (end < n - 1) {
          end++;
          continue;
        }
        end = n;
      } else if (start == end) {
        end++;
        start = end;
      } else {
        window = window(chunk, texts, start, end - 1);
        start = end;
      }
      out.add(window);
    }
    return out;
  }

  private DocChunk window(DocChunk chunk, String[] texts, int start, int end) {
    StringBuilder sb = new StringBuilder();
    for (int i = start; i <= end; i++) {
      if (!texts[i].isEmpty()) {
        if (sb.length() > 0) {
          sb.append(settings.delim());
        }
        sb.append(texts[i]);
      }
    }
    return new DocChunk(sb.toString(), List.copyOf(chunk.items().subList(start, end + 1)), chunk.headings(), 0);
  }

  /** docling's {@code _split_using_plain_text}. */
  private List<DocChunk> splitUsingPlainText(DocChunk chunk, ChunkSerializer serializer) {
    int total = countContextualized(chunk.headings(), chunk.text());
    if (total <= settings.maxTokens()) {
      return List.of(chunk);
    }
    int available = settings.maxTokens() - (total - count(chunk.text()));
    if (available <= 0) {
      // the headings alone are over budget: docling drops them from this chunk and tries again
      return splitUsingPlainText(new DocChunk(chunk.text(), chunk.items(), null, chunk.part()), serializer);
    }
    List<String> segments = segment(chunk, available, serializer);
    List<DocChunk> out = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      out.add(chunk.withText(segments.get(i), segments.size() > 1 ? i + 1 : chunk.part()));
    }
    return out;
  }

  /** docling's {@code segment}: rows with a repeated header for a Markdown table, else semchunk. */
  private List<String> segment(DocChunk chunk, int available, ChunkSerializer serializer) {
    if (settings.repeatTableHeader() && serializer.tableFormat() == ChunkSerializer.TableFormat.MARKDOWN
        && chunk.items().size() == 1 && chunk.items().get(0).type == Type.TABLE) {
      String text = chunk.text();
      List<String> lines = new ArrayList<>();
      for (String l : PyText.splitLinesKeepEnds(text)) {
        if (!PyText.strip(l).isEmpty()) {
          lines.add(l);
        }
      }
      // docling's MarkdownTableSerializer.get_header_and_body_lines: the first two non-blank lines are the header
      List<String> header = lines.size() < 2 ? List.of() : lines.subList(0, 2);
      List<String> body = lines.size() < 2 ? lines : lines.subList(2, lines.size());
      String preamble = "";
      if (!header.isEmpty()) {
        int at = text.indexOf(header.get(0));
        preamble = at > 0 ? text.substring(0, at) : "";
      }
      String fullPrefix = preamble + String.join("", header);
      List<String> segments = new LineSplitter(this::count, settings.maxTokens()).split(body, fullPrefix);
      if (!preamble.isEmpty()) {
        for (int i = 1; i < segments.size(); i++) {
          String s = segments.get(i);
          if (s.startsWith(fullPrefix)) {
            segments.set(i, s.substring(preamble.length()));
          }
        }
      }
      return segments;
    }
    // semchunk's prefix shortcut assumes a prefix never counts more than the whole; the character cap breaks that
    boolean capped = settings.maxCharsPerToken() > 0;
    int maxTokenChars = capped ? 0 : counter.maxTokenChars();
    SemanticSplitter splitter = new SemanticSplitter(new SemanticSplitter.Counting() {
      @Override
      public int count(String text) {
        return HybridChunker.this.count(text);
      }

      @Override
      public int[] countAll(List<String> texts) {
        return HybridChunker.this.countAll(texts);
      }

      @Override
      public boolean additive() {
        return !capped && counter.additive();
      }

      @Override
      public boolean hasAddedToken(String text) {
        return counter.hasAddedToken(text);
      }
    }, available, maxTokenChars);
    List<String> out = new ArrayList<>();
    for (SemanticSplitter.Piece p : splitter.pieces(chunk.text(), settings.overlapTokens())) {
      out.add(p.text());
      if (!capped && p.tokens() >= 0) {
        remember(p.text(), p.tokens());
      }
    }
    return out;
  }

  /** docling's {@code _merge_chunks_with_matching_metadata}. */
  private List<DocChunk> mergePeers(List<DocChunk> chunks) {
    List<DocChunk> out = new ArrayList<>();
    int n = chunks.size();
    int start = 0;
    int end = 0;
    List<String> headings = null;
    DocChunk window = null; // the window merged so far
    int windowTextTokens = 0; // tokens of its text (additive counting only)
    while (end < n) {
      DocChunk c = chunks.get(end);
      boolean ready = false;
      if (start == end) {
        headings = c.headings();
        window = c;
        windowTextTokens = additive ? count(c.text()) : 0;
        end++;
      } else if (Objects.equals(c.headings(), headings)) {
        String text = window.text() + settings.delim() + c.text();
        int textTokens = additive ? windowTextTokens + count(c.text()) : 0;
        int tokens = additive ? textTokens + (headings == null ? 0 : count(String.join(settings.delim(), headings)))
            : count(contextualize(headings, text, settings.delim()));
        if (tokens <= settings.maxTokens()) {
          List<Node> items = new ArrayList<>(window.items());
          items.addAll(c.items());
          window = new DocChunk(text, items, headings, window.part());
          windowTextTokens = textTokens;
          if (additive) {
            remember(text, textTokens);
          }
          end++;
        } else {
          ready = true;
        }
      } else {
        ready = true;
      }
      if (ready || end == n) {
        out.add(window);
        start = end;
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ output

  private static List<Chunk> finish(List<DocChunk> chunks, TokenCounter counter, String delim) {
    List<String> contextualized = new ArrayList<>(chunks.size());
    for (DocChunk c : chunks) {
      contextualized.add(contextualize(c.headings(), c.text(), delim));
    }
    return finish(chunks, counter.countAll(contextualized), delim);
  }

  private static List<Chunk> finish(List<DocChunk> chunks, int[] tokens, String delim) {
    List<String> contextualized = new ArrayList<>(chunks.size());
    for (DocChunk c : chunks) {
      contextualized.add(contextualize(c.headings(), c.text(), delim));
    }
    List<Chunk> out = new ArrayList<>(chunks.size());
    for (int k = 0; k < chunks.size(); k++) {
      DocChunk c = chunks.get(k);
      Set<Integer> pages = new TreeSet<>();
      Set<String> refs = new LinkedHashSet<>();
      Set<String> kinds = new LinkedHashSet<>();
      List<Chunk.ItemRef> items = new ArrayList<>(c.items().size());
      for (Node n : c.items()) {
        pages.addAll(n.pages);
        refs.add(n.ref);
        kinds.add(kind(n));
        items.add(new Chunk.ItemRef(n.ref, n.label));
      }
      String text = c.text();
      out.add(new Chunk(k, text, contextualized.get(k), c.headings() == null ? List.of() : c.headings(),
          List.copyOf(pages), List.copyOf(refs), List.copyOf(items), List.copyOf(kinds),
          text.codePointCount(0, text.length()), tokens[k], c.part()));
    }
    return out;
  }

  /** The kind of a source item in the output (jetmesh's names since before the docling port). */
  private static String kind(Node n) {
    return switch (n.type) {
      case TITLE -> "title";
      case SECTION_HEADER -> "heading";
      case LIST_ITEM -> "list_item";
      case TABLE -> "table";
      case CODE -> "code";
      case FORMULA -> "formula";
      case PICTURE -> "picture";
      default -> "caption".equals(n.label) ? "caption" : "paragraph";
    };
  }
}
