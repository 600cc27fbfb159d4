package io.jetmesh.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Images the tests draw with Java2D, and crafted hostile files. */
public final class TestImages {
  private TestImages() {}

  public static BufferedImage solid(int w, int h, Color c) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(c);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  /** Left half red, right half blue: orientation and crops are visible in the pixels. */
  public static BufferedImage redLeftBlueRight(int w, int h) {
    BufferedImage img = solid(w, h, Color.RED);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.BLUE);
    g.fillRect(w / 2, 0, w - w / 2, h);
    g.dispose();
    return img;
  }

  /** Black text lines on white, large enough for OCR. */
  public static BufferedImage text(int w, int h, String... lines) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
    int y = 80;
    for (String line : lines) {
      g.drawString(line, 40, y);
      y += 70;
    }
    g.dispose();
    return img;
  }

  public static BufferedImage rotate90(BufferedImage src) {
    BufferedImage out = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        out.setRGB(src.getHeight() - 1 - y, x, src.getRGB(x, y));
      }
    }
    return out;
  }

  public static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A multi-page TIFF, one page per image. */
  public static byte[] tiff(List<BufferedImage> pages) {
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
        writer.setOutput(ios);
        writer.prepareWriteSequence(null);
        for (BufferedImage p : pages) {
          writer.writeToSequence(new IIOImage(p, null, null), null);
        }
        writer.endWriteSequence();
      }
      writer.dispose();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A PNG whose IHDR (with a valid CRC) declares {@code w x h} RGB pixels, followed by a tiny IDAT and IEND: a
   * decompression bomb as far as any header check can tell.
   */
  public static byte[] pngHeader(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** A little-endian TIFF whose single IFD declares {@code w x h} 8-bit gray pixels in one strip. */
  public static byte[] tiffHeader(int w, int h) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 8 * 12 + 4 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) 8);
    int dataOffset = 8 + 2 + 8 * 12 + 4;
    entry(b, 256, 4, w);          // ImageWidth
    entry(b, 257, 4, h);          // ImageLength
    entry(b, 258, 3, 8);          // BitsPerSample
    entry(b, 259, 3, 1);          // Compression: none
    entry(b, 262, 3, 1);          // Photometric: BlackIsZero
    entry(b, 273, 4, dataOffset); // StripOffsets
    entry(b, 278, 4, h);          // RowsPerStrip
    entry(b, 279, 4, 16);         // StripByteCounts (a lie: 16 bytes of data)
    b.putInt(0);
    return b.array();
  }

  private static void entry(ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A big-endian EXIF (TIFF) block holding only IFD0 with the orientation tag. */
  public static byte[] exifWithOrientation(int orientation) {
    ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 + 4);
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
    b.putShort((short) 1);
    b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
    b.putInt(0);
    return b.array();
  }
}
