package io.jetmesh.tests;

import static io.jetmesh.tests.S3InputTest.cli;
import static io.jetmesh.tests.S3InputTest.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.pdf.PdfWorkerModule;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.cli.support.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jetmesh convert --page-range} (docling's page_range) against a mesh with the PDF worker. */
class ConvertPageRangeCliTest {
  @TempDir static Path dir;
  static EmbeddedMesh mesh;
  static String[] conn;
  static Path pdf;

  @BeforeAll
  static void start() throws Exception {
    mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).modules(List.of(new PdfWorkerModule(() -> null)))
        .concurrency(1).start();
    conn = new String[] {"--nats-url", mesh.url(), "--token", mesh.token()};
    pdf = dir.resolve("three-pages.pdf");
    try (PDDocument doc = new PDDocument()) {
      for (int p = 1; p <= 3; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cs.beginText();
          cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          cs.newLineAtOffset(72, 720);
          cs.showText("This is the text of page number " + p + " of the document.");
          cs.endText();
        }
      }
      doc.save(pdf.toFile());
    }
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void convertsOnlyThePagesOfTheRange() throws Exception {
    Path out = dir.resolve("out-range");
    S3InputTest.Run r = cli(concat(new String[] {"convert", pdf.toString(), "--page-range", "2-3", "--to", "md",
        "-o", out.toString()}, conn));
    assertThat(r.exit()).as(r.err()).isZero();
    String md = Files.readString(out.resolve("three-pages.md"));
    assertThat(md).contains("page number 2").contains("page number 3").doesNotContain("page number 1");

    Path one = dir.resolve("out-one");
    S3InputTest.Run single = cli(concat(new String[] {"convert", pdf.toString(), "--page-range", "1", "--to", "md",
        "-o", one.toString()}, conn));
    assertThat(single.exit()).as(single.err()).isZero();
    assertThat(Files.readString(one.resolve("three-pages.md"))).contains("page number 1").doesNotContain("page number 2");
  }

  @Test
  void aBadRangeIsAUsageErrorNamingTheOption() {
    for (String bad : new String[] {"3-2", "0-1", "two"}) {
      S3InputTest.Run r = cli(concat(new String[] {"convert", pdf.toString(), "--page-range", bad, "-o",
          dir.resolve("never").toString()}, conn));
      assertThat(r.exit()).as(bad).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err()).as(bad).contains("--page-range").contains(bad);
    }
    assertThat(cli("convert", "--help").out()).contains("--page-range").doesNotContain("--table-mode");
  }
}
