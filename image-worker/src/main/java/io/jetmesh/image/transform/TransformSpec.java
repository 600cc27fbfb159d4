package io.jetmesh.image.transform;

import java.util.Objects;

/**
 * What to do to one image: crop (in upright source pixels), then resize, then encode.
 *
 * @param crop region to cut first, or null
 * @param width target width, 0 = derived from height keeping the aspect ratio (or the source width)
 * @param height target height, 0 = derived from width (or the source height)
 * @param mode {@code fit} (inside the box, aspect kept) or {@code fill} (cover the box, centre-cropped to it)
 * @param upscale whether images smaller than the box are enlarged
 * @param format output format
 * @param quality JPEG quality in (0, 1]
 * @param keepMetadata keep the source EXIF (orientation reset to 1) in JPEG/PNG output
 */
public record TransformSpec(Crop crop, int width, int height, Mode mode, boolean upscale, OutputFormat format,
    float quality, boolean keepMetadata) {

  public enum Mode { FIT, FILL }

  /** A crop rectangle in pixels of the upright image. */
  public record Crop(int x, int y, int width, int height) {}

  public TransformSpec {
    Objects.requireNonNull(mode, "mode == null");
    Objects.requireNonNull(format, "format == null");
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException("width/height must be >= 0: " + width + "x" + height);
    }
    if (mode == Mode.FILL && (width == 0 || height == 0)) {
      throw new IllegalStateException("mode fill needs both width and height");
    }
  }

  /** The output size for a {@code srcW x srcH} image. */
  public int[] targetSize(int srcW, int srcH) {
    if (width == 0 && height == 0) {
      return new int[] {srcW, srcH};
    }
    double sx = width == 0 ? Double.NaN : (double) width / srcW;
    double sy = height == 0 ? Double.NaN : (double) height / srcH;
    double s;
    if (Double.isNaN(sx)) {
      s = sy;
    } else if (Double.isNaN(sy)) {
      s = sx;
    } else {
      s = mode == Mode.FIT ? Math.min(sx, sy) : Math.max(sx, sy);
    }
    if (!upscale && s > 1) {
      s = 1;
    }
    int w = Math.max(1, (int) Math.round(srcW * s));
    int h = Math.max(1, (int) Math.round(srcH * s));
    return new int[] {w, h};
  }
}
