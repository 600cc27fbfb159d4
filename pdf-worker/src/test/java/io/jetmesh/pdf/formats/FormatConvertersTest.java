package io.jetmesh.pdf.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.pdf.docling.DocTagsExporter;
import io.jetmesh.pdf.docling.DoclingJson;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.docling.HtmlExporter;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each converter on documents the test writes itself, checked through the exports docling users read. */
class FormatConvertersTest {
  @TempDir
  Path dir;

  record Converted(String markdown, JsonNode json, String html, String text, List<String> warnings) {}

  Converted convert(byte[] data, String name) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, data);
    Detection d = FormatDetector.detect(f, name);
    FormatConverters.Result r = FormatConverters.convert(f, d, name.replaceFirst("\\.[^.]+$", ""), name,
        BigInteger.ONE, ConversionContext.builder().build());
    return new Converted(Exporters.markdown(r.model()), DoclingJson.write(r.model()), HtmlExporter.html(r.model()),
        Exporters.text(r.model()), r.warnings());
  }

  Converted convert(String text, String name) throws Exception {
    return convert(text.getBytes(StandardCharsets.UTF_8), name);
  }

  static List<String> labels(JsonNode doc) {
    List<String> out = new ArrayList<>();
    doc.path("texts").forEach(t -> out.add(t.path("label").asText() + ":" + t.path("text").asText()));
    return out;
  }

  // ------------------------------------------------------------------ DOCX

  @Test
  void docxHeadingsListsTablesPicturesAndFurnitureFromAWordWrittenReport() throws Exception {
    Converted c = convert(FormatFixtures.docx(), "report.docx");
    assertThat(c.markdown()).contains("# Quarterly Report", "## Introduction", "### Figures by region",
        "Revenue grew in **every region** this quarter, see [the dashboard](https://example.com/q3) .",
        "- North grew fastest\n    - Led by the new stores\n- South held steady",
        "1. Collect the figures\n2. Review them\n3. Publish the report",
        "<!-- image -->", "Figure 1: Sales by region");
    assertThat(c.markdown()).contains("| Region | Sales | Sales |", "| North | 120 | 130 |", "| North | 125 | 135 |");
    // a rich cell's paragraphs on one line, separated as docling separates them
    assertThat(c.markdown()).contains("| South | 90 | 95  estimated |");
    // header, footer and footnote are furniture: in the JSON, not in the Markdown
    assertThat(c.markdown()).doesNotContain("ACME confidential", "Page footer text", "Figures are unaudited");
    assertThat(labels(c.json())).contains("page_header:ACME confidential".replace("page_header", "text"),
        "footnote:Figures are unaudited.");
    JsonNode table = c.json().path("tables").get(0).path("data");
    assertThat(table.path("num_rows").asInt()).isEqualTo(4);
    assertThat(table.path("num_cols").asInt()).isEqualTo(3);
    assertThat(table.path("table_cells").toString()).contains("\"row_span\":2", "\"col_span\":2");
    assertThat(c.json().path("origin").path("mimetype").asText())
        .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assertThat(c.html()).contains("<h1>Quarterly Report</h1>", "<ul>", "<ol>", "colspan=\"2\"", "rowspan=\"2\"",
        "<a href=\"https://example.com/q3\">the dashboard</a>");
  }

  @Test
  void docxTextBoxesContentControlsCheckboxesAndMathFromPackageXml() throws Exception {
    String body = FormatFixtures.DOCX_FEATURES_BODY;
    for (boolean strict : new boolean[] {false, true}) {
      Converted c = convert(FormatFixtures.docxBody(body, strict), "features.docx");
      assertThat(c.markdown()).as("strict=" + strict).contains("Boxed remark", "Inside a content control",
          "- [x] Ship it", "Area is $A= \\pi r^{2}$", "$$\\frac{a}{b}$$");
      assertThat(c.markdown().split("Boxed remark", -1)).as("text box read once").hasSize(2);
    }
  }

  @Test
  void aDoctypeInAnyPackagePartIsRefusedWhetherThePartIsStreamedOrParsedWhole() throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String styles = "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>";
    byte[] good = FormatFixtures.docxBody("<w:p><w:r><w:t>Body</w:t></w:r></w:p>", false, styles);
    assertThat(convert(good, "good.docx").markdown()).contains("Body");
    Map<String, String> parts = new LinkedHashMap<>();
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(good))) {
      for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
        parts.put(e.getName(), new String(z.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    // content types, relationships and styles are streamed, the main part is a DOM: each refuses the DOCTYPE
    assertThat(parts).containsKeys("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
        "word/styles.xml", "word/document.xml");
    for (String part : parts.keySet()) {
      Map<String, String> bad = new LinkedHashMap<>(parts);
      String xml = bad.get(part);
      int root = xml.indexOf('<', xml.indexOf("?>"));
      bad.put(part, xml.substring(0, root) + "<!DOCTYPE x [<!ENTITY s SYSTEM \"" + secret.toUri() + "\">]>"
          + xml.substring(root).replace("Body", "&s;"));
      JobException e = org.junit.jupiter.api.Assertions.assertThrows(JobException.class,
          () -> convert(FormatFixtures.zip(bad), "doctype.docx"), part);
      assertThat(e.code()).as(part).isEqualTo(ErrorCode.INVALID_INPUT);
      assertThat(e.getMessage()).as(part).contains("malformed XML", "DOCX").doesNotContain("TOP-SECRET");
    }
  }

  // ------------------------------------------------------------------ PPTX

  @Test
  void pptxSlidesAsPagesWithTitlesListsTablesAndPictures() throws Exception {
    Converted c = convert(FormatFixtures.pptx(), "plan.pptx");
    assertThat(c.markdown()).contains("# Launch plan", "Spring campaign", "# Milestones",
        "- Design finished\n    - Reviewed by marketing\n- Printing booked", "| Week | Task |", "| 14 | Ship |",
        "<!-- image -->", "Dates may move by a week.");
    assertThat(c.markdown().indexOf("Milestones")).isGreaterThan(c.markdown().indexOf("Spring campaign"));
    assertThat(c.json().path("pages").size()).isEqualTo(2);
    assertThat(c.json().path("groups").toString()).contains("\"name\":\"slide-0\"", "\"label\":\"chapter\"");
  }

  // ------------------------------------------------------------------ XLSX

  @Test
  void xlsxTablesPerRegionWithMergedLabelsDatesCommentsAndHiddenSheets() throws Exception {
    // POI stores whole numbers as 120.0, which openpyxl (and so docling) reads as a float
    Converted c = convert(FormatFixtures.xlsx(), "sales.xlsx");
    assertThat(c.markdown()).contains("## Sales", "| Region | Units | Price | Since | Active |",
        "| North | 120.0 | 2.5 | 2024-01-15 00:00:00 | True |",
        "| South | 95.0 | 3.25 | 2023-07-01 00:00:00 | False |",
        "Targets for next year", "| Region | Target | Owner |", "| North | 150.0 | Ana |",
        "[author: Ana Lopez]: Checked by finance", "<!-- image -->", "## Empty");
    assertThat(c.markdown()).doesNotContain("secret");
    assertThat(c.json().path("tables").size()).isEqualTo(3); // two on Sales, one on the hidden sheet
    assertThat(c.json().path("groups").toString()).contains("\"name\":\"Hidden\"", "\"content_layer\":\"invisible\"");
  }

  // ------------------------------------------------------------------ HTML

  @Test
  void htmlHeadingsListsDescriptionListsTablesCodeAndImagesWithoutFetching() throws Exception {
    String html = "<!DOCTYPE html><html><head><title>Guide</title><style>p{color:red}</style>"
        + "<script>fetch('http://example.invalid/x')</script></head><body><nav>Skip me</nav><h1>Guide</h1>"
        + "<p>Install <b>now</b> from <a href=\"https://example.com\">the site</a>.</p><h2>Steps</h2>"
        + "<ol start=\"3\"><li>Download</li><li>Run<ul><li>as admin</li></ul></li></ol>"
        + "<dl><dt>Term</dt><dd>Its meaning</dd></dl>"
        + "<table><tr><th colspan=\"2\">Head</th></tr><tr><td rowspan=\"2\">A</td><td><ul><li>x</li><li>y</li></ul></td>"
        + "</tr><tr><td>B</td></tr></table><pre><code class=\"language-sh\">make\nmake install</code></pre>"
        + "<figure><img src=\"http://example.invalid/a.png\"><figcaption>Figure 1: screen</figcaption></figure>"
        + "<p hidden>invisible</p></body></html>";
    Converted c = convert(html, "guide.html");
    assertThat(c.markdown()).contains("# Guide", "Install **now** from [the site](https://example.com) .", "## Steps",
        "3. Download\n4. Run\n    - as admin", "- **Term**\n    - Its meaning", "| Head | Head |", "| A | - x - y |",
        "| A | B |", "```\nmake\nmake install\n```", "Figure 1: screen\n\n<!-- image -->");
    assertThat(c.markdown()).doesNotContain("Skip me", "invisible", "fetch", "color:red");
    assertThat(labels(c.json())).contains("title:Guide");
  }

  // ------------------------------------------------------------------ Markdown and CSV

  @Test
  void markdownHeadingsFormattingListsCodeTablesAndHtmlBlocks() throws Exception {
    String md = "# Title\n\nSome *emphasis* and `code`.\n\n## Part\n\n1. one\n2. two\n   - sub\n\n```python\nx = 1\n```\n\n"
        + "| a | b |\n|---|---|\n| 1 | 2 |\n\n<ul><li>html item</li></ul>\n\n-\n\n![pic](x.png)\n";
    Converted c = convert(md, "notes.md");
    assertThat(c.markdown()).contains("# Title", "Some *emphasis* and `code` .", "## Part", "1. one\n2. two\n    - sub",
        "```\nx = 1\n```", "| a | b |\n| - | - |\n| 1 | 2 |", "- html item", "<!-- image -->");
    assertThat(c.json().toString()).contains("\"code_language\":\"python\"");
  }

  @Test
  void csvDelimitersAreDetectedAndShortRowsPadded() throws Exception {
    for (String d : List.of(",", ";", "\t", "|")) {
      Converted c = convert("name" + d + "city" + d + "n\nAna" + d + "\"Porto" + d + " PT\"" + d + "1\nBo" + d + "Oslo\n",
          "people.csv");
      assertThat(c.markdown()).as("delimiter " + d).contains("| name | city | n |", "| Bo | Oslo |  |");
      assertThat(c.markdown()).contains("Porto" + (d.equals("|") ? "&#124;" : d));
      assertThat(c.warnings()).anyMatch(w -> w.contains("different numbers of columns"));
    }
  }

  @Test
  void csvSnifferPrefersTheConsistentDelimiter() {
    assertThat(CsvSniffer.delimiter("a;b;c\n1;2,5;3\n4;5;6\n")).isEqualTo(';');
    assertThat(CsvSniffer.delimiter("url|name\nhttp://x|a\nhttp://y|b\n")).isEqualTo('|');
    assertThat(CsvSniffer.delimiter("single\ncolumn\n")).isEqualTo(',');
  }

  // ------------------------------------------------------------------ AsciiDoc, text, images

  @Test
  void asciidocAndPlainText() throws Exception {
    Converted a = convert("= Manual\n\n== Setup\n\nFirst line\nsecond line.\n\n* one\n** nested\n* two\n\n.Prices\n|===\n"
        + "|Item |Cost\n|Tea |2\n|===\n\n----\nrun it\n----\n", "manual.adoc");
    assertThat(a.markdown()).contains("# Manual", "## Setup", "First line second line.", "- one\n    - nested\n- two",
        "Prices", "| Item | Cost |", "```\nrun it\n```");
    Converted t = convert("Hello there\nsame paragraph.\n\nNext one.\n", "note.txt");
    assertThat(t.markdown()).isEqualTo("Hello there same paragraph.\n\nNext one.\n");
  }

  @Test
  void imagesWithoutAnOcrEngineArePicturesWithAWarning() throws Exception {
    for (String fmt : List.of("png", "jpeg", "bmp", "gif", "tiff")) {
      Converted c = convert(FormatFixtures.image(fmt, 120, 60, null), "scan." + fmt);
      assertThat(c.json().path("pages").path("1").path("size").path("width").asDouble()).as(fmt).isEqualTo(120);
      assertThat(c.json().path("pictures").size()).as(fmt).isEqualTo(1);
      assertThat(c.warnings()).as(fmt).anyMatch(w -> w.contains("OCR"));
    }
  }

  @Test
  void docTagsCarryOtslTablesAndListTags() throws Exception {
    Path f = dir.resolve("t.csv");
    Files.writeString(f, "a,b\n1,2\n");
    FormatConverters.Result r = FormatConverters.convert(f, FormatDetector.detect(f, "t.csv"), "t", "t.csv",
        BigInteger.ONE, ConversionContext.builder().build());
    assertThat(DocTagsExporter.doctags(r.model())).isEqualTo(
        "<doctag><otsl><ched>a<ched>b<nl><fcel>1<fcel>2<nl></otsl></doctag>");
  }
}
