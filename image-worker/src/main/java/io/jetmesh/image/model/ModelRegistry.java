package io.jetmesh.image.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import io.jetmesh.worker.WorkerEnvironment;
import io.jetmesh.worker.batch.DynamicBatcher;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's models, loaded once at startup and kept warm, each behind its own {@link DynamicBatcher}: concurrent
 * classify/embed jobs for one model run as one forward pass.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /** A model and the batcher in front of it. */
  public record Served(ImageModel model, DynamicBatcher<float[], Inference> batcher) {}

  private final Map<String, Served> models = new LinkedHashMap<>();

  /**
   * Loads every spec on the device {@code deviceSpec} resolves to for its engine. Model files given as blob URIs
   * ({@code s3://}, {@code nats-object://}) are copied to {@code env.cacheDir()/models/<name>/} first.
   */
  public static ModelRegistry load(List<ModelSpec> specs, String deviceSpec, int maxBatch, Duration maxWait,
      WorkerEnvironment env) throws Exception {
    ModelRegistry reg = new ModelRegistry();
    try {
      for (ModelSpec spec : specs) {
        if (reg.models.containsKey(spec.name())) {
          throw new IllegalArgumentException("two --model entries are named " + spec.name());
        }
        requireEngine(spec);
        Device device = Devices.resolve(deviceSpec, usableGpus(spec.engine()));
        Path file = localFile(spec.location(), spec.name(), env);
        List<String> labels = spec.labels() == null ? null : readLabels(localFile(spec.labels(), spec.name(), env));
        long t0 = System.nanoTime();
        ImageModel model = ImageModel.load(spec, file, device, labels);
        LOG.info("{} - loaded model {} ({}, {} outputs) from {} in {} ms", env.workerId(), model, spec.engine(),
            model.outputSize(), spec.location(), (System.nanoTime() - t0) / 1_000_000);
        DynamicBatcher<float[], Inference> batcher = env.batcher("model-" + spec.name(), maxBatch, maxWait, inputs -> {
          List<float[]> out = model.forward(inputs);
          List<Inference> res = new ArrayList<>(out.size());
          for (float[] o : out) {
            res.add(new Inference(o, inputs.size()));
          }
          return res;
        });
        reg.models.put(spec.name(), new Served(model, batcher));
      }
      return reg;
    } catch (Exception | Error e) {
      reg.close();
      throw e;
    }
  }

  /**
   * Fails at startup, naming the fix, when the model's engine is not in this build: the PyTorch engine (TorchScript)
   * is an opt-in Maven profile, so a default build runs ONNX models only.
   */
  static void requireEngine(ModelSpec spec) {
    if (!Engine.hasEngine(spec.engine())) {
      String fix = spec.engine().equals("PyTorch")
          ? "TorchScript models need the PyTorch engine: build with `mvn -Ppytorch` (docs/image-worker.md), or export "
              + "the model to ONNX (torch.onnx.export) and give the .onnx file"
          : "put the " + spec.engine() + " engine on the classpath";
      throw new IllegalArgumentException("model " + spec.name() + " (" + spec.location() + ") needs the "
          + spec.engine() + " engine, which this build does not include; " + fix);
    }
  }

  /**
   * GPUs the engine can use: its GPU count, but 0 when the engine build lacks CUDA (the CPU ONNX Runtime jar or CPU
   * libtorch on a GPU host), so {@code auto} falls back to the CPU instead of failing to load the model.
   */
  static int usableGpus(String engineName) {
    Engine engine = Engine.getEngine(engineName);
    int count = engine.getGpuCount();
    if (count > 0 && !engine.hasCapability(StandardCapabilities.CUDA)) {
      LOG.warn("{} sees {} GPU(s) but this build has no CUDA support; models of this engine run on the CPU "
          + "(see docs/image-worker.md, Devices)", engineName, count);
      return 0;
    }
    return count;
  }

  public Optional<Served> get(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** The first model of {@code type} (the default when a job names none). */
  public Optional<Served> first(ModelSpec.Type type) {
    return models.values().stream().filter(s -> s.model().spec().type() == type).findFirst();
  }

  public Collection<Served> all() {
    return models.values();
  }

  /** {@code colour@1 on cpu, embed@1 on cpu} for service info. */
  public String describe() {
    return String.join(", ", models.values().stream().map(s -> s.model().toString()).toList());
  }

  private static Path localFile(String location, String modelName, WorkerEnvironment env) throws IOException {
    if (location.startsWith("s3://") || location.startsWith("nats-object://")) {
      String fileName = location.substring(location.lastIndexOf('/') + 1);
      Path dir = Files.createDirectories(env.cacheDir().resolve("models").resolve(modelName));
      Path target = dir.resolve(fileName);
      Path tmp = Files.createTempFile(dir, fileName, ".part");
      try (InputStream in = env.openBlob(location)) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return target;
    }
    Path p = location.startsWith("file:") ? Path.of(java.net.URI.create(location)) : Path.of(location);
    if (!Files.isRegularFile(p)) {
      throw new IOException("model " + modelName + ": no such file " + p.toAbsolutePath());
    }
    return p;
  }

  private static List<String> readLabels(Path file) throws IOException {
    return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public void close() {
    for (Served s : models.values()) {
      s.batcher().close();
      s.model().close();
    }
    models.clear();
  }
}
