package io.jetmesh.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.ocr.OcrBox;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrLine;
import io.jetmesh.ocr.OcrPage;
import io.jetmesh.ocr.OcrRequest;
import io.jetmesh.ocr.OcrWord;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfHandlersTest {
  @TempDir
  Path dir;

  static HandlerTestKit.Run run(String op, JobHandler h, Path pdf, String options) {
    return HandlerTestKit.forSubject("pdf.docling." + op).input(pdf).options(options).run(h);
  }

  static JsonNode convert(Path pdf, String options) {
    return run("convert", new ConvertHandler(() -> null), pdf, options).requireResult().output();
  }

  @Test
  void convertLabelsHeadingsListsAndFurnitureOfAReport() throws Exception {
    Path pdf = TestPdfs.report(dir, 3);
    JsonNode out = convert(pdf, "{\"to_formats\":[\"md\",\"json\",\"text\"]}");
    assertThat(out.path("pages").asInt()).isEqualTo(3);
    JsonNode doc = out.path("document");
    assertThat(doc.path("schema_name").asText()).isEqualTo("DoclingDocument");
    List<String> labels = new ArrayList<>();
    doc.path("texts").forEach(t -> labels.add(t.path("label").asText() + ":" + t.path("text").asText()));
    assertThat(labels).contains("title:Annual Widget Review", "section_header:1 Section 1",
        "section_header:3 Section 3", "list_item:Bullet point number 2 on page 1", "page_footer:Report - page 2",
        "page_footer:2");
    JsonNode header = find(doc, "1 Section 1");
    assertThat(header.path("level").asInt()).isEqualTo(1);
    JsonNode item = find(doc, "Bullet point number 1 on page 3");
    assertThat(item.path("marker").asText()).isEqualTo("\u2022");
    assertThat(item.path("parent").path("$ref").asText()).startsWith("#/groups/");
    assertThat(find(doc, "Report - page 1").path("content_layer").asText()).isEqualTo("furniture");
    JsonNode prov = header.path("prov").get(0);
    assertThat(prov.path("page_no").asInt()).isEqualTo(1);
    assertThat(prov.path("bbox").path("coord_origin").asText()).isEqualTo("BOTTOMLEFT");
    assertThat(prov.path("bbox").path("t").asDouble()).isGreaterThan(prov.path("bbox").path("b").asDouble());
    assertThat(doc.path("pages").path("2").path("size").path("width").asDouble()).isEqualTo(595.28, org.assertj.core.data.Offset.offset(0.01));

    String md = out.path("markdown").asText();
    assertThat(md).contains("# Annual Widget Review\n\n## 1 Section 1\n\n");
    assertThat(md).contains("- Bullet point number 1 on page 1\n- Bullet point number 2 on page 1\n");
    // the hyphenated line end is joined, the footer is left out of the body
    assertThat(md).contains("the new assembly line").doesNotContain("assem-").doesNotContain("Report - page");
    assertThat(out.path("text").asText()).contains("Annual Widget Review\n\n1 Section 1").doesNotContain("##");
  }

  @Test
  void nestedListsFiguresWithCaptionsAndFootnotesAreStructured() throws Exception {
    JsonNode out = convert(TestPdfs.listFigureFootnote(dir), "{}");
    JsonNode doc = out.path("document");
    JsonNode prepare = find(doc, "Prepare the ground before the winter");
    assertThat(prepare.path("label").asText()).isEqualTo("list_item");
    // the sub-items hang in a list group under their parent item
    String sub = prepare.path("children").get(0).path("$ref").asText();
    assertThat(sub).startsWith("#/groups/");
    JsonNode roots = find(doc, "Remove the old roots");
    assertThat(roots.path("parent").path("$ref").asText()).isEqualTo(sub);
    assertThat(roots.path("marker").asText()).isEqualTo("-");
    JsonNode pic = doc.path("pictures").get(0);
    JsonNode caption = find(doc, "Figure 1: The garden in autumn.");
    assertThat(caption.path("label").asText()).isEqualTo("caption");
    assertThat(pic.path("captions").get(0).path("$ref").asText()).isEqualTo(caption.path("self_ref").asText());
    assertThat(find(doc, "apple tree").path("parent").path("$ref").asText()).isEqualTo("#/pictures/0");
    assertThat(find(doc, "1 Measured in the autumn of last year by the gardening club.").path("label").asText())
        .isEqualTo("footnote");
    String md = out.path("markdown").asText();
    assertThat(md).contains("- Prepare the ground before the winter\n    - Remove the old roots\n"
        + "    - Spread the compost evenly\n- Plant the trees in spring");
    assertThat(md).contains("north side.\n\nFigure 1: The garden in autumn.\n\n<!-- image -->\n\nAfter the figure");
    assertThat(md).doesNotContain("apple tree");
  }

  @Test
  void convertReportsProgressPerPage() throws Exception {
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> null), TestPdfs.report(dir, 4), "{}");
    r.requireResult();
    assertThat(r.progress()).hasSize(4);
    assertThat(r.progress().get(3).current()).isEqualTo(4);
    assertThat(r.progress().get(3).total()).isEqualTo(4);
  }

  @Test
  void convertHonoursPageRangeAndFormats() throws Exception {
    JsonNode out = convert(TestPdfs.report(dir, 5), "{\"page_range\":[2,3],\"to_formats\":[\"md\"]}");
    assertThat(out.path("pages").asInt()).isEqualTo(2);
    assertThat(out.has("document")).isFalse();
    assertThat(out.path("markdown").asText()).contains("## 2 Section 2").contains("## 3 Section 3")
        .doesNotContain("Section 1").doesNotContain("Section 4");
  }

  @Test
  void twoColumnsAreReadColumnByColumn() throws Exception {
    Path pdf = TestPdfs.twoColumns(dir);
    JsonNode out = run("text", new TextHandler(), pdf, "{}").requireResult().output();
    String text = out.path("pages").get(0).path("text").asText();
    assertThat(text).contains("left column line 1 continues the left text left column line 2");
    assertThat(text.indexOf("left column line 20")).isLessThan(text.indexOf("right column line 1 "));
    assertThat(text).doesNotContain("left text right column");
  }

  @Test
  void ligaturesAreNormalisedAndArabicIsInLogicalOrder() throws Exception {
    Assumptions.assumeTrue(Files.exists(TestPdfs.DEJAVU), "DejaVu Sans not installed: skipping unicode test");
    JsonNode out = run("text", new TextHandler(), TestPdfs.unicode(dir), "{}").requireResult().output();
    String text = out.path("text").asText();
    assertThat(text).contains("The final office report");
    assertThat(text).contains("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645");
  }

  @Test
  void codeInMonospaceBecomesACodeItemWithItsCaption() throws Exception {
    JsonNode out = convert(TestPdfs.code(dir), "{}");
    JsonNode code = find(out.path("document"), "function add(a, b) {\nreturn a + b;\n}");
    assertThat(code.path("label").asText()).isEqualTo("code");
    assertThat(code.path("captions")).hasSize(1);
    assertThat(out.path("markdown").asText()).contains("```\nfunction add(a, b) {\nreturn a + b;\n}\n```\n\nListing 1:");
  }

  @Test
  void tablesOperationReturnsCellGridsAndCsv() throws Exception {
    JsonNode out = run("tables", new TablesHandler(), TestPdfs.ruledTable(dir), "{}").requireResult().output();
    assertThat(out.path("tables")).hasSize(1);
    JsonNode t = out.path("tables").get(0);
    assertThat(t.path("page_no").asInt()).isEqualTo(1);
    assertThat(t.path("method").asText()).isEqualTo("lattice");
    assertThat(t.path("num_rows").asInt()).isEqualTo(4);
    assertThat(t.path("grid").get(1).get(0).asText()).isEqualTo("Widget");
    assertThat(t.path("csv").asText()).startsWith("Item,Qty,Price\r\nWidget,2,9.99\r\n");
    assertThat(t.path("cells").get(0).path("column_header").asBoolean()).isTrue();
    // prose is not a table
    JsonNode none = run("tables", new TablesHandler(), TestPdfs.report(dir, 2), "{}").requireResult().output();
    assertThat(none.path("tables")).isEmpty();
  }

  @Test
  void exceptionsFromOurOwnCodeAreNotBlamedOnTheInput() {
    IllegalStateException ours = new IllegalStateException("bug");
    ours.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("java.util.ArrayList", "get", null, 1),
        new StackTraceElement("io.jetmesh.pdf.layout.LayoutAnalyzer", "layout", null, 1)});
    assertThat(PageGuard.fromPdfLibrary(ours)).isFalse();
    IllegalStateException theirs = new IllegalStateException("bad xref");
    theirs.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("java.util.HashMap", "get", null, 1),
        new StackTraceElement("org.apache.pdfbox.pdfparser.COSParser", "parse", null, 1),
        new StackTraceElement("io.jetmesh.pdf.PdfDocuments", "open", null, 1)});
    assertThat(PageGuard.fromPdfLibrary(theirs)).isTrue();
  }

  @Test
  void metadataReportsInfoAndTextLayerPerPage() throws Exception {
    JsonNode out = run("metadata", new MetadataHandler(), TestPdfs.textAndBlank(dir), "{}").requireResult().output();
    assertThat(out.path("page_count").asInt()).isEqualTo(2);
    assertThat(out.path("pages").get(0).path("has_text_layer").asBoolean()).isTrue();
    assertThat(out.path("pages").get(1).path("has_text_layer").asBoolean()).isFalse();
    assertThat(out.path("encryption").path("encrypted").asBoolean()).isFalse();
    JsonNode info = run("metadata", new MetadataHandler(), TestPdfs.report(dir, 1), "{}").requireResult().output();
    assertThat(info.path("title").asText()).isEqualTo("Quarterly Report");
    assertThat(info.path("author").asText()).isEqualTo("Jet Mesh");
    assertThat(info.path("pdf_version").asText()).isNotEmpty();
  }

  @Test
  void encryptedPdfOpensWithItsPassword() throws Exception {
    Path pdf = TestPdfs.encrypted(dir);
    JsonNode out = run("text", new TextHandler(), pdf, "{\"password\":\"secret\"}").requireResult().output();
    assertThat(out.path("text").asText()).contains("Annual Widget Review");
    JsonNode meta = run("metadata", new MetadataHandler(), pdf, "{\"password\":\"secret\"}").requireResult().output();
    assertThat(meta.path("encryption").path("encrypted").asBoolean()).isTrue();
  }

  @Test
  void failedResultWhenPdfIsEncryptedWithoutPassword() throws Exception {
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> null), TestPdfs.encrypted(dir), "{}");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(r.error().getMessage()).contains("encrypted").contains("--pdf-password").contains("options.password");
  }

  @Test
  void failedResultWhenPasswordIsWrong() throws Exception {
    HandlerTestKit.Run r = run("text", new TextHandler(), TestPdfs.encrypted(dir), "{\"password\":\"nope\"}");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(r.error().getMessage()).contains("password does not open").contains("--pdf-password");
  }

  @Test
  void failedResultWhenInputIsNotAPdf() throws Exception {
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> null), TestPdfs.randomBytes(dir), "{}");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(r.error().getMessage()).startsWith("not a PDF: no %PDF- header");
    HandlerTestKit.Run empty = run("text", new TextHandler(), Files.write(dir.resolve("empty.pdf"), new byte[0]), "{}");
    assertThat(empty.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(empty.error().getMessage()).contains("empty");
  }

  @Test
  void damagedPdfsEndInAResultOrInvalidInput() throws Exception {
    for (Path pdf : List.of(TestPdfs.truncated(dir), TestPdfs.garbageAfterHeader(dir))) {
      for (String op : List.of("convert", "text", "tables", "metadata")) {
        HandlerTestKit.Run r = run(op, handler(op), pdf, "{}");
        if (r.error() != null) {
          assertThat(r.errorCode()).as(op + " " + pdf.getFileName()).isEqualTo(ErrorCode.INVALID_INPUT);
          assertThat(r.error().getMessage()).contains("PDF");
        }
      }
    }
  }

  @Test
  void failedResultWhenPageIsLargerThanPdfAllows() throws Exception {
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> null), TestPdfs.hugePage(dir), "{}");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(r.error().getMessage()).contains("200000 x 200000 pt");
  }

  @Test
  void failedResultWhenAnImageClaimsTooManyPixelsAndMustBeDecoded() throws Exception {
    Path pdf = TestPdfs.imageBomb(dir);
    // not decoded for plain conversion: the page just has no text
    JsonNode out = convert(pdf, "{\"do_ocr\":false}");
    assertThat(out.path("pages").asInt()).isEqualTo(1);
    // decoding it for extraction or OCR is refused before any pixel is allocated
    HandlerTestKit.Run images = run("convert", new ConvertHandler(() -> null), pdf, "{\"include_images\":true}");
    assertThat(images.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(images.error().getMessage()).contains("100000 x 100000 pixels");
    HandlerTestKit.Run ocr = run("convert", new ConvertHandler(() -> new FakeOcr()), pdf, "{}");
    assertThat(ocr.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
  }

  @Test
  void failedResultWhenPdfHasMorePagesThanTheLimit() throws Exception {
    Path pdf = TestPdfs.manyPages(dir, 10_000);
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> null), pdf, "{}");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(r.error().getMessage()).contains("10000 pages").contains("2000");
    // a page range inside the limit is fine
    JsonNode out = run("text", new TextHandler(), pdf, "{\"page_range\":[9998,10000]}").requireResult().output();
    assertThat(out.path("pages")).hasSize(3);
    assertThat(out.path("page_count").asInt()).isEqualTo(10_000);
  }

  @Test
  void deeplyNestedOrRecursiveContentEndsCleanly() throws Exception {
    for (Path pdf : List.of(TestPdfs.deepNesting(dir), TestPdfs.selfReferencingForm(dir))) {
      for (String op : List.of("convert", "text")) {
        HandlerTestKit.Run r = run(op, handler(op), pdf, "{}");
        if (r.error() != null) {
          assertThat(r.errorCode()).as(op + " " + pdf.getFileName()).isEqualTo(ErrorCode.INVALID_INPUT);
        } else {
          assertThat(r.result().output().path("pages").size() + r.result().output().path("pages").asInt())
              .isGreaterThan(0);
        }
      }
    }
  }

  @Test
  void aPageThatTakesLongerThanTheJobsTimeLimitStopsWithTimeout() throws Exception {
    Path pdf = TestPdfs.manyOperators(dir, 3_000_000);
    for (String op : List.of("convert", "text")) {
      long t0 = System.nanoTime();
      HandlerTestKit.Run r = HandlerTestKit.forSubject("pdf.docling." + op).input(pdf).options("{}")
          .timeout(java.time.Duration.ofMillis(300)).run(handler(op));
      assertThat(r.errorCode()).as(op).isEqualTo(ErrorCode.TIMEOUT);
      assertThat((System.nanoTime() - t0) / 1e9).as(op + " seconds").isLessThan(20);
    }
  }

  @Test
  void badOptionsAreInvalidInputNamingTheField() throws Exception {
    Path pdf = TestPdfs.report(dir, 1);
    assertThat(run("convert", new ConvertHandler(() -> null), pdf, "{\"page_range\":[3,1]}").error().getMessage())
        .contains("page_range");
    assertThat(run("convert", new ConvertHandler(() -> null), pdf, "{\"ocr_mode\":\"sometimes\"}").error().getMessage())
        .contains("ocr_mode");
    assertThat(run("convert", new ConvertHandler(() -> null), pdf, "{\"to_formats\":[\"vtt\"]}").errorCode())
        .isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(run("convert", new ConvertHandler(() -> null), pdf,
        "{\"table_structure_options\":{\"mode\":\"slow\"}}").error().getMessage()).contains("table_structure_options.mode");
  }

  @Test
  void pagesWithoutTextAreOcrdInAutoModeAndTheirWordsFlowThroughLayout() throws Exception {
    Path pdf = scannedLookingPage();
    FakeOcr ocr = new FakeOcr();
    JsonNode out = run("convert", new ConvertHandler(() -> ocr), pdf, "{\"ocr_options\":{\"lang\":[\"en\"]}}")
        .requireResult().output();
    assertThat(out.path("ocr_pages").get(0).asInt()).isEqualTo(1);
    assertThat(out.path("markdown").asText()).contains("Scanned words become text");
    assertThat(ocr.calls.get()).isEqualTo(1);
    assertThat(ocr.lastLanguages).isEqualTo("eng");
    // off: no OCR, the page stays empty
    JsonNode off = run("convert", new ConvertHandler(() -> ocr), pdf, "{\"do_ocr\":false}").requireResult().output();
    assertThat(off.path("ocr_pages")).isEmpty();
    // force on a page with a text layer replaces it
    JsonNode forced = run("convert", new ConvertHandler(() -> ocr), TestPdfs.textAndBlank(dir),
        "{\"force_full_page_ocr\":true}").requireResult().output();
    assertThat(forced.path("ocr_pages")).hasSize(2);
    // force without an engine is refused
    assertThat(run("convert", new ConvertHandler(() -> null), pdf, "{\"ocr_mode\":\"force\"}").errorCode())
        .isEqualTo(ErrorCode.UNSUPPORTED);
  }

  @Test
  void pagesOfOneDocumentAreOcrdInParallelAndKeepTheirOrder() throws Exception {
    Path one = scannedLookingPage();
    Path pdf = dir.resolve("scan4.pdf");
    try (var src = org.apache.pdfbox.Loader.loadPDF(one.toFile());
         var doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
      for (int i = 0; i < 4; i++) {
        doc.importPage(src.getPage(0));
      }
      doc.save(pdf.toFile());
    }
    FakeOcr ocr = new FakeOcr();
    ocr.delayMillis = 300;
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> ocr, 2), pdf, "{\"to_formats\":[\"json\"]}");
    JsonNode out = r.requireResult().output();
    assertThat(out.path("ocr_pages")).hasSize(4);
    assertThat(ocr.maxConcurrent.get()).isEqualTo(2);
    List<Integer> pages = new ArrayList<>();
    out.path("document").path("texts").forEach(t -> pages.add(t.path("prov").get(0).path("page_no").asInt()));
    assertThat(pages).containsExactly(1, 2, 3, 4);
    assertThat(r.progress()).extracting(p -> p.current()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void includeImagesStoresEmbeddedImagesAsArtifacts() throws Exception {
    Path pdf = scannedLookingPage();
    HandlerTestKit.Run r = run("convert", new ConvertHandler(() -> null), pdf, "{\"include_images\":true,\"do_ocr\":false}");
    HandlerResult res = r.requireResult();
    assertThat(res.output().path("images")).hasSize(1);
    assertThat(res.artifacts()).containsKey("images/page-1-1.png");
    assertThat(res.output().path("images").get(0).path("width").asInt()).isEqualTo(200);
  }

  @Test
  void moduleRegistersTheFourOperations() throws Exception {
    PdfWorkerModule m = new PdfWorkerModule(() -> null);
    List<String> ops = new ArrayList<>(TestRegistry.handlersOf(m).keySet());
    assertThat(m.namespace()).isEqualTo("pdf");
    assertThat(ops).containsExactly("convert", "text", "tables", "metadata");
    assertThat(java.util.ServiceLoader.load(io.jetmesh.worker.WorkerModule.class).stream()
        .anyMatch(p -> p.type() == PdfWorkerModule.class)).isTrue();
  }

  // ------------------------------------------------------------------ helpers

  static JobHandler handler(String op) {
    return switch (op) {
      case "convert" -> new ConvertHandler(() -> null);
      case "text" -> new TextHandler();
      case "tables" -> new TablesHandler();
      default -> new MetadataHandler();
    };
  }

  static JsonNode find(JsonNode doc, String text) {
    for (JsonNode t : doc.path("texts")) {
      if (t.path("text").asText().equals(text)) {
        return t;
      }
    }
    throw new AssertionError("no text item '" + text + "' in " + doc.path("texts"));
  }

  /** A page with one 200x100-pixel image covering a third of it and no text. */
  private Path scannedLookingPage() throws Exception {
    Path f = dir.resolve("scan.pdf");
    try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument()) {
      org.apache.pdfbox.pdmodel.PDPage page = new org.apache.pdfbox.pdmodel.PDPage();
      doc.addPage(page);
      BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_BYTE_GRAY);
      var x = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc, img);
      try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
        cs.drawImage(x, 50, 300, 500, 250);
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** An OCR engine that "reads" one line at the top of any image. */
  static final class FakeOcr implements OcrEngine {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    volatile String lastLanguages;
    volatile long delayMillis;

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public OcrPage recognize(BufferedImage image, OcrRequest request) {
      calls.incrementAndGet();
      maxConcurrent.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
      lastLanguages = request.languages();
      String[] words = {"Scanned", "words", "become", "text"};
      List<OcrWord> ws = new ArrayList<>();
      int x = 300;
      for (String w : words) {
        ws.add(new OcrWord(w, new OcrBox(x, 300, w.length() * 25, 50), 0.95f));
        x += w.length() * 25 + 25;
      }
      OcrLine line = new OcrLine(String.join(" ", words), new OcrBox(300, 300, x - 325, 50), 0.95f, ws);
      return new OcrPage(image.getWidth(), image.getHeight(), 0, List.of(line), line.text(), 0.95f);
    }

    @Override
    public void close() {}
  }
}
