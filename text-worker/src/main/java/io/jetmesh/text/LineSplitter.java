package io.jetmesh.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * docling-core's {@code LineBasedTokenChunker.chunk_text} ({@code transforms/chunker/line_chunker.py}): packs whole
 * lines into pieces of at most {@code maxTokens} tokens, each starting with {@code prefix} (a table's header
 * rows), and cuts a line only when it does not fit an empty piece, at the last space before the token limit
 * (found by a binary search over characters). A prefix of {@code maxTokens} tokens or more is itself cut into
 * pieces that come first and is then not repeated.
 */
final class LineSplitter {
  private final ToIntFunction<String> counter;
  private final int maxTokens;

  LineSplitter(ToIntFunction<String> counter, int maxTokens) {
    this.counter = counter;
    this.maxTokens = maxTokens;
  }

  /** docling's {@code chunk_text(lines)} with {@code prefix}. */
  List<String> split(List<String> lines, String prefix) {
    List<String> chunks = new ArrayList<>();
    int prefixLen = 0;
    String current;
    int currentLen;
    if (!prefix.isEmpty()) {
      int n = counter.applyAsInt(prefix);
      if (n >= maxTokens) {
        chunks.addAll(byTokens(prefix));
        current = "";
        currentLen = 0;
      } else {
        prefixLen = n;
        current = prefix;
        currentLen = n;
      }
    } else {
      current = "";
      currentLen = 0;
    }
    String fresh = prefixLen > 0 ? prefix : "";
    for (String line : lines) {
      String remaining = line;
      while (true) {
        int lineTokens = counter.applyAsInt(remaining);
        int available = maxTokens - currentLen;
        if (lineTokens <= available) {
          current += remaining;
          currentLen += lineTokens;
          break;
        }
        if (lineTokens + prefixLen <= maxTokens) {
          chunks.add(current);
          current = fresh;
          currentLen = prefixLen;
          continue;
        }
        String[] cut = splitByTokenLimit(remaining, available);
        String take = cut[0];
        remaining = cut[1];
        if (take.isEmpty()) {
          if (remaining.isEmpty()) {
            break;
          }
          int first = Character.charCount(remaining.codePointAt(0));
          take = remaining.substring(0, first);
          remaining = remaining.substring(first);
        }
        current += "\n" + take;
        currentLen += counter.applyAsInt(take);
        chunks.add(current);
        current = fresh;
        currentLen = prefixLen;
      }
    }
    if (!current.isEmpty() && (prefixLen == 0 || !current.equals(prefix))) {
      chunks.add(current);
    }
    return chunks;
  }

  /** docling's {@code _chunk_text_by_tokens}: a text (an over-long prefix) cut into pieces by lines, then tokens. */
  private List<String> byTokens(String text) {
    List<String> chunks = new ArrayList<>();
    String current = "";
    int currentLen = 0;
    for (String line : PyText.splitLinesKeepEnds(text)) {
      String remaining = line;
      while (true) {
        int lineTokens = counter.applyAsInt(remaining);
        int available = maxTokens - currentLen;
        if (lineTokens <= available) {
          current += remaining;
          currentLen += lineTokens;
          break;
        }
        if (lineTokens <= maxTokens) {
          if (!current.isEmpty()) {
            chunks.add(current);
          }
          current = "";
          currentLen = 0;
          continue;
        }
        String[] cut = splitByTokenLimit(remaining, available);
        String take = cut[0];
        remaining = cut[1];
        if (take.isEmpty()) {
          if (remaining.isEmpty()) {
            break;
          }
          int first = Character.charCount(remaining.codePointAt(0));
          take = remaining.substring(0, first);
          remaining = remaining.substring(first);
        }
        current = current.isEmpty() ? take : current + "\n" + take;
        chunks.add(current);
        current = "";
        currentLen = 0;
      }
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  /**
   * docling's {@code split_by_token_limit}: the longest head of at most {@code limit} tokens (binary search over
   * code points), moved back to its last space when there is one after the first character; and the rest.
   */
  String[] splitByTokenLimit(String text, int limit) {
    if (limit <= 0 || text.isEmpty()) {
      return new String[] {"", text};
    }
    if (counter.applyAsInt(text) <= limit) {
      return new String[] {text, ""};
    }
    int[] cps = text.codePoints().toArray();
    int lo = 0;
    int hi = cps.length;
    int best = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (counter.applyAsInt(new String(cps, 0, mid)) <= limit) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (best <= 0) {
      return new String[] {"", text};
    }
    String head = new String(cps, 0, best);
    int space = head.lastIndexOf(' ');
    if (space > 0) {
      int cpSpace = head.codePointCount(0, space);
      best = cpSpace;
    }
    return new String[] {new String(cps, 0, best), new String(cps, best, cps.length - best)};
  }
}
