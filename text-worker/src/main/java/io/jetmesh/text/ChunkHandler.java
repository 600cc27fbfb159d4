package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.List;

/**
 * {@code text.analyze.chunk}: splits plain text, Markdown, a DoclingDocument or the pdf-worker's output into
 * retrieval chunks under a token budget. Options: {@code max_tokens} (default: the embedding model's input length
 * minus its special tokens), {@code overlap_tokens} (0), {@code merge_peers} (true), {@code tokenizer}
 * ({@code model} | {@code approximate}), {@code format} ({@code auto} | {@code plain} | {@code markdown} |
 * {@code json}).
 */
final class ChunkHandler implements JobHandler {
  private final TextServices services;

  ChunkHandler(TextServices services) {
    this.services = services;
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    TextInput input = TextInput.read(ctx, services.limits().chunkMaxBytes());
    List<DocItem> items = DocumentReader.read(input);
    ctx.progress(0, items.size(), "items", "chunking " + items.size() + " items");
    Chunking chunking = Chunking.fromOptions(ctx.options(), services);
    List<Chunk> chunks = chunking.run(items, ctx::checkCancelled);
    ObjectNode out = Json.object();
    out.put("input_kind", input.kind().wireName());
    chunking.describe(out);
    out.put("count", chunks.size());
    long chars = 0;
    long tokens = 0;
    int maxTok = 0;
    ArrayNode array = out.putArray("chunks");
    for (Chunk c : chunks) {
      array.add(c.toJson());
      chars += c.charCount();
      tokens += c.tokenCount();
      maxTok = Math.max(maxTok, c.tokenCount());
    }
    ObjectNode summary = out.putObject("summary");
    summary.put("items", items.size());
    summary.put("characters", chars);
    summary.put("tokens", tokens);
    summary.put("max_chunk_tokens", maxTok);
    ctx.progress(items.size(), items.size(), "items", chunks.size() + " chunks");
    return HandlerResult.of(out);
  }

  /** Chunking settings from job options, shared by chunk, embed and language. */
  record Chunking(HybridChunker.Settings settings, TokenCounter counter) {
    static Chunking fromOptions(ObjectNode options, TextServices services) throws JobException {
      int defaultMax = services.defaultMaxTokens();
      String tok = TextOptions.oneOf(options, "tokenizer", "model", "model", "approximate");
      // a budget above the model's input would be silently truncated at embedding time: refuse it when the model counts
      int ceiling = "model".equals(tok) ? defaultMax : 100_000;
      int max = TextOptions.integer(options, "max_tokens", defaultMax, 8, ceiling);
      int overlap = TextOptions.integer(options, "overlap_tokens", 0, 0, max / 2 - 1);
      boolean merge = TextOptions.bool(options, "merge_peers", true);
      TokenCounter counter = "model".equals(tok) ? services.model().tokenCounter() : TokenCounter.approximate();
      return new Chunking(new HybridChunker.Settings(max, overlap, merge), counter);
    }

    List<Chunk> run(List<DocItem> items, HybridChunker.Checkpoint checkpoint) throws JobException {
      return new HybridChunker(counter, settings).chunk(items, checkpoint);
    }

    void describe(ObjectNode out) {
      out.put("tokenizer", counter.name());
      out.put("max_tokens", settings.maxTokens());
      out.put("overlap_tokens", settings.overlapTokens());
      out.put("merge_peers", settings.mergePeers());
    }
  }
}
