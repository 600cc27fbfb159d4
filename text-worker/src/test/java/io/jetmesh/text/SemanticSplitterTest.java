package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** semchunk's splitting rules, with counters simple enough to work the expected pieces out by hand. */
class SemanticSplitterTest {
  /** One token per whitespace-separated word. */
  private static final ToIntFunction<String> WORDS = s -> {
    String t = s.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  };
  /** One token per code point. */
  private static final ToIntFunction<String> CHARS = s -> s.codePointCount(0, s.length());

  private static List<String> split(ToIntFunction<String> counter, int size, String text) {
    return new SemanticSplitter(counter, size, 0).split(text);
  }

  @Test
  void theLongestRunOfNewlinesIsTheFirstSplitPoint() {
    assertThat(split(WORDS, 4, "a b\n\nc d\ne f")).containsExactly("a b", "c d\ne f");
    assertThat(split(WORDS, 2, "a b\n\nc d\ne f")).containsExactly("a b", "c d", "e f");
  }

  @Test
  void tabsComeBeforeSpacesAndTheLongestSpaceRunBeforeSingleSpaces() {
    assertThat(split(WORDS, 2, "a b\tc d")).containsExactly("a b", "c d");
    assertThat(split(WORDS, 3, "a b c  d e")).containsExactly("a b c", "d e");
  }

  @Test
  void singleSpacesAfterASentenceEndAreChosenOverOtherSpaces() {
    // pieces are merged while they fit: "One two three." alone, then the rest fits in one
    assertThat(split(WORDS, 5, "One two three. Four five six seven. Eight"))
        .containsExactly("One two three.", "Four five six seven. Eight");
    // without a full stop followed by a space, the next mark in semchunk's order is used (";" before ",")
    assertThat(split(WORDS, 4, "a b c; d e, f g")).containsExactly("a b c;", "d e, f g");
    // ... and a piece still too long is split at its own best mark
    assertThat(split(WORDS, 3, "a b c; d e, f g")).containsExactly("a b c;", "d e,", "f g");
    // "E." inside a name is a sentence end to semchunk too, as in docling's "Julius E." chunk
    assertThat(split(WORDS, 5, "late 19th century. Julius E. Pitrap patented")).containsExactly(
        "late 19th century. Julius E.", "Pitrap patented");
  }

  @Test
  void aPieceThatDoesNotFitIsSplitAgainByTheNextRule() {
    assertThat(split(WORDS, 2, "one two three four. five")).containsExactly("one two", "three four.", "five");
  }

  @Test
  void withoutWhitespaceThePunctuationSplitsAndIsReattachedWhereItFits() {
    assertThat(split(CHARS, 7, "aaa.bbb.ccc")).containsExactly("aaa.bbb", ".", "ccc");
    assertThat(split(CHARS, 8, "aaa.bbb.ccc")).containsExactly("aaa.bbb.", "ccc");
  }

  @Test
  void withoutAnySplitterTheTextIsCutBetweenCharactersNeverInsideASurrogatePair() {
    assertThat(split(CHARS, 3, "abcdefgh")).containsExactly("abc", "def", "gh");
    assertThat(split(CHARS, 2, "😀😀😀😀😀")).containsExactly("😀😀", "😀😀", "😀");
  }

  @Test
  void piecesOfOnlyWhitespaceAreDropped() {
    assertThat(split(CHARS, 1, "a\n\n \n\nb")).containsExactly("a", "b");
    assertThat(split(WORDS, 5, " \n\t ")).isEmpty();
  }

  @Test
  void pythonWhitespaceCountsAsWhitespace() {
    // U+00A0 is whitespace to Python (str.isspace) but not to Java's Character.isWhitespace
    assertThat(split(CHARS, 3, "abc\u00a0def")).containsExactly("abc", "def");
  }

  @Test
  void overlapRepeatsPiecesAcrossWindows() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      sb.append(i > 1 ? " " : "").append("w").append(i);
    }
    List<String> windows = new SemanticSplitter(WORDS, 10, 0).split(sb.toString(), 5);
    assertThat(windows).containsExactly("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10", "w6 w7 w8 w9 w10 w11 w12 w13 w14 w15",
        "w11 w12 w13 w14 w15 w16 w17 w18 w19 w20");
  }

  @Test
  void aLongTextIsCountedByItsPrefixWhenThePrefixIsAlreadyOverBudget() {
    List<Integer> lengths = new ArrayList<>();
    ToIntFunction<String> recording = s -> {
      lengths.add(s.length());
      return WORDS.applyAsInt(s);
    };
    SemanticSplitter splitter = new SemanticSplitter(recording, 4, 5);
    String text = "word ".repeat(200);
    assertThat(splitter.count(text)).isEqualTo(5); // chunk size + 1
    assertThat(lengths).containsExactly(4 * 6 + 5 - 1);
  }

  @Test
  void generatedTextsArePartitionedIntoPiecesWithinBudgetKeepingEveryCharacter() {
    Random r = new Random(16);
    String[] words = {"alpha", "beta", "gamma.", "delta,", "epsilon;", "zeta!", "eta", "theta-iota", "(kappa)", "λάμδα",
        "中文", "x".repeat(40)};
    String[] seps = {" ", " ", " ", "  ", "\n", "\n\n", "\t"};
    for (int round = 0; round < 200; round++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(80);
      for (int i = 0; i < n; i++) {
        sb.append(words[r.nextInt(words.length)]).append(i == n - 1 ? "" : seps[r.nextInt(seps.length)]);
      }
      String text = sb.toString();
      int size = 1 + r.nextInt(12);
      List<String> pieces = split(WORDS, size, text);
      for (String p : pieces) {
        assertThat(WORDS.applyAsInt(p)).as("piece of %s", text).isLessThanOrEqualTo(size);
        assertThat(text).contains(p);
      }
      assertThat(String.join("", pieces).replaceAll("\\s", "")).isEqualTo(text.replaceAll("\\s", ""));
    }
  }
}
