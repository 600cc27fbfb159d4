package io.jetmesh.image.decode;

import io.jetmesh.image.ImageLimits;
import io.jetmesh.worker.JobException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image file opened for safe decoding. Dimensions are read from the header before any pixel is decoded, and a
 * page above the pixel limit fails with {@code TOO_LARGE} without allocating its raster. Anything the readers
 * cannot parse fails with {@code INVALID_INPUT} and a message naming the format and the problem. Not thread-safe;
 * one per job.
 */
public final class ImageSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageSource.class);

  static {
    // ImageIO's disk cache only adds temp files; our inputs are local files already.
    ImageIO.setUseCache(false);
  }

  private final Path file;
  private final ImageLimits limits;
  private final ImageInputStream stream;
  private final ImageReader reader;
  private final String format;
  private int pages = -1;
  private boolean pagesExceedLimit;

  private ImageSource(Path file, ImageLimits limits, ImageInputStream stream, ImageReader reader, String format) {
    this.file = file;
    this.limits = limits;
    this.stream = stream;
    this.reader = reader;
    this.format = format;
  }

  /**
   * Opens {@code file}, identifies its format and checks the first page's header against the pixel limit.
   *
   * @throws JobException INVALID_INPUT for empty, non-image or corrupt headers, TOO_LARGE above the pixel limit
   */
  public static ImageSource open(Path file, ImageLimits limits) throws JobException {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw JobException.invalidInput("cannot read input: " + e.getMessage(), e);
    }
    if (size == 0) {
      throw JobException.invalidInput("input is empty (0 bytes), not an image");
    }
    ImageInputStream in = null;
    try {
      in = ImageIO.createImageInputStream(file.toFile());
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw JobException.invalidInput("input is not a supported image (PNG, JPEG, TIFF, BMP, GIF, WebP); "
            + "its first bytes are " + firstBytes(file));
      }
      ImageReader reader = readers.next();
      String format = normaliseFormat(reader.getFormatName());
      reader.setInput(in, false, false);
      ImageSource src = new ImageSource(file, limits, in, reader, format);
      src.checkPixels(0);
      return src;
    } catch (JobException e) {
      closeQuietly(in);
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(in);
      throw JobException.invalidInput("cannot read the image header (truncated or corrupt file, " + size + " bytes): "
          + describe(e), e);
    }
  }

  /** {@code png}, {@code jpeg}, {@code tiff}, {@code bmp}, {@code gif}, {@code webp}. */
  public String format() {
    return format;
  }

  public Path file() {
    return file;
  }

  public ImageLimits limits() {
    return limits;
  }

  /** The reader, for format-specific metadata (color model, bit depth). */
  public ImageReader reader() {
    return reader;
  }

  public int width(int page) throws JobException {
    try {
      return reader.getWidth(page);
    } catch (IOException | RuntimeException e) {
      throw JobException.invalidInput("cannot read the header of " + format + " page " + (page + 1) + ": " + describe(e), e);
    }
  }

  public int height(int page) throws JobException {
    try {
      return reader.getHeight(page);
    } catch (IOException | RuntimeException e) {
      throw JobException.invalidInput("cannot read the header of " + format + " page " + (page + 1) + ": " + describe(e), e);
    }
  }

  /**
   * The number of pages/frames, counted up to {@code maxPages + 1} so a file with a million IFDs is never walked
   * to its end; see {@link #pagesExceedLimit()}.
   *
   * <p>Counting runs on a second reader over its own stream. Formats without a page directory (JPEG, GIF, WebP) are
   * counted by asking for the image after the last one, which makes the reader scan to the end of its stream, and
   * TwelveMonkeys' JPEG reader cannot decode image 0 after that scan ("Not a JPEG stream"): sharing one reader made
   * OCR, which counts pages before decoding, fail on every JPEG while thumbnails, which decode page 0 directly,
   * worked. The decoding reader therefore never sees a probe.
   */
  public int pageCount() throws JobException {
    if (pages >= 0) {
      return pages;
    }
    ImageReader counter = null;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      counter = reader.getOriginatingProvider().createReaderInstance();
      counter.setInput(in, false, false);
      int n = counter.getNumImages(false);
      if (n < 0) {
        n = 0;
        while (n <= limits.maxPages()) {
          try {
            counter.getWidth(n);
          } catch (IndexOutOfBoundsException end) {
            break;
          }
          n++;
        }
      }
      pagesExceedLimit = n > limits.maxPages();
      pages = Math.min(n, limits.maxPages());
      return pages;
    } catch (IOException | RuntimeException e) {
      throw JobException.invalidInput("cannot count the pages of the " + format + " file (truncated or corrupt): "
          + describe(e), e);
    } finally {
      if (counter != null) {
        counter.dispose();
      }
    }
  }

  /** True when the file has more pages than the limit; only the first {@code maxPages} are ever read. */
  public boolean pagesExceedLimit() throws JobException {
    pageCount();
    return pagesExceedLimit;
  }

  /** Fails with TOO_LARGE when the file has more pages than the limit. */
  public void requirePagesWithinLimit() throws JobException {
    if (pagesExceedLimit()) {
      throw JobException.tooLarge("the " + format + " file has more than " + limits.maxPages()
          + " pages; the limit is " + limits.maxPages() + " (max_pages)");
    }
  }

  /** Decodes one page at full resolution. */
  public BufferedImage read(int page) throws JobException {
    return read(page, 1);
  }

  /**
   * Decodes one page, keeping every {@code subsampling}-th pixel in each direction (cheap pre-shrink for thumbnails
   * of large images; the caller then resamples properly).
   */
  public BufferedImage read(int page, int subsampling) throws JobException {
    checkPixels(page);
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      if (subsampling > 1) {
        param.setSourceSubsampling(subsampling, subsampling, 0, 0);
      }
      BufferedImage img = reader.read(page, param);
      if (img == null) {
        throw JobException.invalidInput("the " + format + " reader returned no image for page " + (page + 1));
      }
      return img;
    } catch (JobException e) {
      throw e;
    } catch (IndexOutOfBoundsException e) {
      throw JobException.invalidInput("the " + format + " file has no page " + (page + 1), e);
    } catch (IOException | RuntimeException e) {
      throw JobException.invalidInput("cannot decode " + format + " page " + (page + 1)
          + " (truncated or corrupt image data): " + describe(e), e);
    } catch (OutOfMemoryError e) {
      // The pixel check bounds one page; this only happens when many large jobs run at once. The raster that
      // failed to allocate is garbage, so the worker can go on.
      LOG.warn("out of memory decoding {} page {} of {}", format, page + 1, file);
      throw JobException.tooLarge("not enough memory to decode " + format + " page " + (page + 1) + " ("
          + safeWidth(page) + "x" + safeHeight(page) + "); lower --max-pixels or the worker's concurrency");
    }
  }

  private void checkPixels(int page) throws JobException {
    long w = width(page);
    long h = height(page);
    if (w <= 0 || h <= 0) {
      throw JobException.invalidInput("the " + format + " header declares an empty image (" + w + "x" + h + ")");
    }
    if (w * h > limits.maxPixels()) {
      throw JobException.tooLarge("the " + format + " image" + (page > 0 ? " page " + (page + 1) : "") + " is " + w + "x" + h
          + " = " + (w * h) + " pixels; the limit is " + limits.maxPixels() + " pixels (max_pixels)");
    }
  }

  private String safeWidth(int page) {
    try {
      return String.valueOf(reader.getWidth(page));
    } catch (Exception e) {
      return "?";
    }
  }

  private String safeHeight(int page) {
    try {
      return String.valueOf(reader.getHeight(page));
    } catch (Exception e) {
      return "?";
    }
  }

  static String normaliseFormat(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "jpg", "jpeg", "jpeg-lossless" -> "jpeg";
      case "tif", "tiff" -> "tiff";
      default -> n;
    };
  }

  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    while (t != null && sb.length() < 300) {
      if (sb.length() > 0) {
        sb.append(": ");
      }
      sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
      t = t.getCause() == t ? null : t.getCause();
    }
    return sb.toString();
  }

  private static String firstBytes(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(8);
      return HexFormat.ofDelimiter(" ").formatHex(b);
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private static void closeQuietly(ImageInputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  @Override
  public void close() {
    reader.dispose();
    closeQuietly(stream);
  }
}
