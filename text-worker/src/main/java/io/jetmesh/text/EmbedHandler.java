package io.jetmesh.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code text.analyze.embed}: L2-normalised sentence embeddings.
 *
 * <p>Input: a list of texts (each embedded as is), the chunk operation's output (each chunk's
 * {@code contextualized_text} is embedded and its metadata kept), or a document (plain text, Markdown,
 * DoclingDocument, pdf-worker output) that is chunked first with the chunk options.
 *
 * <p>Options: {@code unit} ({@code chunk} | {@code sentence} | {@code text}: how a document is split; default
 * chunk), the chunk options, {@code vector_format} ({@code json} float arrays | {@code base64} little-endian
 * float32), {@code language_check} ({@code warn} | {@code require} | {@code off}: with require, a text reliably
 * detected in a language the model does not support fails the job with {@code UNSUPPORTED}).
 */
final class EmbedHandler implements JobHandler {
  private final TextServices services;

  EmbedHandler(TextServices services) {
    this.services = services;
  }

  private record Item(String text, ObjectNode meta) {}

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    String unit = TextOptions.oneOf(ctx.options(), "unit", "chunk", "chunk", "sentence", "text");
    String vectorFormat = TextOptions.oneOf(ctx.options(), "vector_format", "json", "json", "base64");
    String languageCheck = TextOptions.oneOf(ctx.options(), "language_check", "warn", "warn", "require", "off");
    TextInput input = TextInput.read(ctx, services.limits().embedMaxBytes());
    List<Item> items = items(input, unit, ctx);
    int maxTexts = services.limits().embedMaxTexts();
    if (items.size() > maxTexts) {
      throw JobException.tooLarge("input gives " + items.size() + " texts to embed; one embed job takes at most "
          + maxTexts + " (split the input or submit several jobs)");
    }
    if (items.isEmpty()) {
      throw JobException.invalidInput("input has no text to embed");
    }
    EmbeddingModel model = services.model();
    List<String> warnings = new ArrayList<>();
    int unsupported = 0;
    if (!"off".equals(languageCheck)) {
      for (int i = 0; i < items.size(); i++) {
        Item it = items.get(i);
        LanguageDetection.Result r = services.languages().detect(it.text());
        if (r.reliable() && !LanguageDetection.isSupported(r.language(), model.languages())) {
          if ("require".equals(languageCheck)) {
            throw JobException.unsupported("text " + i + " is in " + r.language() + " (confidence "
                + TextStatistics.round(r.confidence(), 3) + "); embedding model " + model.name() + " supports only "
                + String.join(", ", model.languages()) + " (language_check=require)");
          }
          it.meta().put("unsupported_language", r.language());
          unsupported++;
        }
      }
      if (unsupported > 0) {
        warnings.add(unsupported + " of " + items.size() + " texts are in a language that " + model.name()
            + " was not trained for (" + String.join(", ", model.languages()) + "); their vectors are of low quality");
      }
    }
    List<String> texts = new ArrayList<>(items.size());
    items.forEach(it -> texts.add(it.text()));
    ctx.progress(0, texts.size(), "texts", "embedding " + texts.size() + " texts");
    List<Embedder.Embedding> vectors = services.embedder().embed(texts, ctx::checkCancelled,
        done -> ctx.progress(done, texts.size(), "texts", null));

    ObjectNode out = Json.object();
    out.put("model", model.name());
    out.put("dimension", model.dimension());
    out.put("normalized", true);
    out.put("pooling", "mean");
    out.put("device", model.device());
    out.put("input_kind", input.kind().wireName());
    out.put("unit", input.kind() == TextInput.Kind.CHUNKS ? "chunk" : input.kind() == TextInput.Kind.TEXTS ? "text" : unit);
    out.put("vector_format", vectorFormat);
    out.put("count", items.size());
    ArrayNode array = out.putArray("embeddings");
    int truncated = 0;
    for (int i = 0; i < items.size(); i++) {
      Embedder.Embedding e = vectors.get(i);
      ObjectNode o = array.addObject();
      o.put("index", i);
      o.setAll(items.get(i).meta());
      o.put("text", items.get(i).text());
      o.put("token_count", e.tokens());
      o.put("truncated", e.truncated());
      if (e.truncated()) {
        truncated++;
      }
      if ("base64".equals(vectorFormat)) {
        ByteBuffer buf = ByteBuffer.allocate(e.vector().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(e.vector());
        o.put("vector", Base64.getEncoder().encodeToString(buf.array()));
      } else {
        ArrayNode v = o.putArray("vector");
        for (float f : e.vector()) {
          v.add(f);
        }
      }
    }
    if (truncated > 0) {
      warnings.add(truncated + " texts were longer than " + model.maxLength() + " tokens and were truncated; chunk "
          + "them first (unit=chunk) to embed all of their text");
    }
    if (!warnings.isEmpty()) {
      warnings.forEach(out.putArray("warnings")::add);
    }
    return HandlerResult.of(out);
  }

  private List<Item> items(TextInput input, String unit, JobContext ctx) throws JobException {
    List<Item> items = new ArrayList<>();
    switch (input.kind()) {
      case TEXTS -> {
        for (String t : input.texts()) {
          items.add(new Item(t, Json.object()));
        }
      }
      case CHUNKS -> {
        int i = 0;
        for (JsonNode c : input.json()) {
          JsonNode text = c.hasNonNull("contextualized_text") ? c.get("contextualized_text") : c.get("text");
          if (text == null || !text.isTextual()) {
            throw JobException.invalidInput("chunks[" + i + "] has neither contextualized_text nor text");
          }
          ObjectNode meta = Json.object();
          meta.put("chunk_index", c.path("index").asInt(i));
          for (String f : new String[] {"headings", "pages", "source_refs"}) {
            if (c.has(f)) {
              meta.set(f, c.get(f));
            }
          }
          items.add(new Item(text.asText(), meta));
          i++;
        }
      }
      default -> {
        List<DocItem> doc = DocumentReader.read(input);
        switch (unit) {
          case "text" -> {
            StringBuilder sb = new StringBuilder();
            doc.forEach(d -> sb.append(sb.length() > 0 ? "\n" : "").append(d.text()));
            items.add(new Item(sb.toString(), Json.object()));
          }
          case "sentence" -> {
            BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
            for (DocItem d : doc) {
              it.setText(d.text());
              int s = it.first();
              for (int e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
                String sentence = d.text().substring(s, e).strip();
                if (!sentence.isEmpty()) {
                  ObjectNode meta = Json.object();
                  meta.putArray("source_refs").add(d.ref());
                  if (!d.pages().isEmpty()) {
                    d.pages().forEach(meta.putArray("pages")::add);
                  }
                  items.add(new Item(sentence, meta));
                }
              }
            }
          }
          default -> {
            for (Chunk c : ChunkHandler.Chunking.fromOptions(ctx.options(), services).run(input, ctx::checkCancelled)) {
              ObjectNode meta = c.toJson();
              meta.remove("index");
              meta.remove("text");
              meta.remove("contextualized_text");
              meta.remove("token_count");
              meta.put("chunk_index", c.index());
              items.add(new Item(c.contextualizedText(), meta));
            }
          }
        }
      }
    }
    return items;
  }
}
