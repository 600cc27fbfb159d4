package io.jetmesh.pdf.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportGeneratorTest {
  @TempDir Path dir;

  private static String pageText(PDDocument doc, int page) throws Exception {
    PDFTextStripper s = new PDFTextStripper();
    s.setStartPage(page);
    s.setEndPage(page);
    return s.getText(doc).replaceAll("\\s+", " ");
  }

  @Test
  void writesTheRequestedPagesWithHeadingsRunningHeadersPageNumbersAndTables() throws Exception {
    ReportGenerator.Summary sum = ReportGenerator.generate(dir.resolve("report.pdf"), 30, 7);
    assertThat(sum.pages()).isEqualTo(30);
    assertThat(sum.tables()).isGreaterThanOrEqualTo(3);
    assertThat(sum.headings()).extracting(ReportGenerator.Heading::level).contains(1, 2);
    try (PDDocument doc = Loader.loadPDF(sum.file().toFile())) {
      assertThat(doc.getNumberOfPages()).isEqualTo(30);
      assertThat(pageText(doc, 1)).contains(ReportGenerator.TITLE).contains(sum.headings().get(0).text());
      for (int p = 1; p <= 30; p++) {
        assertThat(pageText(doc, p)).as("page %d", p).contains("Page " + p + " of 30").contains(ReportGenerator.HEADER);
      }
      for (ReportGenerator.Heading h : sum.headings()) {
        assertThat(pageText(doc, h.page())).as("heading on page %d", h.page()).contains(h.text());
      }
      String all = new PDFTextStripper().getText(doc);
      assertThat(all).contains("Table 1: ").contains("Cost per t-km").contains("\u2022");
    }
    // the text operation that bench/pdf-peers.sh --large times reads every page of it
    HandlerTestKit.Run run = HandlerTestKit.forSubject("pdf.docling.text").input(sum.file()).options("{}")
        .run(CorpusEval.handlers().get("text"));
    JsonNode pages = run.requireResult().output().path("pages");
    assertThat(pages.size()).isEqualTo(30);
    assertThat(pages.get(29).path("text").asText()).contains("Page 30 of 30");
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherText() throws Exception {
    Path a = ReportGenerator.generate(dir.resolve("a.pdf"), 30, 42).file();
    Path b = ReportGenerator.generate(dir.resolve("b.pdf"), 30, 42).file();
    Path c = ReportGenerator.generate(dir.resolve("c.pdf"), 30, 43).file();
    assertThat(Files.mismatch(a, b)).isEqualTo(-1L);
    try (PDDocument da = Loader.loadPDF(a.toFile()); PDDocument dc = Loader.loadPDF(c.toFile())) {
      assertThat(dc.getNumberOfPages()).isEqualTo(30);
      assertThat(pageText(dc, 5)).isNotEqualTo(pageText(da, 5));
    }
  }
}
