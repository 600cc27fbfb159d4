package io.jetmesh.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.jetmesh.pdf.formats.FormatFixtures;
import io.jetmesh.pdf.formats.InputFormat;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.worker.JobHandler;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pdf.docling.* operation routes by the detected input type: served types convert into the same DoclingDocument
 * shape as PDFs, unserved ones are UNSUPPORTED naming the type, damaged ones INVALID_INPUT naming the format and the
 * fix, and limits end in TOO_LARGE; the declaration in namespaces.yaml matches what the router takes.
 */
class FormatRouterTest {
  @TempDir
  Path dir;

  static JobHandler handler(String op) {
    return FormatRouter.route(op, PdfHandlersTest.handler(op), () -> null);
  }

  static HandlerTestKit.Run run(String op, byte[] data, String name, String options) {
    return HandlerTestKit.forSubject("pdf.docling." + op).input(data, name).options(options).run(handler(op));
  }

  /** One generated document of every served type. */
  private static Map<String, byte[]> every;

  static synchronized Map<String, byte[]> everyFormat() throws Exception {
    if (every != null) {
      return every;
    }
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("report.docx", FormatFixtures.docx());
    m.put("plan.pptx", FormatFixtures.pptx());
    m.put("sales.xlsx", FormatFixtures.xlsx());
    m.put("page.html", "<html><body><h1>Hi</h1><p>There</p><table><tr><td>a</td><td><b>b</b></td></tr></table></body></html>"
        .getBytes(StandardCharsets.UTF_8));
    m.put("notes.md", "# Notes\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n".getBytes(StandardCharsets.UTF_8));
    m.put("data.csv", "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8));
    m.put("manual.adoc", "= Manual\n\n== Part\n\nText.\n".getBytes(StandardCharsets.UTF_8));
    m.put("readme.txt", "Just text.\n".getBytes(StandardCharsets.UTF_8));
    m.put("scan.png", FormatFixtures.image("png", 80, 40, null));
    m.put("scan.jpg", FormatFixtures.image("jpeg", 80, 40, null));
    m.put("scan.bmp", FormatFixtures.image("bmp", 80, 40, null));
    m.put("scan.tiff", FormatFixtures.image("tiff", 80, 40, null));
    every = m;
    return m;
  }

  @Test
  void everyServedFormatConvertsWithMarkdownJsonTextAndHtml() throws Exception {
    for (Map.Entry<String, byte[]> e : everyFormat().entrySet()) {
      HandlerTestKit.Run r = run("convert", e.getValue(), e.getKey(), "{\"to_formats\":[\"md\",\"json\",\"text\",\"html\",\"doctags\"]}");
      assertThat(r.error()).as(e.getKey()).isNull();
      JsonNode o = r.requireResult().output();
      assertThat(o.path("document").path("schema_name").asText()).as(e.getKey()).isEqualTo("DoclingDocument");
      assertThat(o.path("markdown").isTextual()).as(e.getKey()).isTrue();
      assertThat(o.path("text").isTextual()).as(e.getKey()).isTrue();
      assertThat(o.path("html").asText()).as(e.getKey()).startsWith("<!DOCTYPE html>");
      assertThat(o.path("doctags").asText()).as(e.getKey()).startsWith("<doctag>");
      assertThat(o.path("input_format").asText()).as(e.getKey()).isEqualTo(
          InputFormat.fromFileName(e.getKey()).orElseThrow().id());
    }
  }

  @Test
  void pdfsStayOnThePdfPathAndGainTheHtmlExport() throws Exception {
    Path pdf = TestPdfs.report(dir, 1);
    JsonNode o = HandlerTestKit.forSubject("pdf.docling.convert").input(pdf)
        .options("{\"to_formats\":[\"md\",\"html\"],\"do_ocr\":false}").run(handler("convert")).requireResult().output();
    assertThat(o.path("input_format").asText()).isEqualTo("pdf");
    assertThat(o.path("html").asText()).contains("<h1>", "</html>");
    assertThat(o.path("page_count").asInt()).isEqualTo(1);
  }

  @Test
  void unservedTypesAreUnsupportedNamingTheDetectedTypeAndTheFix() throws Exception {
    byte[] ole = new byte[4096];
    byte[] sig = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    System.arraycopy(sig, 0, ole, 0, 8);
    byte[] name = "WordDocument".getBytes(StandardCharsets.UTF_16LE);
    System.arraycopy(name, 0, ole, 1024, name.length);
    byte[] encrypted = ole.clone();
    byte[] enc = "EncryptedPackage".getBytes(StandardCharsets.UTF_16LE);
    System.arraycopy(enc, 0, encrypted, 2048, enc.length);
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("old.doc", ole);
    cases.put("locked.docx", encrypted);
    cases.put("letter.odt", FormatFixtures.zip(Map.of("mimetype", "application/vnd.oasis.opendocument.text")));
    cases.put("bundle.zip", FormatFixtures.zip(Map.of("a.txt", "x")));
    cases.put("memo.rtf", "{\\rtf1\\ansi hello}".getBytes(StandardCharsets.US_ASCII));
    cases.put("blob.bin", new byte[] {1, 2, 3, 0, 0, 7, 8, 9});
    for (String op : List.of("convert", "text", "tables", "metadata")) {
      for (Map.Entry<String, byte[]> e : cases.entrySet()) {
        HandlerTestKit.Run r = run(op, e.getValue(), e.getKey(), "{}");
        assertThat(r.errorCode()).as(op + " " + e.getKey()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(r.error().getMessage()).as(e.getKey()).contains("pdf.docling." + op + " takes", "docx", "png");
      }
    }
    assertThat(run("convert", ole, "old.doc", "{}").error().getMessage())
        .contains("Word 97-2003", "save it as .docx");
    assertThat(run("convert", encrypted, "locked.docx", "{}").error().getMessage()).contains("password");
    // the name does not decide: a .docx that is really a PDF is a PDF, a .pdf that is really HTML is HTML
    HandlerTestKit.Run html = run("convert", "<!DOCTYPE html><p>hi</p>".getBytes(StandardCharsets.UTF_8), "x.pdf", "{}");
    assertThat(html.requireResult().output().path("input_format").asText()).isEqualTo("html");
  }

  @Test
  void damagedFilesOfEachFormatAreInvalidInputNamingTheFormatAndTheFix() throws Exception {
    for (String name : List.of("report.docx", "plan.pptx", "sales.xlsx")) {
      byte[] good = everyFormat().get(name);
      byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
      HandlerTestKit.Run r = run("convert", truncated, name, "{}");
      assertThat(r.errorCode()).as(name).isEqualTo(ErrorCode.INVALID_INPUT);
      assertThat(r.error().getMessage()).as(name).contains("damaged", "re-save");
    }
    byte[] badXml = FormatFixtures.docxBody("<w:p><w:r><w:t>unclosed", false);
    HandlerTestKit.Run r = run("convert", badXml, "broken.docx", "{}");
    assertThat(r.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(r.error().getMessage()).contains("DOCX", "malformed XML");
    HandlerTestKit.Run empty = run("convert", new byte[0], "empty.docx", "{}");
    assertThat(empty.errorCode()).isIn(ErrorCode.INVALID_INPUT);
  }

  @Test
  void zipBombsAndHugeSheetsAreBoundedAndJobOptionsCanOnlyTighten() throws Exception {
    HandlerTestKit.Run bomb = run("convert", FormatFixtures.zipBomb(300L << 20), "bomb.docx", "{}");
    assertThat(bomb.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(bomb.error().getMessage()).contains("ZIP bomb");
    HandlerTestKit.Run sheet = run("convert", FormatFixtures.bigXlsx(300, 10), "big.xlsx", "{\"max_cells\": 1000}");
    assertThat(sheet.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(sheet.error().getMessage()).contains("max_cells");
    assertThat(run("convert", FormatFixtures.bigXlsx(300, 10), "big.xlsx", "{}").error()).isNull();
    HandlerTestKit.Run raise = run("convert", FormatFixtures.bigXlsx(3, 3), "big.xlsx", "{\"max_cells\": 1000000000000}");
    assertThat(raise.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(raise.error().getMessage()).contains("may only lower");
    HandlerTestKit.Run entries = run("convert", FormatFixtures.docx(), "r.docx", "{\"max_zip_entries\": 3}");
    assertThat(entries.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(entries.error().getMessage()).contains("max_zip_entries");
  }

  @Test
  void textTablesAndMetadataServeTheOtherFormats() throws Exception {
    JsonNode text = run("text", FormatFixtures.docx(), "report.docx", "{}").requireResult().output();
    assertThat(text.path("text").asText()).contains("Quarterly Report", "North grew fastest");
    JsonNode tables = run("tables", FormatFixtures.xlsx(), "sales.xlsx", "{}").requireResult().output();
    assertThat(tables.path("tables").size()).isEqualTo(3);
    assertThat(tables.path("tables").get(0).path("csv").asText()).startsWith("Region,Units,Price,Since,Active");
    JsonNode meta = run("metadata", FormatFixtures.pptx(), "plan.pptx", "{}").requireResult().output();
    assertThat(meta.path("page_count").asInt()).isEqualTo(2);
    assertThat(meta.path("input_format").asText()).isEqualTo("pptx");
  }

  @Test
  void namespacesYamlDeclaresExactlyTheFormatsTheRouterTakes() {
    NamespaceSpec pdf = MeshRegistry.bundled().require("pdf");
    for (String op : pdf.operations()) {
      Set<String> declared = new TreeSet<>(pdf.inputFormats(op));
      Set<String> routed = FormatRouter.INPUT_FORMATS.get(op).stream().map(InputFormat::id)
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(declared).as(op).isEqualTo(routed);
    }
  }

  @Test
  void everyFormatsDocumentValidatesAgainstTheDoclingSchemaAndItsReferencesResolve() throws Exception {
    Path schemaFile = Path.of(System.getProperty("jetmesh.shared.dir", "../../shared"), "schemas/DoclingDocument.json");
    JsonSchema schema = null;
    if (Files.exists(schemaFile)) {
      String text = Files.readString(schemaFile).replace("(?P<", "(?<");
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.mapper().readTree(text));
    } else {
      System.out.println("../shared/schemas/DoclingDocument.json absent: checking references only");
    }
    for (Map.Entry<String, byte[]> e : everyFormat().entrySet()) {
      JsonNode doc = run("convert", e.getValue(), e.getKey(), "{\"to_formats\":[\"json\"]}").requireResult().output()
          .path("document");
      if (schema != null) {
        assertThat(schema.validate(doc)).as(e.getKey()).isEmpty();
      }
      List<String> refs = new ArrayList<>();
      for (String array : List.of("texts", "groups", "tables", "pictures")) {
        JsonNode arr = doc.path(array);
        for (int i = 0; i < arr.size(); i++) {
          JsonNode item = arr.get(i);
          assertThat(item.path("self_ref").asText()).isEqualTo("#/" + array + "/" + i);
          JsonNode parent = resolve(doc, item.path("parent").path("$ref").asText());
          List<String> siblings = new ArrayList<>();
          parent.path("children").forEach(c -> siblings.add(c.path("$ref").asText()));
          assertThat(siblings).as(e.getKey() + ": parent of " + item.path("self_ref")).contains(item.path("self_ref").asText());
          refs.add(item.path("self_ref").asText());
        }
      }
      for (JsonNode t : doc.path("tables")) {
        for (JsonNode c : t.path("data").path("table_cells")) {
          if (c.has("ref")) {
            assertThat(refs).as(e.getKey() + " rich cell").contains(c.path("ref").path("$ref").asText());
          }
        }
      }
    }
    Assumptions.assumeTrue(schema != null, "../shared/schemas/DoclingDocument.json absent: schema validation skipped");
  }

  private static JsonNode resolve(JsonNode doc, String ref) {
    if (ref.equals("#/body")) {
      return doc.path("body");
    }
    if (ref.equals("#/furniture")) {
      return doc.path("furniture");
    }
    String[] p = ref.substring(2).split("/");
    return doc.path(p[0]).get(Integer.parseInt(p[1]));
  }
}
