package io.jetmesh.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Splits a text into pieces of at most {@code chunkSize} tokens at the most meaningful boundary available: the
 * algorithm of semchunk 3.2 (isaacus-dev/semchunk, {@code src/semchunk/semchunk.py}), which docling-core's
 * {@code HybridChunker} uses for every text too long for one chunk, re-implemented here so the split points are the
 * same. Python's semantics are kept where they decide a split: lengths and slices in code points, whitespace as
 * {@code str.isspace()}, {@code str.split} on the literal splitter, {@code max(..., key=len)} taking the first
 * longest run.
 *
 * <p>The text is split at, in this order of preference:
 * <ol>
 *   <li>the longest run of newlines / carriage returns;
 *   <li>the longest run of tabs;
 *   <li>the longest run of whitespace; when that run is a single character, rather that character where it follows
 *       one of {@code . ? ! * ; , ( ) [ ] “ ” ‘ ’ ' " ` : — … / \ – & -} (the first of these that occurs followed by
 *       whitespace), so that sentences and clauses stay whole;
 *   <li>the first of those punctuation marks that occurs (kept, re-attached to the piece before it);
 *   <li>between characters.
 * </ol>
 * Consecutive splits are then merged while the merged text fits (a binary search guided by characters per token);
 * a split that does not fit on its own is split recursively the same way. Pieces made only of whitespace are dropped.
 *
 * <p>Token counts are memoised, and, as in semchunk's {@code chunkerify}, a text longer than {@code 6 * chunkSize}
 * characters is counted on its first {@code 6 * chunkSize + maxTokenChars - 1} characters only when that prefix is
 * already over the budget. Not thread-safe: one instance per chunking run.
 */
final class SemanticSplitter {
  /** semchunk's {@code _NON_WHITESPACE_SEMANTIC_SPLITTERS}, most desirable first. */
  private static final int[] SEMANTIC_SPLITTERS = {
      '.', '?', '!', '*',
      ';', ',', '(', ')', '[', ']', 0x201C, 0x201D, 0x2018, 0x2019, '\'', '"', '`',
      ':', 0x2014, 0x2026,
      '/', '\\', 0x2013, '&', '-'};

  /**
   * How the splitter counts. With {@link #additive()} (see {@link TokenCounter#additive()}) the count of a run of
   * splits joined by whitespace or by a punctuation splitter is the sum of their counts, so each split is tokenized
   * once per level (in batches) instead of once per probe of the merge search; the decisions, and the probe
   * sequence, are semchunk's either way.
   */
  interface Counting {
    /** The exact count of a text. */
    int count(String text);

    default int[] countAll(List<String> texts) {
      int[] out = new int[texts.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = count(texts.get(i));
      }
      return out;
    }

    default boolean additive() {
      return false;
    }

    default boolean hasAddedToken(String text) {
      return false;
    }
  }

  private final Counting counting;
  private final int chunkSize;
  private final int maxTokenChars;
  private final Map<String, Integer> memo = new HashMap<>();

  /**
   * @param counter exact token count of a text
   * @param chunkSize the budget in tokens (>= 1)
   * @param maxTokenChars characters of the tokenizer's longest vocabulary entry; 0 when unknown (no shortcut)
   */
  SemanticSplitter(ToIntFunction<String> counter, int chunkSize, int maxTokenChars) {
    this((Counting) counter::applyAsInt, chunkSize, maxTokenChars);
  }

  SemanticSplitter(Counting counting, int chunkSize, int maxTokenChars) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be >= 1: " + chunkSize);
    }
    this.counting = counting;
    this.chunkSize = chunkSize;
    this.maxTokenChars = maxTokenChars;
  }

  /**
   * A piece of the text and where it is, in code points of the whole text.
   *
   * @param tokens its exact token count, or -1 when not known (overlapping windows)
   */
  record Piece(String text, int start, int end, int tokens) {}

  /** semchunk's {@code chunk(text, chunk_size)}: the pieces without any that are empty or only whitespace. */
  List<String> split(String text) {
    return split(text, 0);
  }

  /**
   * As {@link #split(String)}, with semchunk's {@code overlap} (in tokens): the text is cut into sub-pieces of
   * {@code min(overlap, chunkSize - overlap)} tokens that are then joined, in the original text, into windows of
   * {@code chunkSize} tokens advancing by {@code chunkSize - overlap}.
   */
  List<String> split(String text, int overlapTokens) {
    List<String> out = new ArrayList<>();
    for (Piece p : pieces(text, overlapTokens)) {
      out.add(p.text);
    }
    return out;
  }

  /** As {@link #split(String, int)}, with each piece's place and token count. */
  List<Piece> pieces(String text, int overlapTokens) {
    int[] cps = text.codePoints().toArray();
    int local = chunkSize;
    int overlap = 0;
    int unoverlapped = chunkSize;
    if (overlapTokens > 0) {
      overlap = Math.min(overlapTokens, chunkSize - 1);
      if (overlap > 0) {
        unoverlapped = chunkSize - overlap;
        local = Math.min(overlap, unoverlapped);
      }
    }
    List<Piece> pieces = new ArrayList<>();
    for (Piece p : chunk(cps, 0, cps.length, local)) {
      if (!p.text.isEmpty() && !PyText.isBlank(p.text)) {
        pieces.add(p);
      }
    }
    if (overlap > 0 && !pieces.isEmpty()) {
      List<Piece> out = new ArrayList<>();
      int perChunk = chunkSize / local;
      int stride = unoverlapped / local;
      int n = pieces.size();
      int windows = Math.max(1, (int) Math.ceil((double) (n - perChunk) / stride) + 1);
      for (int i = 0; i < windows; i++) {
        int first = i * stride;
        int last = Math.min(first + perChunk, n) - 1;
        int start = pieces.get(first).start;
        int end = pieces.get(last).end;
        out.add(new Piece(new String(cps, start, end - start), start, end, -1));
      }
      return out;
    }
    return pieces;
  }

  /** The memoised counter with semchunk's shortcut for long texts. */
  int count(String text) {
    Integer known = memo.get(text);
    if (known != null) {
      return known;
    }
    int n;
    int heuristic = chunkSize * 6;
    if (maxTokenChars > 0 && text.length() > heuristic && PyText.length(text) > heuristic
        && exact(PyText.head(text, heuristic + maxTokenChars - 1)) > chunkSize) {
      n = chunkSize + 1;
    } else {
      n = exact(text);
    }
    memo.put(text, n);
    return n;
  }

  private final Map<String, Integer> exactMemo = new HashMap<>();

  private int exact(String text) {
    Integer n = exactMemo.get(text);
    if (n == null) {
      n = counting.count(text);
      exactMemo.put(text, n);
    }
    return n;
  }

  /**
   * Counts of one level's splits for the additive path: the count of any range that starts at a split is the sum of
   * the whole splits in it, the splitters between them, and the tokenized head of the split it ends in.
   */
  private final class Sums {
    final int[] cps;
    final Split sp;
    final long[] prefix;
    final int splitterTokens;

    Sums(int[] cps, Split sp) {
      this.cps = cps;
      this.sp = sp;
      int n = sp.starts.length;
      List<String> texts = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        texts.add(new String(cps, sp.starts[k], sp.ends[k] - sp.starts[k]));
      }
      int[] counts = counting.countAll(texts);
      prefix = new long[n + 1];
      for (int k = 0; k < n; k++) {
        prefix[k + 1] = prefix[k] + counts[k];
      }
      splitterTokens = sp.whitespace ? 0 : exact(new String(sp.splitter, 0, sp.splitter.length));
    }

    /** Exact tokens of {@code cps[starts[a], to)}. */
    long exactRange(int a, int to) {
      int n = sp.starts.length;
      // b: the first split from a that does not end within the range
      int lo = a;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sp.ends[mid] <= to) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int b = lo;
      long t = prefix[b] - prefix[a] + (long) Math.max(0, b - a - 1) * splitterTokens;
      if (b > a && b < n && to >= sp.starts[b]) {
        t += splitterTokens; // the splitter after the last whole split
      }
      if (b < n && to > sp.starts[b]) {
        t += exact(new String(cps, sp.starts[b], to - sp.starts[b]));
      }
      return t;
    }

    /** semchunk's memoised counter on {@code cps[starts[a], to)}, prefix shortcut included. */
    int count(int a, int to) {
      int heuristic = chunkSize * 6;
      if (maxTokenChars > 0 && to - sp.starts[a] > heuristic
          && exactRange(a, Math.min(to, sp.starts[a] + heuristic + maxTokenChars - 1)) > chunkSize) {
        return chunkSize + 1;
      }
      return (int) Math.min(Integer.MAX_VALUE, exactRange(a, to));
    }
  }

  /** The splitter chosen for a range and the ranges it splits into (absolute code point offsets). */
  private record Split(int[] splitter, boolean whitespace, int[] starts, int[] ends) {}

  private List<Piece> chunk(int[] cps, int from, int to, int size) {
    Split sp = splitText(cps, from, to);
    int n = sp.starts.length;
    int sl = sp.splitter.length;
    String splitter = new String(sp.splitter, 0, sl);
    // counts of joined splits may be added up unless a punctuation split could cut an added token ("[SEP]")
    Sums sums = counting.additive() && sl > 0
        && (sp.whitespace || !counting.hasAddedToken(new String(cps, from, to - from))) ? new Sums(cps, sp) : null;
    // local split starts, as semchunk's accumulate([0] + [len(split) + len(splitter) ...])
    int[] starts = new int[n + 1];
    for (int k = 0; k < n; k++) {
      starts[k + 1] = starts[k] + (sp.ends[k] - sp.starts[k]) + sl;
    }
    List<Piece> pieces = new ArrayList<>();
    boolean[] skip = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (skip[i]) {
        continue;
      }
      int splitStart = from + starts[i];
      String split = new String(cps, sp.starts[i], sp.ends[i] - sp.starts[i]);
      int splitTokens = sums != null ? sums.count(i, sp.ends[i]) : count(split);
      boolean merged = false;
      if (splitTokens > size) {
        if (sp.ends[i] - sp.starts[i] <= 1) {
          // one character over budget cannot be split further (semchunk would recurse forever): keep it whole
          pieces.add(new Piece(split, sp.starts[i], sp.ends[i], splitTokens));
        } else {
          pieces.addAll(chunk(cps, sp.starts[i], sp.ends[i], size));
        }
      } else {
        int[] tokens = new int[1];
        int end = mergeSplits(cps, from, starts, sl, size, i, n + 1, sums, tokens);
        for (int j = i + 1; j < end; j++) {
          skip[j] = true;
        }
        int pieceEnd = from + starts[end] - sl;
        pieces.add(new Piece(slice(cps, splitStart, pieceEnd), splitStart, pieceEnd, tokens[0]));
        merged = true;
      }
      // a non-whitespace splitter is re-attached to the piece before it, or kept as a piece of its own
      if (!sp.whitespace && !(i == n - 1 || allSkipped(skip, i + 1))) {
        Piece last = pieces.get(pieces.size() - 1);
        String withSplitter = last.text + splitter;
        int withTokens = merged && sums != null ? sums.count(i, last.end + sl) : count(withSplitter);
        if (withTokens <= size) {
          pieces.set(pieces.size() - 1, new Piece(withSplitter, last.start, last.end + sl, withTokens));
        } else {
          int start = last.end;
          pieces.add(new Piece(splitter, start, start + sl, count(splitter)));
        }
      }
    }
    return pieces;
  }

  private static boolean allSkipped(boolean[] skip, int from) {
    for (int j = from; j < skip.length; j++) {
      if (!skip[j]) {
        return false;
      }
    }
    return true;
  }

  /**
   * semchunk's {@code merge_splits}: the first split index not in the merged piece that starts at split
   * {@code start}, found by a binary search whose probes are guided by the running characters-per-token average
   * (the probe sequence is kept, so results match even where a token count is not monotonic).
   */
  private int mergeSplits(int[] cps, int from, int[] starts, int sl, int size, int start, int high, Sums sums,
      int[] tokensOut) {
    double average = 0.2;
    int low = start;
    int offset = starts[start];
    double target = offset + size * average;
    int accepted = 0;
    while (low < high) {
      int i = bisectLeft(starts, target, low, high);
      int mid = Math.min(i, high - 1);
      int end = from + starts[mid] - sl;
      int tokens = mid == start ? 0 : sums != null ? sums.count(start, end)
          : count(slice(cps, from + starts[start], end));
      int localCum = starts[mid] - offset;
      if (localCum != 0 && tokens > 0) {
        average = (double) localCum / tokens;
        target = offset + size * average;
      }
      if (tokens > size) {
        high = mid;
      } else {
        low = mid + 1;
        accepted = tokens;
      }
    }
    tokensOut[0] = accepted;
    return low - 1;
  }

  private static int bisectLeft(int[] a, double x, int lo, int hi) {
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Python's {@code text[a:b]} (empty when b <= a). */
  private static String slice(int[] cps, int a, int b) {
    return b <= a ? "" : new String(cps, a, b - a);
  }

  /** semchunk's {@code _split_text} on {@code cps[from, to)}. */
  private static Split splitText(int[] cps, int from, int to) {
    boolean newline = false;
    boolean tab = false;
    boolean space = false;
    for (int k = from; k < to; k++) {
      int c = cps[k];
      if (c == '\n' || c == '\r') {
        newline = true;
        break;
      }
      tab |= c == '\t';
      space |= PyText.isSpace(c);
    }
    if (newline) {
      return literal(cps, from, to, longestRun(cps, from, to, c -> c == '\n' || c == '\r'), true);
    }
    if (tab) {
      return literal(cps, from, to, longestRun(cps, from, to, c -> c == '\t'), true);
    }
    if (space) {
      int[] run = longestRun(cps, from, to, PyText::isSpace);
      if (run.length == 1) {
        // prefer whitespace that follows a sentence terminator, then a clause separator, ... (semchunk >= 3.2)
        for (int preceder : SEMANTIC_SPLITTERS) {
          for (int k = from; k + 1 < to; k++) {
            if (cps[k] == preceder && PyText.isSpace(cps[k + 1])) {
              return afterPreceder(cps, from, to, preceder, cps[k + 1]);
            }
          }
        }
      }
      return literal(cps, from, to, run, true);
    }
    for (int s : SEMANTIC_SPLITTERS) {
      for (int k = from; k < to; k++) {
        if (cps[k] == s) {
          return literal(cps, from, to, new int[] {s}, false);
        }
      }
    }
    // no splitter at all: one split per character
    int n = to - from;
    int[] starts = new int[n];
    int[] ends = new int[n];
    for (int k = 0; k < n; k++) {
      starts[k] = from + k;
      ends[k] = from + k + 1;
    }
    return new Split(new int[0], true, starts, ends);
  }

  /** The first longest run of code points matching {@code p} (Python's {@code max(findall(...), key=len)}). */
  private static int[] longestRun(int[] cps, int from, int to, java.util.function.IntPredicate p) {
    int bestStart = -1;
    int bestLen = 0;
    for (int k = from; k < to; ) {
      if (p.test(cps[k])) {
        int s = k;
        while (k < to && p.test(cps[k])) {
          k++;
        }
        if (k - s > bestLen) {
          bestLen = k - s;
          bestStart = s;
        }
      } else {
        k++;
      }
    }
    return java.util.Arrays.copyOfRange(cps, bestStart, bestStart + bestLen);
  }

  /** Python's {@code text.split(splitter)}: non-overlapping occurrences, left to right. */
  private static Split literal(int[] cps, int from, int to, int[] splitter, boolean whitespace) {
    List<int[]> ranges = new ArrayList<>();
    int start = from;
    int k = from;
    int sl = splitter.length;
    while (k + sl <= to) {
      if (matches(cps, k, splitter)) {
        ranges.add(new int[] {start, k});
        k += sl;
        start = k;
      } else {
        k++;
      }
    }
    ranges.add(new int[] {start, to});
    return toSplit(splitter, whitespace, ranges);
  }

  /** {@code re.split(r"(?<=p)c", text)}: split at every {@code c} that follows {@code p}. */
  private static Split afterPreceder(int[] cps, int from, int to, int preceder, int c) {
    List<int[]> ranges = new ArrayList<>();
    int start = from;
    for (int k = from + 1; k < to; k++) {
      if (cps[k] == c && cps[k - 1] == preceder) {
        ranges.add(new int[] {start, k});
        start = k + 1;
      }
    }
    ranges.add(new int[] {start, to});
    return toSplit(new int[] {c}, true, ranges);
  }

  private static boolean matches(int[] cps, int at, int[] s) {
    for (int j = 0; j < s.length; j++) {
      if (cps[at + j] != s[j]) {
        return false;
      }
    }
    return true;
  }

  private static Split toSplit(int[] splitter, boolean whitespace, List<int[]> ranges) {
    int[] starts = new int[ranges.size()];
    int[] ends = new int[ranges.size()];
    for (int k = 0; k < ranges.size(); k++) {
      starts[k] = ranges.get(k)[0];
      ends[k] = ranges.get(k)[1];
    }
    return new Split(splitter, whitespace, starts, ends);
  }
}
