package io.jetmesh.text;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence-embedding model: a HuggingFace tokenizer plus a transformer encoder (ONNX on the ONNX Runtime engine,
 * or TorchScript on the PyTorch engine), with mean pooling over the attention mask and L2 normalisation done in
 * Java (ONNX Runtime NDArrays support almost no operators, and this keeps both engines on one code path).
 *
 * <p>{@link #forward} may be called from several threads (each gets its own DJL predictor); in a worker the
 * {@link Embedder}'s batcher thread is its only caller.
 */
final class EmbeddingModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddingModel.class);
  private static final Set<String> KNOWN_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

  static {
    // DJL otherwise asks the EC2 metadata address for telemetry when an engine starts, and may try its model CDN.
    // Workers must not reach out to anything but their blob stores and NATS; an explicit setting is respected.
    if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /** A tokenized text ready for the model. */
  record Encoded(long[] ids, long[] typeIds, int tokens, boolean truncated) {}

  private final ModelFiles files;
  private final HuggingFaceTokenizer embeddingTokenizer;
  private final HuggingFaceTokenizer countingTokenizer;
  private final ZooModel<long[][][], float[][]> model;
  /** DJL predictors are not thread-safe (the model is): one per thread that runs forward passes. */
  private final ThreadLocal<Predictor<long[][][], float[][]>> predictor;
  private final List<Predictor<long[][][], float[][]>> predictors = new CopyOnWriteArrayList<>();
  /** Runs the sub-batches of a large batch side by side, one per core. */
  private final ExecutorService subBatches;
  private final int ways;
  private final List<String> inputNames;
  private final int maxLength;
  private final String device;
  private final int dimension;

  private EmbeddingModel(ModelFiles files, HuggingFaceTokenizer embeddingTokenizer, HuggingFaceTokenizer countingTokenizer,
      ZooModel<long[][][], float[][]> model, List<String> inputNames, int maxLength, String device) {
    this.files = files;
    this.embeddingTokenizer = embeddingTokenizer;
    this.countingTokenizer = countingTokenizer;
    this.model = model;
    this.predictor = ThreadLocal.withInitial(() -> {
      Predictor<long[][][], float[][]> p = model.newPredictor();
      predictors.add(p);
      return p;
    });
    this.ways = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.subBatches = Executors.newFixedThreadPool(Math.max(1, ways - 1), r -> {
      Thread t = new Thread(r, "embed-sub-batch");
      t.setDaemon(true);
      return t;
    });
    this.inputNames = inputNames;
    this.maxLength = maxLength;
    this.device = device;
    this.dimension = forward(List.of(encode("dimension probe")))[0].length;
  }

  /**
   * Loads the model.
   *
   * @param deviceSpec {@code auto} (GPU when the engine sees one, else CPU), {@code cpu} or {@code gpu}
   * @param maxLength longest input in tokens, special tokens included; longer texts are truncated
   * @throws IllegalStateException when {@code gpu} is asked for and there is none, or the engine is missing
   */
  static EmbeddingModel load(ModelFiles files, String deviceSpec, int maxLength) throws IOException {
    Objects.requireNonNull(files, "files == null");
    if (!Engine.hasEngine(files.engine())) {
      throw new IllegalStateException("engine " + files.engine() + " for " + files.model() + " is not on the classpath"
          + (files.engine().equals("PyTorch")
              ? ": TorchScript needs the opt-in PyTorch build (mvn -Ppytorch, docs/image-worker.md), or export the "
                  + "model to ONNX and give the .onnx file"
              : ""));
    }
    HuggingFaceTokenizer embedTok = HuggingFaceTokenizer.builder()
        .optTokenizerPath(files.tokenizer())
        .optMaxLength(maxLength)
        .optTruncation(true)
        .optPadding(false)
        .optAddSpecialTokens(true)
        .build();
    HuggingFaceTokenizer countTok = HuggingFaceTokenizer.builder()
        .optTokenizerPath(files.tokenizer())
        .optTruncation(false)
        .optPadding(false)
        .optAddSpecialTokens(false)
        .build();
    String spec = deviceSpec == null ? "auto" : deviceSpec.toLowerCase(Locale.ROOT);
    int gpus = Engine.getEngine(files.engine()).getGpuCount();
    if ("gpu".equals(spec) && gpus == 0) {
      throw new IllegalStateException("--device gpu: engine " + files.engine() + " sees no GPU");
    }
    boolean useGpu = "gpu".equals(spec) || "auto".equals(spec) && gpus > 0;
    PoolingTranslator translator = new PoolingTranslator();
    ZooModel<long[][][], float[][]> zoo;
    String device;
    try {
      zoo = loadZoo(files, useGpu ? Device.gpu() : Device.cpu(), translator);
      device = useGpu ? "gpu" : "cpu";
    } catch (RuntimeException | IOException e) {
      if (!useGpu || "gpu".equals(spec)) {
        throw e;
      }
      LOG.warn("cannot load {} on the GPU ({}); falling back to the CPU", files.name(), e.getMessage());
      zoo = loadZoo(files, Device.cpu(), translator);
      device = "cpu";
    }
    List<String> inputs = inputNames(zoo, files);
    translator.names = List.copyOf(inputs);
    LOG.info("embedding model {} loaded on {} ({}, inputs {}, max {} tokens)", files.name(), device, files.engine(), inputs,
        maxLength);
    return new EmbeddingModel(files, embedTok, countTok, zoo, inputs, maxLength, device);
  }

  private static ZooModel<long[][][], float[][]> loadZoo(ModelFiles files, Device device, PoolingTranslator translator)
      throws IOException {
    Path file = files.model();
    String fileName = file.getFileName().toString();
    String modelName = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
    Criteria<long[][][], float[][]> criteria = Criteria.builder()
        .setTypes(long[][][].class, float[][].class)
        .optEngine(files.engine())
        .optDevice(device)
        .optModelPath(file.getParent())
        .optModelName(modelName)
        .optTranslator(translator)
        .build();
    try {
      return criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load embedding model " + file + ": " + e.getMessage(), e);
    }
  }

  /** The model's own input names (ONNX) in order, or the usual BERT order for TorchScript. */
  private static List<String> inputNames(ZooModel<?, ?> zoo, ModelFiles files) {
    List<String> names = new ArrayList<>();
    PairList<String, Shape> described = null;
    try {
      described = zoo.describeInput();
    } catch (RuntimeException e) {
      LOG.debug("{} does not describe its inputs: {}", files.name(), e.toString());
    }
    if (described != null && !described.isEmpty()) {
      for (String n : described.keys()) {
        if (!KNOWN_INPUTS.contains(n)) {
          throw new IllegalStateException("embedding model " + files.name() + " has input '" + n
              + "'; supported inputs are " + KNOWN_INPUTS);
        }
        names.add(n);
      }
      return names;
    }
    return files.inputs();
  }

  String name() {
    return files.name();
  }

  String engine() {
    return files.engine();
  }

  String device() {
    return device;
  }

  int dimension() {
    return dimension;
  }

  /** Longest input in tokens (special tokens included). */
  int maxLength() {
    return maxLength;
  }

  /** ISO 639-3 codes of the languages the model was trained for; empty = any. */
  List<String> languages() {
    return files.languages();
  }

  /** A counter with this model's tokenizer (no special tokens, no truncation). */
  TokenCounter tokenCounter() {
    TokenizerFacts f = tokenizerFacts();
    return TokenCounter.huggingFace(countingTokenizer, files.name(), f.maxTokenChars(), f.additive(), f.addedTokens());
  }

  /** What the chunker needs to know about the tokenizer, read from its tokenizer.json once. */
  private TokenizerFacts tokenizerFacts() {
    TokenizerFacts f = facts;
    if (f == null) {
      f = TokenizerFacts.read(files.tokenizer());
      facts = f;
    }
    return f;
  }

  private volatile TokenizerFacts facts;

  /**
   * @param maxTokenChars characters of the longest vocabulary entry (added tokens included, as HuggingFace's
   *     {@code get_vocab()}), 0 when the file does not say
   * @param additive WordPiece behind BERT's normalizer (or none) and BERT's pre-tokenizer (whitespace and
   *     punctuation split words)
   * @param addedTokens the contents of the added tokens ({@code [CLS]}, {@code [SEP]}, ...)
   */
  record TokenizerFacts(int maxTokenChars, boolean additive, List<String> addedTokens) {
    static TokenizerFacts read(Path tokenizerJson) {
      try {
        com.fasterxml.jackson.databind.JsonNode t = io.jetmesh.protocol.Json.mapper().readTree(tokenizerJson.toFile());
        int max = 0;
        List<String> added = new ArrayList<>();
        var names = t.path("model").path("vocab").fieldNames();
        while (names.hasNext()) {
          String v = names.next();
          max = Math.max(max, v.codePointCount(0, v.length()));
        }
        for (var a : t.path("added_tokens")) {
          String v = a.path("content").asText("");
          max = Math.max(max, v.codePointCount(0, v.length()));
          if (!v.isEmpty()) {
            added.add(v);
          }
        }
        String model = t.path("model").path("type").asText("");
        String normalizer = t.path("normalizer").path("type").asText("");
        String pre = t.path("pre_tokenizer").path("type").asText("");
        // Whitespace / WhitespaceSplit pre-tokenizers do not split at every punctuation mark: not additive
        boolean additive = model.equals("WordPiece") && (normalizer.isEmpty() || normalizer.equals("BertNormalizer"))
            && pre.equals("BertPreTokenizer");
        return new TokenizerFacts(max, additive, List.copyOf(added));
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read {} for the chunker ({}); counting without shortcuts", tokenizerJson, e.toString());
        return new TokenizerFacts(0, false, List.of());
      }
    }
  }

  Encoded encode(String text) {
    Encoding e = embeddingTokenizer.encode(text);
    return new Encoded(e.getIds(), e.getTypeIds(), e.getIds().length, e.exceedMaxLength());
  }

  /**
   * Embeds a batch; returns one L2-normalised vector per input, in order. A batch of 8 or more is sorted by length
   * and cut into one contiguous sub-batch per core, run side by side: a single ONNX Runtime call on small inputs
   * does not keep two cores busy, and sorting first also cuts the padding.
   */
  float[][] forward(List<Encoded> batch) {
    int n = batch.size();
    if (n < 8 || ways == 1) {
      return forwardPass(batch);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> batch.get(i).ids().length));
    int parts = Math.min(ways, n / 4);
    List<Future<float[][]>> futures = new ArrayList<>();
    List<List<Integer>> groups = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      List<Integer> idx = Arrays.asList(order).subList(p * n / parts, (p + 1) * n / parts);
      groups.add(idx);
      List<Encoded> sub = idx.stream().map(batch::get).toList();
      futures.add(p == 0 ? null : subBatches.submit(() -> forwardPass(sub)));
    }
    float[][] out = new float[n][];
    float[][] first = forwardPass(groups.get(0).stream().map(batch::get).toList());
    for (int p = 0; p < parts; p++) {
      float[][] part;
      if (p == 0) {
        part = first;
      } else {
        try {
          part = futures.get(p).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted during an embedding forward pass", e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
      }
      List<Integer> idx = groups.get(p);
      for (int k = 0; k < idx.size(); k++) {
        out[idx.get(k)] = part[k];
      }
    }
    return out;
  }

  /** One forward pass over the batch, padded to its longest sequence. */
  private float[][] forwardPass(List<Encoded> batch) {
    if (batch.isEmpty()) {
      return new float[0][];
    }
    int width = 0;
    for (Encoded e : batch) {
      width = Math.max(width, e.ids().length);
    }
    int n = batch.size();
    long[][] ids = new long[n][width];
    long[][] mask = new long[n][width];
    long[][] types = new long[n][width];
    for (int i = 0; i < n; i++) {
      Encoded e = batch.get(i);
      System.arraycopy(e.ids(), 0, ids[i], 0, e.ids().length);
      System.arraycopy(e.typeIds(), 0, types[i], 0, e.typeIds().length);
      Arrays.fill(mask[i], 0, e.ids().length, 1L);
    }
    long[][][] input = new long[inputNames.size()][][];
    for (int k = 0; k < inputNames.size(); k++) {
      input[k] = switch (inputNames.get(k)) {
        case "input_ids" -> ids;
        case "attention_mask" -> mask;
        default -> types;
      };
    }
    try {
      return predictor.get().predict(input);
    } catch (TranslateException e) {
      throw new IllegalStateException("embedding forward pass failed for a batch of " + n + " x " + width + " tokens: "
          + e.getMessage(), e);
    }
  }

  /**
   * Builds the named int64 inputs and pools the output: a {@code [batch, tokens, hidden]} token-embedding output is
   * mean-pooled over the attention mask; a {@code [batch, hidden]} output (a model that pools itself) is used as is.
   * Both are L2-normalised.
   */
  private static final class PoolingTranslator implements NoBatchifyTranslator<long[][][], float[][]> {
    /** The model's input names, in the order of the input arrays; set once the model is loaded. */
    volatile List<String> names = List.of();

    @Override
    public NDList processInput(TranslatorContext ctx, long[][][] input) {
      NDManager m = ctx.getNDManager();
      NDList list = new NDList(input.length);
      long[][] mask = null;
      for (int k = 0; k < input.length; k++) {
        long[][] a = input[k];
        int rows = a.length;
        int cols = rows == 0 ? 0 : a[0].length;
        long[] flat = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
          System.arraycopy(a[r], 0, flat, r * cols, cols);
        }
        NDArray arr = m.create(flat, new Shape(rows, cols));
        String name = names != null && k < names.size() ? names.get(k) : null;
        if (name != null) {
          arr.setName(name);
        }
        if ("attention_mask".equals(name)) {
          mask = a;
        }
        list.add(arr);
      }
      ctx.setAttachment("mask", mask);
      return list;
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
      NDArray out = pick(list);
      long[] shape = out.getShape().getShape();
      float[] data = out.toFloatArray();
      if (shape.length == 2) {
        int n = (int) shape[0];
        int h = (int) shape[1];
        float[][] vectors = new float[n][h];
        for (int i = 0; i < n; i++) {
          System.arraycopy(data, i * h, vectors[i], 0, h);
          normalize(vectors[i]);
        }
        return vectors;
      }
      if (shape.length != 3) {
        throw new IllegalStateException("unexpected embedding output shape " + out.getShape());
      }
      int n = (int) shape[0];
      int t = (int) shape[1];
      int h = (int) shape[2];
      long[][] mask = (long[][]) ctx.getAttachment("mask");
      float[][] vectors = new float[n][h];
      for (int i = 0; i < n; i++) {
        float[] v = vectors[i];
        int count = 0;
        for (int j = 0; j < t; j++) {
          if (mask != null && mask[i][j] == 0) {
            continue;
          }
          count++;
          int base = (i * t + j) * h;
          for (int k = 0; k < h; k++) {
            v[k] += data[base + k];
          }
        }
        float inv = 1f / Math.max(1, count);
        for (int k = 0; k < h; k++) {
          v[k] *= inv;
        }
        normalize(v);
      }
      return vectors;
    }

    private static NDArray pick(NDList list) {
      for (String preferred : new String[] {"sentence_embedding", "last_hidden_state", "token_embeddings"}) {
        for (NDArray a : list) {
          if (preferred.equals(a.getName())) {
            return a;
          }
        }
      }
      return list.get(0);
    }
  }

  static void normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    if (norm > 1e-12) {
      float inv = (float) (1.0 / norm);
      for (int k = 0; k < v.length; k++) {
        v[k] *= inv;
      }
    }
  }

  @Override
  public void close() {
    subBatches.shutdownNow();
    predictors.forEach(Predictor::close);
    model.close();
    embeddingTokenizer.close();
    countingTokenizer.close();
  }
}
