package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.diag.DiagModule;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page end to end in a real headless Chromium (Debian's chromium + chromium-driver): upload a file, watch
 * its progress, read the result; the mesh view lists the running workers. Skipped, with a message, when Chromium is
 * not installed. With {@code -Djetmesh.screenshots=true} it also writes the screenshots of docs/gateway.md to
 * docs/img/ (off by default, so a test run leaves the checkout unchanged).
 *
 * <p>The upload case is parameterised by subject, file and expectations, so more services (the PDF worker's
 * {@code pdf.docling.convert} with a generated PDF) are one more {@link Arguments} row.
 */
class GatewayBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  static EmbeddedMesh mesh;
  static Gateway gateway;
  static WebDriver driver;
  static Path userDataDir;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser test skipped: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
    String yaml;
    try (InputStream in = MeshRegistry.class.getResourceAsStream(MeshRegistry.BUNDLED_RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    MeshRegistry registry = MeshRegistry.parse((yaml.stripTrailing() + "\n" + MarkdownDemoModule.NAMESPACE_YAML)
        .getBytes(StandardCharsets.UTF_8), "namespaces.yaml + demo");
    mesh = EmbeddedMesh.builder().registry(registry).modules(List.of(new DiagModule(), new MarkdownDemoModule(), new io.jetmesh.pdf.PdfWorkerModule()))
        .concurrency(4).start();
    gateway = Gateway.builder().diagnostics(true).meshOptions(mesh.options()).host("127.0.0.1").port(0).auth(TestMesh.auth()).start();
    userDataDir = Files.createTempDirectory("jetmesh-chromium");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + userDataDir, "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, o);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  static Stream<Arguments> uploads() {
    return Stream.of(
        Arguments.of("diag.sleep", "wait.bin", "x".getBytes(StandardCharsets.UTF_8), "{\"ms\":2500}",
            Pattern.compile("\\d+ of 2500 ms"), "JSON", "\"slept_ms\": 2500"),
        Arguments.of("diag.echo", "hello.txt", "hello".getBytes(StandardCharsets.UTF_8), "{}",
            null, "JSON", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
        Arguments.of("demo.render.markdown", "report.md", SAMPLE_MARKDOWN.getBytes(StandardCharsets.UTF_8), "{\"line_ms\":120}",
            Pattern.compile("\\d+ of \\d+ lines"), "Markdown", "Quarterly report"),
        Arguments.of("pdf.docling.convert", "annual-report.pdf", generatedPdf(400), "{\"to_formats\":[\"md\",\"json\"]}",
            Pattern.compile("\\d+ of 400"), "Markdown", "Annual report"));
  }

  /** A PDF made here: a title, a section heading, a paragraph and a ruled table on page 1, then filler pages. */
  static byte[] generatedPdf(int pages) {
    try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
      var regular = new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
      var bold = new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA_BOLD);
      for (int p = 0; p < pages; p++) {
        var page = new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
        doc.addPage(page);
        try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
          if (p == 0) {
            text(cs, bold, 20, 60, 760, "Annual report");
            text(cs, bold, 14, 60, 720, "1. Results by region");
            text(cs, regular, 11, 60, 695, "Every region grew this year; the table lists revenue per region.");
            String[][] rows = {{"Region", "Revenue", "Growth"}, {"North", "4.2 M", "9 %"}, {"South", "3.1 M", "15 %"}, {"West", "2.7 M", "13 %"}};
            float top = 660;
            cs.setLineWidth(0.8f);
            for (int r = 0; r <= rows.length; r++) {
              cs.moveTo(60, top - r * 20);
              cs.lineTo(420, top - r * 20);
            }
            for (float x : new float[] {60, 180, 300, 420}) {
              cs.moveTo(x, top);
              cs.lineTo(x, top - rows.length * 20);
            }
            cs.stroke();
            for (int r = 0; r < rows.length; r++) {
              for (int c = 0; c < 3; c++) {
                text(cs, r == 0 ? bold : regular, 10, 66 + c * 120, top - r * 20 - 14, rows[r][c]);
              }
            }
          } else {
            text(cs, regular, 11, 60, 760, "Appendix page " + (p + 1) + ": regional figures in detail, continued.");
          }
        }
      }
      doc.save(out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void text(org.apache.pdfbox.pdmodel.PDPageContentStream cs, org.apache.pdfbox.pdmodel.font.PDFont font, float size,
      float x, float y, String s) throws java.io.IOException {
    cs.beginText();
    cs.setFont(font, size);
    cs.newLineAtOffset(x, y);
    cs.showText(s);
    cs.endText();
  }

  static final String SAMPLE_MARKDOWN = """
      # Quarterly report

      Revenue grew **12%** over the quarter; costs were *flat*.

      ## Results by region

      | Region | Revenue | Growth |
      |---|---|---|
      | North | 4.2 M | 9% |
      | South | 3.1 M | 15% |
      | West | 2.7 M | 13% |

      - Three new customers
      - Churn below `2%`

      1. Hire two engineers
      2. Open the Lisbon office
      """;

  void signIn(String key) {
    driver.get(gateway.baseUrl() + "/");
    WebElement k = driver.findElement(By.id("api-key"));
    k.clear();
    k.sendKeys(key);
    ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
        "arguments[0].dispatchEvent(new Event('change'))", k);
    wait(10).until(d -> d.findElement(By.id("whoami")).getText().startsWith("key:"));
    wait(10).until(d -> !d.findElements(By.cssSelector("#subject option")).isEmpty());
  }

  static WebDriverWait wait(int seconds) {
    WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds));
    w.pollingEvery(Duration.ofMillis(40));
    return w;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("uploads")
  void uploadedFileShowsLiveProgressThenItsResult(String subject, String fileName, byte[] content, String options,
      Pattern progressText, String firstTab, String expectedInResult) throws Exception {
    signIn(TestMesh.ADMIN_KEY);
    Path file = Files.createTempDirectory("upload").resolve(fileName);
    Files.write(file, content);
    new Select(driver.findElement(By.id("subject"))).selectByValue(subject);
    driver.findElement(By.cssSelector("details.advanced summary")).click();
    WebElement opts = driver.findElement(By.id("opt-json"));
    opts.clear();
    opts.sendKeys(options);
    driver.findElement(By.id("files")).sendKeys(file.toString());
    assertThat(driver.findElement(By.id("picked")).getText()).contains(fileName);
    int before = driver.findElements(By.cssSelector("#jobs .job")).size();
    driver.findElement(By.id("submit")).click();
    wait(10).until(d -> d.findElements(By.cssSelector("#jobs .job")).size() == before + 1);
    WebElement card = driver.findElement(By.cssSelector("#jobs .job"));
    List<String> states = new ArrayList<>();
    boolean sawProgress = false;
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      String st = card.getAttribute("data-state");
      if (st != null && (states.isEmpty() || !states.get(states.size() - 1).equals(st))) {
        states.add(st);
      }
      if (progressText != null && progressText.matcher(card.findElement(By.cssSelector(".message")).getText()).find()) {
        sawProgress = true;
      }
      if ("completed".equals(st) && !card.findElements(By.cssSelector(".result:not(.hidden) .rbody")).isEmpty()) {
        break;
      }
      Thread.sleep(40);
    }
    assertThat(states).as("states the card went through").contains("completed");
    if (progressText != null) {
      assertThat(sawProgress).as("a live progress message matching " + progressText + " (states " + states + ")").isTrue();
      assertThat(states).contains("running");
    }
    assertThat(card.findElement(By.cssSelector(".rtabs button.active")).getText()).startsWith(firstTab);
    String shown = card.findElement(By.cssSelector(".rbody")).getText();
    if (!shown.contains(expectedInResult)) {
      for (WebElement tab : card.findElements(By.cssSelector(".rtabs button"))) {
        if (tab.getText().equals("JSON")) {
          tab.click();
        }
      }
      shown = card.findElement(By.cssSelector(".rbody")).getText();
    }
    assertThat(shown).contains(expectedInResult);
    assertThat(card.findElements(By.cssSelector(".downloads a"))).isNotEmpty();
    if (subject.equals("pdf.docling.convert")) {
      WebElement md = card.findElement(By.cssSelector(".rbody.markdown"));
      assertThat(md.findElement(By.tagName("h1")).getText()).isEqualTo("Annual report");
      assertThat(md.findElements(By.cssSelector("table tbody tr"))).as("the PDF's table rendered as a table").hasSize(3);
      screenshot("gateway-upload-pdf.png", 1280, 1000);
    }
    if (subject.equals("demo.render.markdown")) {
      WebElement md = card.findElement(By.cssSelector(".rbody.markdown"));
      assertThat(md.findElement(By.tagName("h1")).getText()).isEqualTo("Quarterly report");
      assertThat(md.findElements(By.cssSelector("table tbody tr"))).hasSize(3);
      assertThat(md.findElement(By.tagName("strong")).getText()).isEqualTo("12%");
      card.findElements(By.cssSelector(".rtabs button")).stream().filter(b -> b.getText().startsWith("Tables")).findFirst()
          .orElseThrow(() -> new AssertionError("no Tables view")).click();
      assertThat(card.findElements(By.cssSelector(".rbody table.data th"))).hasSize(3);
      card.findElements(By.cssSelector(".rtabs button")).get(0).click();
      screenshot("gateway-upload.png", 1280, 1000);
    }
  }

  @Test
  void meshViewListsTheRunningWorkersFailuresAndReplaysADeadLetter() throws Exception {
    Http http = new Http(gateway.baseUrl());
    String[] key = {"X-API-Key", TestMesh.SUBMIT_KEY};
    String dead = http.postFile("/v1/jobs/diag.fail", "poison.bin", new byte[1],
        java.util.Map.of("throw_runtime", "true", "message", "handler crashed on this input"), key).json().path("job_id").asText();
    Http.Response failed = http.postFile("/v1/jobs/diag.fail", "broken.pdf", new byte[1],
        java.util.Map.of("code", "INVALID_INPUT", "message", "not a PDF: no %PDF header"), key);
    assertThat(failed.status()).as(failed.body()).isEqualTo(202);
    assertThat(GatewayApiTest.awaitResult(http, failed.json().path("job_id").asText(), key).path("status").asText()).isEqualTo("failed");
    GatewayApiTest.awaitResult(http, dead, key);
    signIn(TestMesh.ADMIN_KEY);
    driver.findElement(By.id("tab-mesh")).click();
    wait(15).until(d -> d.findElement(By.cssSelector("#workers tbody")).getText().contains("diag-embedded"));
    wait(15).until(d -> d.findElement(By.cssSelector("#dlq tbody")).getText().contains(dead));
    wait(15).until(d -> d.findElement(By.cssSelector("#failures tbody")).getText().contains("INVALID_INPUT"));
    assertThat(driver.findElement(By.cssSelector("#failures tbody")).getText()).contains("not a PDF");
    String workers = driver.findElement(By.cssSelector("#workers tbody")).getText();
    assertThat(workers).contains("diag-embedded", "demo-embedded", "echo", "markdown");
    String services = driver.findElement(By.cssSelector("#services tbody")).getText();
    assertThat(services).contains("DIAGNOSTICS", "PDF_PROCESSING");
    assertThat(driver.findElement(By.id("dlq-count")).getText()).matches("\\d+");
    screenshot("gateway-mesh.png", 1280, 1100);
    driver.manage().window().setSize(new Dimension(390, 844)); // phone width: the view still renders, no overflow
    Object overflow = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth > window.innerWidth + 1");
    assertThat(overflow).as("mesh view wider than a phone screen").isEqualTo(false);
    driver.findElement(By.id("tab-process")).click();
    Object overflowProcess = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth > window.innerWidth + 1");
    assertThat(overflowProcess).as("upload page wider than a phone screen").isEqualTo(false);
    assertThat(driver.findElement(By.id("submit")).isDisplayed()).isTrue();
    driver.findElement(By.id("tab-mesh")).click();
    driver.manage().window().setSize(new Dimension(1280, 1000));
    WebElement replay = driver.findElement(By.xpath("//table[@id='dlq']//tr[td[text()='" + dead + "']]//button"));
    replay.click();
    wait(10).until(d -> d.findElement(By.xpath("//table[@id='dlq']//tr[td[text()='" + dead + "']]//button")).getText().equals("replayed #1"));
  }

  @Test
  void severalFilesDroppedTogetherEachGetTheirOwnCardAndResult() throws Exception {
    signIn(TestMesh.SUBMIT_KEY);
    Path dir = Files.createTempDirectory("multi");
    Path a = Files.writeString(dir.resolve("first.txt"), "first file");
    Path b = Files.writeString(dir.resolve("second.txt"), "second, longer file");
    new Select(driver.findElement(By.id("subject"))).selectByValue("diag.echo");
    driver.findElement(By.id("files")).sendKeys(a + "\n" + b);
    int before = driver.findElements(By.cssSelector("#jobs .job")).size();
    driver.findElement(By.id("submit")).click();
    wait(20).until(d -> {
      List<WebElement> all = d.findElements(By.cssSelector("#jobs .job"));
      return all.size() >= before + 2 && all.subList(0, 2).stream().allMatch(c -> "completed".equals(c.getAttribute("data-state"))
          && !c.findElements(By.cssSelector(".result:not(.hidden)")).isEmpty());
    });
    List<WebElement> cards = driver.findElements(By.cssSelector("#jobs .job")).subList(0, 2);
    List<String> names = cards.stream().map(c -> c.findElement(By.cssSelector(".name")).getText()).toList();
    assertThat(names).containsExactlyInAnyOrder("first.txt", "second.txt");
    for (WebElement c : cards) {
      String json = c.findElement(By.cssSelector(".rbody")).getText();
      long size = c.findElement(By.cssSelector(".name")).getText().equals("first.txt") ? 10 : 19;
      assertThat(json).contains("\"size\": " + size);
    }
  }

  @Test
  void apiPageRendersEveryOperationOfTheOpenApiDocument() throws Exception {
    driver.get(gateway.baseUrl() + "/docs");
    wait(10).until(d -> d.findElements(By.cssSelector("#ops .op")).size() >= gateway.registeredRoutes().size() - 2);
    assertThat(driver.findElements(By.cssSelector("#ops .op")).size()).isEqualTo(
        (int) gateway.registeredRoutes().stream().filter(r -> !r.startsWith("HEAD ") && !r.startsWith("OPTIONS ")).count());
    assertThat(driver.findElement(By.id("ops")).getText()).contains("POST", "/v1/jobs/{subject}", "Submit a job");
    assertThat(driver.findElements(By.cssSelector("#schemas h3"))).isNotEmpty();
    if (Boolean.getBoolean("jetmesh.docs.screenshot")) {
      Files.write(Path.of(System.getProperty("java.io.tmpdir"), "gateway-docs.png"),
          ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
  }

  // ------------------------------------------------------------------ Markdown rendering and layout

  static Object js(String script, Object... args) {
    return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(script, args);
  }

  /** The page's renderer applied to {@code markdown}, inserted into a probe element of the page. */
  static WebElement render(String markdown) {
    if (!driver.getCurrentUrl().startsWith(gateway.baseUrl())) {
      driver.get(gateway.baseUrl() + "/");
    }
    return (WebElement) js("var d = document.getElementById('md-probe');"
        + "if (!d) { d = document.createElement('div'); d.id = 'md-probe'; document.body.appendChild(d); }"
        + "d.innerHTML = window.JetmeshMarkdown.render(arguments[0]); return d;", markdown);
  }

  static String html(WebElement e) {
    return (String) js("return arguments[0].innerHTML", e);
  }

  @Test
  void markdownIsRenderedAsCommonMarkWithEntitiesEscapesSetextIndentedCodeAndAutolinks() {
    driver.get(gateway.baseUrl() + "/");
    WebElement e = render("AT&amp;T and AT&T, &copy; 2024 &#8212; x &lt; y");
    assertThat(e.getText()).isEqualTo("AT&T and AT&T, \u00a9 2024 \u2014 x < y");
    assertThat(html(e)).doesNotContain("&amp;amp;").doesNotContain("&amp;copy;");
    e = render("\\*not emphasis\\* and 5 \\* 3, \\_x\\_ \\# \\[no link\\](x)");
    assertThat(e.findElements(By.tagName("em"))).isEmpty();
    assertThat(e.findElements(By.tagName("a"))).isEmpty();
    assertThat(e.getText()).isEqualTo("*not emphasis* and 5 * 3, _x_ # [no link](x)");
    e = render("Annual report\n=============\n\nResults by region\n-----------------\n\nBody text.");
    assertThat(e.findElement(By.tagName("h1")).getText()).isEqualTo("Annual report");
    assertThat(e.findElement(By.tagName("h2")).getText()).isEqualTo("Results by region");
    e = render("A paragraph.\n\n    int total = 1;\n    return total;\n\nAfter.");
    assertThat(e.findElement(By.cssSelector("pre code")).getText()).isEqualTo("int total = 1;\nreturn total;");
    e = render("See <https://example.com/a?b=1&c=2> or write to <mailto:team@example.com>.");
    List<WebElement> links = e.findElements(By.tagName("a"));
    assertThat(links).extracting(a -> a.getAttribute("href"))
        .containsExactly("https://example.com/a?b=1&c=2", "mailto:team@example.com");
    assertThat(links.get(0).getAttribute("rel")).contains("noopener");
    e = render("**bold**, *em*, ~~gone~~, `code <b>`, and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    assertThat(e.findElement(By.tagName("strong")).getText()).isEqualTo("bold");
    assertThat(e.findElement(By.tagName("code")).getText()).isEqualTo("code <b>");
    assertThat(e.findElements(By.cssSelector(".md-table table tbody tr"))).hasSize(1);
    e = render("text\n\n<!-- image -->\n\n![a chart](https://tracker.example/pixel.png)");
    assertThat(e.findElements(By.cssSelector(".md-img"))).hasSize(2);
    assertThat(e.findElements(By.tagName("img"))).as("pictures are never fetched").isEmpty();
  }

  @Test
  void rawHtmlAndScriptLinksCannotRunEvenBehindControlCharacters() {
    driver.get(gateway.baseUrl() + "/");
    js("window.pwned = undefined");
    WebElement e = render("<img src=x onerror=\"window.pwned=1\"> <script>window.pwned=2</script>"
        + "<a href=\"javascript:window.pwned=3\">x</a>");
    assertThat(e.findElements(By.cssSelector("img, script"))).isEmpty();
    assertThat(e.getText()).contains("<img src=x");
    for (String src : List.of("[a](\u0001javascript:window.pwned=4)", "[b](<\u0001javascript:window.pwned=5>)",
        "[c](&#1;javascript:window.pwned=6)", "[d](\u001fjavascript:window.pwned=7)", "<\u0001javascript:window.pwned=8>",
        "[e](java&#9;script:window.pwned=9)", "[f](JAVASCRIPT:window.pwned=10)", "[g](&#x6A;avascript:window.pwned=11)",
        "[h](<\u0008 javascript:window.pwned=12>)", "[i](vbscript:msgbox)", "[j](data:text/html,<script>x</script>)")) {
      for (WebElement a : render(src).findElements(By.tagName("a"))) {
        Object protocol = js("return new URL(arguments[0].getAttribute('href'), location.href).protocol", a);
        assertThat(protocol).as("link of %s", src).isIn("http:", "https:", "mailto:");
      }
    }
    assertThat(js("return window.pwned")).isNull();
  }

  @Test
  void invalidFencesAndPathologicalInputRenderWithoutHanging() {
    driver.get(gateway.baseUrl() + "/");
    // an unclosed fence with an info string the old renderer's fence pattern did not accept froze the page
    WebElement e = render("Intro\n\n```c++\nint main() { return 0; }\n\nno closing fence follows");
    assertThat(e.findElement(By.cssSelector("pre code")).getText()).contains("int main()");
    e = render("~~~ release notes v2\n- one\n- two\n");
    assertThat(e.findElement(By.cssSelector("pre code")).getText()).contains("- one");
    e = render("``` not a fence ``` but inline code, then text");
    assertThat(e.findElements(By.tagName("pre"))).isEmpty();
    // inputs that make backtracking regexes explode: many openers, deep nesting, long runs
    String[] hostile = {"*a ".repeat(20_000), "_".repeat(50_000) + "x", "[".repeat(20_000) + "x" + "](".repeat(5_000),
        "> ".repeat(5_000) + "deep", "- ".repeat(5_000) + "list", "`".repeat(30_000), "| a ".repeat(3_000) + "|\n|"
        + "---|".repeat(3_000) + "\n" + "| x ".repeat(3_000) + "|", "```c++\n" + "line\n".repeat(50_000)};
    for (String h : hostile) {
      assertThat(render(h).getText()).isNotNull(); // returns within the script timeout
    }
  }

  /** Docling's own Markdown: every emphasis the renderer makes stands on delimiters that are in the source. */
  @Test
  void doclingMarkdownGetsNoSpuriousEmphasis() throws Exception {
    driver.get(gateway.baseUrl() + "/");
    List<String> documents = new ArrayList<>();
    documents.add("""
        ## 2.1 Results of run_42 (file report_final_v2.pdf)

        The snake_case_names and __init__ methods; 2 * 3 * 4 = 24; x_1, x_2 and y_1 are inputs; see *Table 1*.

        - item_one uses a_b_c
        - 5 * 7 is 35, not 5*7 * 2

        | col_a | col_b |
        |-------|-------|
        | x_1   | 2 * 3 |
        """);
    java.nio.file.Path gt = io.jetmesh.testing.SharedCorpus.dir().resolve("corpus/docling/groundtruth");
    if (Files.isDirectory(gt)) {
      try (Stream<java.nio.file.Path> files = Files.list(gt)) {
        for (java.nio.file.Path f : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
          documents.add(Files.readString(f));
        }
      }
    } else {
      System.out.println("SKIPPED (no ../shared/corpus/docling/groundtruth): emphasis check on docling's own Markdown"
          + " (the generated docling-style document is still checked)");
    }
    for (String doc : documents) {
      WebElement e = render(doc);
      for (WebElement em : e.findElements(By.tagName("em"))) {
        String text = (String) js("return arguments[0].textContent", em);
        assertThat(doc.contains("*" + text + "*") || doc.contains("_" + text + "_"))
            .as("<em>%s</em> has its delimiters in the source", text).isTrue();
      }
    }
    assertThat(render(documents.get(0)).findElements(By.tagName("em"))).extracting(WebElement::getText)
        .containsExactly("Table 1");
  }

  /**
   * The PDF worker's Markdown export of nested and lettered lists (a generated PDF through the mesh) renders as
   * nested lists in CommonMark, not as code or run-on paragraphs (ExportersListTest has the exact Markdown).
   */
  @Test
  void nestedListsOfThePdfMarkdownExportRenderAsNestedLists() throws Exception {
    Http http = new Http(gateway.baseUrl());
    String[] key = {"X-API-Key", TestMesh.SUBMIT_KEY};
    Http.Response r = http.postFile("/v1/jobs/pdf.docling.convert", "lists.pdf", nestedListPdf(),
        java.util.Map.of("to_formats", "md", "do_ocr", "false"), key);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String md = GatewayApiTest.awaitResult(http, r.json().path("job_id").asText(), key).path("output").path("markdown").asText();
    System.out.println("nestedLists export:\n" + md);
    driver.get(gateway.baseUrl() + "/");
    WebElement e = render(md);
    assertThat(e.findElements(By.tagName("pre"))).as("indented list lines read as a code block:\n" + md).isEmpty();
    assertThat(e.findElements(By.cssSelector("li li"))).as("a nested list item in:\n" + md).isNotEmpty();
    assertThat(e.findElements(By.cssSelector("li"))).as("list items in:\n" + md).hasSizeGreaterThanOrEqualTo(6);
  }

  /** A page with a bulleted list whose items have indented, lettered sub-items, and a numbered list. */
  static byte[] nestedListPdf() {
    try (org.apache.pdfbox.pdmodel.PDDocument doc = new org.apache.pdfbox.pdmodel.PDDocument();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
      var regular = new org.apache.pdfbox.pdmodel.font.PDType1Font(org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName.HELVETICA);
      var page = new org.apache.pdfbox.pdmodel.PDPage(org.apache.pdfbox.pdmodel.common.PDRectangle.A4);
      doc.addPage(page);
      String[][] lines = {{"72", "\u2022 Fruit we grow in the orchard"}, {"96", "a. Apples from the north slope"},
          {"96", "b. Pears from the old trees"}, {"72", "\u2022 Vegetables for the market"}, {"96", "a. Leeks and onions"},
          {"120", "i. Early varieties only"}, {"72", "\u2022 Flowers along the path"}};
      try (var cs = new org.apache.pdfbox.pdmodel.PDPageContentStream(doc, page)) {
        text(cs, regular, 16, 72, 760, "Garden plan");
        text(cs, regular, 11, 72, 730, "What the garden holds this year, by bed and by row.");
        float y = 700;
        for (String[] l : lines) {
          text(cs, regular, 11, Float.parseFloat(l[0]), y, l[1]);
          y -= 18;
        }
      }
      doc.save(out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The page is no wider than the window; the message names the elements that stick out. */
  static void assertNoHorizontalOverflow(String where) {
    Object culprits = js("var w = window.innerWidth, out = [];"
        + "document.querySelectorAll('body *').forEach(function (e) {"
        + "  var r = e.getBoundingClientRect(), p = e.parentElement.getBoundingClientRect();"
        + "  if (r.width > 0 && r.right > w + 1 && p.right <= w + 1 && out.length < 8)"
        + "    out.push(e.tagName + '.' + e.className + ' right=' + Math.round(r.right)); });"
        + "return document.documentElement.scrollWidth + ' > ' + w + ': ' + out.join(', ');");
    assertThat(((Number) js("return document.documentElement.scrollWidth - window.innerWidth")).intValue())
        .as("%s: %s", where, culprits).isLessThanOrEqualTo(0);
  }

  @Test
  void noHorizontalOverflowAt390AndTheFailuresTableKeepsItsFinishedColumnAt1280() throws Exception {
    Http http = new Http(gateway.baseUrl());
    String[] key = {"X-API-Key", TestMesh.SUBMIT_KEY};
    String longMessage = "cannot read s3://customer-archive-eu-west-1/inbox/2024/11/scans/"
        + "Scan_0001_very_long_file_name_without_any_spaces_at_all_from_the_office_copier.pdf: the object store "
        + "answered 403 AccessDenied for this key; check the worker's S3 credentials and the bucket policy";
    Http.Response failed = http.postFile("/v1/jobs/diag.fail", "wide.pdf", new byte[1],
        java.util.Map.of("code", "INPUT_NOT_FOUND", "message", longMessage), key);
    GatewayApiTest.awaitResult(http, failed.json().path("job_id").asText(), key);

    signIn(TestMesh.ADMIN_KEY);
    driver.manage().window().setSize(new Dimension(1280, 1000));
    String wide = "# Wide result\n\n" + "Unbroken:" + "x".repeat(400) + "\n\nA link https://example.com/"
        + "very/long/path/".repeat(30) + "\n\n```\n" + "code ".repeat(120) + "\n```\n\n| "
        + "column header with words | ".repeat(12) + "\n|" + "---|".repeat(12) + "\n| " + "cell value here | ".repeat(12) + "\n";
    Path file = Files.createTempDirectory("wide").resolve("a-very-long-file-name-for-the-layout-test-" + "x".repeat(80) + ".md");
    Files.writeString(file, wide);
    new Select(driver.findElement(By.id("subject"))).selectByValue("demo.render.markdown");
    driver.findElement(By.id("files")).sendKeys(file.toString());
    int before = driver.findElements(By.cssSelector("#jobs .job")).size();
    driver.findElement(By.id("submit")).click();
    wait(30).until(d -> d.findElements(By.cssSelector("#jobs .job")).size() == before + 1
        && "completed".equals(d.findElement(By.cssSelector("#jobs .job")).getAttribute("data-state"))
        && !d.findElements(By.cssSelector("#jobs .job .result:not(.hidden) .rbody")).isEmpty());

    driver.manage().window().setSize(new Dimension(390, 844));
    Thread.sleep(200); // layout after the resize
    assertNoHorizontalOverflow("upload view with a wide job card at 390 px");
    driver.findElement(By.id("tab-mesh")).click();
    wait(15).until(d -> d.findElement(By.cssSelector("#failures tbody")).getText().contains("AccessDenied"));
    assertNoHorizontalOverflow("mesh view at 390 px");

    driver.manage().window().setSize(new Dimension(1280, 1000));
    Thread.sleep(200);
    WebElement finished = driver.findElement(By.xpath("//table[@id='failures']//th[text()='Finished']"));
    WebElement box = driver.findElement(By.xpath("//table[@id='failures']/.."));
    double thRight = ((Number) js("return arguments[0].getBoundingClientRect().right", finished)).doubleValue();
    double boxRight = ((Number) js("return arguments[0].getBoundingClientRect().right", box)).doubleValue();
    assertThat(thRight).as("the Finished column lies inside the panel at 1280 px").isLessThanOrEqualTo(boxRight + 1);
    assertThat(((Number) js("return arguments[0].scrollWidth - arguments[0].clientWidth", box)).intValue())
        .as("the failures table needs no horizontal scrolling at 1280 px").isLessThanOrEqualTo(1);
    driver.findElement(By.id("tab-process")).click();
  }

  /** Screenshots for docs/gateway.md, written with {@code -Djetmesh.screenshots=true}. */
  static void screenshot(String name, int w, int h) throws Exception {
    Path target = Path.of("..", "docs", "img"); // surefire runs in gateway/
    if (!Boolean.getBoolean("jetmesh.screenshots") || !Files.isDirectory(target)) {
      return;
    }
    driver.manage().window().setSize(new Dimension(w, h));
    Thread.sleep(300);
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(target.resolve(name), png);
  }
}
