package io.jetmesh.image.transform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the raw EXIF block (TIFF structure: byte order mark, IFD0, ...) of a JPEG (APP1), PNG ({@code eXIf}) or
 * WebP ({@code EXIF} chunk) file, so it can be kept when converting. Only the first 1 MiB of the file is searched
 * for JPEG (EXIF must precede the image data); EXIF blocks over 64 KiB are ignored.
 */
public final class ExifBlock {
  private static final int MAX_EXIF = 65_535;

  private ExifBlock() {}

  /** The EXIF block of {@code file} in {@code format}, with orientation set to 1 (pixels are already upright); null if none. */
  public static byte[] read(Path file, String format) {
    try {
      byte[] exif = switch (format) {
        case "jpeg" -> fromJpeg(file);
        case "png" -> fromChunks(file, 8, false, "eXIf");
        case "webp" -> fromChunks(file, 12, true, "EXIF");
        default -> null;
      };
      if (exif != null && exif.length >= 8) {
        resetOrientation(exif);
        return exif;
      }
    } catch (IOException | RuntimeException e) {
      // damaged metadata is dropped rather than failing the conversion
    }
    return null;
  }

  private static byte[] fromJpeg(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(1 << 20);
      ByteBuffer b = ByteBuffer.wrap(head);
      if (b.remaining() < 4 || (b.getShort() & 0xFFFF) != 0xFFD8) {
        return null;
      }
      while (b.remaining() >= 4) {
        int marker = b.getShort() & 0xFFFF;
        if (marker == 0xFFDA || (marker & 0xFF00) != 0xFF00) {
          return null; // start of scan: no EXIF before the image data
        }
        int len = b.getShort() & 0xFFFF;
        if (len < 2 || len - 2 > b.remaining()) {
          return null;
        }
        byte[] seg = new byte[len - 2];
        b.get(seg);
        if (marker == 0xFFE1 && seg.length > 6 && new String(seg, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
          byte[] exif = new byte[seg.length - 6];
          System.arraycopy(seg, 6, exif, 0, exif.length);
          return exif;
        }
      }
    }
    return null;
  }

  /** PNG chunks are length(BE)+type+data+crc; RIFF chunks are type+length(LE)+data, padded to even. */
  private static byte[] fromChunks(Path file, int start, boolean riff, String wanted) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(start);
      byte[] hdr = new byte[8];
      while (in.readNBytes(hdr, 0, 8) == 8) {
        ByteBuffer h = ByteBuffer.wrap(hdr);
        String type;
        long len;
        if (riff) {
          type = new String(hdr, 0, 4, StandardCharsets.ISO_8859_1);
          len = h.order(ByteOrder.LITTLE_ENDIAN).getInt(4) & 0xFFFFFFFFL;
        } else {
          len = h.getInt(0) & 0xFFFFFFFFL;
          type = new String(hdr, 4, 4, StandardCharsets.ISO_8859_1);
        }
        if (type.equals(wanted)) {
          if (len > MAX_EXIF) {
            return null;
          }
          byte[] data = in.readNBytes((int) len);
          // some WebP writers keep the JPEG "Exif\0\0" prefix
          if (data.length > 6 && new String(data, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
            byte[] d = new byte[data.length - 6];
            System.arraycopy(data, 6, d, 0, d.length);
            return d;
          }
          return data;
        }
        if (!riff && (type.equals("IDAT") || type.equals("IEND"))) {
          return null; // eXIf must precede IDAT
        }
        in.skipNBytes(riff ? len + (len & 1) : len + 4);
      }
    } catch (java.io.EOFException e) {
      return null;
    }
    return null;
  }

  /** Sets tag 0x0112 (orientation) in IFD0 to 1, in place. */
  static void resetOrientation(byte[] tiff) {
    ByteBuffer b = ByteBuffer.wrap(tiff);
    if (tiff[0] == 'I' && tiff[1] == 'I') {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (!(tiff[0] == 'M' && tiff[1] == 'M')) {
      return;
    }
    long ifd = b.getInt(4) & 0xFFFFFFFFL;
    if (ifd < 8 || ifd + 2 > tiff.length) {
      return;
    }
    int entries = b.getShort((int) ifd) & 0xFFFF;
    for (int i = 0; i < entries; i++) {
      int e = (int) ifd + 2 + i * 12;
      if (e + 12 > tiff.length) {
        return;
      }
      if ((b.getShort(e) & 0xFFFF) == 0x0112 && (b.getShort(e + 2) & 0xFFFF) == 3) {
        b.putShort(e + 8, (short) 1);
        return;
      }
    }
  }
}
