package io.jetmesh.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way the embedding model will see them, so a chunk of {@code max_tokens} is never truncated by the
 * model. Counts exclude special tokens ({@code [CLS]}, {@code [SEP]}), as docling's
 * {@code HuggingFaceTokenizer.count_tokens} ({@code len(tokenizer.tokenize(text))}) does.
 */
interface TokenCounter {
  int count(String text);

  /**
   * Characters of the longest entry in the tokenizer's vocabulary (semchunk's {@code max_token_chars}, used to
   * count a very long text by a prefix); 0 when unknown.
   */
  default int maxTokenChars() {
    return 0;
  }

  /**
   * Whether {@code count(a + ws + b) == count(a) + count(b)} for any whitespace {@code ws}: true for WordPiece with
   * BERT's normalizer and pre-tokenizer (every word is tokenized on its own), false for byte-level BPE or
   * SentencePiece, where a space belongs to the next token. Lets the chunker add counts instead of re-tokenizing.
   */
  default boolean additiveOverWhitespace() {
    return false;
  }

  /** Counts many texts at once (the HuggingFace tokenizer encodes a batch on all cores). */
  default int[] countAll(java.util.List<String> texts) {
    int[] out = new int[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = count(texts.get(i));
    }
    return out;
  }

  /** What does the counting, e.g. {@code all-minilm-l6-v2-q} or {@code approximate}. */
  String name();

  /** Counts with a HuggingFace tokenizer (WordPiece, BPE, Unigram: whatever its tokenizer.json describes). */
  static TokenCounter huggingFace(HuggingFaceTokenizer tokenizer, String name) {
    return huggingFace(tokenizer, name, 0, false);
  }

  /**
   * As {@link #huggingFace(HuggingFaceTokenizer, String)}, with what is known of the tokenizer.
   *
   * @param maxTokenChars see {@link #maxTokenChars()}
   * @param additive see {@link #additiveOverWhitespace()}
   */
  static TokenCounter huggingFace(HuggingFaceTokenizer tokenizer, String name, int maxTokenChars, boolean additive) {
    Objects.requireNonNull(tokenizer, "tokenizer == null");
    return new TokenCounter() {
      @Override
      public int maxTokenChars() {
        return maxTokenChars;
      }

      @Override
      public boolean additiveOverWhitespace() {
        return additive;
      }

      @Override
      public int count(String text) {
        if (text.isEmpty()) {
          return 0;
        }
        return tokenizer.encode(text, false, false).getIds().length;
      }

      @Override
      public int[] countAll(java.util.List<String> texts) {
        int[] out = new int[texts.size()];
        // batches of bounded size keep the native side's memory bounded on huge documents
        for (int from = 0; from < texts.size(); from += 1024) {
          java.util.List<String> slice = texts.subList(from, Math.min(texts.size(), from + 1024));
          var encodings = tokenizer.batchEncode(slice, false, false);
          for (int i = 0; i < encodings.length; i++) {
            out[from + i] = slice.get(i).isEmpty() ? 0 : encodings[i].getIds().length;
          }
        }
        return out;
      }

      @Override
      public String name() {
        return name;
      }
    };
  }

  /**
   * A model-free estimate for when no tokenizer is available: one token per punctuation mark, number or word, plus
   * one per further 4 characters of a long word (sub-word tokenizers split rare long words). Close to WordPiece on
   * English prose (within about 10 %), and conservative on other text.
   */
  static TokenCounter approximate() {
    return Approximate.INSTANCE;
  }

  /** The approximate counter (a singleton so the pattern is compiled once). */
  final class Approximate implements TokenCounter {
    static final Approximate INSTANCE = new Approximate();
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{M}]+|\\p{N}+|[^\\s\\p{L}\\p{M}\\p{N}]");

    private Approximate() {}

    @Override
    public boolean additiveOverWhitespace() {
      return true; // tokens never span whitespace
    }

    @Override
    public int count(String text) {
      Matcher m = TOKEN.matcher(text);
      int n = 0;
      while (m.find()) {
        int len = m.end() - m.start();
        if (Character.isIdeographic(text.codePointAt(m.start()))) {
          n += len; // CJK: about one token per character
        } else {
          n += 1 + Math.max(0, (len - 6 + 3) / 4);
        }
      }
      return n;
    }

    @Override
    public String name() {
      return "approximate";
    }
  }
}
