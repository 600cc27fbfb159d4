package io.jetmesh.image.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import io.jetmesh.image.transform.Resampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded image model, kept warm for the worker's lifetime. Pre-processing ({@link #preprocess}) runs on the job's
 * thread; {@link #forward} runs a whole batch as one stacked {@code [N,3,S,S]} tensor through one predictor and is
 * called by the batcher's single thread only (DJL predictors are not thread-safe).
 */
public final class ImageModel implements AutoCloseable {
  private final ModelSpec spec;
  private final Device device;
  private final ZooModel<float[][], float[][]> model;
  private final Predictor<float[][], float[][]> predictor;
  private final List<String> labels;
  private final int outputSize;

  private ImageModel(ModelSpec spec, Device device, ZooModel<float[][], float[][]> model, List<String> labels) throws TranslateException {
    this.spec = spec;
    this.device = device;
    this.model = model;
    this.predictor = model.newPredictor();
    // Warm-up: the first forward pass initialises kernels (and tells us the output size to check the labels).
    float[][] out = predictor.predict(new float[][] {new float[3 * spec.inputSize() * spec.inputSize()]});
    this.outputSize = out[0].length;
    if (labels != null && labels.size() != outputSize) {
      throw new IllegalArgumentException("model " + spec.name() + " outputs " + outputSize + " values but its labels file has "
          + labels.size() + " labels");
    }
    this.labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /**
   * Loads {@code file} (a TorchScript {@code .pt} or {@code .onnx}) on {@code device}.
   *
   * @param labels the labels, one per output, or null for embedding models
   */
  public static ImageModel load(ModelSpec spec, Path file, Device device, List<String> labels)
      throws IOException, MalformedModelException, ModelNotFoundException, TranslateException {
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    Criteria<float[][], float[][]> criteria = Criteria.builder()
        .setTypes(float[][].class, float[][].class)
        .optModelPath(file.toAbsolutePath().getParent())
        .optModelName(dot > 0 ? fileName.substring(0, dot) : fileName)
        .optEngine(spec.engine())
        .optDevice(device)
        .optTranslator(new StackedTranslator(spec.inputSize()))
        .build();
    ZooModel<float[][], float[][]> model = criteria.loadModel();
    try {
      return new ImageModel(spec, device, model, labels);
    } catch (RuntimeException | TranslateException e) {
      model.close();
      throw e;
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public Device device() {
    return device;
  }

  public List<String> labels() {
    return labels;
  }

  public int outputSize() {
    return outputSize;
  }

  /** The image as a normalised CHW float vector: short side resized to the input size, centre-cropped, (x/255-mean)/std. */
  public float[] preprocess(BufferedImage image) {
    int s = spec.inputSize();
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = (double) s / Math.min(w, h);
    int rw = Math.max(s, (int) Math.round(w * scale));
    int rh = Math.max(s, (int) Math.round(h * scale));
    BufferedImage resized = Resampler.resize(image, rw, rh);
    int x0 = (rw - s) / 2;
    int y0 = (rh - s) / 2;
    int[] rgb = resized.getRGB(x0, y0, s, s, null, 0, s);
    float[] out = new float[3 * s * s];
    int plane = s * s;
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      out[i] = (((p >> 16) & 0xFF) / 255f - mean[0]) / std[0];
      out[plane + i] = (((p >> 8) & 0xFF) / 255f - mean[1]) / std[1];
      out[2 * plane + i] = ((p & 0xFF) / 255f - mean[2]) / std[2];
    }
    return out;
  }

  /** Runs {@code inputs} (each from {@link #preprocess}) as one batch; returns the raw outputs in order. */
  public List<float[]> forward(List<float[]> inputs) throws TranslateException {
    float[][] out = predictor.predict(inputs.toArray(new float[0][]));
    List<float[]> list = new ArrayList<>(out.length);
    for (float[] o : out) {
      list.add(o);
    }
    return list;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }

  /** float[N][3*S*S] in, float[N][K] out, as one tensor each way (no per-item batchify). */
  private static final class StackedTranslator implements NoBatchifyTranslator<float[][], float[][]> {
    private final int size;

    StackedTranslator(int size) {
      this.size = size;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, float[][] batch) {
      int per = 3 * size * size;
      FloatBuffer buf = FloatBuffer.allocate(batch.length * per);
      for (float[] item : batch) {
        if (item.length != per) {
          throw new IllegalArgumentException("input of " + item.length + " floats, expected " + per);
        }
        buf.put(item);
      }
      buf.flip();
      NDArray x = ctx.getNDManager().create(buf, new Shape(batch.length, 3, size, size), DataType.FLOAT32);
      return new NDList(x);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
      NDArray y = list.get(0);
      Shape shape = y.getShape();
      int n = (int) shape.get(0);
      int k = (int) (shape.size() / n);
      float[] flat = y.toType(DataType.FLOAT32, false).toFloatArray();
      float[][] out = new float[n][k];
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * k, out[i], 0, k);
      }
      return out;
    }
  }

  @Override
  public String toString() {
    return spec.name() + "@" + spec.version() + " on " + Devices.describe(device);
  }
}
