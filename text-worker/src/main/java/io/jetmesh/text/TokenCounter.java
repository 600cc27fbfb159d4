package io.jetmesh.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
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
   * Whether counts add up across word boundaries: {@code count(a + s + b) == count(a) + count(s) + count(b)} when
   * {@code s} is whitespace (0 tokens) or one punctuation character, and, for a punctuation {@code s}, neither side
   * holds one of {@link #hasAddedToken added tokens}. True for WordPiece behind BERT's normalizer and
   * pre-tokenizer, which tokenize every word on its own and split at whitespace and at every punctuation mark;
   * false for byte-level BPE or SentencePiece, where a space belongs to the next token. Lets the chunker add counts
   * instead of re-tokenizing the same characters.
   */
  default boolean additive() {
    return false;
  }

  /** Whether {@code text} contains an added token's text ({@code [SEP]}, ...), which the tokenizer matches whole. */
  default boolean hasAddedToken(String text) {
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
    return huggingFace(tokenizer, name, 0, false, java.util.List.of());
  }

  /**
   * As {@link #huggingFace(HuggingFaceTokenizer, String)}, with what is known of the tokenizer. Counts through the
   * tokenizer's native handle and fetch only the ids: DJL's {@code encode} also builds the tokens as Java strings,
   * their character spans and four masks, which costs more than the tokenization (measured 1.5 to 2.5 times the
   * time per call here). The tokenizer must have been built without truncation and padding.
   *
   * @param maxTokenChars see {@link #maxTokenChars()}
   * @param additive see {@link #additive()}
   * @param addedTokens the texts of the tokenizer's added tokens, see {@link #hasAddedToken}
   */
  static TokenCounter huggingFace(HuggingFaceTokenizer tokenizer, String name, int maxTokenChars, boolean additive,
      java.util.List<String> addedTokens) {
    Objects.requireNonNull(tokenizer, "tokenizer == null");
    java.util.List<String> added = java.util.List.copyOf(addedTokens);
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    return new TokenCounter() {
      @Override
      public int maxTokenChars() {
        return maxTokenChars;
      }

      @Override
      public boolean additive() {
        return additive;
      }

      @Override
      public boolean hasAddedToken(String text) {
        for (String a : added) {
          if (!a.isEmpty() && text.contains(a)) {
            return true;
          }
        }
        return false;
      }

      @Override
      public int count(String text) {
        if (text.isEmpty()) {
          return 0;
        }
        long encoding = lib.encode(tokenizer.getHandle(), text, false);
        try {
          return lib.getTokenIds(encoding).length;
        } finally {
          lib.deleteEncoding(encoding);
        }
      }

      @Override
      public int[] countAll(java.util.List<String> texts) {
        int[] out = new int[texts.size()];
        // batches of bounded size keep the native side's memory bounded on huge documents
        for (int from = 0; from < texts.size(); from += 1024) {
          String[] slice = texts.subList(from, Math.min(texts.size(), from + 1024)).toArray(new String[0]);
          long[] encodings = lib.batchEncode(tokenizer.getHandle(), slice, false);
          try {
            for (int i = 0; i < encodings.length; i++) {
              out[from + i] = slice[i].isEmpty() ? 0 : lib.getTokenIds(encodings[i]).length;
            }
          } finally {
            for (long e : encodings) {
              lib.deleteEncoding(e);
            }
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
    public boolean additive() {
      return true; // tokens never span whitespace or a punctuation mark
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
