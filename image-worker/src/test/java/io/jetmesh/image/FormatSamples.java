package io.jetmesh.image;

import io.jetmesh.image.transform.ImageEncoder;
import io.jetmesh.image.transform.OutputFormat;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * One generated file for every encoding of every format the image worker claims (PNG, JPEG, TIFF, BMP, GIF, WebP),
 * each holding known text, so OCR, metadata and conversion can be tested per format without fixtures on disk. The
 * variants are the ones real inputs come in: phone photos (EXIF-rotated baseline JPEG), web images (progressive
 * JPEG, palette PNG/GIF, transparent PNG, WebP), print workflows (CMYK and YCCK JPEG as Photoshop writes them) and
 * scanners (multi-page TIFF: uncompressed, LZW, Deflate, CCITT G4 bilevel).
 */
public final class FormatSamples {
  /**
   * A generated input.
   *
   * @param name what the case is, for test names ({@code jpeg-cmyk-adobe})
   * @param fileName a file name with the usual extension
   * @param format the {@code format} the metadata and OCR outputs report
   * @param data the encoded file
   * @param pages the text drawn on each page, top to bottom
   * @param upright whether the stored pixels are upright (false: only EXIF orientation makes them so)
   */
  public record Sample(String name, String fileName, String format, byte[] data, List<String> pages, boolean upright) {
    public Sample {
      Objects.requireNonNull(name, "name == null");
      pages = List.copyOf(pages);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The text pages carry: short lines of digits and words Tesseract and PaddleOCR both read exactly. */
  public static final String FIRST = "Invoice 4711 total 99.50";
  public static final String SECOND = "Second page 2024";

  private FormatSamples() {}

  /** Every case; each is between 20 KB and 1 MB. */
  public static List<Sample> all() {
    List<Sample> s = new ArrayList<>();
    BufferedImage page = page(FIRST);
    BufferedImage second = page(SECOND);
    s.add(sample("png-rgb", "png", "png", TestImages.encode(page, "png"), FIRST));
    s.add(sample("png-gray", "png", "png", TestImages.encode(convert(page, BufferedImage.TYPE_BYTE_GRAY), "png"), FIRST));
    s.add(sample("png-palette", "png", "png", TestImages.encode(palette(page, 16), "png"), FIRST));
    s.add(sample("png-transparent", "png", "png", TestImages.encode(transparent(page), "png"), FIRST));
    s.add(sample("jpeg-baseline", "jpg", "jpeg", jpeg(page, false), FIRST));
    s.add(sample("jpeg-progressive", "jpg", "jpeg", jpeg(page, true), FIRST));
    s.add(sample("jpeg-gray", "jpg", "jpeg", jpeg(convert(page, BufferedImage.TYPE_BYTE_GRAY), false), FIRST));
    s.add(sample("jpeg-cmyk-adobe", "jpg", "jpeg", cmykJpeg(page, false), FIRST));
    s.add(sample("jpeg-ycck-adobe", "jpg", "jpeg", cmykJpeg(page, true), FIRST));
    for (int orientation : new int[] {3, 6, 8}) {
      s.add(new Sample("jpeg-exif-orientation-" + orientation, "photo-" + orientation + ".jpg", "jpeg",
          exifJpeg(page, orientation), List.of(FIRST), false));
    }
    for (String compression : new String[] {"none", "LZW", "Deflate", "CCITT T.6"}) {
      List<BufferedImage> pages = compression.startsWith("CCITT") ? List.of(bilevel(page), bilevel(second))
          : List.of(page, second);
      s.add(sample("tiff-2-pages-" + compression.toLowerCase().replaceAll("[^a-z0-9]+", ""), "tif", "tiff",
          tiff(pages, compression), FIRST, SECOND));
    }
    s.add(sample("bmp-rgb", "bmp", "bmp", TestImages.encode(page, "bmp"), FIRST));
    // 256 entries: the JDK's BMP writer packs a 16-entry palette image into 4-bit rows wrongly
    s.add(sample("bmp-palette", "bmp", "bmp", TestImages.encode(palette(page, 256), "bmp"), FIRST));
    s.add(sample("gif", "gif", "gif", TestImages.encode(palette(page, 16), "gif"), FIRST));
    s.add(sample("gif-2-frames", "gif", "gif", gif(List.of(palette(page, 16), palette(second, 16))), FIRST, SECOND));
    s.add(sample("webp-lossless", "webp", "webp", webpLossless(bilevel(page)), FIRST));
    return s;
  }

  private static Sample sample(String name, String ext, String format, byte[] data, String... pages) {
    return new Sample(name, name + "." + ext, format, data, List.of(pages), true);
  }

  /** Black text on white, 40 px glyphs (about 10 pt at 300 dpi). */
  public static BufferedImage page(String text) {
    BufferedImage img = new BufferedImage(900, 160, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
    g.drawString(text, 40, 95);
    g.dispose();
    return img;
  }

  static BufferedImage convert(BufferedImage src, int type) {
    BufferedImage d = new BufferedImage(src.getWidth(), src.getHeight(), type);
    Graphics2D g = d.createGraphics();
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return d;
  }

  /** 1-bit black and white (threshold at mid gray), as fax and document scanners deliver. */
  static BufferedImage bilevel(BufferedImage src) {
    BufferedImage d = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        d.setRGB(x, y, luma(src.getRGB(x, y)) < 128 ? 0xff000000 : 0xffffffff);
      }
    }
    return d;
  }

  /** An 8-bit palette image of {@code entries} (2..256) evenly spaced grays (what GIF and palette PNG/BMP hold). */
  static BufferedImage palette(BufferedImage src, int entries) {
    byte[] levels = new byte[entries];
    int step = 255 / (entries - 1);
    for (int i = 0; i < entries; i++) {
      levels[i] = (byte) (i * step);
    }
    IndexColorModel cm = new IndexColorModel(8, entries, levels, levels, levels);
    BufferedImage d = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, cm);
    WritableRaster r = d.getRaster();
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        r.setSample(x, y, 0, (luma(src.getRGB(x, y)) + step / 2) / step);
      }
    }
    return d;
  }

  /** Black text on a fully transparent background: OCR must compose it onto white paper, not black. */
  static BufferedImage transparent(BufferedImage src) {
    BufferedImage d = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        int ink = 255 - luma(src.getRGB(x, y));
        d.setRGB(x, y, ink << 24); // black with the ink as opacity
      }
    }
    return d;
  }

  private static int luma(int rgb) {
    return (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
  }

  static byte[] jpeg(BufferedImage img, boolean progressive) {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = w.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.85f);
    if (progressive) {
      p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    return write(w, new IIOImage(img, null, null), p);
  }

  /**
   * A four-channel JPEG as Photoshop writes it: an Adobe APP14 marker and inverted CMYK samples, stored as CMYK
   * (transform 0) or, with {@code ycck}, as YCCK (transform 2). The JDK's writer stores a raster's samples as they
   * are, so the YCC conversion libjpeg would do is done here.
   */
  static byte[] cmykJpeg(BufferedImage img, boolean ycck) {
    int w = img.getWidth();
    int h = img.getHeight();
    WritableRaster cmyk = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        int k = 255 - Math.max(r, Math.max(g, b));
        int c = k == 255 ? 0 : (255 - r - k) * 255 / (255 - k);
        int m = k == 255 ? 0 : (255 - g - k) * 255 / (255 - k);
        int yy = k == 255 ? 0 : (255 - b - k) * 255 / (255 - k);
        if (ycck) {
          // libjpeg's cmyk_ycck_convert of the inverted samples: R = 255 - (255 - C) = C, and so on, to YCbCr
          px[0] = clamp(0.299 * c + 0.587 * m + 0.114 * yy);
          px[1] = clamp(-0.168736 * c - 0.331264 * m + 0.5 * yy + 128);
          px[2] = clamp(0.5 * c - 0.418688 * m - 0.081312 * yy + 128);
        } else {
          px[0] = 255 - c; // Adobe stores CMYK inverted
          px[1] = 255 - m;
          px[2] = 255 - yy;
        }
        px[3] = 255 - k;
        cmyk.setPixel(x, y, px);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    if (!writer.getClass().getName().startsWith("com.sun.imageio")) {
      // the JDK's writer is the one that writes rasters with Adobe markers; TwelveMonkeys delegates to it anyway
      writer = findJdkJpegWriter();
    }
    ImageWriteParam p = writer.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality(0.9f);
    try {
      IIOMetadata md = writer.getDefaultImageMetadata(ImageTypeSpecifier.createInterleaved(
          java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), new int[] {0, 1, 2}, 
          java.awt.image.DataBuffer.TYPE_BYTE, false, false), p);
      String f = "javax_imageio_jpeg_image_1.0";
      IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(f);
      IIOMetadataNode markers = child(root, "markerSequence");
      IIOMetadataNode jpegVariety = child(root, "JPEGvariety");
      while (jpegVariety.getFirstChild() != null) {
        jpegVariety.removeChild(jpegVariety.getFirstChild()); // no JFIF: it would claim YCbCr
      }
      IIOMetadataNode adobe = new IIOMetadataNode("app14Adobe");
      adobe.setAttribute("version", "101");
      adobe.setAttribute("flags0", "0");
      adobe.setAttribute("flags1", "0");
      adobe.setAttribute("transform", ycck ? "2" : "0");
      markers.insertBefore(adobe, markers.getFirstChild());
      // four components, each sampled at full resolution, with the quantisation tables the writer chose
      IIOMetadataNode sof = child(markers, "sof");
      while (sof.getFirstChild() != null) {
        sof.removeChild(sof.getFirstChild());
      }
      sof.setAttribute("numFrameComponents", "4");
      IIOMetadataNode sos = child(markers, "sos");
      while (sos.getFirstChild() != null) {
        sos.removeChild(sos.getFirstChild());
      }
      sos.setAttribute("numScanComponents", "4");
      for (int i = 0; i < 4; i++) {
        IIOMetadataNode comp = new IIOMetadataNode("componentSpec");
        comp.setAttribute("componentId", String.valueOf(i + 1));
        comp.setAttribute("HsamplingFactor", "1");
        comp.setAttribute("VsamplingFactor", "1");
        comp.setAttribute("QtableSelector", ycck && (i == 1 || i == 2) ? "1" : "0");
        sof.appendChild(comp);
        IIOMetadataNode scan = new IIOMetadataNode("scanComponentSpec");
        scan.setAttribute("componentSelector", String.valueOf(i + 1));
        scan.setAttribute("dcHuffTable", ycck && (i == 1 || i == 2) ? "1" : "0");
        scan.setAttribute("acHuffTable", ycck && (i == 1 || i == 2) ? "1" : "0");
        sos.appendChild(scan);
      }
      md.setFromTree(f, root);
      return write(writer, new IIOImage(cmyk, null, md), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static ImageWriter findJdkJpegWriter() {
    var it = ImageIO.getImageWritersByFormatName("jpeg");
    while (it.hasNext()) {
      ImageWriter w = it.next();
      if (w.getClass().getName().startsWith("com.sun.imageio")) {
        return w;
      }
    }
    throw new IllegalStateException("the JDK's JPEG writer is not registered");
  }

  private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals(name)) {
        return (IIOMetadataNode) n;
      }
    }
    IIOMetadataNode n = new IIOMetadataNode(name);
    parent.appendChild(n);
    return n;
  }

  /**
   * A baseline JPEG as a phone writes it: the pixels stored as the sensor saw them and an EXIF orientation that
   * turns them upright ({@code 3}: 180 degrees, {@code 6}: display rotated 90 clockwise, {@code 8}: 270).
   */
  static byte[] exifJpeg(BufferedImage upright, int orientation) {
    BufferedImage stored = switch (orientation) {
      case 3 -> TestImages.rotate90(TestImages.rotate90(upright));
      case 6 -> TestImages.rotate90(TestImages.rotate90(TestImages.rotate90(upright)));
      case 8 -> TestImages.rotate90(upright);
      default -> throw new IllegalArgumentException("orientation 3, 6 or 8: " + orientation);
    };
    try {
      return ImageEncoder.encode(stored, OutputFormat.JPEG, 0.85f, TestImages.exifWithOrientation(orientation)).data();
    } catch (io.jetmesh.worker.JobException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A multi-page TIFF with the named compression ({@code none}, {@code LZW}, {@code Deflate}, {@code CCITT T.6}). */
  static byte[] tiff(List<BufferedImage> pages, String compression) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    ImageWriteParam p = writer.getDefaultWriteParam();
    if (!compression.equals("none")) {
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionType(compression);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (BufferedImage page : pages) {
        writer.writeToSequence(new IIOImage(page, null, null), p);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A GIF with one frame per image (an animation, read as pages). */
  static byte[] gif(List<BufferedImage> frames) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : frames) {
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] write(ImageWriter w, IIOImage image, ImageWriteParam p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      w.setOutput(ios);
      w.write(null, image, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      w.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A lossless WebP (VP8L) of a black-and-white image. No ImageIO writer makes WebP, so this is a minimal encoder:
   * no transforms, no colour cache, one prefix-code group whose green, red and blue codes are "simple" two-symbol
   * codes (0 and 255, one bit each) and whose alpha (255) and distance codes have one symbol (no bits); each pixel
   * is then three bits. See RFC 9649, sections 3 and 5.
   */
  static byte[] webpLossless(BufferedImage bw) {
    int w = bw.getWidth();
    int h = bw.getHeight();
    if (w > 16384 || h > 16384) {
      throw new IllegalArgumentException("VP8L holds at most 16384x16384: " + w + "x" + h);
    }
    BitWriter bits = new BitWriter();
    bits.write(0x2f, 8);         // VP8L signature
    bits.write(w - 1, 14);
    bits.write(h - 1, 14);
    bits.write(0, 1);            // alpha_is_used
    bits.write(0, 3);            // version
    bits.write(0, 1);            // no transform
    bits.write(0, 1);            // no colour cache
    bits.write(0, 1);            // no meta prefix codes
    for (int code = 0; code < 3; code++) { // green, red, blue: symbols 0 and 255
      bits.write(1, 1);          // simple code
      bits.write(1, 1);          // two symbols
      bits.write(1, 1);          // first symbol has 8 bits
      bits.write(0, 8);
      bits.write(255, 8);
    }
    bits.write(1, 1);            // alpha: simple, one 8-bit symbol 255
    bits.write(0, 1);
    bits.write(1, 1);
    bits.write(255, 8);
    bits.write(1, 1);            // distance: simple, one 1-bit symbol 0
    bits.write(0, 1);
    bits.write(0, 1);
    bits.write(0, 1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int bit = (bw.getRGB(x, y) & 0xffffff) == 0xffffff ? 1 : 0;
        bits.write(bit, 1);      // green
        bits.write(bit, 1);      // red
        bits.write(bit, 1);      // blue
      }
    }
    byte[] vp8l = bits.toByteArray();
    int pad = vp8l.length & 1;
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + vp8l.length + pad).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + vp8l.length + pad);
    b.put("WEBP".getBytes(StandardCharsets.US_ASCII));
    b.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
    return b.array();
  }

  /** Bits packed least significant first, as VP8L reads them. */
  private static final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long acc;
    private int n;

    void write(int value, int count) {
      acc |= ((long) value & ((1L << count) - 1)) << n;
      n += count;
      while (n >= 8) {
        out.write((int) (acc & 0xff));
        acc >>>= 8;
        n -= 8;
      }
    }

    byte[] toByteArray() {
      if (n > 0) {
        out.write((int) (acc & 0xff));
        acc = 0;
        n = 0;
      }
      return out.toByteArray();
    }
  }
}
