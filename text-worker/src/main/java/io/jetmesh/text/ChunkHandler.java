package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.List;
import java.util.Locale;

/**
 * {@code text.analyze.chunk}: docling-core's chunkers on a DoclingDocument, the pdf-worker's output, Markdown or
 * plain text. Options, named after docling-core's and mapping 1:1 to docling-serve's {@code chunking_*} form fields:
 * {@code chunker} ({@code hybrid} | {@code hierarchical}), {@code max_tokens}, {@code tokenizer}, {@code merge_peers},
 * {@code use_markdown_tables}, {@code repeat_table_header}, {@code include_raw_text}; plus jetmesh's
 * {@code overlap_tokens}, {@code max_chars_per_token} and {@code format}.
 */
final class ChunkHandler implements JobHandler {
  /** docling-serve accepts budgets up to this ({@code HybridChunkerOptions.max_tokens le=32768}). */
  static final int MAX_BUDGET = 32_768;

  private final TextServices services;

  ChunkHandler(TextServices services) {
    this.services = services;
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    TextInput input = TextInput.read(ctx, services.limits().chunkMaxBytes());
    Chunking chunking = Chunking.fromOptions(ctx.options(), services, MAX_BUDGET);
    DoclingTree tree = Chunking.tree(input);
    int items = countItems(tree);
    ctx.progress(0, items, "items", "chunking " + items + " items");
    List<Chunk> chunks = chunking.run(tree, ctx::checkCancelled);
    ObjectNode out = Json.object();
    out.put("input_kind", input.kind().wireName());
    chunking.describe(out);
    if (tree.origin() != null) {
      out.set("origin", tree.origin().deepCopy());
    }
    out.put("count", chunks.size());
    long chars = 0;
    long tokens = 0;
    int maxTok = 0;
    ArrayNode array = out.putArray("chunks");
    for (Chunk c : chunks) {
      ObjectNode o = c.toJson();
      if (!chunking.includeRawText()) {
        o.remove("text");
      }
      array.add(o);
      chars += c.charCount();
      tokens += c.tokenCount();
      maxTok = Math.max(maxTok, c.tokenCount());
    }
    ObjectNode summary = out.putObject("summary");
    summary.put("items", items);
    summary.put("characters", chars);
    summary.put("tokens", tokens);
    summary.put("max_chunk_tokens", maxTok);
    ctx.progress(items, items, "items", chunks.size() + " chunks");
    return HandlerResult.of(out);
  }

  private static int countItems(DoclingTree tree) throws JobException {
    int[] n = {0};
    tree.iterate(tree.body(), false, node -> {
      if (node.type.isItem()) {
        n[0]++;
      }
    });
    return n[0];
  }

  /** Which docling-core chunker runs. */
  enum Mode {
    /** {@code HybridChunker}: token-aware (docling-serve {@code /v1/chunk/hybrid/...}). */
    HYBRID,
    /** {@code HierarchicalChunker}: one chunk per item, no budget (docling-serve {@code /v1/chunk/hierarchical/...}). */
    HIERARCHICAL
  }

  /**
   * Chunking settings from job options, shared by chunk, embed and language.
   *
   * @param includeRawText whether chunks carry their own text beside the contextualized text (docling-serve's
   *     {@code chunking_include_raw_text})
   */
  record Chunking(Mode mode, HybridChunker.Settings settings, TokenCounter counter, boolean includeRawText) {
    /**
     * Reads the chunking options.
     *
     * @param ceiling the largest {@code max_tokens} accepted with the model tokenizer (embed passes the model's
     *     input length, so no chunk it embeds is truncated)
     */
    static Chunking fromOptions(ObjectNode options, TextServices services, int ceiling) throws JobException {
      Mode mode = Mode.valueOf(TextOptions.oneOf(options, "chunker", "hybrid", "hybrid", "hierarchical")
          .toUpperCase(Locale.ROOT));
      int defaultMax = services.defaultMaxTokens();
      TokenCounter counter = tokenizer(TextOptions.string(options, "tokenizer", "model"), services);
      boolean approximate = counter == TokenCounter.approximate();
      int max = TextOptions.integer(options, "max_tokens", defaultMax, 1, approximate ? MAX_BUDGET : ceiling);
      int overlap = TextOptions.integer(options, "overlap_tokens", 0, 0, Math.max(0, max / 2 - 1));
      boolean merge = TextOptions.bool(options, "merge_peers", true);
      boolean markdownTables = TextOptions.bool(options, "use_markdown_tables", false);
      boolean repeatHeader = TextOptions.bool(options, "repeat_table_header", true);
      boolean raw = TextOptions.bool(options, "include_raw_text", true);
      int charsPerToken = TextOptions.integer(options, "max_chars_per_token", 0, 0, 1_000);
      HybridChunker.Settings settings = new HybridChunker.Settings(max, merge,
          markdownTables ? ChunkSerializer.TableFormat.MARKDOWN : ChunkSerializer.TableFormat.TRIPLETS, repeatHeader,
          overlap, HybridChunker.Settings.DELIM, charsPerToken);
      return new Chunking(mode, settings, counter, raw);
    }

    /** Settings from options with the model's input as the budget ceiling. */
    static Chunking fromOptions(ObjectNode options, TextServices services) throws JobException {
      return fromOptions(options, services, services.defaultMaxTokens());
    }

    /**
     * {@code model} (the worker's embedding model), that model's name or, for the bundled model, its HuggingFace id
     * {@code sentence-transformers/all-MiniLM-L6-v2} (what docling-serve clients send); or {@code approximate}.
     * Nothing is downloaded, so any other tokenizer is {@code UNSUPPORTED}.
     */
    private static TokenCounter tokenizer(String spec, TextServices services) throws JobException {
      String s = spec.strip();
      String model = services.model().name();
      if (s.equalsIgnoreCase("approximate")) {
        return TokenCounter.approximate();
      }
      boolean bundled = ModelFiles.BUNDLED.equals(model);
      if (s.equalsIgnoreCase("model") || s.equalsIgnoreCase(model)
          || bundled && (s.equalsIgnoreCase("sentence-transformers/all-MiniLM-L6-v2")
              || s.equalsIgnoreCase("all-MiniLM-L6-v2"))) {
        return services.model().tokenCounter();
      }
      throw JobException.unsupported("option tokenizer '" + spec + "' is not available here: this worker counts with "
          + "its embedding model's tokenizer ('model' = " + model
          + (bundled ? ", also named sentence-transformers/all-MiniLM-L6-v2" : "")
          + ") or 'approximate'; start a text worker with --embedding-model <model> (and its tokenizer.json) to "
          + "chunk for another tokenizer");
    }

    /** The document tree of any input: a DoclingDocument as it is, text and Markdown through their items. */
    static DoclingTree tree(TextInput input) throws JobException {
      return input.kind() == TextInput.Kind.DOCLING ? DoclingTree.parse(input.json())
          : DoclingTree.fromItems(DocumentReader.read(input));
    }

    List<Chunk> run(TextInput input, HybridChunker.Checkpoint checkpoint) throws JobException {
      return run(tree(input), checkpoint);
    }

    List<Chunk> run(DoclingTree tree, HybridChunker.Checkpoint checkpoint) throws JobException {
      return mode == Mode.HIERARCHICAL ? HybridChunker.hierarchical(tree, settings.tables(), counter, checkpoint)
          : new HybridChunker(counter, settings).chunk(tree, checkpoint);
    }

    void describe(ObjectNode out) {
      out.put("chunker", mode.name().toLowerCase(Locale.ROOT));
      out.put("tokenizer", counter.name());
      if (mode == Mode.HYBRID) {
        out.put("max_tokens", settings.maxTokens());
        out.put("merge_peers", settings.mergePeers());
        out.put("overlap_tokens", settings.overlapTokens());
        out.put("max_chars_per_token", settings.maxCharsPerToken());
      }
      out.put("use_markdown_tables", settings.tables() == ChunkSerializer.TableFormat.MARKDOWN);
      if (mode == Mode.HYBRID) {
        out.put("repeat_table_header", settings.repeatTableHeader());
      }
      out.put("include_raw_text", includeRawText);
    }
  }
}
