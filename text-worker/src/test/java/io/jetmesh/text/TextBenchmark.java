package io.jetmesh.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Throughput of the text worker's two heavy paths, each against a peer measured in the same run:
 *
 * <ul>
 *   <li>embedding, sentences/s: one text per forward pass (unbatched) versus the dynamic batcher, for one job with
 *       many texts and for many concurrent one-sentence jobs (each job one text, the way small requests arrive);
 *   <li>chunking, chars/s and docs/s: the structure-aware {@link HybridChunker} versus a naive fixed-size token
 *       splitter (tokenize everything, cut every {@code max_tokens}) with the same tokenizer.
 * </ul>
 *
 * A tool, not a test: it lives in src/test to stay out of the worker's jar. Run from the repository root (the
 * reactor resolves the sibling modules; nothing is installed in ~/.m2):
 * <pre>
 * java -cp "$(scripts/test-classpath.sh text-worker)" io.jetmesh.text.TextBenchmark \
 *     --sentences 256 --rounds 3 --clients 8 --shared ../shared --json /tmp/text-bench.json
 * </pre>
 * The modes run interleaved, round after round, and each mode's time is summed, so load from other processes
 * spreads over all modes instead of skewing one.
 * Results go to stdout as a table and, with {@code --json FILE}, as JSON.
 */
public final class TextBenchmark {
  private TextBenchmark() {}

  public static void main(String[] args) throws Exception {
    int sentences = 256;
    int rounds = 3;
    int clients = 8;
    int maxBatch = 32;
    Path shared = Path.of("../shared");
    Path json = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sentences" -> sentences = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--max-batch" -> maxBatch = Integer.parseInt(args[++i]);
        case "--shared" -> shared = Path.of(args[++i]);
        case "--json" -> json = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + " (use --sentences N --rounds N --clients N --max-batch N --shared DIR --json FILE)");
      }
    }
    PrintStream out = System.out;
    Path cache = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "jetmesh-text-bench"));
    var report = Json.object();
    report.put("cores", Runtime.getRuntime().availableProcessors());
    try (EmbeddingModel model = EmbeddingModel.load(ModelFiles.bundled(cache, null), "cpu", 256)) {
      List<String> texts = sentences(sentences, 42);
      out.printf(Locale.ROOT, "embedding model %s, %d sentences (%.1f tokens avg), %d cores%n", model.name(), texts.size(),
          texts.stream().mapToInt(t -> model.encode(t).tokens()).average().orElse(0),
          Runtime.getRuntime().availableProcessors());
      // warm-up: JIT and ORT's first-run allocations
      for (int i = 0; i < 3; i++) {
        model.forward(List.of(model.encode(texts.get(i))));
        model.forward(texts.subList(0, 16).stream().map(model::encode).toList());
      }

      DynamicBatcher<EmbeddingModel.Encoded, float[]> batcher = new DynamicBatcher<>("bench", maxBatch,
          Duration.ofMillis(5), b -> Embedder.forwardBatch(model, b), null);
      Embedder embedder = new Embedder(model, batcher);
      int c = clients;
      // The machine is shared: run the four modes interleaved, several rounds, and add up each mode's time, so a
      // burst of load from elsewhere hits all modes alike instead of skewing one.
      List<Work> modes = List.of(
          () -> {
            for (String t : texts) {
              model.forward(List.of(model.encode(t)));
            }
          },
          () -> embedder.embed(texts, () -> { }, n -> { }),
          () -> concurrently(c, texts, t -> model.forward(List.of(model.encode(t)))),
          () -> concurrently(c, texts, t -> embedder.embed(List.of(t), () -> { }, n -> { })));
      long[] nanos = new long[modes.size()];
      for (int round = 0; round < rounds; round++) {
        for (int m = 0; m < modes.size(); m++) {
          long t0 = System.nanoTime();
          modes.get(m).run();
          nanos[m] += System.nanoTime() - t0;
        }
      }
      double unbatched = texts.size() * rounds / (nanos[0] / 1e9);
      double oneJob = texts.size() * rounds / (nanos[1] / 1e9);
      double concurrentUnbatched = texts.size() * rounds / (nanos[2] / 1e9);
      double concurrentBatched = texts.size() * rounds / (nanos[3] / 1e9);
      embedder.close();
      out.printf(Locale.ROOT, "%-52s %10s %8s%n", "embedding", "sent/s", "ratio");
      out.printf(Locale.ROOT, "%-52s %10.1f %8s%n", "unbatched, 1 text per forward pass (peer)", unbatched, "1.00");
      out.printf(Locale.ROOT, "%-52s %10.1f %8.2f%n", "one job of " + texts.size() + " texts, batcher max " + maxBatch,
          oneJob, oneJob / unbatched);
      out.printf(Locale.ROOT, "%-52s %10.1f %8.2f%n", c + " concurrent 1-text jobs, no batcher", concurrentUnbatched,
          concurrentUnbatched / unbatched);
      out.printf(Locale.ROOT, "%-52s %10.1f %8.2f%n", c + " concurrent 1-text jobs, dynamic batcher", concurrentBatched,
          concurrentBatched / unbatched);
      var e = report.putObject("embedding");
      e.put("sentences", texts.size());
      e.put("rounds", rounds);
      e.put("max_batch", maxBatch);
      e.put("clients", c);
      e.put("unbatched_per_s", TextStatistics.round(unbatched, 1));
      e.put("one_job_batched_per_s", TextStatistics.round(oneJob, 1));
      e.put("concurrent_unbatched_per_s", TextStatistics.round(concurrentUnbatched, 1));
      e.put("concurrent_batched_per_s", TextStatistics.round(concurrentBatched, 1));

      // ---- chunking
      List<List<DocItem>> docs = new ArrayList<>();
      List<DoclingTree> trees = new ArrayList<>();
      long chars = 0;
      Path gt = shared.resolve("corpus/docling/groundtruth");
      if (Files.isDirectory(gt)) {
        try (Stream<Path> s = Files.list(gt)) {
          for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
            var doc = Json.tree(Files.readAllBytes(p));
            docs.add(DocumentReader.docling(doc));
            trees.add(DoclingTree.parse(doc));
          }
        }
      } else {
        out.println("(shared corpus absent at " + gt.toAbsolutePath() + ": chunking only the synthetic document)");
      }
      docs.add(DocumentReader.markdown(syntheticMarkdown(300_000, 7)));
      trees.add(DoclingTree.fromItems(docs.get(docs.size() - 1)));
      for (List<DocItem> d : docs) {
        for (DocItem it : d) {
          chars += it.text().length();
        }
      }
      HybridChunker.Settings settings = HybridChunker.Settings.docling(254, true);
      TokenCounter hf = model.tokenCounter();
      long totalChars = chars;
      HuggingFaceTokenizer naiveTok = HuggingFaceTokenizer.builder()
          .optTokenizerPath(ModelFiles.bundled(cache, null).tokenizer()).optTruncation(false).optAddSpecialTokens(false)
          .build();
      List<Work> chunkers = List.of(
          () -> docs.forEach(d -> naiveSplit(naiveTok, d, 254)),
          () -> {
            for (DoclingTree t : trees) {
              new HybridChunker(hf, settings).chunk(t, () -> { });
            }
          },
          () -> {
            for (DoclingTree t : trees) {
              new HybridChunker(TokenCounter.approximate(), settings).chunk(t, () -> { });
            }
          });
      chunkers.get(1).run(); // warm-up
      long[] cn = new long[chunkers.size()];
      int chunkRounds = rounds * 2;
      for (int round = 0; round < chunkRounds; round++) {
        for (int m = 0; m < chunkers.size(); m++) {
          long t0 = System.nanoTime();
          chunkers.get(m).run();
          cn[m] += System.nanoTime() - t0;
        }
      }
      double naive = chunkRounds / (cn[0] / 1e9);
      double hybridHf = chunkRounds / (cn[1] / 1e9);
      double hybridApprox = chunkRounds / (cn[2] / 1e9);
      naiveTok.close();
      out.printf(Locale.ROOT, "%nchunking %d documents, %d chars per round, max_tokens 254%n", docs.size(), totalChars);
      out.printf(Locale.ROOT, "%-52s %10s %10s %8s%n", "chunker", "chars/s", "docs/s", "ratio");
      out.printf(Locale.ROOT, "%-52s %10.0f %10.1f %8s%n", "naive fixed-size token splitter, HF tokenizer (peer)",
          naive * totalChars, naive * docs.size(), "1.00");
      out.printf(Locale.ROOT, "%-52s %10.0f %10.1f %8.2f%n", "hybrid chunker, HF tokenizer", hybridHf * totalChars,
          hybridHf * docs.size(), hybridHf / naive);
      out.printf(Locale.ROOT, "%-52s %10.0f %10.1f %8.2f%n", "hybrid chunker, approximate counter", hybridApprox * totalChars,
          hybridApprox * docs.size(), hybridApprox / naive);
      var ch = report.putObject("chunking");
      ch.put("documents", docs.size());
      ch.put("chars_per_round", totalChars);
      ch.put("naive_chars_per_s", Math.round(naive * totalChars));
      ch.put("hybrid_hf_chars_per_s", Math.round(hybridHf * totalChars));
      ch.put("hybrid_approx_chars_per_s", Math.round(hybridApprox * totalChars));
    }
    if (json != null) {
      Files.writeString(json, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  @FunctionalInterface
  private interface TextWork {
    void run(String text) throws Exception;
  }

  private static void concurrently(int clients, List<String> texts, TextWork work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int start = c;
        fs.add(pool.submit(() -> {
          for (int i = start; i < texts.size(); i += clients) {
            work.run(texts.get(i));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The peer: every item's text concatenated, tokenized once, cut every {@code max} tokens, decoded back. */
  private static int naiveSplit(HuggingFaceTokenizer tok, List<DocItem> items, int max) {
    StringBuilder sb = new StringBuilder();
    for (DocItem it : items) {
      sb.append(it.text()).append('\n');
    }
    Encoding e = tok.encode(sb.toString());
    long[] ids = e.getIds();
    int chunks = 0;
    for (int i = 0; i < ids.length; i += max) {
      tok.decode(java.util.Arrays.copyOfRange(ids, i, Math.min(ids.length, i + max)));
      chunks++;
    }
    return chunks;
  }

  private static final String[] SUBJECTS = {"The committee", "A small cat", "The new library", "Our engineering team",
      "The river", "Global markets", "The old lighthouse", "A young student", "The city council", "The research lab"};
  private static final String[] VERBS = {"approved", "watched", "opened", "rebuilt", "flooded", "rallied after",
      "guided", "studied", "debated", "published"};
  private static final String[] OBJECTS = {"the annual budget for public schools", "the birds in the garden all morning",
      "a reading room for children and adults", "the payment service with lower latency", "the low fields near the village",
      "the central bank's surprise decision", "fishing boats through the winter storm", "the history of the printing press",
      "a proposal to extend the tram line", "new results on protein folding"};

  static List<String> sentences(int n, long seed) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder sb = new StringBuilder();
      sb.append(SUBJECTS[r.nextInt(SUBJECTS.length)]).append(' ').append(VERBS[r.nextInt(VERBS.length)]).append(' ')
          .append(OBJECTS[r.nextInt(OBJECTS.length)]);
      if (r.nextBoolean()) {
        sb.append(", and ").append(SUBJECTS[r.nextInt(SUBJECTS.length)].toLowerCase(Locale.ROOT)).append(' ')
            .append(VERBS[r.nextInt(VERBS.length)]).append(' ').append(OBJECTS[r.nextInt(OBJECTS.length)]);
      }
      out.add(sb.append('.').toString());
    }
    return out;
  }

  /** A Markdown report of about {@code chars} characters: sections, paragraphs, lists and tables. */
  static String syntheticMarkdown(int chars, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("# Synthetic report\n\n");
    int section = 0;
    while (sb.length() < chars) {
      sb.append("## Section ").append(++section).append("\n\n");
      for (int p = 0; p < 3; p++) {
        for (String s : sentences(3 + r.nextInt(8), r.nextLong())) {
          sb.append(s).append(' ');
        }
        sb.append("\n\n");
      }
      for (String s : sentences(4, r.nextLong())) {
        sb.append("- ").append(s).append('\n');
      }
      sb.append("\n| Quarter | Revenue | Notes |\n|---|---|---|\n");
      for (int row = 0; row < 8 + r.nextInt(30); row++) {
        sb.append("| Q").append(row % 4 + 1).append(" | ").append(r.nextInt(10_000)).append(" | ")
            .append(sentences(1, r.nextLong()).get(0)).append(" |\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
