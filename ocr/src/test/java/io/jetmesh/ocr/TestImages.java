package io.jetmesh.ocr;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Images the tests make themselves: text rendered with Java2D as a 300 dpi scan would show it. */
final class TestImages {
  static final List<String> LETTER = List.of(
      "Invoice INV-20417 from Northwind Traders",
      "Delivery address: 42 Harbour Street, Leeds",
      "Quantity 12 widgets at 4.75 each",
      "Total amount due within thirty days",
      "Thank you for your prompt payment");

  private TestImages() {}

  /** Lines of {@code pt}-point serif text on a white page at 300 dpi with 1-inch margins. */
  static BufferedImage page(List<String> lines, float pt) {
    int px = Math.round(pt * 300 / 72f);
    int w = 2100;
    int h = 300 + lines.size() * px * 2;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SERIF, Font.PLAIN, px));
      int y = 150 + px;
      for (String line : lines) {
        g.drawString(line, 300, y);
        y += px * 2;
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  /** {@code img} turned clockwise by 90, 180 or 270 degrees. */
  static BufferedImage rotated(BufferedImage img, int clockwise) {
    return ImageOps.rotate(ImageOps.toGray(img), clockwise);
  }

  /** 1 - (edit distance / reference length), whitespace collapsed. */
  static double charAccuracy(String predicted, String reference) {
    String p = predicted.replaceAll("\\s+", " ").strip();
    String r = reference.replaceAll("\\s+", " ").strip();
    return 1.0 - (double) levenshtein(p, r) / Math.max(1, r.length());
  }

  static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
