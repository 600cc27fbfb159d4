package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The counter is HuggingFace's own tokenizer (the Rust {@code tokenizers} library through DJL, with the model's
 * {@code tokenizer.json}), so counts are HuggingFace's by construction; docling's expected {@code num_tokens} in
 * {@link DoclingReferenceTest} confirm it on 60 chunks. These pin the BERT-uncased rules the chunker relies on.
 */
class TokenCounterTest {
  private final TokenCounter tokens = TestServices.get().model().tokenCounter();

  @Test
  void countsFollowBertUncasedRules() {
    assertThat(tokens.count("")).isZero();
    assertThat(tokens.count("Hello World")).isEqualTo(2);
    assertThat(tokens.count("HÉLLO wörld")).isEqualTo(2); // lowercased, accents stripped
    assertThat(tokens.count("日本語")).isEqualTo(3); // each CJK character is a word of its own
    assertThat(tokens.count("don't")).isEqualTo(3); // punctuation splits words
    assertThat(tokens.count("x".repeat(101))).isEqualTo(1); // over 100 characters: one [UNK]
    assertThat(tokens.count("😀")).isEqualTo(1); // not in the vocabulary: [UNK]
    assertThat(tokens.count("[CLS] text [SEP]")).isEqualTo(3); // special tokens in the text are single tokens
    assertThat(tokens.count("a\u0000b\ufffd")).isEqualTo(1); // BERT's clean_text drops these, "ab" is one word
  }

  @Test
  void theVocabularyFactsSemchunkUsesAreReadFromTheTokenizer() {
    assertThat(tokens.maxTokenChars()).isEqualTo(18); // all-MiniLM-L6-v2's longest vocabulary entry
    assertThat(tokens.additive()).isTrue();
    assertThat(tokens.hasAddedToken("see [SEP] here")).isTrue();
    assertThat(tokens.hasAddedToken("see SEP here")).isFalse();
  }

  @Test
  void countsAddUpOverWhitespaceJoinsSoTheChunkerMayAddThem() {
    Random r = new Random(7);
    String[] parts = {"word", "Wörter", "日本", "don't", "x".repeat(120), "[SEP]", "3.14", "naïve", "😀", "a\u0000b",
        "ﬁle", "Ⅻ", "\u0301e", "e\u0301", "##", "-", "U.S.A."};
    String[] ws = {"\n", " ", "\t", "\n\n", "\u00a0", "\r\n"};
    for (int i = 0; i < 500; i++) {
      StringBuilder a = new StringBuilder();
      StringBuilder b = new StringBuilder();
      for (int k = r.nextInt(4); k >= 0; k--) {
        a.append(parts[r.nextInt(parts.length)]).append(k > 0 ? " " : "");
        b.append(parts[r.nextInt(parts.length)]).append(k > 0 ? " " : "");
      }
      String joined = a + ws[r.nextInt(ws.length)] + b;
      assertThat(tokens.count(joined)).as("'%s'", joined).isEqualTo(tokens.count(a.toString()) + tokens.count(b.toString()));
    }
  }
}
