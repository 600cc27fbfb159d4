package io.jetmesh.pdf.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.pdf.docling.DocTagsExporter;
import io.jetmesh.pdf.docling.DoclingJson;
import io.jetmesh.pdf.docling.DocumentModel;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.docling.HtmlExporter;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every export (Markdown, JSON, HTML, text, DocTags) of generated documents of every format stays byte for byte what
 * it was when {@code pinned-outputs.tsv} was written, so that work on the converters' speed (parsers, tree walks,
 * regexes) cannot change what users get. A deliberate change of the output is re-pinned with
 * {@code -Djetmesh.pinned.update=true} (writes the file under src/test/resources; review its diff). On a mismatch
 * the outputs are written to {@code target/pinned-outputs/} to diff against the previous version's.
 */
class PinnedOutputsTest {
  private static final String RESOURCE = "pinned-outputs.tsv";
  private static final Path SOURCE = Path.of("src/test/resources/io/jetmesh/pdf/formats", RESOURCE);

  @TempDir
  Path dir;

  /**
   * Word styles the way Word writes them: defaults, latent styles, a default paragraph style, chains of base styles
   * carrying outline levels, numbering, bold/italic (also switched off) and fonts, a style without an id.
   */
  static final String STYLES = "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\"/></w:rPr>"
      + "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"160\"/></w:pPr></w:pPrDefault></w:docDefaults>"
      + "<w:latentStyles w:count=\"3\"><w:lsdException w:name=\"Normal\" w:qFormat=\"1\"/>"
      + "<w:lsdException w:name=\"heading 1\" w:uiPriority=\"9\"/><w:lsdException w:name=\"Title\"/></w:latentStyles>"
      + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
      + "</w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
      + "<w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"Chapter\"><w:name w:val=\"Chapter\"/><w:basedOn w:val=\"Heading1\"/>"
      + "<w:rPr><w:i/></w:rPr></w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"
      + "<w:pPr><w:outlineLvl w:val=\"x\"/></w:pPr></w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"Lead\"><w:name w:val=\"Lead\"/><w:rPr><w:b w:val=\"0\"/>"
      + "<w:i w:val=\"true\"/></w:rPr></w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"Strong\"><w:name w:val=\"Strong para\"/><w:rPr><w:b w:val=\"on\"/>"
      + "</w:rPr></w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"SourceCode\"><w:name w:val=\"Source Code\"/><w:rPr>"
      + "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\"/></w:rPr></w:style>"
      + "<w:style w:type=\"paragraph\" w:styleId=\"Bullet\"><w:name w:val=\"List Bullet\"/><w:pPr><w:numPr>"
      + "<w:ilvl w:val=\"1\"/><w:numId w:val=\"7\"/></w:numPr></w:pPr></w:style>"
      + "<w:style w:type=\"character\" w:styleId=\"Emph\"><w:name w:val=\"Emph\"/><w:rPr><w:i/></w:rPr></w:style>"
      + "<w:style w:type=\"paragraph\"><w:name w:val=\"no id\"/><w:rPr><w:b/></w:rPr></w:style>";

  static final String STYLED_BODY = para(null, "Plain body text in the default style.")
      + para("Heading1", "Top heading") + para("Chapter", "Inherited outline level")
      + para("Heading2", "Broken outline level") + para("Lead", "Lead paragraph not bold")
      + para("Strong", "Strong paragraph") + para("SourceCode", "for (int i = 0; i &lt; n; i++) { x(); }")
      + para("Bullet", "A bullet from the style") + para("Missing", "A style nobody defined")
      + "<w:p><w:r><w:rPr><w:rStyle w:val=\"Emph\"/></w:rPr><w:t>emphasised run</w:t></w:r></w:p>";

  private static String para(String style, String text) {
    return "<w:p>" + (style == null ? "" : "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>")
        + "<w:r><w:t>" + text + "</w:t></w:r></w:p>";
  }

  /** The generated documents by file name. */
  static Map<String, byte[]> documents() throws Exception {
    Map<String, byte[]> docs = new LinkedHashMap<>();
    docs.put("report.docx", FormatFixtures.docx());
    docs.put("features.docx", FormatFixtures.docxBody(FormatFixtures.DOCX_FEATURES_BODY, false));
    docs.put("features-strict.docx", FormatFixtures.docxBody(FormatFixtures.DOCX_FEATURES_BODY, true));
    docs.put("styled.docx", FormatFixtures.docxBody(STYLED_BODY, false, STYLES));
    docs.put("styled-strict.docx", FormatFixtures.docxBody(STYLED_BODY, true, STYLES));
    docs.put("plan.pptx", FormatFixtures.pptx());
    docs.put("sales.xlsx", FormatFixtures.xlsx());
    docs.put("big.xlsx", FormatFixtures.bigXlsx(60, 7));
    docs.put("guide.html", utf8("<!DOCTYPE html><html><head><title>Guide</title><style>p{color:red}</style>"
        + "<script>x()</script></head><body><nav>Skip me</nav><h1>Guide</h1>"
        + "<p>Install <b>now</b>\n  from   <a href=\"https://example.com\">the\tsite</a>.</p><h2>Steps</h2>"
        + "<ol start=\"3\"><li>Download</li><li>Run<ul><li>as admin</li></ul></li></ol>"
        + "<dl><dt>Term</dt><dd>Its meaning</dd></dl><p>Use <code>make   all</code> and <kbd>Ctrl  C</kbd>.</p>"
        + "<table><tr><th colspan=\"2\">Head</th></tr><tr><td rowspan=\"2\">A</td><td><ul><li>x</li><li>y</li></ul>"
        + "</td></tr><tr><td>B <table><tr><td>inner</td></tr></table></td></tr></table>"
        + "<pre><code class=\"language-sh\">make\nmake install</code></pre>"
        + "<figure><img src=\"a.png\"><figcaption>Figure 1: screen</figcaption></figure><p hidden>invisible</p>"
        + "</body></html>"));
    docs.put("notes.md", utf8("# Title\n\nSome *emphasis* and `code`, **bold** and [a link](https://x.org).\n\n"
        + "## Part\n\n1. one\n2. two\n   - sub\n\n```python  extra\nx = 1\n```\n\n> quoted\n\n"
        + "| a | b |\n|---|---|\n| 1 | 2 |\n\n<ul><li>html item</li></ul>\n\n- [ ] task\n\n![pic](x.png)\n"));
    docs.put("comma.csv", utf8("name,city,n\nAna,\"Porto, PT\",1\nBo,Oslo\n"));
    docs.put("semicolon.csv", utf8("a;b;c\n1;2,5;3\n4;5;6\n"));
    docs.put("pipe.csv", utf8("url|name\nhttp://x|a\nhttp://y|b|extra\n"));
    docs.put("manual.adoc", utf8("= Manual\n:toc:\n\n== Setup\n\nFirst line\nsecond line.\n\n* one\n** nested\n"
        + "* two\n\n.Prices\n|===\n|Item |Cost\n|Tea |2\n|===\n\n----\nrun it\n----\n"));
    docs.put("note.txt", utf8("Hello there\nsame paragraph.\n\n\n  Next   one.\n"));
    return docs;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The exports of one document by export name. */
  Map<String, String> exports(String name, byte[] data) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, data);
    FormatConverters.Result r = FormatConverters.convert(f, FormatDetector.detect(f, name),
        name.replaceFirst("\\.[^.]+$", ""), name, BigInteger.ONE, ConversionContext.builder().build());
    DocumentModel m = r.model();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("md", Exporters.markdown(m));
    out.put("json", DoclingJson.write(m).toString());
    out.put("html", HtmlExporter.html(m));
    out.put("text", Exporters.text(m));
    out.put("doctags", DocTagsExporter.doctags(m));
    out.put("warnings", String.join("\n", r.warnings()));
    return out;
  }

  @Test
  void exportsOfGeneratedDocumentsAreUnchanged() throws Exception {
    Map<String, String> actual = new TreeMap<>();
    Path outDir = Path.of("target/pinned-outputs");
    for (Map.Entry<String, byte[]> d : documents().entrySet()) {
      for (Map.Entry<String, String> e : exports(d.getKey(), d.getValue()).entrySet()) {
        actual.put(d.getKey() + "\t" + e.getKey(), sha256(e.getValue()));
        Files.createDirectories(outDir);
        Files.writeString(outDir.resolve(d.getKey() + "." + e.getKey()), e.getValue());
      }
    }
    if (Boolean.getBoolean("jetmesh.pinned.update")) {
      StringBuilder sb = new StringBuilder("# document\texport\tsha256 (PinnedOutputsTest; -Djetmesh.pinned.update=true)\n");
      actual.forEach((k, v) -> sb.append(k).append('\t').append(v).append('\n'));
      Files.writeString(SOURCE, sb.toString());
    }
    Map<String, String> pinned = pinned();
    List<String> changed = new ArrayList<>();
    actual.forEach((k, v) -> {
      if (!v.equals(pinned.get(k))) {
        changed.add(k.replace('\t', '.') + (pinned.containsKey(k) ? " changed" : " not pinned"));
      }
    });
    pinned.keySet().stream().filter(k -> !actual.containsKey(k)).forEach(k -> changed.add(k + " missing"));
    assertThat(changed).as("exports that differ from %s (outputs in %s)", RESOURCE, outDir.toAbsolutePath())
        .isEmpty();
    assertThat(pinned).hasSizeGreaterThanOrEqualTo(documents().size() * 6);
  }

  private static Map<String, String> pinned() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = PinnedOutputsTest.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split("\t");
        if (f.length == 3 && !line.startsWith("#")) {
          out.put(f[0] + "\t" + f[1], f[2]);
        }
      }
    }
    return out;
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
