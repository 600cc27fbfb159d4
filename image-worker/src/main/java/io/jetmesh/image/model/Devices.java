package io.jetmesh.image.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Turns {@code --device auto|cpu|gpu[:N]} into a DJL {@link Device} for one engine. */
public final class Devices {
  private Devices() {}

  /**
   * @param gpuCount GPUs the engine sees ({@link Engine#getGpuCount()})
   * @throws IllegalArgumentException for a malformed value, or a GPU that is not there (failing at startup beats
   *     silently running on CPU when a GPU was asked for)
   */
  public static Device resolve(String spec, int gpuCount) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("auto")) {
      return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (s.equals("gpu") || s.startsWith("gpu:")) {
      int n;
      try {
        n = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--device must be auto, cpu, gpu or gpu:N: '" + spec + "'");
      }
      if (n < 0 || n >= gpuCount) {
        throw new IllegalArgumentException("--device " + spec + " asks for GPU " + n + " but the engine sees "
            + gpuCount + " GPU(s); use --device auto or cpu, or install the CUDA build of the engine (docs/image-worker.md)");
      }
      return Device.gpu(n);
    }
    throw new IllegalArgumentException("--device must be auto, cpu, gpu or gpu:N: '" + spec + "'");
  }

  /** Short name for service info: {@code cpu}, {@code gpu:0}. */
  public static String describe(Device d) {
    return d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
  }
}
