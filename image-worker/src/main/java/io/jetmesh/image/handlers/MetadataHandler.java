package io.jetmesh.image.handlers;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.Tag;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.image.ImageLimits;
import io.jetmesh.image.decode.ImageSource;
import io.jetmesh.image.decode.Orientation;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Objects;
import javax.imageio.ImageTypeSpecifier;

/**
 * {@code image.process.metadata}: what the file is, read from headers only (no pixel is decoded, so it works on
 * images far above the pixel limit): format, dimensions, color model, bit depth, pages/frames, EXIF orientation
 * and all metadata directories (EXIF, GPS, IPTC, XMP summary, ...) as {@code {directory: {tag: description}}}.
 */
public final class MetadataHandler implements JobHandler {
  private static final int MAX_TAGS = 1000;
  private static final int MAX_VALUE_CHARS = 512;
  private final ImageLimits limits;

  public MetadataHandler(ImageLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    Path file = ctx.inputFile();
    // Header reading never allocates a raster, so the pixel limit does not apply here: metadata of a huge image
    // is exactly what a client asks before deciding to process it.
    ImageLimits headerOnly = new ImageLimits(Long.MAX_VALUE, new JobOptions(ctx.options()).limits(limits).maxPages());
    ObjectNode out = Json.object();
    try (ImageSource src = ImageSource.open(file, headerOnly)) {
      int w = src.width(0);
      int h = src.height(0);
      int orientation = Orientation.read(file);
      out.put("format", src.format());
      out.put("mime_type", src.reader().getOriginatingProvider().getMIMETypes().length > 0
          ? src.reader().getOriginatingProvider().getMIMETypes()[0] : null);
      out.put("width", w);
      out.put("height", h);
      out.put("pixels", (long) w * h);
      out.put("within_pixel_limit", (long) w * h <= limits.maxPixels());
      out.put("orientation", orientation);
      out.put("display_width", Orientation.swapsAxes(orientation) ? h : w);
      out.put("display_height", Orientation.swapsAxes(orientation) ? w : h);
      colorModel(src, out.putObject("color"));
      int pages = src.pageCount();
      out.put("pages", pages);
      out.put("pages_exceed_limit", src.pagesExceedLimit());
      if (pages > 1) {
        ArrayNode sizes = out.putArray("page_sizes");
        for (int i = 0; i < pages; i++) {
          ctx.checkCancelled();
          sizes.addObject().put("page", i + 1).put("width", src.width(i)).put("height", src.height(i));
        }
      }
    }
    out.set("metadata", directories(file));
    return HandlerResult.of(out);
  }

  private static void colorModel(ImageSource src, ObjectNode color) {
    try {
      ImageTypeSpecifier type = src.reader().getRawImageType(0);
      if (type == null) {
        Iterator<ImageTypeSpecifier> types = src.reader().getImageTypes(0);
        type = types.hasNext() ? types.next() : null;
      }
      if (type == null) {
        return;
      }
      ColorModel cm = type.getColorModel();
      color.put("space", colorSpace(cm.getColorSpace().getType()));
      color.put("components", cm.getNumComponents());
      color.put("has_alpha", cm.hasAlpha());
      color.put("bits_per_component", cm.getComponentSize(0));
      color.put("bits_per_pixel", cm.getPixelSize());
      color.put("indexed", cm instanceof java.awt.image.IndexColorModel);
    } catch (Exception e) {
      color.put("error", "color model unreadable: " + e.getMessage());
    }
  }

  private static String colorSpace(int type) {
    return switch (type) {
      case ColorSpace.TYPE_RGB -> "rgb";
      case ColorSpace.TYPE_GRAY -> "gray";
      case ColorSpace.TYPE_CMYK -> "cmyk";
      case ColorSpace.TYPE_YCbCr -> "ycbcr";
      case ColorSpace.TYPE_Lab -> "lab";
      default -> "other(" + type + ")";
    };
  }

  private static ObjectNode directories(Path file) {
    ObjectNode md = Json.object();
    try {
      Metadata metadata = ImageMetadataReader.readMetadata(file.toFile());
      int count = 0;
      for (Directory dir : metadata.getDirectories()) {
        ObjectNode d = md.has(dir.getName()) ? (ObjectNode) md.get(dir.getName()) : md.putObject(dir.getName());
        for (Tag tag : dir.getTags()) {
          if (++count > MAX_TAGS) {
            md.put("truncated", true);
            return md;
          }
          String v = tag.getDescription();
          if (v != null && v.length() > MAX_VALUE_CHARS) {
            v = v.substring(0, MAX_VALUE_CHARS) + "...";
          }
          d.put(tag.getTagName(), v);
        }
        if (dir.hasErrors()) {
          ArrayNode errs = d.putArray("_errors");
          dir.getErrors().forEach(errs::add);
        }
      }
    } catch (Exception | StackOverflowError e) {
      md.put("error", "metadata unreadable: " + e.getMessage());
    }
    return md;
  }
}
