package io.jetmesh.text;

import io.jetmesh.protocol.Units;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Command-line options of the text worker; each falls back to an environment variable. The worker command adds
 * them to its own options, so {@code --help} lists them.
 */
public final class TextWorkerOptions {
  @Option(names = "--embedding-model", paramLabel = "MODEL",
      defaultValue = "${env:JETMESH_TEXT_EMBEDDING_MODEL:-all-minilm-l6-v2-q}",
      description = "Embedding model: all-minilm-l6-v2-q (bundled), a local .onnx/.pt(TorchScript) file or a directory "
          + "holding one, or an s3:// / nats-object:// URI (env JETMESH_TEXT_EMBEDDING_MODEL; default: ${DEFAULT-VALUE}).")
  String embeddingModel = "all-minilm-l6-v2-q";

  @Option(names = "--embedding-tokenizer", paramLabel = "FILE",
      defaultValue = "${env:JETMESH_TEXT_EMBEDDING_TOKENIZER:-}",
      description = "HuggingFace tokenizer.json of a custom model (default: tokenizer.json beside the model; "
          + "env JETMESH_TEXT_EMBEDDING_TOKENIZER).")
  String embeddingTokenizer = "";

  @Option(names = "--embedding-max-tokens", paramLabel = "N",
      defaultValue = "${env:JETMESH_TEXT_EMBEDDING_MAX_TOKENS:-0}",
      description = "Longest model input in tokens, special tokens included; 0 = the model's own (256 for the bundled "
          + "model, 512 otherwise) (env JETMESH_TEXT_EMBEDDING_MAX_TOKENS).")
  int embeddingMaxTokens;

  @Option(names = "--embedding-languages", paramLabel = "CODES",
      defaultValue = "${env:JETMESH_TEXT_EMBEDDING_LANGUAGES:-}",
      description = "Comma-separated ISO 639 codes the model supports, or * for any (default: eng for the bundled "
          + "model, any for others; env JETMESH_TEXT_EMBEDDING_LANGUAGES).")
  String embeddingLanguages = "";

  @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "${env:JETMESH_TEXT_DEVICE:-auto}",
      description = "Where the embedding model runs; auto = GPU when the engine sees one (env JETMESH_TEXT_DEVICE; "
          + "default: ${DEFAULT-VALUE}).")
  String device = "auto";

  @Option(names = "--max-batch", paramLabel = "N", defaultValue = "${env:JETMESH_TEXT_MAX_BATCH:-32}",
      description = "Most texts per embedding forward pass, across concurrent jobs (env JETMESH_TEXT_MAX_BATCH; "
          + "default: ${DEFAULT-VALUE}).")
  int maxBatch = 32;

  @Option(names = "--batch-wait", paramLabel = "DURATION", defaultValue = "${env:JETMESH_TEXT_BATCH_WAIT:-5ms}",
      description = "How long a forward pass waits for more texts to fill its batch (env JETMESH_TEXT_BATCH_WAIT; "
          + "default: ${DEFAULT-VALUE}).")
  String batchWait = "5ms";

  @Option(names = "--embed-max-texts", paramLabel = "N", defaultValue = "${env:JETMESH_TEXT_EMBED_MAX_TEXTS:-4096}",
      description = "Most texts one embed job may embed (env JETMESH_TEXT_EMBED_MAX_TEXTS; default: ${DEFAULT-VALUE}).")
  int embedMaxTexts = 4096;

  @Option(names = "--embed-max-input", paramLabel = "SIZE", defaultValue = "${env:JETMESH_TEXT_EMBED_MAX_INPUT:-8MiB}",
      description = "Largest input of one embed job (env JETMESH_TEXT_EMBED_MAX_INPUT; default: ${DEFAULT-VALUE}).")
  String embedMaxInput = "8MiB";

  /** Validated batch wait. */
  Duration batchWaitDuration() {
    return Units.duration(batchWait, "--batch-wait");
  }

  /** Validated device. */
  String deviceSpec() {
    String d = device == null ? "auto" : device.trim().toLowerCase(java.util.Locale.ROOT);
    if (!List.of("auto", "cpu", "gpu").contains(d)) {
      throw new IllegalArgumentException("--device must be auto, cpu or gpu: '" + device + "'");
    }
    return d;
  }

  /** The languages list, or null for the model's default. */
  List<String> languages() {
    if (embeddingLanguages == null || embeddingLanguages.isBlank()) {
      return null;
    }
    return Arrays.stream(embeddingLanguages.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  TextServices.Limits limits() {
    if (maxBatch < 1 || maxBatch > 1024) {
      throw new IllegalArgumentException("--max-batch must be in 1..1024: " + maxBatch);
    }
    long embedBytes = Units.bytes(embedMaxInput, "--embed-max-input");
    TextServices.Limits d = TextServices.Limits.DEFAULT;
    return new TextServices.Limits(d.chunkMaxBytes(), d.languageMaxBytes(), embedBytes, embedMaxTexts);
  }
}
