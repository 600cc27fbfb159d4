package io.jetmesh.infra;

import static io.jetmesh.infra.InfraFixtures.YAML;
import static io.jetmesh.infra.InfraFixtures.repoRoot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contents of the images {@code deploy/docker/Dockerfile} builds, without a Docker engine: for every module an
 * image is built from (the Dockerfile's header, docker-compose.yml), the jar {@code deploy/docker/dist-jar.sh} picks
 * from the {@code -Pdist} build (the script the Dockerfile runs) is staged as {@code /opt/jetmesh/lib/app.jar} is in
 * the image, and {@code deploy/docker/entrypoint.sh} (the image's entry point) runs it: {@code --help} for every
 * image, then what compose runs: the CLI provisions, each worker serves a job of its service, the gateway answers
 * its API with the key file {@code init-env.sh} writes.
 *
 * <p>{@code scripts/test} builds with {@code -Pdist}, which sets {@code jetmesh.dist.required}: a missing jar is then
 * a failure. A plain {@code mvn verify} has no dist jars and skips this class with a message.
 */
class DistImagesTest {
  /** An image: the Maven module, the command name inside it, and the command compose gives it (if any). */
  record Image(String module, String launcher) {}

  @TempDir static Path tmp;
  static Map<String, Image> images;
  static Map<String, Path> jars;
  static String javaOpts;
  static EmbeddedMesh mesh;

  @BeforeAll
  static void stageImages() throws Exception {
    Path root = repoRoot();
    String dockerfile = Files.readString(root.resolve("deploy/docker/Dockerfile"));
    images = imagesBuilt(dockerfile, YAML.readTree(root.resolve("deploy/compose/docker-compose.yml").toFile()));
    assertThat(images).containsKeys("cli", "gateway", "pdf-worker", "image-worker", "text-worker");
    Matcher opts = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(opts.find()).as("the Dockerfile sets JAVA_OPTS").isTrue();
    javaOpts = opts.group(1);

    boolean required = Boolean.getBoolean("jetmesh.dist.required");
    jars = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Image image : images.values()) {
      Process p = new ProcessBuilder("sh", "deploy/docker/dist-jar.sh", image.module()).directory(root.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        missing.add(err);
        continue;
      }
      // the image layout: the jar at /opt/jetmesh/lib/app.jar, the entry point linked under the launcher's name
      Path opt = Files.createDirectories(tmp.resolve(image.module()).resolve("opt/jetmesh/lib"));
      Path app = Files.createSymbolicLink(opt.resolve("app.jar"), root.resolve(out).toAbsolutePath());
      jars.put(image.module(), app);
    }
    if (!missing.isEmpty()) {
      String msg = "dist jars missing (build with -Pdist; scripts/test does): " + String.join("; ", missing);
      if (required) {
        throw new AssertionError(msg);
      }
      System.out.println("DistImagesTest skipped: " + msg);
      Assumptions.abort(msg);
    }
  }

  @AfterAll
  static void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  /** MODULE/LAUNCHER pairs of the Dockerfile's build commands, and the MODULE/LAUNCHER build args of compose. */
  static Map<String, Image> imagesBuilt(String dockerfile, JsonNode compose) {
    Map<String, Image> found = new LinkedHashMap<>();
    for (String command : dockerfile.split("\\n#   docker build")) {
      Matcher module = Pattern.compile("MODULE=([a-z-]+)").matcher(command);
      if (module.find()) {
        Matcher launcher = Pattern.compile("LAUNCHER=([a-z-]+)").matcher(command);
        found.putIfAbsent(module.group(1), new Image(module.group(1), launcher.find() ? launcher.group(1) : module.group(1)));
      }
    }
    compose.path("services").forEach(service -> {
      JsonNode args = service.at("/build/args");
      if (args.has("MODULE")) {
        String module = args.path("MODULE").asText();
        Image image = new Image(module, args.path("LAUNCHER").asText(module));
        Image before = found.putIfAbsent(module, image);
        assertThat(before == null || before.equals(image)).as("launcher of %s in compose and Dockerfile", module).isTrue();
      }
    });
    return found;
  }

  /** A process of the staged image: the entry point under the launcher's name, the image's JAVA_OPTS. */
  static ProcessBuilder inImage(String module, Path log, Map<String, String> env, String... args) throws IOException {
    Image image = images.get(module);
    Path bin = Files.createDirectories(tmp.resolve(module).resolve("usr/local/bin"));
    Path entry = bin.resolve("jetmesh-entrypoint");
    if (!Files.exists(entry)) {
      Files.copy(repoRoot().resolve("deploy/docker/entrypoint.sh"), entry);
      Files.createSymbolicLink(bin.resolve(image.launcher()), entry);
    }
    List<String> cmd = new ArrayList<>(List.of("sh", bin.resolve(image.launcher()).toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.startsWith("NATS_") || k.startsWith("JETMESH_"));
    e.put("JAVA_OPTS", javaOpts);
    e.put("JETMESH_APP_JAR", jars.get(module).toString());
    e.putAll(env);
    return pb;
  }

  static String run(String module, Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(tmp, module, ".log");
    Process p = inImage(module, log, env, args).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(module + " " + String.join(" ", args) + " did not exit within 120 s: " + Files.readString(log));
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as("exit code of %s %s: %s", module, String.join(" ", args), out).isZero();
    return out;
  }

  static synchronized EmbeddedMesh mesh() throws Exception {
    Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed: image runs skipped");
    if (mesh == null) {
      mesh = EmbeddedMesh.builder().dir(tmp.resolve("mesh")).modules(List.of()).start();
    }
    return mesh;
  }

  static Map<String, String> natsEnv() throws Exception {
    return Map.of("NATS_URL", mesh().url(), "NATS_TOKEN", mesh().token());
  }

  @Test
  void everyImageRunsItsCommandWithHelp() throws Exception {
    for (Image image : images.values()) {
      String out = run(image.module(), Map.of(), "--help");
      assertThat(out).as("%s --help", image.module()).contains("Usage: ");
    }
  }

  @Test
  void noModuleBuildsAStrayDistJar() throws IOException {
    try (var modules = Files.list(repoRoot())) {
      for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("target/dist"))).toList()) {
        try (var files = Files.list(module.resolve("target/dist"))) {
          List<String> names = files.map(f -> f.getFileName().toString()).toList();
          assertThat(names).as("%s/target/dist", module.getFileName()).hasSize(1).noneMatch(n -> n.contains("${"));
        }
      }
    }
  }

  /**
   * NOTICE names every third-party artifact the dist jars bundle (each leaves its pom.properties in the shaded jar),
   * and each jar carries LICENSE and NOTICE: a new dependency fails here until scripts/gen-notice.py is run.
   */
  @Test
  void noticeListsEveryBundledArtifactAndEveryJarCarriesTheLicence() throws Exception {
    String notice = Files.readString(repoRoot().resolve("NOTICE"));
    java.util.Set<String> missing = new java.util.TreeSet<>();
    Pattern pom = Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
    for (var jar : jars.entrySet()) {
      try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.getValue().toRealPath().toFile())) {
        assertThat(z.getEntry("META-INF/jetmesh/LICENSE")).as("LICENSE in %s", jar.getKey()).isNotNull();
        assertThat(z.getEntry("META-INF/jetmesh/NOTICE")).as("NOTICE in %s", jar.getKey()).isNotNull();
        z.stream().forEach(e -> {
          Matcher m = pom.matcher(e.getName());
          if (m.matches() && !m.group(1).startsWith("io.jetmesh") && !notice.contains(" " + m.group(1) + ":" + m.group(2) + " ")) {
            missing.add(m.group(1) + ":" + m.group(2));
          }
        });
      }
    }
    assertThat(missing).as("bundled artifacts NOTICE does not list (run scripts/gen-notice.py)").isEmpty();
  }

  /** The provision service of docker-compose.yml, with its command, against a fresh server. */
  @Test
  void cliImageProvisionsAsComposeRunsIt() throws Exception {
    JsonNode compose = YAML.readTree(repoRoot().resolve("deploy/compose/docker-compose.yml").toFile());
    List<String> command = new ArrayList<>();
    compose.at("/services/provision/command").forEach(c -> command.add(c.asText()));
    assertThat(command).startsWith("provision");
    String out = run("cli", natsEnv(), command.toArray(String[]::new));
    assertThat(out).containsIgnoringCase("changed");
  }

  @Test
  void workerImagesServeAJobOfTheirServiceAndStopOnSigterm() throws Exception {
    byte[] pdf = pdf("Quarterly report 2024");
    byte[] jpeg = jpeg("Invoice 4711 total");
    Map<String, JobRequest> jobs = Map.of(
        "pdf-worker", JobRequest.builder("pdf.docling.text").inline(pdf, "r.pdf", null).build(),
        "image-worker", JobRequest.builder("image.process.ocr").inline(jpeg, "r.jpg", null).build(),
        "text-worker", JobRequest.builder("text.analyze.stats")
            .inline("One sentence. Two sentences.".getBytes(StandardCharsets.UTF_8), "t.txt", null).build());
    Map<String, String> expected = Map.of("pdf-worker", "Quarterly report 2024", "image-worker", "4711",
        "text-worker", "\"sentences\":2");
    try (MeshClient client = MeshClient.connect(mesh().options())) {
      for (var job : jobs.entrySet()) {
        String module = job.getKey();
        Path log = tmp.resolve(module + "-serve.log");
        Map<String, String> env = new LinkedHashMap<>(natsEnv());
        env.putAll(Map.of("JETMESH_HTTP_PORT", "0", "JETMESH_CONCURRENCY", "1", "JETMESH_WORKER_ID", module + "-image",
            "JETMESH_DRAIN_TIMEOUT", "5s"));
        Process worker = inImage(module, log, env).start();
        try {
          awaitLine(worker, log, "serving", Duration.ofSeconds(120));
          JobResult r = client.submit(job.getValue()).result().get(180, TimeUnit.SECONDS);
          JsonNode output = client.output(r).get(30, TimeUnit.SECONDS);
          assertThat(r.worker()).isEqualTo(module + "-image");
          assertThat(output.toString()).as("output of %s", module).contains(expected.get(module));
        } finally {
          worker.destroy(); // SIGTERM, as docker stop sends (STOPSIGNAL SIGTERM)
          boolean exited = worker.waitFor(60, TimeUnit.SECONDS);
          if (!exited) {
            worker.destroyForcibly();
          }
          assertThat(exited).as("%s drained and exited after SIGTERM: %s", module, Files.readString(log)).isTrue();
          assertThat(worker.exitValue()).as("%s exit status after SIGTERM", module).isIn(0, 143);
        }
      }
    }
  }

  /** The gateway as compose runs it: the API key file of init-env.sh, the page and the API behind the key. */
  @Test
  void gatewayImageServesThePageAndTheApiWithTheComposeKey() throws Exception {
    Path compose = Files.createDirectories(tmp.resolve("compose"));
    Files.copy(repoRoot().resolve("deploy/compose/init-env.sh"), compose.resolve("init-env.sh"));
    Process init = new ProcessBuilder("bash", compose.resolve("init-env.sh").toString()).redirectErrorStream(true).start();
    init.getInputStream().readAllBytes();
    assertThat(init.waitFor()).isZero();
    String key = InfraFixtures.readEnvFile(compose.resolve(".env")).get("GATEWAY_API_KEY");
    JsonNode service = YAML.readTree(repoRoot().resolve("deploy/compose/docker-compose.yml").toFile())
        .at("/services/gateway");
    Map<String, String> env = new LinkedHashMap<>();
    service.path("environment").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
    env.remove("NATS_USER");
    env.remove("NATS_PASSWORD");
    env.putAll(natsEnv());
    env.put("JETMESH_GATEWAY_PORT", "0");
    env.put("JETMESH_GATEWAY_API_KEYS_FILE", compose.resolve("gateway-api-keys").toString());
    Path log = tmp.resolve("gateway.log");
    Process gateway = inImage("gateway", log, env).start();
    try {
      String line = awaitLine(gateway, log, "listening on http://", Duration.ofSeconds(120));
      Matcher port = Pattern.compile("listening on http://[^:]+:(\\d+)/").matcher(line);
      assertThat(port.find()).as(line).isTrue();
      String base = "http://127.0.0.1:" + port.group(1);
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      assertThat(get(http, base + "/readyz", null).statusCode()).isEqualTo(200);
      HttpResponse<String> page = get(http, base + "/", null);
      assertThat(page.statusCode()).isEqualTo(200);
      Matcher scripts = Pattern.compile("<script[^>]+src=\"([^\"]+)\"").matcher(page.body());
      int scriptCount = 0;
      while (scripts.find()) {
        String src = scripts.group(1);
        assertThat(get(http, base + (src.startsWith("/") ? "" : "/") + src, null).statusCode()).as(src).isEqualTo(200);
        scriptCount++;
      }
      assertThat(scriptCount).as("scripts of the page").isPositive();
      assertThat(get(http, base + "/v1/jobs/01M8SVM9J6FTEJ96F29W4ZE2YW", null).statusCode()).isEqualTo(401);
      assertThat(get(http, base + "/v1/jobs/01M8SVM9J6FTEJ96F29W4ZE2YW", key).statusCode()).isEqualTo(404);
    } finally {
      gateway.destroy();
      gateway.waitFor(60, TimeUnit.SECONDS);
      gateway.destroyForcibly();
    }
  }

  static HttpResponse<String> get(HttpClient http, String url, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The first line of the process output that contains {@code text}. */
  static String awaitLine(Process p, Path log, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.contains(text)) {
            return line;
          }
        }
      }
      if (!p.isAlive()) {
        throw new AssertionError("exited with " + p.exitValue() + " before printing '" + text + "': " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' within " + timeout + ": " + Files.readString(log));
  }

  static byte[] pdf(String text) throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
        cs.newLineAtOffset(72, 700);
        cs.showText(text);
        cs.endText();
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  static byte[] jpeg(String text) throws IOException {
    BufferedImage img = new BufferedImage(900, 160, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 900, 160);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 40));
    g.drawString(text, 40, 95);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    return out.toByteArray();
  }
}
