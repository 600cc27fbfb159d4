package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code text.analyze.language}: the language of the whole text and of each segment (paragraph, chunk or text),
 * with confidences, and whether the configured embedding model supports it.
 *
 * <p>Options: {@code segments} ({@code paragraphs} | {@code chunks} | {@code none}; chunk-op output and text
 * lists are always segmented by their own items), {@code require_supported} (false): when true, a text whose
 * language is reliably detected and not supported by the embedding model fails with {@code UNSUPPORTED}.
 */
final class LanguageHandler implements JobHandler {
  private final TextServices services;

  LanguageHandler(TextServices services) {
    this.services = services;
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    String segmentMode = TextOptions.oneOf(ctx.options(), "segments", "paragraphs", "paragraphs", "chunks", "none");
    boolean requireSupported = TextOptions.bool(ctx.options(), "require_supported", false);
    TextInput input = TextInput.read(ctx, services.limits().languageMaxBytes());
    List<DocItem> items = DocumentReader.read(input);
    List<String> modelLanguages = services.model().languages();

    record Segment(String kind, String text, List<String> refs, List<Integer> pages) {}
    List<Segment> segments = new ArrayList<>();
    if (input.kind() == TextInput.Kind.CHUNKS || input.kind() == TextInput.Kind.TEXTS) {
      String kind = input.kind() == TextInput.Kind.CHUNKS ? "chunk" : "text";
      for (DocItem it : items) {
        segments.add(new Segment(kind, it.text(), List.of(it.ref()), it.pages()));
      }
    } else if ("chunks".equals(segmentMode)) {
      for (Chunk c : ChunkHandler.Chunking.fromOptions(ctx.options(), services, ChunkHandler.MAX_BUDGET).run(input, ctx::checkCancelled)) {
        segments.add(new Segment("chunk", c.text(), c.sourceRefs(), c.pages()));
      }
    } else if ("paragraphs".equals(segmentMode)) {
      for (DocItem it : items) {
        if (!it.kind().isHeading() && !it.text().isBlank()) {
          segments.add(new Segment(it.kind().wireName(), it.text(), List.of(it.ref()), it.pages()));
        }
      }
    }

    ObjectNode out = Json.object();
    out.put("input_kind", input.kind().wireName());
    out.put("detector", services.languages().modelName());
    Map<String, long[]> byLanguage = new LinkedHashMap<>();
    ArrayNode array = Json.mapper().createArrayNode();
    int unsupported = 0;
    for (int i = 0; i < segments.size(); i++) {
      if ((i & 63) == 0) {
        ctx.checkCancelled();
        ctx.progress(i, segments.size(), "segments", null);
      }
      Segment s = segments.get(i);
      LanguageDetection.Result r = services.languages().detect(s.text());
      ObjectNode o = array.addObject();
      o.put("index", i);
      o.put("kind", s.kind());
      s.refs().forEach(o.putArray("source_refs")::add);
      if (!s.pages().isEmpty()) {
        s.pages().forEach(o.putArray("pages")::add);
      }
      o.put("char_count", s.text().length());
      putResult(o, r);
      boolean supported = !r.reliable() || LanguageDetection.isSupported(r.language(), modelLanguages);
      o.put("embedding_supported", supported);
      if (!supported) {
        unsupported++;
      }
      if (r.reliable()) {
        long[] agg = byLanguage.computeIfAbsent(r.language(), k -> new long[2]);
        agg[0]++;
        agg[1] += s.text().length();
      }
    }
    long reliableChars = byLanguage.values().stream().mapToLong(a -> a[1]).sum();
    List<Map.Entry<String, long[]>> ranked = byLanguage.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
        .toList();

    // The whole text at once, unless its segments say otherwise: one detection over a text that mixes languages
    // answers with whatever n-grams dominate, so a mixed text takes its main language from the segments.
    List<String> all = new ArrayList<>(items.size());
    items.forEach(it -> all.add(it.text()));
    LanguageDetection.Result doc = services.languages().detect(StatsHandler.sample(all));
    if (!ranked.isEmpty() && !ranked.get(0).getKey().equals(doc.language())) {
      String top = ranked.get(0).getKey();
      double share = (double) ranked.get(0).getValue()[1] / Math.max(1, reliableChars);
      doc = new LanguageDetection.Result(top, LanguageDetection.iso6391(top), share, share >= 0.5, List.of());
    }
    putResult(out, doc);
    out.put("mixed", ranked.stream().filter(e -> e.getValue()[1] >= 0.2 * reliableChars).count() > 1);
    out.put("embedding_model", services.model().name());
    boolean docSupported = LanguageDetection.isSupported(doc.language(), modelLanguages);
    out.put("embedding_supported", docSupported || !doc.reliable());
    if (requireSupported && doc.reliable() && !docSupported) {
      throw JobException.unsupported("text language is " + doc.language() + " (confidence "
          + TextStatistics.round(doc.confidence(), 3) + "), which embedding model " + services.model().name()
          + " does not support (supports " + String.join(", ", modelLanguages) + ")");
    }
    out.set("segments", array);
    ArrayNode langs = out.putArray("languages");
    ranked.forEach(e -> langs.addObject()
        .put("language", e.getKey())
        .put("iso639_1", LanguageDetection.iso6391(e.getKey()))
        .put("segments", e.getValue()[0])
        .put("characters", e.getValue()[1])
        .put("share", TextStatistics.round((double) e.getValue()[1] / Math.max(1, reliableChars), 3)));
    out.put("unsupported_segments", unsupported);
    if (unsupported > 0) {
      out.putArray("warnings").add(unsupported + " segment(s) are in a language that embedding model "
          + services.model().name() + " does not support (" + String.join(", ", modelLanguages) + ")");
    }
    return HandlerResult.of(out);
  }

  private static void putResult(ObjectNode o, LanguageDetection.Result r) {
    o.put("language", r.language());
    o.put("iso639_1", r.iso6391());
    o.put("confidence", TextStatistics.round(r.confidence(), 4));
    o.put("reliable", r.reliable());
    if (!r.alternatives().isEmpty()) {
      ArrayNode alt = o.putArray("alternatives");
      r.alternatives().forEach(a -> alt.addObject().put("language", a.getLang())
          .put("confidence", TextStatistics.round(a.getConfidence(), 4)));
    }
  }
}
