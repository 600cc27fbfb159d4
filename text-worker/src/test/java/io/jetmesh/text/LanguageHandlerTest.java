package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LanguageHandlerTest {
  static final String ENGLISH = "The committee met on Tuesday to discuss the budget for the coming year. Members agreed "
      + "that spending on public libraries should increase, while road maintenance would be reviewed in spring.";
  static final String GERMAN = "Der Ausschuss traf sich am Dienstag, um den Haushalt für das kommende Jahr zu besprechen. "
      + "Die Mitglieder waren sich einig, dass die Ausgaben für öffentliche Bibliotheken steigen sollten.";
  static final String FRENCH = "Le comité s'est réuni mardi pour discuter du budget de l'année prochaine. Les membres "
      + "ont convenu que les dépenses consacrées aux bibliothèques publiques devraient augmenter.";

  private HandlerTestKit.Run run(String text, String options) {
    return HandlerTestKit.forSubject("text.analyze.language").input(text.getBytes(StandardCharsets.UTF_8), "t.txt")
        .options(options).run(new LanguageHandler(TestServices.get()));
  }

  @Test
  void detectsTheLanguageOfTheTextAndOfEachParagraphWithConfidences() {
    JsonNode out = run(ENGLISH + "\n\n" + GERMAN + "\n\n" + FRENCH + "\n\n" + ENGLISH, "{}").requireResult().output();
    assertThat(out.path("language").asText()).isEqualTo("eng");
    assertThat(out.path("iso639_1").asText()).isEqualTo("en");
    assertThat(out.path("mixed").asBoolean()).isTrue();
    JsonNode segs = out.path("segments");
    assertThat(segs.size()).isEqualTo(4);
    assertThat(segs.get(0).path("language").asText()).isEqualTo("eng");
    assertThat(segs.get(1).path("language").asText()).isEqualTo("deu");
    assertThat(segs.get(2).path("language").asText()).isEqualTo("fra");
    for (JsonNode s : segs) {
      assertThat(s.path("reliable").asBoolean()).isTrue();
      assertThat(s.path("confidence").asDouble()).isBetween(0.35, 1.0);
    }
    assertThat(segs.get(0).path("source_refs").get(0).asText()).isEqualTo("#/lines/1");
    // the bundled model is English-only: the German and French paragraphs are flagged
    assertThat(segs.get(0).path("embedding_supported").asBoolean()).isTrue();
    assertThat(segs.get(1).path("embedding_supported").asBoolean()).isFalse();
    assertThat(out.path("unsupported_segments").asInt()).isEqualTo(2);
    assertThat(out.path("warnings").get(0).asText()).contains("all-minilm-l6-v2-q");
    assertThat(out.path("languages").get(0).path("language").asText()).isEqualTo("eng");
    assertThat(out.path("languages").get(0).path("segments").asInt()).isEqualTo(2);
  }

  @Test
  void failsAsUnsupportedWhenTheCallerRequiresALanguageTheModelCannotHandle() {
    var run = run(GERMAN + " " + GERMAN, "{\"require_supported\": true}");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(run.error().getMessage()).contains("deu").contains("all-minilm-l6-v2-q").contains("eng");
    assertThat(run(ENGLISH, "{\"require_supported\": true}").error()).isNull();
  }

  @Test
  void veryShortTextIsAnsweredButNotCalledReliable() {
    JsonNode out = run("Hello there", "{}").requireResult().output();
    assertThat(out.path("reliable").asBoolean()).isFalse();
    assertThat(out.path("embedding_supported").asBoolean()).isTrue(); // unknown is not flagged
  }

  @Test
  void chunkOutputIsSegmentedByChunk() {
    String chunks = "{\"chunks\": [{\"index\": 0, \"text\": \"" + ENGLISH + "\", \"pages\": [3]}, {\"index\": 1, \"text\": \""
        + FRENCH.replace("'", "\\u0027") + "\"}]}";
    JsonNode out = run(chunks, "{}").requireResult().output();
    assertThat(out.path("input_kind").asText()).isEqualTo("chunks");
    assertThat(out.path("segments").get(0).path("kind").asText()).isEqualTo("chunk");
    assertThat(out.path("segments").get(0).path("pages").toString()).isEqualTo("[3]");
    assertThat(out.path("segments").get(1).path("language").asText()).isEqualTo("fra");
  }
}
