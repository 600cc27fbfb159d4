package io.jetmesh.text;

import io.jetmesh.worker.JobException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Structure-aware chunking under a token budget, modelled on docling's {@code HybridChunker}:
 *
 * <ol>
 *   <li>Walk the items in reading order, tracking the heading path (a heading closes every deeper section).
 *       Headings are not chunks of their own; they become each chunk's {@code headings} and are prepended to its
 *       {@code contextualized_text}.
 *   <li>Each paragraph, code block or caption is one block; a run of list items is one block; a table is one block.
 *   <li>A block over the budget is split: text at sentence boundaries (then words, then characters), lists between
 *       items, tables between rows with the header rows repeated in every part. Text splits may overlap by
 *       {@code overlapTokens}.
 *   <li>Adjacent chunks under the same headings are merged while they fit (docling's {@code merge_peers}).
 * </ol>
 *
 * The budget counts the contextualized text (headings + text) without the model's special tokens, so a chunk of
 * {@code maxTokens} fits the embedding model. Token counts are summed per piece (exact for WordPiece, whose
 * pre-tokenizer splits at whitespace and punctuation) and each final chunk is counted once more as a whole.
 */
final class HybridChunker {
  /** Chunking settings. */
  record Settings(int maxTokens, int overlapTokens, boolean mergePeers) {
    Settings {
      if (maxTokens < 8) {
        throw new IllegalArgumentException("maxTokens must be >= 8: " + maxTokens);
      }
      if (overlapTokens < 0 || overlapTokens >= maxTokens / 2) {
        throw new IllegalArgumentException("overlapTokens must be in 0.." + (maxTokens / 2 - 1) + ": " + overlapTokens);
      }
    }
  }

  /** A point where a long run may stop (job cancelled or timed out). */
  @FunctionalInterface
  interface Checkpoint {
    void check() throws JobException;
  }

  private record Piece(String text, String sep, int tokens, List<Integer> pages, String ref, DocItem.Kind kind) {
    Piece withSep(String s) {
      return new Piece(text, s, tokens, pages, ref, kind);
    }
  }

  private record Context(String prefix, int tokens) {}

  private static final class Draft {
    final List<String> headings;
    final List<Piece> pieces = new ArrayList<>();
    int tokens;
    int part;
    boolean mergeable = true;

    Draft(List<String> headings) {
      this.headings = headings;
    }

    int chars;

    void add(Piece p) {
      pieces.add(p);
      tokens += p.tokens;
      chars += p.text.length() + p.sep.length();
    }
  }

  /** Token count of a text too long to count: more than any budget, and safe to add to. */
  private static final int OVER_BUDGET = 1 << 24;

  private final TokenCounter counter;
  private final Settings settings;
  private final Map<List<String>, Context> contexts = new HashMap<>();

  HybridChunker(TokenCounter counter, Settings settings) {
    this.counter = Objects.requireNonNull(counter, "counter == null");
    this.settings = Objects.requireNonNull(settings, "settings == null");
  }

  List<Chunk> chunk(List<DocItem> items, Checkpoint checkpoint) throws JobException {
    List<String> itemTexts = new ArrayList<>(items.size());
    for (DocItem it : items) {
      String t = it.text().strip();
      // an item far over any budget is split anyway: do not tokenize megabytes just to learn that
      itemTexts.add(it.kind().isHeading() || isSurelyOver(t) ? "" : t);
    }
    int[] itemTokens = counter.countAll(itemTexts);
    for (int k = 0; k < items.size(); k++) {
      if (!items.get(k).kind().isHeading() && isSurelyOver(items.get(k).text().strip())) {
        itemTokens[k] = OVER_BUDGET;
      }
    }
    List<Draft> drafts = new ArrayList<>();
    TreeMap<Integer, String> headings = new TreeMap<>();
    boolean anyContent = false;
    int i = 0;
    int steps = 0;
    while (i < items.size()) {
      if ((++steps & 63) == 0) {
        checkpoint.check();
      }
      DocItem item = items.get(i);
      if (item.kind().isHeading()) {
        int level = item.kind() == DocItem.Kind.TITLE ? 0 : item.level();
        headings.tailMap(level, true).clear();
        if (!item.text().isBlank()) {
          headings.put(level, item.text().strip());
        }
        i++;
        continue;
      }
      List<String> path = List.copyOf(headings.values());
      if (item.kind() == DocItem.Kind.LIST_ITEM) {
        List<Piece> pieces = new ArrayList<>();
        while (i < items.size() && items.get(i).kind() == DocItem.Kind.LIST_ITEM) {
          pieces.add(piece(items.get(i), itemTokens[i], pieces.isEmpty() ? "" : "\n"));
          i++;
        }
        emitList(pieces, path, drafts);
      } else if (item.kind() == DocItem.Kind.TABLE && item.table() != null) {
        emitTable(item, itemTokens[i], path, drafts);
        i++;
      } else {
        if (!item.text().isBlank()) {
          emitText(piece(item, itemTokens[i], ""), path, drafts);
        }
        i++;
      }
      anyContent = true;
    }
    if (!anyContent && !items.isEmpty()) {
      // a document of headings only: keep the headings as text rather than return nothing
      List<DocItem> asText = new ArrayList<>();
      for (DocItem it : items) {
        asText.add(new DocItem(DocItem.Kind.PARAGRAPH, it.text(), 0, it.pages(), it.ref(), null));
      }
      return chunk(asText, checkpoint);
    }
    if (settings.mergePeers()) {
      drafts = mergePeers(drafts);
    }
    checkpoint.check();
    List<String[]> texts = new ArrayList<>(drafts.size());
    List<String> contextualized = new ArrayList<>(drafts.size());
    for (Draft d : drafts) {
      String[] t = texts(d);
      texts.add(t);
      contextualized.add(t[1]);
    }
    int[] tokens = counter.countAll(contextualized);
    List<Chunk> chunks = new ArrayList<>(drafts.size());
    for (int k = 0; k < drafts.size(); k++) {
      chunks.add(finish(k, drafts.get(k), texts.get(k), tokens[k]));
    }
    return chunks;
  }

  // ------------------------------------------------------------------ blocks

  private void emitText(Piece p, List<String> path, List<Draft> drafts) {
    int avail = available(path);
    if (p.tokens <= avail) {
      Draft d = new Draft(path);
      d.add(p);
      drafts.add(d);
      return;
    }
    windows(explode(p, avail), List.of(), avail, path, drafts);
  }

  private void emitList(List<Piece> items, List<String> path, List<Draft> drafts) {
    int avail = available(path);
    List<Piece> units = new ArrayList<>();
    for (Piece p : items) {
      if (p.tokens <= avail) {
        units.add(p);
      } else {
        units.addAll(explode(p, avail));
      }
    }
    windows(units, List.of(), avail, path, drafts);
  }

  private void emitTable(DocItem item, int tokens, List<String> path, List<Draft> drafts) {
    DocItem.Table t = item.table();
    int avail = available(path);
    Piece whole = piece(item, tokens, "");
    if (whole.tokens <= avail) {
      Draft d = new Draft(path);
      d.add(whole);
      drafts.add(d);
      return;
    }
    // Header: caption (when short), the header rows and the Markdown separator, repeated in every part.
    List<Piece> head = new ArrayList<>();
    List<Piece> firstHead;
    List<Piece> rows = new ArrayList<>();
    Piece longCaption = null;
    if (!t.caption().isEmpty()) {
      Piece cap = new Piece(t.caption(), "", counter.count(t.caption()), item.pages(), item.ref(), DocItem.Kind.TABLE);
      if (cap.tokens <= avail / 4) {
        head.add(cap);
      } else {
        longCaption = cap; // too long to repeat in every part: placed once the rows are known
      }
    }
    StringBuilder header = new StringBuilder();
    for (int r = 0; r < t.headerRows(); r++) {
      header.append(r > 0 ? "\n" : "").append(DocItem.Table.rowText(t.rows().get(r)));
    }
    if (t.headerRows() > 0) {
      header.append('\n').append(DocItem.Table.separator(t.columns()));
      Piece h = new Piece(header.toString(), head.isEmpty() ? "" : "\n", counter.count(header.toString()), item.pages(),
          item.ref(), DocItem.Kind.TABLE);
      if (h.tokens + headTokens(head) <= avail / 2) {
        head.add(h);
      }
    }
    int rowAvail = avail - headTokens(head);
    for (int r = t.headerRows(); r < t.rows().size(); r++) {
      String rt = DocItem.Table.rowText(t.rows().get(r));
      Piece row = new Piece(rt, "\n", counter.count(rt), item.pages(), item.ref(), DocItem.Kind.TABLE);
      if (row.tokens <= rowAvail) {
        rows.add(row);
      } else {
        rows.addAll(explode(row, rowAvail));
      }
    }
    firstHead = head;
    if (longCaption != null) {
      int maxRow = rows.stream().mapToInt(Piece::tokens).max().orElse(0);
      if (longCaption.tokens + headTokens(head) + maxRow <= avail) {
        // the caption opens the first part only
        firstHead = new ArrayList<>();
        firstHead.add(longCaption);
        for (Piece p : head) {
          firstHead.add(p.withSep("\n"));
        }
      } else {
        emitText(longCaption, path, drafts); // a caption the size of a paragraph precedes the table on its own
      }
    }
    // rows never overlap: the repeated header already gives each part its context
    int before = drafts.size();
    windows(rows, firstHead, head, avail, path, drafts, 0);
    for (int k = before; k < drafts.size(); k++) {
      drafts.get(k).mergeable = false;
    }
  }

  private static int headTokens(List<Piece> head) {
    int n = 0;
    for (Piece p : head) {
      n += p.tokens;
    }
    return n;
  }

  private void windows(List<Piece> units, List<Piece> head, int avail, List<String> path, List<Draft> drafts) {
    windows(units, head, head, avail, path, drafts, settings.overlapTokens());
  }

  /**
   * Greedy packing of {@code units} into drafts of at most {@code avail} tokens, each starting with {@code head};
   * a new draft repeats the trailing units of the previous one up to {@code overlap} tokens.
   */
  private void windows(List<Piece> units, List<Piece> firstHead, List<Piece> head, int avail, List<String> path,
      List<Draft> drafts, int overlap) {
    int start = 0;
    int part = 1;
    List<Draft> made = new ArrayList<>();
    while (start < units.size()) {
      Draft d = new Draft(path);
      List<Piece> h = made.isEmpty() ? firstHead : head;
      h.forEach(d::add);
      int budget = avail - headTokens(h);
      int end = start;
      int used = 0;
      int usedChars = d.chars;
      while (end < units.size() && (end == start || used + units.get(end).tokens <= budget
          && usedChars + units.get(end).text.length() + 1 <= maxChars())) {
        Piece u = units.get(end);
        usedChars += u.text.length() + 1;
        d.add(d.pieces.isEmpty() ? u.withSep("") : (end == start && !h.isEmpty() ? u.withSep("\n") : u));
        used += u.tokens;
        end++;
      }
      made.add(d);
      if (end >= units.size()) {
        break;
      }
      // overlap: step back over trailing units worth at most `overlap` tokens, always moving forward
      int next = end;
      int back = 0;
      while (overlap > 0 && next - 1 > start && back + units.get(next - 1).tokens <= overlap) {
        back += units.get(next - 1).tokens;
        next--;
      }
      start = next;
    }
    if (made.size() > 1) {
      for (Draft d : made) {
        d.part = part++;
        d.mergeable = overlap == 0;
      }
    }
    drafts.addAll(made);
  }

  /** Splits a piece into sentences; a sentence over budget into words; a word over budget into character runs. */
  private List<Piece> explode(Piece p, int avail) {
    List<Piece> out = new ArrayList<>();
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
    it.setText(p.text);
    List<String> sentences = new ArrayList<>();
    int s = it.first();
    for (int e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
      String sentence = p.text.substring(s, e).strip();
      if (!sentence.isEmpty()) {
        sentences.add(sentence);
      }
    }
    List<String> countable = new ArrayList<>(sentences.size());
    for (String sentence : sentences) {
      countable.add(isSurelyOver(sentence) ? "" : sentence);
    }
    int[] counts = counter.countAll(countable);
    for (int si = 0; si < sentences.size(); si++) {
      if (isSurelyOver(sentences.get(si))) {
        counts[si] = OVER_BUDGET;
      }
    }
    boolean first = true;
    for (int si = 0; si < sentences.size(); si++) {
      String sentence = sentences.get(si);
      String sep = first ? p.sep : " ";
      first = false;
      int tokens = counts[si];
      if (tokens <= avail) {
        out.add(new Piece(sentence, sep, tokens, p.pages, p.ref, p.kind));
        continue;
      }
      cutByTokens(sentence, sep, avail, p, out);
    }
    return out;
  }

  /** Longest slice of text tokenized in one call when cutting an over-long sentence: bounds native memory. */
  private static final int CUT_SLICE_CHARS = 100_000;

  /**
   * Cuts a sentence that is over budget into runs of at most {@code avail} tokens, preferring to end a run at a
   * space; a run without any space (a URL, base64) is cut at a token boundary a few tokens short of the budget, as
   * re-tokenizing the start of a cut word can add a token. The text is tokenized once per 100k characters.
   */
  private void cutByTokens(String sentence, String sep, int avail, Piece p, List<Piece> out) {
    int from = 0;
    boolean first = true;
    boolean spaceBefore = true; // whether the previous run ended at a space (join with " ") or inside a word ("")
    while (from < sentence.length()) {
      int sliceEnd = Math.min(sentence.length(), from + CUT_SLICE_CHARS);
      boolean sliceAtSpace = true;
      if (sliceEnd < sentence.length()) {
        int space = sentence.lastIndexOf(' ', sliceEnd);
        if (space > from + CUT_SLICE_CHARS / 2) {
          sliceEnd = space;
        } else {
          sliceAtSpace = false;
        }
      }
      String slice = sentence.substring(from, sliceEnd);
      int[] ends = counter.tokenEnds(slice);
      int tok = 0;
      int charStart = 0;
      while (tok < ends.length) {
        int endTok = Math.min(ends.length, tok + avail);
        boolean atSpace = true;
        if (endTok < ends.length) {
          int k = endTok;
          while (k > tok + 1 && !(ends[k - 1] < slice.length() && Character.isWhitespace(slice.charAt(ends[k - 1])))) {
            k--;
          }
          if (k == tok + 1 && !(ends[k - 1] < slice.length() && Character.isWhitespace(slice.charAt(ends[k - 1])))) {
            atSpace = false;
            k = Math.max(tok + 1, Math.min(ends.length, tok + avail - 4));
          }
          endTok = k;
        }
        int charEnd = endTok == ends.length ? slice.length() : ends[endTok - 1];
        String run = slice.substring(charStart, charEnd).strip();
        if (!run.isEmpty()) {
          addRun(run, first ? sep : spaceBefore ? " " : "", endTok - tok, avail, p, out);
          first = false;
        }
        spaceBefore = atSpace;
        tok = endTok;
        charStart = charEnd;
      }
      spaceBefore = sliceAtSpace;
      from = sliceEnd;
    }
  }

  /**
   * Adds a run, capping its length at 32 characters per budget token: WordPiece maps a "word" of more than 100
   * characters to one [UNK] token, so a 300 kB blob would otherwise become a one-token chunk.
   */
  private void addRun(String run, String sep, int tokens, int avail, Piece p, List<Piece> out) {
    int maxChars = 32 * avail;
    // (avail <= maxTokens, so a run within 32 * avail also fits maxChars())
    if (run.length() <= maxChars) {
      out.add(new Piece(run, sep, tokens, p.pages, p.ref, p.kind));
      return;
    }
    int at = 0;
    while (at < run.length()) {
      int end = Math.min(run.length(), at + maxChars);
      if (end < run.length() && Character.isHighSurrogate(run.charAt(end - 1))) {
        end--;
      }
      String part = run.substring(at, end);
      int t = counter.count(part);
      while (t > avail && part.length() > 1) {
        end = at + Math.max(1, (end - at) / 2);
        part = run.substring(at, end);
        t = counter.count(part);
      }
      out.add(new Piece(part, at == 0 ? sep : "", t, p.pages, p.ref, p.kind));
      at = end;
    }
  }

  private List<Draft> mergePeers(List<Draft> drafts) {
    List<Draft> out = new ArrayList<>(drafts.size());
    Draft cur = null;
    for (Draft d : drafts) {
      if (cur != null && cur.mergeable && d.mergeable && cur.headings.equals(d.headings)
          && cur.tokens + d.tokens <= available(cur.headings) && cur.chars + d.chars + 1 <= maxChars()) {
        for (Piece p : d.pieces) {
          cur.add(p == d.pieces.get(0) ? p.withSep("\n") : p);
        }
        continue;
      }
      cur = d;
      out.add(d);
    }
    return out;
  }

  // ------------------------------------------------------------------ helpers

  private static Piece piece(DocItem item, int tokens, String sep) {
    return new Piece(item.text().strip(), sep, tokens, item.pages(), item.ref(), item.kind());
  }

  /** True when {@code text} has so many characters that it cannot fit the budget (tokens are rarely 32+ chars). */
  private boolean isSurelyOver(String text) {
    return text.length() > maxChars();
  }

  /**
   * A chunk holds at most 32 characters per budget token, whatever the tokenizer says: WordPiece counts a 300 kB
   * run without spaces as one [UNK] token, and such a chunk would be useless for retrieval.
   */
  private int maxChars() {
    return 32 * settings.maxTokens();
  }

  /** Tokens left for text once the heading context is in. */
  private int available(List<String> headings) {
    return settings.maxTokens() - context(headings).tokens();
  }

  /**
   * The heading prefix of chunks under {@code headings}. When the full path would take more than half the budget
   * (pathological headings), only the innermost heading is kept, and if even that is too long, none: the headings
   * stay in the chunk's metadata either way.
   */
  private Context context(List<String> headings) {
    return contexts.computeIfAbsent(headings, h -> {
      if (h.isEmpty()) {
        return new Context("", 0);
      }
      String full = String.join("\n", h);
      int t = counter.count(full);
      if (t <= settings.maxTokens() / 2) {
        return new Context(full, t);
      }
      String last = h.get(h.size() - 1);
      int lt = counter.count(last);
      return lt <= settings.maxTokens() / 2 ? new Context(last, lt) : new Context("", 0);
    });
  }

  /** The draft's text and its contextualized text. */
  private String[] texts(Draft d) {
    StringBuilder sb = new StringBuilder();
    for (Piece p : d.pieces) {
      if (sb.length() > 0) {
        sb.append(p.sep);
      }
      sb.append(p.text);
    }
    String text = sb.toString();
    Context ctx = context(d.headings);
    return new String[] {text, ctx.prefix().isEmpty() ? text : ctx.prefix() + "\n" + text};
  }

  private static Chunk finish(int index, Draft d, String[] texts, int tokens) {
    Set<Integer> pages = new TreeSet<>();
    Set<String> refs = new LinkedHashSet<>();
    Set<String> kinds = new LinkedHashSet<>();
    for (Piece p : d.pieces) {
      pages.addAll(p.pages);
      if (p.ref != null) {
        refs.add(p.ref);
      }
      kinds.add(p.kind.wireName());
    }
    String text = texts[0];
    return new Chunk(index, text, texts[1], d.headings, List.copyOf(pages), List.copyOf(refs), List.copyOf(kinds),
        text.codePointCount(0, text.length()), tokens, d.part);
  }
}
