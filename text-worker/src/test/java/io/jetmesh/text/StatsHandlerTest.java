package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StatsHandlerTest {
  private JsonNode stats(String text, String options) {
    return HandlerTestKit.forSubject("text.analyze.stats").input(text.getBytes(StandardCharsets.UTF_8), "t.txt")
        .options(options).run(new StatsHandler(TestServices.get())).requireResult().output();
  }

  @Test
  void countsCharactersWordsSentencesAndParagraphs() {
    JsonNode out = stats("The cat sat on the mat. It was happy!\n\nDr. Smith arrived at 10 a.m. and left.", "{}");
    assertThat(out.path("paragraphs").asInt()).isEqualTo(2);
    assertThat(out.path("words").asInt()).isEqualTo(17);
    assertThat(out.path("sentences").asInt()).isBetween(3, 4); // "Dr." and "a.m." are hard for any splitter
    assertThat(out.path("characters").asInt()).isEqualTo(37 + 38);
    assertThat(out.path("reading_time_seconds").asDouble()).isCloseTo(17 * 60.0 / 238, within(0.1));
  }

  @Test
  void simpleTextReadsEasierThanTechnicalText() {
    String simple = "The dog runs. The sun is hot. We like to play. It is a good day. The cat naps.";
    String technical = "Quantization-aware optimization significantly accelerates transformer-based representational "
        + "architectures, notwithstanding considerable computational heterogeneity across distributed infrastructure.";
    double easy = stats(simple, "{}").path("readability").path("flesch_reading_ease").asDouble();
    double hard = stats(technical, "{}").path("readability").path("flesch_reading_ease").asDouble();
    assertThat(easy).isGreaterThan(90);
    assertThat(hard).isLessThan(10);
    assertThat(stats(technical, "{}").path("readability").path("flesch_kincaid_grade").asDouble()).isGreaterThan(16);
  }

  @Test
  void topKeywordsSkipStopwordsAndKeyphrasesFollowRake() {
    String text = "Solar panels convert sunlight into electricity. Solar panels on roofs reduce energy bills. "
        + "The electricity from solar panels is clean. Wind turbines also produce electricity.";
    JsonNode out = stats(text, "{\"top_keywords\": 3}");
    JsonNode kw = out.path("keywords");
    assertThat(kw.size()).isEqualTo(3);
    assertThat(kw.get(0).path("term").asText()).isIn("solar", "electricity", "panels");
    assertThat(kw.get(0).path("count").asInt()).isEqualTo(3);
    kw.forEach(k -> assertThat(TextStatistics.STOPWORDS).doesNotContain(k.path("term").asText()));
    assertThat(out.path("keyphrases").get(0).path("phrase").asText()).isEqualTo("solar panels");
  }

  @Test
  void markdownSyntaxIsNotCounted() {
    JsonNode md = stats("# Title\n\n- **one** item\n- two items\n\n| a | b |\n|---|---|\n| c | d |\n", "{\"format\": \"markdown\"}");
    assertThat(md.path("headings").asInt()).isEqualTo(1);
    assertThat(md.path("list_items").asInt()).isEqualTo(2);
    assertThat(md.path("tables").asInt()).isEqualTo(1);
  }

  @Test
  void syllableHeuristicMatchesCommonWords() {
    List<String> words = List.of("cat", "table", "whale", "make", "walked", "wanted", "boxes", "goes", "beautiful",
        "readability", "the", "simple", "create");
    int[] expected = {1, 2, 1, 1, 1, 2, 2, 1, 3, 5, 1, 2, 2};
    int right = 0;
    for (int i = 0; i < words.size(); i++) {
      if (TextStatistics.syllables(words.get(i).toLowerCase(Locale.ROOT)) == expected[i]) {
        right++;
      }
    }
    assertThat(right).as("syllable heuristic hits").isGreaterThanOrEqualTo(11);
  }
}
