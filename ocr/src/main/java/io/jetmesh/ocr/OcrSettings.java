package io.jetmesh.ocr;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Engine-wide settings, fixed when an engine is created (per-image choices are in {@link OcrRequest}).
 *
 * @param poolSize how many native engine instances may run at once; callers beyond that wait. Tesseract instances
 *     are not thread-safe (sharing one aborts the JVM), so this is also the OCR parallelism of a worker
 * @param tessdataDir an extra directory holding {@code <lang>.traineddata}, searched first; empty to use only
 *     {@code TESSDATA_PREFIX}, the data bundled with tess4j (eng, osd) and Debian's tesseract-ocr-* packages
 * @param cacheDir where native libraries and bundled model files are extracted (created if missing)
 * @param device where neural engines run: {@code auto} (a GPU when one is usable, else the CPU), {@code cpu},
 *     {@code gpu} or {@code gpu:N}. Tesseract always runs on the CPU
 */
public record OcrSettings(int poolSize, Optional<Path> tessdataDir, Path cacheDir, String device) {
  public static final OcrSettings DEFAULT = builder().build();

  public OcrSettings {
    if (poolSize < 1 || poolSize > 256) {
      throw new IllegalArgumentException("poolSize must be 1..256: " + poolSize);
    }
    Objects.requireNonNull(tessdataDir, "tessdataDir == null");
    Objects.requireNonNull(cacheDir, "cacheDir == null");
    Objects.requireNonNull(device, "device == null");
    if (!device.matches("auto|cpu|gpu(:\\d+)?")) {
      throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N: '" + device + "'");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    return new Builder().poolSize(poolSize).tessdataDir(tessdataDir.orElse(null)).cacheDir(cacheDir).device(device);
  }

  /** Builder with defaults: pool = available processors, cache = {@code $java.io.tmpdir/jetmesh-ocr}, auto device. */
  public static final class Builder {
    private int poolSize = Runtime.getRuntime().availableProcessors();
    private Path tessdataDir;
    private Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "jetmesh-ocr");
    private String device = "auto";

    private Builder() {}

    public Builder poolSize(int n) {
      this.poolSize = n;
      return this;
    }

    /** An extra tessdata directory (may be null for none). */
    public Builder tessdataDir(Path dir) {
      this.tessdataDir = dir;
      return this;
    }

    public Builder cacheDir(Path dir) {
      this.cacheDir = Objects.requireNonNull(dir, "cacheDir == null");
      return this;
    }

    public Builder device(String d) {
      this.device = Objects.requireNonNull(d, "device == null");
      return this;
    }

    public OcrSettings build() {
      return new OcrSettings(poolSize, Optional.ofNullable(tessdataDir), cacheDir, device);
    }
  }
}
