package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.image.handlers.ConvertHandler;
import io.jetmesh.image.handlers.MetadataHandler;
import io.jetmesh.image.handlers.OcrHandler;
import io.jetmesh.image.handlers.ThumbnailHandler;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hostile and broken inputs fail with a precise code and message, quickly, without decoding pixels. */
class BadInputTest {
  private static final ImageLimits LIMITS = new ImageLimits(50_000_000, 20);

  private static HandlerTestKit.Run thumbnail(byte[] data, String name) {
    return HandlerTestKit.forSubject("image.process.thumbnail").input(data, name).run(new ThumbnailHandler(LIMITS));
  }

  @Test
  void invalidInputWhenBytesAreNotAnImage() {
    byte[] junk = new byte[4096];
    new Random(1).nextBytes(junk);
    junk[0] = 0x3f;
    HandlerTestKit.Run run = thumbnail(junk, "junk.bin");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("not a supported image").contains("first bytes are 3f");
  }

  @Test
  void invalidInputWhenFileIsEmpty() {
    HandlerTestKit.Run run = thumbnail(new byte[0], "empty.png");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("empty");
  }

  @Test
  void invalidInputWhenPngIsTruncated() {
    BufferedImage img = TestImages.redLeftBlueRight(400, 300);
    // noise makes the image data long enough that cutting it leaves the header intact but the pixels missing
    Random r = new Random(2);
    for (int i = 0; i < 20_000; i++) {
      img.setRGB(r.nextInt(400), r.nextInt(300), r.nextInt());
    }
    byte[] png = TestImages.encode(img, "png");
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    HandlerTestKit.Run run = thumbnail(cut, "cut.png");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("png").contains("truncated or corrupt");
  }

  @Test
  void invalidInputWhenPngHeaderIsCutShort() {
    byte[] png = TestImages.encode(TestImages.solid(10, 10, Color.RED), "png");
    HandlerTestKit.Run run = thumbnail(Arrays.copyOf(png, 20), "short.png");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
  }

  @Test
  void tooLargeWhenPngHeaderClaims100000x100000BeforeAnyDecoding() {
    long before = usedHeap();
    HandlerTestKit.Run run = thumbnail(TestImages.pngHeader(100_000, 100_000), "bomb.png");
    assertThat(run.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(run.error().getMessage()).contains("100000x100000").contains("10000000000 pixels")
        .contains("limit is 50000000");
    // a decoded raster would be 30 GB; the check ran on the header only
    assertThat(usedHeap() - before).isLessThan(256L << 20);
  }

  @Test
  void tooLargeWhenTiffHeaderClaims100000x100000() {
    HandlerTestKit.Run run = HandlerTestKit.forSubject("image.process.convert")
        .input(TestImages.tiffHeader(100_000, 100_000), "bomb.tif").options("{\"format\":\"png\"}")
        .run(new ConvertHandler(LIMITS));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(run.error().getMessage()).contains("tiff").contains("100000x100000");
  }

  @Test
  void metadataOfABombIsReportedWithoutDecoding() {
    HandlerTestKit.Run run = HandlerTestKit.forSubject("image.process.metadata")
        .input(TestImages.pngHeader(100_000, 100_000), "bomb.png").run(new MetadataHandler(LIMITS));
    var out = run.requireResult().output();
    assertThat(out.path("width").asInt()).isEqualTo(100_000);
    assertThat(out.path("within_pixel_limit").asBoolean()).isFalse();
  }

  @Test
  void jobCanLowerButNotRaiseThePixelLimit() {
    byte[] png = TestImages.encode(TestImages.solid(100, 100, Color.RED), "png");
    HandlerTestKit.Run lowered = HandlerTestKit.forSubject("image.process.thumbnail").input(png, "a.png")
        .options("{\"max_pixels\": 5000}").run(new ThumbnailHandler(LIMITS));
    assertThat(lowered.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    HandlerTestKit.Run raised = HandlerTestKit.forSubject("image.process.thumbnail")
        .input(TestImages.pngHeader(100_000, 100_000), "bomb.png")
        .options("{\"max_pixels\": 100000000000}").run(new ThumbnailHandler(LIMITS));
    assertThat(raised.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
  }

  @Test
  void tooLargeWhenMultiPageTiffHasMorePagesThanTheLimit() {
    List<BufferedImage> pages = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      pages.add(TestImages.solid(16, 16, Color.WHITE));
    }
    byte[] tiff = TestImages.tiff(pages);
    HandlerTestKit.Run run = HandlerTestKit.forSubject("image.process.ocr").input(tiff, "many.tif")
        .run(new OcrHandler(name -> new NoopEngine(), "tesseract", LIMITS));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(run.error().getMessage()).contains("more than 20 pages");
  }

  @Test
  void invalidInputWhenPageOptionIsBeyondTheFile() {
    byte[] tiff = TestImages.tiff(List.of(TestImages.solid(16, 16, Color.RED), TestImages.solid(16, 16, Color.BLUE)));
    HandlerTestKit.Run run = HandlerTestKit.forSubject("image.process.convert").input(tiff, "two.tif")
        .options("{\"format\":\"png\",\"page\":3}").run(new ConvertHandler(LIMITS));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(run.error().getMessage()).contains("2 page(s)");
  }

  @Test
  void invalidInputForBadOptions() {
    byte[] png = TestImages.encode(TestImages.solid(20, 20, Color.RED), "png");
    assertThat(HandlerTestKit.forSubject("image.process.convert").input(png, "a.png").options("{\"format\":\"gif2\"}")
        .run(new ConvertHandler(LIMITS)).errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(HandlerTestKit.forSubject("image.process.thumbnail").input(png, "a.png").options("{\"width\":\"big\"}")
        .run(new ThumbnailHandler(LIMITS)).errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(HandlerTestKit.forSubject("image.process.convert").input(png, "a.png")
        .options("{\"format\":\"png\",\"crop\":{\"x\":10,\"y\":10,\"width\":50,\"height\":5}}")
        .run(new ConvertHandler(LIMITS)).error().getMessage()).contains("outside the 20x20 image");
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** An engine that must never be reached in these tests. */
  static final class NoopEngine implements io.jetmesh.ocr.OcrEngine {
    @Override public String name() { return "noop"; }

    @Override
    public io.jetmesh.ocr.OcrPage recognize(BufferedImage image, io.jetmesh.ocr.OcrRequest request) {
      throw new AssertionError("recognize must not be called");
    }

    @Override public void close() {}
  }
}
