package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.image.handlers.ConvertHandler;
import io.jetmesh.image.handlers.ThumbnailHandler;
import io.jetmesh.image.transform.ImageEncoder;
import io.jetmesh.image.transform.OutputFormat;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class TransformHandlersTest {
  private static final ImageLimits LIMITS = ImageLimits.DEFAULT;

  private static HandlerTestKit.Run thumbnail(byte[] data, String name, String options) {
    return HandlerTestKit.forSubject("image.process.thumbnail").input(data, name).options(options)
        .run(new ThumbnailHandler(LIMITS));
  }

  private static HandlerTestKit.Run convert(byte[] data, String name, String options) {
    return HandlerTestKit.forSubject("image.process.convert").input(data, name).options(options)
        .run(new ConvertHandler(LIMITS));
  }

  static Path artifact(JsonNode out) {
    return Path.of(URI.create(out.path("artifact").path("uri").asText()));
  }

  static BufferedImage readArtifact(JsonNode out) throws Exception {
    return ImageIO.read(artifact(out).toFile());
  }

  static boolean near(int rgb, Color c) {
    Color p = new Color(rgb);
    return Math.abs(p.getRed() - c.getRed()) < 40 && Math.abs(p.getGreen() - c.getGreen()) < 40
        && Math.abs(p.getBlue() - c.getBlue()) < 40;
  }

  @Test
  void thumbnailFitsInsideTheBoxKeepingAspect() throws Exception {
    byte[] jpeg = TestImages.encode(TestImages.redLeftBlueRight(800, 600), "jpeg");
    HandlerTestKit.Run run = thumbnail(jpeg, "in.jpg", "{\"width\":200,\"height\":200}");
    JsonNode out = run.requireResult().output();
    assertThat(out.path("width").asInt()).isEqualTo(200);
    assertThat(out.path("height").asInt()).isEqualTo(150);
    assertThat(out.path("format").asText()).isEqualTo("jpeg");
    assertThat(out.path("source").path("width").asInt()).isEqualTo(800);
    assertThat(run.result().artifacts()).containsKey("thumbnail.jpg");
    BufferedImage t = readArtifact(out);
    assertThat(t.getWidth()).isEqualTo(200);
    assertThat(near(t.getRGB(20, 75), Color.RED)).isTrue();
    assertThat(near(t.getRGB(180, 75), Color.BLUE)).isTrue();
  }

  @Test
  void thumbnailFillCoversTheBoxAndCentreCrops() throws Exception {
    byte[] png = TestImages.encode(TestImages.redLeftBlueRight(800, 400), "png");
    JsonNode out = thumbnail(png, "in.png", "{\"width\":100,\"height\":100,\"mode\":\"fill\",\"format\":\"png\"}")
        .requireResult().output();
    assertThat(out.path("width").asInt()).isEqualTo(100);
    assertThat(out.path("height").asInt()).isEqualTo(100);
    BufferedImage t = readArtifact(out);
    assertThat(near(t.getRGB(10, 50), Color.RED)).isTrue();
    assertThat(near(t.getRGB(90, 50), Color.BLUE)).isTrue();
  }

  @Test
  void thumbnailOfLargeImageIsDecodedSubsampled() throws Exception {
    byte[] png = TestImages.encode(TestImages.redLeftBlueRight(4000, 3000), "png");
    JsonNode out = thumbnail(png, "big.png", "{\"width\":100,\"height\":100}").requireResult().output();
    assertThat(out.path("source").path("decode_subsampling").asInt()).isGreaterThan(1);
    assertThat(out.path("width").asInt()).isEqualTo(100);
    assertThat(out.path("height").asInt()).isEqualTo(75);
  }

  @Test
  void thumbnailDoesNotUpscaleSmallImages() {
    byte[] png = TestImages.encode(TestImages.solid(40, 30, Color.GREEN), "png");
    JsonNode out = thumbnail(png, "small.png", "{}").requireResult().output();
    assertThat(out.path("width").asInt()).isEqualTo(40);
    assertThat(out.path("height").asInt()).isEqualTo(30);
  }

  @Test
  void thumbnailKeepsTransparencyAsPng() throws Exception {
    BufferedImage argb = new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80FF0000);
    JsonNode out = thumbnail(TestImages.encode(argb, "png"), "alpha.png", "{\"width\":64,\"height\":64}")
        .requireResult().output();
    assertThat(out.path("format").asText()).isEqualTo("png");
    assertThat(readArtifact(out).getColorModel().hasAlpha()).isTrue();
  }

  @Test
  void exifOrientationIsAppliedAndMetadataStrippedByDefault() throws Exception {
    // stored 800x600 with the red half on the left; orientation 6 = display rotated 90 degrees clockwise
    byte[] jpeg = ImageEncoder.encode(TestImages.redLeftBlueRight(800, 600), OutputFormat.JPEG, 0.9f,
        TestImages.exifWithOrientation(6)).data();
    HandlerTestKit.Run run = thumbnail(jpeg, "rotated.jpg", "{\"width\":300,\"height\":300}");
    JsonNode out = run.requireResult().output();
    assertThat(out.path("source").path("orientation").asInt()).isEqualTo(6);
    assertThat(out.path("width").asInt()).isEqualTo(225);
    assertThat(out.path("height").asInt()).isEqualTo(300);
    BufferedImage t = readArtifact(out);
    assertThat(near(t.getRGB(110, 20), Color.RED)).as("red on top after rotating clockwise").isTrue();
    assertThat(near(t.getRGB(110, 280), Color.BLUE)).isTrue();
    assertThat(out.path("metadata_kept").asBoolean()).isFalse();
    var md = ImageMetadataReader.readMetadata(artifact(out).toFile());
    assertThat(md.getFirstDirectoryOfType(ExifIFD0Directory.class)).isNull();
  }

  @Test
  void keepMetadataWritesExifWithOrientationReset() throws Exception {
    byte[] jpeg = ImageEncoder.encode(TestImages.redLeftBlueRight(80, 60), OutputFormat.JPEG, 0.9f,
        TestImages.exifWithOrientation(6)).data();
    for (String fmt : new String[] {"jpeg", "png"}) {
      JsonNode out = convert(jpeg, "in.jpg", "{\"format\":\"" + fmt + "\",\"keep_metadata\":true}").requireResult().output();
      assertThat(out.path("metadata_kept").asBoolean()).as(fmt).isTrue();
      var dir = ImageMetadataReader.readMetadata(artifact(out).toFile()).getFirstDirectoryOfType(ExifIFD0Directory.class);
      assertThat(dir).as(fmt).isNotNull();
      assertThat(dir.getInt(ExifIFD0Directory.TAG_ORIENTATION)).as(fmt).isEqualTo(1);
      assertThat(out.path("width").asInt()).isEqualTo(60);
    }
  }

  @Test
  void convertPngToJpegWithQuality() throws Exception {
    byte[] png = TestImages.encode(TestImages.redLeftBlueRight(320, 240), "png");
    JsonNode low = convert(png, "in.png", "{\"format\":\"jpeg\",\"quality\":0.2}").requireResult().output();
    JsonNode high = convert(png, "in.png", "{\"format\":\"jpg\",\"quality\":0.95}").requireResult().output();
    assertThat(low.path("content_type").asText()).isEqualTo("image/jpeg");
    assertThat(low.path("size").asLong()).isLessThan(high.path("size").asLong());
    assertThat(readArtifact(high).getWidth()).isEqualTo(320);
    assertThat(low.path("artifact").path("size").asLong()).isEqualTo(low.path("size").asLong());
  }

  @Test
  void convertToTiffAndBmpWithCropAndResize() throws Exception {
    byte[] png = TestImages.encode(TestImages.redLeftBlueRight(400, 200), "png");
    JsonNode tif = convert(png, "in.png",
        "{\"format\":\"tiff\",\"crop\":{\"x\":200,\"y\":0,\"width\":200,\"height\":200},\"width\":50}")
        .requireResult().output();
    assertThat(tif.path("format").asText()).isEqualTo("tiff");
    BufferedImage t = readArtifact(tif);
    assertThat(t.getWidth()).isEqualTo(50);
    assertThat(t.getHeight()).isEqualTo(50);
    assertThat(near(t.getRGB(25, 25), Color.BLUE)).isTrue();
    JsonNode bmp = convert(png, "in.png", "{\"format\":\"bmp\",\"height\":100}").requireResult().output();
    assertThat(readArtifact(bmp).getWidth()).isEqualTo(200);
  }

  @Test
  void convertReadsWebpAndPagesOfTiff() throws Exception {
    byte[] webp;
    try (InputStream in = getClass().getResourceAsStream("/images/red-blue-64x48.webp")) {
      webp = in.readAllBytes(); // made with PIL: Image.new('RGB',(64,48),red), right half blue, lossless
    }
    JsonNode out = convert(webp, "in.webp", "{\"format\":\"png\"}").requireResult().output();
    assertThat(out.path("source").path("format").asText()).isEqualTo("webp");
    BufferedImage img = readArtifact(out);
    assertThat(near(img.getRGB(5, 5), Color.RED)).isTrue();
    assertThat(near(img.getRGB(60, 5), Color.BLUE)).isTrue();

    byte[] tiff = TestImages.tiff(java.util.List.of(TestImages.solid(30, 20, Color.RED), TestImages.solid(30, 20, Color.GREEN)));
    JsonNode page2 = convert(tiff, "two.tif", "{\"format\":\"png\",\"page\":2}").requireResult().output();
    assertThat(near(readArtifact(page2).getRGB(10, 10), Color.GREEN)).isTrue();
  }

  @Test
  void sixteenBitGrayPngConvertsToJpeg() throws Exception {
    BufferedImage gray16 = new BufferedImage(120, 90, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 90; y++) {
      for (int x = 0; x < 120; x++) {
        gray16.getRaster().setSample(x, y, 0, x * 500);
      }
    }
    byte[] png = TestImages.encode(gray16, "png");
    JsonNode out = convert(png, "g16.png", "{\"format\":\"jpeg\"}").requireResult().output();
    BufferedImage jpg = readArtifact(out);
    assertThat(jpg.getWidth()).isEqualTo(120);
    assertThat(new Color(jpg.getRGB(110, 45)).getRed()).isGreaterThan(new Color(jpg.getRGB(5, 45)).getRed() + 100);
    JsonNode thumb = thumbnail(png, "g16.png", "{\"width\":60,\"height\":60}").requireResult().output();
    assertThat(thumb.path("width").asInt()).isEqualTo(60);
  }

  @Test
  void webpOutputIsUnsupportedWithReason() {
    byte[] png = TestImages.encode(TestImages.solid(20, 20, Color.RED), "png");
    HandlerTestKit.Run run = convert(png, "a.png", "{\"format\":\"webp\"}");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(run.error().getMessage()).contains("reads WebP only");
  }

  @Test
  void convertWithoutFormatIsInvalid() throws Exception {
    byte[] png = TestImages.encode(TestImages.solid(20, 20, Color.RED), "png");
    HandlerTestKit.Run run = convert(png, "a.png", "{}");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("format is required");
    assertThat(Files.exists(run.workDir())).isTrue();
  }
}
