package io.jetmesh.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code text.analyze.stats}: characters, words, sentences, paragraphs, reading time, Flesch readability and top
 * keywords. Options: {@code words_per_minute} (238, the adult silent-reading average), {@code top_keywords} (10).
 * Markdown syntax and page furniture are not counted: statistics are taken over the document's items.
 */
final class StatsHandler implements JobHandler {
  private final TextServices services;

  StatsHandler(TextServices services) {
    this.services = services;
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    int wpm = TextOptions.integer(ctx.options(), "words_per_minute", 238, 50, 2000);
    int top = TextOptions.integer(ctx.options(), "top_keywords", 10, 0, 100);
    TextInput input = TextInput.read(ctx, services.limits().chunkMaxBytes());
    List<DocItem> items = DocumentReader.read(input);
    List<String> paragraphs = new ArrayList<>(items.size());
    int headings = 0;
    int tables = 0;
    int listItems = 0;
    for (DocItem it : items) {
      paragraphs.add(it.text());
      switch (it.kind()) {
        case TITLE, HEADING -> headings++;
        case TABLE -> tables++;
        case LIST_ITEM -> listItems++;
        default -> { }
      }
    }
    TextStatistics.Stats s = TextStatistics.compute(paragraphs, Locale.ROOT, wpm, top, ctx::checkCancelled);
    ObjectNode out = Json.object();
    out.put("input_kind", input.kind().wireName());
    out.put("characters", s.characters());
    out.put("characters_no_spaces", s.charactersNoSpaces());
    out.put("words", s.words());
    out.put("sentences", s.sentences());
    out.put("paragraphs", s.paragraphs());
    out.put("headings", headings);
    out.put("list_items", listItems);
    out.put("tables", tables);
    out.put("syllables", s.syllables());
    out.put("average_words_per_sentence", s.averageWordsPerSentence());
    out.put("average_syllables_per_word", s.averageSyllablesPerWord());
    out.put("reading_time_seconds", s.readingTimeSeconds());
    out.put("words_per_minute", wpm);
    ObjectNode read = out.putObject("readability");
    read.put("flesch_reading_ease", s.fleschReadingEase());
    read.put("flesch_kincaid_grade", s.fleschKincaidGrade());
    LanguageDetection.Result lang = services.languages().detect(sample(paragraphs));
    out.put("language", lang.language());
    out.put("language_confidence", TextStatistics.round(lang.confidence(), 4));
    if (!"eng".equals(lang.language()) && lang.reliable()) {
      read.put("note", "Flesch formulas and the syllable counter are calibrated for English; the text looks like "
          + lang.language());
    }
    ArrayNode kw = out.putArray("keywords");
    for (Map.Entry<String, Integer> e : s.keywords()) {
      kw.addObject().put("term", e.getKey()).put("count", e.getValue());
    }
    ArrayNode kp = out.putArray("keyphrases");
    for (Map.Entry<String, Double> e : s.keyphrases()) {
      kp.addObject().put("phrase", e.getKey()).put("score", e.getValue());
    }
    return HandlerResult.of(out);
  }

  /** Up to 100k characters spread over the document, for one language detection call. */
  static String sample(List<String> paragraphs) {
    StringBuilder sb = new StringBuilder();
    int step = Math.max(1, paragraphs.size() / 200);
    for (int i = 0; i < paragraphs.size() && sb.length() < 100_000; i += step) {
      sb.append(paragraphs.get(i)).append('\n');
    }
    return sb.toString();
  }
}
