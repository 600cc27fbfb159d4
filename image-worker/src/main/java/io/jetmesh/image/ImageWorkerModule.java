package io.jetmesh.image;

import io.jetmesh.image.handlers.ClassifyHandler;
import io.jetmesh.image.handlers.ConvertHandler;
import io.jetmesh.image.handlers.EmbedHandler;
import io.jetmesh.image.handlers.MetadataHandler;
import io.jetmesh.image.handlers.OcrHandler;
import io.jetmesh.image.handlers.ThumbnailHandler;
import io.jetmesh.image.model.DjlSetup;
import io.jetmesh.image.model.Devices;
import io.jetmesh.image.model.ModelRegistry;
import io.jetmesh.image.model.ModelSpec;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrEngines;
import io.jetmesh.ocr.OcrException;
import io.jetmesh.ocr.OcrSettings;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.WorkerModule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code image} namespace ({@code image.process.*}): ocr, thumbnail, convert, metadata, classify, embed.
 * Models named with {@code --model} are loaded in {@link #register} on the device {@code --device} selects and kept
 * warm behind one dynamic batcher each; OCR engines are created once and shared.
 */
public final class ImageWorkerModule implements WorkerModule {
  private static final Logger LOG = LoggerFactory.getLogger(ImageWorkerModule.class);

  private final ImageWorkerOptions options;
  private final Map<String, OcrEngine> ocrEngines = new ConcurrentHashMap<>();
  private ModelRegistry models;
  private OcrSettings ocrSettings;
  private String workerId = "image";

  /** Used by ServiceLoader; options come from the command line / environment. */
  public ImageWorkerModule() {
    this(new ImageWorkerOptions());
  }

  public ImageWorkerModule(ImageWorkerOptions options) {
    this.options = options;
  }

  @Override
  public String namespace() {
    return "image";
  }

  @Override
  public Object cliOptions() {
    return options;
  }

  @Override
  public void register(HandlerRegistry registry) throws Exception {
    WorkerEnvironment env = registry.environment();
    workerId = env.workerId();
    DjlSetup.configure(env.cacheDir());
    ImageLimits limits = options.limits();
    List<ModelSpec> specs = options.models().stream().map(ModelSpec::parse).toList();
    models = ModelRegistry.load(specs, options.device(), options.maxBatch(), options.batchWait(), env);
    ocrSettings = OcrSettings.builder()
        .poolSize(Math.max(1, Math.min(env.concurrency(), 256)))
        .cacheDir(env.cacheDir().resolve("ocr"))
        .device(options.device())
        .build();
    String defaultEngine = options.ocrEngine();
    try {
      ocrEngine(defaultEngine); // load natives and data now, not on the first job
    } catch (JobException e) {
      // thumbnails and models still work without OCR; OCR jobs then fail with this reason
      LOG.warn("{} - default OCR engine {} unavailable: {}", workerId, defaultEngine, e.getMessage());
    }
    registry.handle("metadata", new MetadataHandler(limits))
        .handle("thumbnail", new ThumbnailHandler(limits))
        .handle("convert", new ConvertHandler(limits))
        .handle("ocr", new OcrHandler(this::ocrEngine, defaultEngine, limits))
        .handle("classify", new ClassifyHandler(models, limits))
        .handle("embed", new EmbedHandler(models, limits));
    LOG.info("{} - image worker ready: device {}, models [{}], max_pixels {}, max_batch {}, batch_wait {}", workerId,
        device(), models.describe(), limits.maxPixels(), options.maxBatch(), options.batchWait());
  }

  private OcrEngine ocrEngine(String name) throws JobException {
    OcrEngine e = ocrEngines.get(name);
    if (e != null) {
      return e;
    }
    synchronized (ocrEngines) {
      e = ocrEngines.get(name);
      if (e == null) {
        try {
          e = OcrEngines.create(name, ocrSettings);
        } catch (OcrException ex) {
          throw new JobException(ex.retryable() ? ErrorCode.UNAVAILABLE : ErrorCode.UNSUPPORTED,
              "OCR engine " + name + " unavailable: " + ex.getMessage() + " (known: " + OcrEngines.NAMES + ")", ex);
        }
        ocrEngines.put(name, e);
      }
      return e;
    }
  }

  /** The device models run on ({@code cpu}, {@code gpu:0}), or the configured value when no model is loaded. */
  public String device() {
    if (models != null && !models.all().isEmpty()) {
      return Devices.describe(models.all().iterator().next().model().device());
    }
    return options.device();
  }

  /** The loaded models (empty before {@link #register}). */
  public ModelRegistry models() {
    return models;
  }

  @Override
  public Map<String, String> serviceMetadata() {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("device", device());
    md.put("models", models == null ? "" : models.describe());
    md.put("ocr_engines", String.join(",", OcrEngines.NAMES));
    md.put("ocr_default", options.ocrEngine());
    md.put("max_pixels", String.valueOf(options.limits().maxPixels()));
    md.put("max_batch", String.valueOf(options.maxBatch()));
    return md;
  }

  @Override
  public void close() {
    if (models != null) {
      models.close();
    }
    for (OcrEngine e : ocrEngines.values()) {
      try {
        e.close();
      } catch (RuntimeException ex) {
        LOG.warn("{} - closing OCR engine {} failed: {}", workerId, e.name(), ex.toString());
      }
    }
    ocrEngines.clear();
  }
}
