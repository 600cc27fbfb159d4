package io.jetmesh.image.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.image.ImageLimits;
import io.jetmesh.image.decode.ImageSource;
import io.jetmesh.image.decode.Orientation;
import io.jetmesh.image.transform.ExifBlock;
import io.jetmesh.image.transform.ImageEncoder;
import io.jetmesh.image.transform.OutputFormat;
import io.jetmesh.image.transform.Resampler;
import io.jetmesh.image.transform.TransformSpec;
import io.jetmesh.image.transform.TransformSpec.Crop;
import io.jetmesh.image.transform.TransformSpec.Mode;
import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The shared pipeline of {@code thumbnail} and {@code convert}: decode one page within the limits, turn it upright
 * (EXIF), crop, resize, encode, store as an artifact.
 */
final class ImageTransformer {
  private ImageTransformer() {}

  /** Options common to both operations; {@code defaults} supplies the operation's own defaults. */
  record Defaults(int width, int height, String mode, boolean upscale, String format) {}

  static HandlerResult run(JobContext ctx, ImageLimits workerLimits, Defaults defaults, String artifactBase)
      throws JobException {
    JobOptions opts = new JobOptions(ctx.options());
    ImageLimits limits = opts.limits(workerLimits);
    int page = opts.integer("page", 1, 1, Integer.MAX_VALUE) - 1;
    Crop crop = parseCrop(opts.raw("crop"));
    Path file = ctx.inputFile();
    try (ImageSource src = ImageSource.open(file, limits)) {
      if (page > 0 && page >= src.pageCount()) {
        throw JobException.invalidInput("option page is " + (page + 1) + " but the " + src.format() + " file has "
            + src.pageCount() + " page(s)");
      }
      // EXIF orientation belongs to the first image; later TIFF pages are taken as stored
      int orientation = page == 0 ? Orientation.read(file) : 1;
      int srcW = src.width(page);
      int srcH = src.height(page);
      int uprightW = Orientation.swapsAxes(orientation) ? srcH : srcW;
      int uprightH = Orientation.swapsAxes(orientation) ? srcW : srcH;

      TransformSpec probe = spec(opts, defaults, crop, null);
      int[] box = crop != null ? new int[] {crop.width(), crop.height()} : new int[] {uprightW, uprightH};
      int[] target = probe.targetSize(box[0], box[1]);
      // Decode large sources subsampled when the output is far smaller: bounds time and memory; the
      // subsampled image is still >= 2x the target, so the final resample has enough pixels for quality.
      int subsampling = 1;
      if (crop == null) {
        subsampling = Math.max(1, Math.min(uprightW / (2 * target[0]), uprightH / (2 * target[1])));
      }
      ctx.checkCancelled();
      BufferedImage img = Orientation.apply(src.read(page, subsampling), orientation);
      ctx.progress(1, 3, "steps", "decoded");
      if (crop != null) {
        if (crop.x() + crop.width() > img.getWidth() || crop.y() + crop.height() > img.getHeight()) {
          throw JobException.invalidInput("crop " + crop.x() + "," + crop.y() + " " + crop.width() + "x" + crop.height()
              + " lies outside the " + img.getWidth() + "x" + img.getHeight() + " image");
        }
        img = Resampler.crop(img, crop.x(), crop.y(), crop.width(), crop.height());
      }
      TransformSpec spec = spec(opts, defaults, crop, img.getColorModel().hasAlpha());
      int[] size = spec.targetSize(img.getWidth(), img.getHeight());
      if (spec.mode() == Mode.FILL && spec.width() > 0 && spec.height() > 0) {
        img = Resampler.resize(img, size[0], size[1]);
        int cw = Math.min(spec.width(), img.getWidth());
        int ch = Math.min(spec.height(), img.getHeight());
        img = Resampler.crop(img, (img.getWidth() - cw) / 2, (img.getHeight() - ch) / 2, cw, ch);
      } else {
        img = Resampler.resize(img, size[0], size[1]);
      }
      ctx.progress(2, 3, "steps", "resized");
      ctx.checkCancelled();
      byte[] exif = spec.keepMetadata() ? ExifBlock.read(file, src.format()) : null;
      ImageEncoder.Encoded enc = ImageEncoder.encode(img, spec.format(), spec.quality(), exif);
      String name = artifactBase + "." + spec.format().extension();
      BlobRef ref = ctx.putArtifact(name, enc.data(), spec.format().contentType());
      ctx.progress(3, 3, "steps", "stored");

      ObjectNode out = Json.object();
      out.set("artifact", Json.mapper().valueToTree(ref));
      out.put("format", spec.format().writerName());
      out.put("content_type", spec.format().contentType());
      out.put("width", img.getWidth());
      out.put("height", img.getHeight());
      out.put("size", enc.data().length);
      out.put("metadata_kept", enc.exifWritten());
      ObjectNode source = out.putObject("source");
      source.put("format", src.format());
      source.put("width", uprightW);
      source.put("height", uprightH);
      source.put("orientation", orientation);
      source.put("page", page + 1);
      source.put("decode_subsampling", subsampling);
      return HandlerResult.of(out, Map.of(name, ref));
    }
  }

  private static TransformSpec spec(JobOptions opts, Defaults d, Crop crop, Boolean alpha) throws JobException {
    int width = opts.integer("width", d.width(), 0, 65_535);
    int height = opts.integer("height", d.height(), 0, 65_535);
    String modeName = opts.string("mode", d.mode()).toLowerCase(Locale.ROOT);
    Mode mode = switch (modeName) {
      case "fit" -> Mode.FIT;
      case "fill" -> Mode.FILL;
      default -> throw JobException.invalidInput("option mode must be fit or fill: '" + modeName + "'");
    };
    if (mode == Mode.FILL && (width == 0 || height == 0)) {
      throw JobException.invalidInput("mode fill needs both width and height");
    }
    String fmt = opts.string("format", d.format());
    if (fmt == null) {
      throw JobException.invalidInput("option format is required: png, jpeg, tiff or bmp");
    }
    if (fmt.equals("auto")) {
      fmt = Boolean.TRUE.equals(alpha) ? "png" : "jpeg"; // keep transparency, otherwise the compact format
    }
    OutputFormat format = OutputFormat.parse(fmt);
    float quality = opts.number("quality", 0.85f, 0.01f, 1f);
    boolean upscale = opts.bool("upscale", d.upscale());
    boolean keep = opts.bool("keep_metadata", false);
    return new TransformSpec(crop, width, height, mode, upscale, format, quality, keep);
  }

  private static Crop parseCrop(JsonNode c) throws JobException {
    if (c == null || c.isNull()) {
      return null;
    }
    if (!c.isObject()) {
      throw JobException.invalidInput("option crop must be an object {x, y, width, height}: " + c);
    }
    int[] v = new int[4];
    String[] names = {"x", "y", "width", "height"};
    for (int i = 0; i < 4; i++) {
      JsonNode n = c.get(names[i]);
      if (n == null || !n.isIntegralNumber() || n.asLong() < (i < 2 ? 0 : 1) || n.asLong() > 1_000_000) {
        throw JobException.invalidInput("crop." + names[i] + " must be an integer " + (i < 2 ? ">= 0" : ">= 1") + ": " + n);
      }
      v[i] = n.asInt();
    }
    return new Crop(v[0], v[1], v[2], v[3]);
  }
}
