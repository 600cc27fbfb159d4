package io.jetmesh.image.handlers;

import io.jetmesh.image.ImageLimits;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.Objects;

/**
 * {@code image.process.convert}: format conversion with optional crop and resize. Options: {@code format}
 * (required: png|jpeg|tiff|bmp; webp fails with UNSUPPORTED), {@code quality} (JPEG, 0.85), {@code width} and/or
 * {@code height} (0 = keep; one alone keeps the aspect ratio), {@code mode} fit|fill, {@code upscale} (true),
 * {@code crop}, {@code page}, {@code keep_metadata} (false: EXIF/GPS stripped), {@code max_pixels}/{@code max_pages}.
 */
public final class ConvertHandler implements JobHandler {
  private static final ImageTransformer.Defaults DEFAULTS = new ImageTransformer.Defaults(0, 0, "fit", true, null);
  private final ImageLimits limits;

  public ConvertHandler(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    return ImageTransformer.run(ctx, limits, DEFAULTS, "converted");
  }
}
