package io.jetmesh.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import java.awt.Color;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every image operation through a real nats-server: client → image.process.* stream → image worker → result. */
class ImageMeshEndToEndTest {
  @TempDir static Path dir;
  static EmbeddedMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed: end-to-end test skipped");
    ImageWorkerOptions opts = new ImageWorkerOptions(Map.of()).device("auto").maxBatch(8).batchWait("20ms")
        .addModel("colour=" + ModelInferenceTest.model("colour.onnx") + ",type=classify,input-size=32,labels="
            + ModelInferenceTest.model("colour-labels.txt"))
        .addModel("embed=" + ModelInferenceTest.model("embed.onnx") + ",type=embed,input-size=32");
    mesh = EmbeddedMesh.builder().modules(List.of(new ImageWorkerModule(opts))).concurrency(12)
        .dir(dir.resolve("mesh")).cacheDir(dir.resolve("cache")).start();
    client = MeshClient.connect(mesh.options());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  static CompletableFuture<JobResult> submit(String op, byte[] data, String name, String options) {
    return client.submit(JobRequest.builder("image.process." + op).inline(data, name, null).options(options).build()).result();
  }

  static JsonNode output(String op, byte[] data, String name, String options) throws Exception {
    JobResult r = submit(op, data, name, options).get(120, TimeUnit.SECONDS);
    return client.output(r).get(30, TimeUnit.SECONDS);
  }

  @Test
  void metadataThumbnailAndConvertThroughTheMesh() throws Exception {
    byte[] png = TestImages.encode(TestImages.redLeftBlueRight(640, 480), "png");
    assertThat(output("metadata", png, "a.png", "{}").path("width").asInt()).isEqualTo(640);
    JsonNode thumb = output("thumbnail", png, "a.png", "{\"width\":64,\"height\":64}");
    assertThat(thumb.path("height").asInt()).isEqualTo(48);
    String uri = thumb.path("artifact").path("uri").asText();
    assertThat(uri).startsWith("nats-object://");
    try (InputStream in = client.openBlob(uri)) {
      assertThat(ImageIO.read(in).getWidth()).isEqualTo(64);
    }
    JsonNode tiff = output("convert", png, "a.png", "{\"format\":\"tiff\",\"width\":100}");
    assertThat(tiff.path("content_type").asText()).isEqualTo("image/tiff");
  }

  @Test
  void ocrThroughTheMesh() throws Exception {
    byte[] png = TestImages.encode(TestImages.text(900, 160, "Mesh OCR works"), "png");
    JsonNode out = output("ocr", png, "t.png", "{}");
    assertThat(out.path("text").asText()).contains("Mesh OCR works");
  }

  /**
   * Every format the worker claims through the object store (as the CLI sends local files) with Tesseract: each JPEG
   * variant (every JPEG was rejected before page counting got its own reader) and one encoding of each other format,
   * plus a JPEG with PaddleOCR. OcrFormatsTest reads every encoding with both engines without the mesh.
   */
  @Test
  void ocrOfEveryFormatThroughTheMesh() throws Exception {
    Map<String, CompletableFuture<JobResult>> jobs = new java.util.LinkedHashMap<>();
    Map<String, FormatSamples.Sample> samples = new java.util.HashMap<>();
    java.util.Set<String> formatsSeen = new java.util.HashSet<>();
    for (FormatSamples.Sample s : FormatSamples.all()) {
      boolean jpeg = s.format().equals("jpeg");
      if (!jpeg && !formatsSeen.add(s.format()) && !s.name().equals("gif-2-frames")) {
        continue;
      }
      Path file = java.nio.file.Files.write(dir.resolve(s.fileName()), s.data());
      for (String engine : s.name().equals("jpeg-baseline") ? io.jetmesh.ocr.OcrEngines.NAMES : List.of("tesseract")) {
        String options = "{\"engine\":\"" + engine + "\",\"words\":false"
            + (s.upright() ? "" : ",\"detect_orientation\":false") + "}";
        String key = s.name() + " with " + engine;
        samples.put(key, s);
        jobs.put(key, client.submit(JobRequest.builder("image.process.ocr").file(file).options(options).build()).result());
      }
    }
    List<String> wrong = new ArrayList<>();
    for (var job : jobs.entrySet()) {
      FormatSamples.Sample s = samples.get(job.getKey());
      try {
        JsonNode out = client.output(job.getValue().get(300, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < s.pages().size(); i++) {
          String text = out.path("pages").path(i).path("text").asText();
          if (out.path("pages").size() != s.pages().size() || OcrFormatsTest.similarity(text, s.pages().get(i)) < 0.9) {
            wrong.add(job.getKey() + ": page " + (i + 1) + " of " + out.path("pages").size() + " read as '" + text + "'");
          }
        }
      } catch (ExecutionException e) {
        wrong.add(job.getKey() + ": " + e.getCause());
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void paddleOcrOfAMultiPageTiffThroughTheMesh() throws Exception {
    byte[] tiff = TestImages.tiff(List.of(TestImages.text(900, 160, "Invoice 4711 total"),
        TestImages.text(900, 160, "Second page 2024")));
    // 860 KB uncompressed: above the inline limit, so it goes through the object store
    Path file = java.nio.file.Files.write(dir.resolve("p.tif"), tiff);
    JobResult r = client.submit(JobRequest.builder("image.process.ocr").file(file).options("{\"engine\":\"paddle\"}")
        .build()).result().get(180, TimeUnit.SECONDS);
    JsonNode out = client.output(r).get(30, TimeUnit.SECONDS);
    assertThat(out.path("engine").asText()).isEqualTo("paddle");
    assertThat(out.path("pages")).hasSize(2);
    assertThat(out.path("pages").get(0).path("text").asText()).contains("4711");
    assertThat(out.path("pages").get(1).path("text").asText()).contains("2024");
    JsonNode word = out.path("pages").get(0).path("lines").get(0).path("words").get(0);
    assertThat(word.path("box").path("width").asInt()).isGreaterThan(0);
  }

  @Test
  void concurrentClassifyJobsAreBatchedAndEmbedWorks() throws Exception {
    List<CompletableFuture<JobResult>> jobs = new ArrayList<>();
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
    for (int i = 0; i < 24; i++) {
      jobs.add(submit("classify", TestImages.encode(TestImages.solid(40, 40, colours[i % 3]), "png"), "c.png", "{}"));
    }
    int maxBatch = 0;
    for (int i = 0; i < jobs.size(); i++) {
      JsonNode out = client.output(jobs.get(i).get(120, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS);
      assertThat(out.path("labels").get(0).path("label").asText()).isEqualTo(new String[] {"red", "green", "blue"}[i % 3]);
      maxBatch = Math.max(maxBatch, out.path("batch_size").asInt());
    }
    assertThat(maxBatch).as("largest batch seen").isGreaterThan(1);
    JsonNode emb = output("embed", TestImages.encode(TestImages.solid(40, 40, Color.RED), "png"), "e.png", "{}");
    assertThat(emb.path("dimensions").asInt()).isEqualTo(16);
  }

  @Test
  void hostileInputFailsPreciselyAndTheWorkerStaysUp() throws Exception {
    try {
      submit("thumbnail", TestImages.pngHeader(100_000, 100_000), "bomb.png", "{}").get(60, TimeUnit.SECONDS);
      throw new AssertionError("bomb accepted");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(JobFailedException.class);
      JobFailedException f = (JobFailedException) e.getCause();
      assertThat(f.code()).isEqualTo(ErrorCode.TOO_LARGE);
      assertThat(f.result().attempts()).isEqualTo(1);
    }
    try {
      submit("metadata", new byte[] {1, 2, 3, 4, 5}, "junk.bin", "{}").get(60, TimeUnit.SECONDS);
      throw new AssertionError("junk accepted");
    } catch (ExecutionException e) {
      assertThat(((JobFailedException) e.getCause()).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }
    byte[] png = TestImages.encode(TestImages.solid(10, 10, Color.RED), "png");
    assertThat(output("metadata", png, "ok.png", "{}").path("width").asInt()).isEqualTo(10);
  }
}
