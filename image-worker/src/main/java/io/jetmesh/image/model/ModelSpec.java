package io.jetmesh.image.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One configured model, parsed from {@code --model name=PATH_OR_URI[,key=value...]}.
 *
 * @param name what jobs ask for in their {@code model} option
 * @param location a local path, {@code file:} URI, or blob URI ({@code s3://}, {@code nats-object://})
 * @param type classify (softmax over labels) or embed (L2-normalised vector)
 * @param inputSize the square input side the model expects (images are resized on the short side, centre-cropped)
 * @param mean per-channel RGB mean subtracted after scaling pixels to [0, 1]
 * @param std per-channel RGB standard deviation divided by
 * @param labels labels file (one per line), required for classify
 * @param engine {@code PyTorch} (TorchScript .pt) or {@code OnnxRuntime} (.onnx)
 * @param version shown in the service info and results
 */
public record ModelSpec(String name, String location, Type type, int inputSize, float[] mean, float[] std,
    String labels, String engine, String version) {

  public enum Type { CLASSIFY, EMBED }

  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
  private static final Set<String> KEYS = Set.of("type", "input-size", "mean", "std", "labels", "engine", "version");

  public ModelSpec {
    Objects.requireNonNull(name, "name == null");
    Objects.requireNonNull(location, "location == null");
    Objects.requireNonNull(type, "type == null");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("model name must be letters, digits, '_', '.', '-': '" + name + "'");
    }
    if (inputSize < 1 || inputSize > 4096) {
      throw new IllegalArgumentException("input-size must be 1..4096: " + inputSize);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values (R:G:B)");
    }
    for (float s : std) {
      if (s <= 0) {
        throw new IllegalArgumentException("std values must be > 0: " + Arrays.toString(std));
      }
    }
    if (type == Type.CLASSIFY && labels == null) {
      throw new IllegalArgumentException("model " + name + ": type=classify needs labels=FILE");
    }
    if (!engine.equals("PyTorch") && !engine.equals("OnnxRuntime")) {
      throw new IllegalArgumentException("engine must be PyTorch or OnnxRuntime: '" + engine + "'");
    }
  }

  /**
   * Parses {@code name=PATH_OR_URI[,type=classify|embed,input-size=224,mean=0.485:0.456:0.406,std=..,labels=FILE,
   * engine=PyTorch|OnnxRuntime,version=1]}. The engine defaults from the file extension ({@code .onnx} ->
   * OnnxRuntime, else PyTorch), the type to classify when labels are given, else embed.
   */
  public static ModelSpec parse(String spec) {
    String[] parts = spec.split(",");
    int eq = parts[0].indexOf('=');
    if (eq <= 0 || eq == parts[0].length() - 1) {
      throw new IllegalArgumentException("--model must start with name=PATH_OR_URI: '" + spec + "'");
    }
    String name = parts[0].substring(0, eq).trim();
    String location = parts[0].substring(eq + 1).trim();
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int e = parts[i].indexOf('=');
      if (e <= 0) {
        throw new IllegalArgumentException("--model " + name + ": expected key=value, got '" + parts[i] + "'");
      }
      String k = parts[i].substring(0, e).trim().toLowerCase(Locale.ROOT);
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("--model " + name + ": unknown key '" + k + "' (known: " + KEYS + ")");
      }
      kv.put(k, parts[i].substring(e + 1).trim());
    }
    String labels = kv.get("labels");
    Type type = switch (kv.getOrDefault("type", labels != null ? "classify" : "embed").toLowerCase(Locale.ROOT)) {
      case "classify" -> Type.CLASSIFY;
      case "embed" -> Type.EMBED;
      default -> throw new IllegalArgumentException("--model " + name + ": type must be classify or embed: '" + kv.get("type") + "'");
    };
    String engine = kv.getOrDefault("engine",
        location.toLowerCase(Locale.ROOT).endsWith(".onnx") ? "OnnxRuntime" : "PyTorch");
    if (engine.equalsIgnoreCase("pytorch")) {
      engine = "PyTorch";
    } else if (engine.equalsIgnoreCase("onnxruntime") || engine.equalsIgnoreCase("onnx")) {
      engine = "OnnxRuntime";
    }
    int size;
    try {
      size = Integer.parseInt(kv.getOrDefault("input-size", "224"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--model " + name + ": input-size must be an integer: '" + kv.get("input-size") + "'");
    }
    return new ModelSpec(name, location, type, size, floats(kv.get("mean"), IMAGENET_MEAN, name),
        floats(kv.get("std"), IMAGENET_STD, name), labels, engine, kv.getOrDefault("version", "1"));
  }

  private static float[] floats(String s, float[] def, String name) {
    if (s == null) {
      return def.clone();
    }
    String[] p = s.split("[:/ ]");
    if (p.length != 3) {
      throw new IllegalArgumentException("--model " + name + ": mean/std need 3 values separated by ':' (R:G:B): '" + s + "'");
    }
    float[] f = new float[3];
    for (int i = 0; i < 3; i++) {
      try {
        f[i] = Float.parseFloat(p[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--model " + name + ": not a number in mean/std: '" + p[i] + "'");
      }
    }
    return f;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec m && name.equals(m.name) && location.equals(m.location) && type == m.type
        && inputSize == m.inputSize && Arrays.equals(mean, m.mean) && Arrays.equals(std, m.std)
        && Objects.equals(labels, m.labels) && engine.equals(m.engine) && version.equals(m.version);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, location, type, inputSize, Arrays.hashCode(mean), Arrays.hashCode(std), labels, engine, version);
  }

  @Override
  public String toString() {
    return name + "@" + version + "(" + type.name().toLowerCase(Locale.ROOT) + ", " + engine + ", " + location + ")";
  }
}
