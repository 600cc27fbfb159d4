package io.jetmesh.image.decode;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** EXIF orientation (tag 0x0112, values 1..8): reading it and turning an image upright. */
public final class Orientation {
  private Orientation() {}

  /** The EXIF orientation of {@code file}, 1 (upright) when absent or unreadable. */
  public static int read(Path file) {
    try {
      Metadata md = ImageMetadataReader.readMetadata(file.toFile());
      ExifIFD0Directory dir = md.getFirstDirectoryOfType(ExifIFD0Directory.class);
      if (dir != null && dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
        int o = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
        return o >= 1 && o <= 8 ? o : 1;
      }
    } catch (Exception | StackOverflowError e) {
      // Metadata is optional: a file whose EXIF is damaged is still decoded as stored.
    }
    return 1;
  }

  /** True for orientations 5..8, which swap width and height. */
  public static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /** {@code img} turned upright according to {@code orientation}; the same image for 1. */
  public static BufferedImage apply(BufferedImage img, int orientation) {
    if (orientation <= 1 || orientation > 8) {
      return img;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    // new AffineTransform(m00, m10, m01, m11, m02, m12): x' = m00*x + m01*y + m02, y' = m10*x + m11*y + m12
    AffineTransform t = switch (orientation) {
      case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirror horizontally
      case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // rotate 180
      case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // mirror vertically
      case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transpose
      case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // rotate 90 clockwise
      case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transverse
      default -> new AffineTransform(0, -1, 1, 0, 0, w);  // 8: rotate 270 clockwise
    };
    boolean swap = swapsAxes(orientation);
    BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, workingType(img));
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(img, t, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** ARGB when the image has alpha, gray for gray images, otherwise RGB. */
  public static int workingType(BufferedImage img) {
    if (img.getColorModel().hasAlpha()) {
      return BufferedImage.TYPE_INT_ARGB;
    }
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      return BufferedImage.TYPE_BYTE_GRAY;
    }
    return BufferedImage.TYPE_INT_RGB;
  }
}
