package io.jetmesh.image;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Command-line options of the image worker. Each has an environment-variable fallback (read when the object is
 * created, so picocli shows it as the default and a flag overrides it): {@code JETMESH_IMAGE_DEVICE},
 * {@code JETMESH_IMAGE_MODELS} (several {@code --model} values separated by {@code ;}),
 * {@code JETMESH_IMAGE_MAX_PIXELS}, {@code JETMESH_IMAGE_MAX_PAGES}, {@code JETMESH_IMAGE_MAX_BATCH},
 * {@code JETMESH_IMAGE_BATCH_WAIT}, {@code JETMESH_IMAGE_OCR_ENGINE}.
 */
public final class ImageWorkerOptions {
  @Option(names = "--device", paramLabel = "auto|cpu|gpu[:N]",
      description = "Where models run: auto (a GPU when DJL sees one, else CPU), cpu, gpu or gpu:N. Env JETMESH_IMAGE_DEVICE. Default: ${DEFAULT-VALUE}")
  String device;

  @Option(names = "--model", paramLabel = "name=PATH_OR_URI[,key=value...]",
      description = "A model to load and keep warm (repeatable): name=PATH_OR_URI[,type=classify|embed,input-size=224,"
          + "mean=0.485:0.456:0.406,std=0.229:0.224:0.225,labels=FILE,engine=PyTorch|OnnxRuntime,version=1]. "
          + "Env JETMESH_IMAGE_MODELS (separated by ';').")
  List<String> models;

  @Option(names = "--max-pixels", paramLabel = "N",
      description = "Largest image (width x height, per page) decoded; bigger ones fail with TOO_LARGE before decoding. Env JETMESH_IMAGE_MAX_PIXELS. Default: ${DEFAULT-VALUE}")
  long maxPixels;

  @Option(names = "--max-pages", paramLabel = "N",
      description = "Most pages/frames read from a multi-page image (TIFF). Env JETMESH_IMAGE_MAX_PAGES. Default: ${DEFAULT-VALUE}")
  int maxPages;

  @Option(names = "--max-batch", paramLabel = "N",
      description = "Largest batch of classify/embed jobs run in one forward pass (1 disables batching). Env JETMESH_IMAGE_MAX_BATCH. Default: ${DEFAULT-VALUE}")
  int maxBatch;

  @Option(names = "--batch-wait", paramLabel = "DURATION",
      description = "How long the first job of a batch waits for more (e.g. 5ms). Env JETMESH_IMAGE_BATCH_WAIT. Default: ${DEFAULT-VALUE}")
  String batchWait;

  @Option(names = "--ocr-engine", paramLabel = "tesseract|paddle",
      description = "OCR engine used when a job does not name one. Env JETMESH_IMAGE_OCR_ENGINE. Default: ${DEFAULT-VALUE}")
  String ocrEngine;

  public ImageWorkerOptions() {
    this(System.getenv());
  }

  /** Options with defaults taken from {@code env} (tests pass their own map). */
  public ImageWorkerOptions(Map<String, String> env) {
    device = env.getOrDefault("JETMESH_IMAGE_DEVICE", "auto");
    models = new ArrayList<>();
    String m = env.get("JETMESH_IMAGE_MODELS");
    if (m != null) {
      for (String s : m.split(";")) {
        if (!s.isBlank()) {
          models.add(s.trim());
        }
      }
    }
    maxPixels = Long.parseLong(env.getOrDefault("JETMESH_IMAGE_MAX_PIXELS", String.valueOf(ImageLimits.DEFAULT.maxPixels())));
    maxPages = Integer.parseInt(env.getOrDefault("JETMESH_IMAGE_MAX_PAGES", String.valueOf(ImageLimits.DEFAULT.maxPages())));
    maxBatch = Integer.parseInt(env.getOrDefault("JETMESH_IMAGE_MAX_BATCH", "16"));
    batchWait = env.getOrDefault("JETMESH_IMAGE_BATCH_WAIT", "5ms");
    ocrEngine = env.getOrDefault("JETMESH_IMAGE_OCR_ENGINE", "tesseract");
  }

  public String device() {
    return device;
  }

  public List<String> models() {
    return models == null ? List.of() : List.copyOf(models);
  }

  public ImageLimits limits() {
    return new ImageLimits(maxPixels, maxPages);
  }

  public int maxBatch() {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("--max-batch must be >= 1: " + maxBatch);
    }
    return maxBatch;
  }

  /** The batch wait; accepts {@code 5ms}, {@code 2s}, {@code 0} or an ISO-8601 duration. */
  public Duration batchWait() {
    return parseDuration(batchWait, "--batch-wait");
  }

  public String ocrEngine() {
    return ocrEngine;
  }

  public ImageWorkerOptions device(String value) {
    this.device = value;
    return this;
  }

  public ImageWorkerOptions addModel(String spec) {
    models.add(spec);
    return this;
  }

  public ImageWorkerOptions maxPixels(long value) {
    this.maxPixels = value;
    return this;
  }

  public ImageWorkerOptions maxBatch(int value) {
    this.maxBatch = value;
    return this;
  }

  public ImageWorkerOptions batchWait(String value) {
    this.batchWait = value;
    return this;
  }

  static Duration parseDuration(String s, String field) {
    String v = s.trim().toLowerCase();
    try {
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      if (v.startsWith("p")) {
        return Duration.parse(v.toUpperCase());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("us")) {
        return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 2)) * 1000);
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(field + " must look like 5ms, 1s or PT0.005S: '" + s + "'");
  }
}
