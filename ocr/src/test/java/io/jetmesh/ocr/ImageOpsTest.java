package io.jetmesh.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageOpsTest {
  @Test
  void convertsDecodedColourImagesToLuma() {
    BufferedImage bgr = new BufferedImage(3, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0xFFFFFF);
    bgr.setRGB(1, 0, 0x000000);
    bgr.setRGB(2, 0, 0xFF0000); // pure red: luma 0.299 * 255

    BufferedImage gray = ImageOps.toGray(bgr);

    assertThat(gray.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    assertThat(ImageOps.pixels(gray)[0] & 0xff).isEqualTo(255);
    assertThat(ImageOps.pixels(gray)[1] & 0xff).isZero();
    assertThat(ImageOps.pixels(gray)[2] & 0xff).isBetween(75, 77);
  }

  @Test
  void quarterTurnsMoveACornerPixelClockwise() {
    BufferedImage g = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setSample(0, 0, 0, 200); // top-left

    assertThat(ImageOps.rotate(g, 90).getRaster().getSample(1, 0, 0)).isEqualTo(200); // top-right of 2x4
    assertThat(ImageOps.rotate(g, 180).getRaster().getSample(3, 1, 0)).isEqualTo(200);
    assertThat(ImageOps.rotate(g, 270).getRaster().getSample(0, 3, 0)).isEqualTo(200);
  }

  @Test
  void unrotateIsTheInverseOfTurningTheInput() {
    // a box in a 4x2 input at (0,0) 1x1; the input turned 90 cw puts it at (1,0) in the 2x4 upright image,
    // and rotation (what makes it upright) is 90
    OcrBox upright = new OcrBox(1, 0, 1, 1);
    assertThat(upright.unrotate(90, 2, 4)).isEqualTo(new OcrBox(0, 0, 1, 1));
    assertThat(new OcrBox(3, 1, 1, 1).unrotate(180, 4, 2)).isEqualTo(new OcrBox(0, 0, 1, 1));
    assertThat(new OcrBox(0, 3, 1, 1).unrotate(270, 2, 4)).isEqualTo(new OcrBox(0, 0, 1, 1));
  }
}
