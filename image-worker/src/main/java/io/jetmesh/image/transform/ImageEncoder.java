package io.jetmesh.image.transform;

import io.jetmesh.worker.JobException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * Encodes an image. Re-encoding drops all source metadata (the default: strips GPS and camera data); with
 * {@code exif} the source's EXIF block (its orientation already applied and reset to 1) is written back into JPEG
 * (APP1) and PNG ({@code eXIf} chunk) outputs.
 */
public final class ImageEncoder {
  private ImageEncoder() {}

  /**
   * @param quality JPEG quality in (0, 1]
   * @param exif a TIFF-structured EXIF block to embed, or null
   * @return the encoded bytes and whether {@code exif} was embedded
   */
  public static Encoded encode(BufferedImage img, OutputFormat format, float quality, byte[] exif) throws JobException {
    BufferedImage out = img;
    if ((format == OutputFormat.JPEG || format == OutputFormat.BMP) && !isPlain8Bit(img)) {
      // neither format has alpha or 16-bit samples: composite on white like browsers do, and reduce to 8 bits
      out = flatten(img);
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.writerName());
    if (!writers.hasNext()) {
      throw JobException.unsupported("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean exifWritten = false;
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(ios);
      ImageWriteParam param = writer.getDefaultWriteParam();
      IIOMetadata metadata = null;
      if (format == OutputFormat.JPEG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        if (exif != null) {
          metadata = jpegMetadataWithExif(writer, out, param, exif);
          exifWritten = metadata != null;
        }
      } else if (format == OutputFormat.TIFF && param.canWriteCompressed()) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        try {
          param.setCompressionType("LZW");
        } catch (IllegalArgumentException e) {
          param.setCompressionMode(ImageWriteParam.MODE_DEFAULT);
        }
      }
      writer.write(null, new IIOImage(out, null, metadata), param);
    } catch (IOException | RuntimeException e) {
      // deterministic for this image: retrying would fail the same way
      throw new JobException(io.jetmesh.protocol.ErrorCode.INTERNAL, "cannot encode the " + img.getWidth() + "x"
          + img.getHeight() + " image (type " + img.getType() + ") as " + format + ": " + e.getMessage(), false, e);
    } finally {
      writer.dispose();
    }
    byte[] data = bytes.toByteArray();
    if (format == OutputFormat.PNG && exif != null) {
      data = insertPngExif(data, exif);
      exifWritten = true;
    }
    return new Encoded(data, exifWritten);
  }

  /** Encoded bytes, and whether the EXIF block asked for was embedded. */
  public record Encoded(byte[] data, boolean exifWritten) {}

  private static boolean isPlain8Bit(BufferedImage img) {
    int t = img.getType();
    return t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_BYTE_GRAY
        || t == BufferedImage.TYPE_INT_BGR;
  }

  private static BufferedImage flatten(BufferedImage img) {
    boolean gray = img.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY
        && !img.getColorModel().hasAlpha();
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(),
        gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static IIOMetadata jpegMetadataWithExif(ImageWriter writer, BufferedImage img, ImageWriteParam param, byte[] exif) {
    IIOMetadata md = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
    String fmt = "javax_imageio_jpeg_image_1.0";
    if (md == null || !java.util.Arrays.asList(md.getMetadataFormatNames()).contains(fmt)) {
      return null;
    }
    Node root = md.getAsTree(fmt);
    Node markers = null;
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if ("markerSequence".equals(n.getNodeName())) {
        markers = n;
      }
    }
    if (markers == null) {
      return null;
    }
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    byte[] app1 = new byte[header.length + exif.length];
    System.arraycopy(header, 0, app1, 0, header.length);
    System.arraycopy(exif, 0, app1, header.length, exif.length);
    IIOMetadataNode unknown = new IIOMetadataNode("unknown");
    unknown.setAttribute("MarkerTag", "225");
    unknown.setUserObject(app1);
    markers.insertBefore(unknown, markers.getFirstChild());
    try {
      md.setFromTree(fmt, root);
      return md;
    } catch (IIOInvalidTreeException e) {
      return null;
    }
  }

  /** Inserts an {@code eXIf} chunk right after IHDR (the PNG 1.5 extension readers look for). */
  static byte[] insertPngExif(byte[] png, byte[] exif) {
    int ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, length, type, IHDR data, CRC
    ByteBuffer chunk = ByteBuffer.allocate(12 + exif.length);
    chunk.putInt(exif.length);
    byte[] type = "eXIf".getBytes(StandardCharsets.ISO_8859_1);
    chunk.put(type).put(exif);
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(exif);
    chunk.putInt((int) crc.getValue());
    byte[] out = new byte[png.length + chunk.capacity()];
    System.arraycopy(png, 0, out, 0, ihdrEnd);
    System.arraycopy(chunk.array(), 0, out, ihdrEnd, chunk.capacity());
    System.arraycopy(png, ihdrEnd, out, ihdrEnd + chunk.capacity(), png.length - ihdrEnd);
    return out;
  }
}
