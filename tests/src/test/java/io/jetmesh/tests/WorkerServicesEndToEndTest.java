package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.ConvertOptions;
import io.jetmesh.client.DocumentResult;
import io.jetmesh.client.DocumentService;
import io.jetmesh.client.ImageService;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.TextService;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.ProgressEvent;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.worker.WorkerModule;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real services through the mesh with the typed clients: a PDF this test generates converted, chunked and
 * embedded in one submission (the mesh routes each stage), OCR of an image, text statistics.
 */
class WorkerServicesEndToEndTest {
  @TempDir static Path dir;
  static EmbeddedMesh mesh;
  static MeshClient client;

  @BeforeAll
  static void start() throws Exception {
    Set<String> modules = EmbeddedMesh.discoverModules().stream().map(WorkerModule::namespace).collect(Collectors.toSet());
    Assumptions.assumeTrue(modules.containsAll(List.of("pdf", "image", "text")), "worker modules missing: " + modules);
    mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).concurrency(2).start();
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

  static Path reportPdf() throws Exception {
    Path f = dir.resolve("report.pdf");
    try (PDDocument doc = new PDDocument()) {
      String[][] pages = {
          {"Lighthouse Annual Report", "1. Operations", "The lighthouse operated every night of the year without a single outage.",
              "Fuel consumption fell by eight percent after the new lamp was installed in March."},
          {"2. Visitors", "Nearly twelve thousand visitors climbed the tower during the summer season.",
              "School groups accounted for a third of all guided tours this year."}};
      for (String[] lines : pages) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          float y = 760;
          for (int i = 0; i < lines.length; i++) {
            boolean heading = i == 0 || lines[i].matches("\\d\\..*");
            cs.beginText();
            cs.setFont(new PDType1Font(heading ? Standard14Fonts.FontName.HELVETICA_BOLD : Standard14Fonts.FontName.HELVETICA),
                i == 0 && lines == pages[0] ? 20 : heading ? 14 : 11);
            cs.newLineAtOffset(60, y);
            cs.showText(lines[i]);
            cs.endText();
            y -= heading ? 30 : 18;
          }
        }
      }
      doc.save(f.toFile());
    }
    return f;
  }

  @Test
  void pdfIsConvertedToMarkdownAndDoclingJsonWithProgress() throws Exception {
    DocumentService docs = new DocumentService(client);
    List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    DocumentResult r = docs.processFile(reportPdf(), ConvertOptions.builder().toFormats("md", "json", "text").build(), events::add)
        .get(120, TimeUnit.SECONDS);
    assertThat(r.markdown()).contains("Lighthouse Annual Report").contains("Operations").contains("twelve thousand visitors");
    assertThat(r.document().path("schema_name").asText()).isEqualTo("DoclingDocument");
    assertThat(r.text()).contains("Fuel consumption fell");
    assertThat(events).isNotEmpty();
  }

  @Test
  void pdfTextTablesAndMetadataOperationsRunThroughTheMesh() throws Exception {
    DocumentService docs = new DocumentService(client);
    String uri = client.upload(reportPdf()).get(30, TimeUnit.SECONDS);
    JsonNode text = docs.extractText(uri).get(120, TimeUnit.SECONDS);
    assertThat(text.toString()).contains("Fuel consumption fell").contains("twelve thousand visitors");
    JsonNode tables = docs.extractTables(uri).get(120, TimeUnit.SECONDS);
    assertThat(tables.isObject()).isTrue();
    JsonNode meta = docs.metadata(uri).get(120, TimeUnit.SECONDS);
    assertThat(meta.toString()).contains("2");
    assertThat(meta.path("page_count").asInt(meta.path("pages").asInt(-1))).isEqualTo(2);
  }

  @Test
  void pdfToChunksToEmbeddingsInOneSubmission() throws Exception {
    String uri = client.upload(reportPdf()).get(30, TimeUnit.SECONDS);
    List<ProgressEvent> events = new CopyOnWriteArrayList<>();
    JobResult r = new DocumentService(client).convertChunkEmbed(uri, ConvertOptions.builder().toFormats("json").build(),
        Json.objectOf("{\"max_tokens\":64}"), Json.object(), events::add).get(180, TimeUnit.SECONDS);
    assertThat(r.stages()).extracting(s -> s.subject())
        .containsExactly("pdf.docling.convert", "text.analyze.chunk", "text.analyze.embed");
    JsonNode out = client.output(r).get(30, TimeUnit.SECONDS);
    assertThat(out.path("dimension").asInt()).isEqualTo(384);
    assertThat(out.path("embeddings").size()).isGreaterThanOrEqualTo(2);
    JsonNode first = out.path("embeddings").get(0);
    assertThat(first.path("vector").size()).isEqualTo(384);
    assertThat(first.path("pages").size()).isGreaterThan(0);
    assertThat(events.stream().map(e -> e.progress().stage()).filter(s -> s != null).distinct().count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void imageIsReadByOcrAndTextGetsStatistics() throws Exception {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(900, 220, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    var g = img.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 900, 220);
    g.setColor(java.awt.Color.BLACK);
    g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 48));
    g.drawString("Invoice 4711 total 99.50", 40, 120);
    g.dispose();
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", png);
    Path f = Files.write(dir.resolve("invoice.png"), png.toByteArray());
    String uri = client.upload(f).get(30, TimeUnit.SECONDS);
    JsonNode ocr = new ImageService(client).ocr(uri, Json.objectOf("{\"engine\":\"tesseract\"}")).get(120, TimeUnit.SECONDS);
    assertThat(ocr.toString()).contains("Invoice").contains("4711").contains("99.50");
    JsonNode stats = new TextService(client).stats("The lamp burned all night. Ships passed safely.").get(60, TimeUnit.SECONDS);
    assertThat(stats.toString()).contains("\"sentences\"");
  }
}
