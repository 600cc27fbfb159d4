package io.jetmesh.image.handlers;

import io.jetmesh.image.ImageLimits;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.Objects;

/**
 * {@code image.process.thumbnail}: a small preview. Options: {@code width}/{@code height} (default 256x256),
 * {@code mode} fit|fill (fit), {@code format} auto|png|jpeg|tiff|bmp (auto: PNG when the image has alpha, else
 * JPEG), {@code quality} (0.85), {@code crop} {x,y,width,height}, {@code page} (1), {@code upscale} (false),
 * {@code keep_metadata} (false), {@code max_pixels}/{@code max_pages} (lower the worker's limits).
 */
public final class ThumbnailHandler implements JobHandler {
  private static final ImageTransformer.Defaults DEFAULTS = new ImageTransformer.Defaults(256, 256, "fit", false, "auto");
  private final ImageLimits limits;

  public ThumbnailHandler(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    return ImageTransformer.run(ctx, limits, DEFAULTS, "thumbnail");
  }
}
