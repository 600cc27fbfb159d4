package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.image.handlers.MetadataHandler;
import io.jetmesh.image.transform.ImageEncoder;
import io.jetmesh.image.transform.OutputFormat;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataHandlerTest {
  private static JsonNode metadata(byte[] data, String name) {
    return HandlerTestKit.forSubject("image.process.metadata").input(data, name)
        .run(new MetadataHandler(ImageLimits.DEFAULT)).requireResult().output();
  }

  @Test
  void reportsDimensionsFormatAndColorModelOfPng() {
    BufferedImage argb = new BufferedImage(120, 80, BufferedImage.TYPE_INT_ARGB);
    JsonNode out = metadata(TestImages.encode(argb, "png"), "a.png");
    assertThat(out.path("format").asText()).isEqualTo("png");
    assertThat(out.path("mime_type").asText()).isEqualTo("image/png");
    assertThat(out.path("width").asInt()).isEqualTo(120);
    assertThat(out.path("height").asInt()).isEqualTo(80);
    assertThat(out.path("pages").asInt()).isEqualTo(1);
    assertThat(out.path("color").path("space").asText()).isEqualTo("rgb");
    assertThat(out.path("color").path("has_alpha").asBoolean()).isTrue();
    assertThat(out.path("color").path("bits_per_component").asInt()).isEqualTo(8);
    assertThat(out.path("metadata").has("PNG-IHDR")).isTrue();
  }

  @Test
  void reportsGrayColorSpace() {
    BufferedImage gray = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
    JsonNode out = metadata(TestImages.encode(gray, "bmp"), "g.bmp");
    assertThat(out.path("format").asText()).isEqualTo("bmp");
    assertThat(out.path("color").path("space").asText()).isEqualTo("gray");
  }

  @Test
  void reportsExifOrientationAndDisplaySize() throws Exception {
    byte[] jpeg = ImageEncoder.encode(TestImages.solid(64, 32, Color.RED), OutputFormat.JPEG, 0.9f,
        TestImages.exifWithOrientation(8)).data();
    JsonNode out = metadata(jpeg, "o.jpg");
    assertThat(out.path("format").asText()).isEqualTo("jpeg");
    assertThat(out.path("orientation").asInt()).isEqualTo(8);
    assertThat(out.path("display_width").asInt()).isEqualTo(32);
    assertThat(out.path("display_height").asInt()).isEqualTo(64);
    assertThat(out.path("metadata").path("Exif IFD0").path("Orientation").asText()).contains("Rotate 270");
  }

  @Test
  void reportsPagesOfMultiPageTiff() {
    byte[] tiff = TestImages.tiff(List.of(TestImages.solid(30, 20, Color.RED), TestImages.solid(60, 40, Color.BLUE),
        TestImages.solid(10, 10, Color.GREEN)));
    JsonNode out = metadata(tiff, "p.tif");
    assertThat(out.path("format").asText()).isEqualTo("tiff");
    assertThat(out.path("pages").asInt()).isEqualTo(3);
    assertThat(out.path("pages_exceed_limit").asBoolean()).isFalse();
    assertThat(out.path("page_sizes").get(1).path("width").asInt()).isEqualTo(60);
  }
}
