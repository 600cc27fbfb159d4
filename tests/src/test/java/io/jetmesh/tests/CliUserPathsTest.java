package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.cli.JetmeshCli;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.cli.support.ExitCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-path matrix (issue 12): every command {@code jetmesh --help} lists, run as a process by the real
 * launcher ({@link Launcher}) against the embedded default and against an external mesh (one shared
 * {@code jetmesh dev} process) reached by {@code --nats-url}, by environment variables and by a {@code .env} file;
 * and every input format the services declare ({@code input_formats} in namespaces.yaml) through every operation
 * that declares it. Each case checks the exit code and that stdout holds exactly the result (JSON that parses, no
 * log lines).
 *
 * <p>The command list comes from the picocli command spec: a new command without a user path here fails
 * {@link #everyCommandOnEveryMesh}, a newly declared format without a generator fails {@link UserFiles#write}. The
 * connection modes are crossed only with the commands that read them the same way everywhere (workers, submit,
 * status, result, provision, gateway); the heavy commands run once per kind of mesh.
 */
class CliUserPathsTest {
  static final Duration LIMIT = Duration.ofMinutes(4);

  /** How the command finds its mesh. */
  enum Mesh { EMBEDDED, FLAGS, ENV, DOTENV }

  /** One command run the way a user runs it on one kind of mesh. */
  record Context(Mesh mesh, Launcher jetmesh, String[] connection, Path dir) {
    Launcher.Result run(String... args) throws Exception {
      return jetmesh.run(LIMIT, S3InputTest.concat(args, connection));
    }

    Process start(Path out, Path err, String... args) throws Exception {
      return jetmesh.start(out, err, S3InputTest.concat(args, connection));
    }
  }

  interface UserPath {
    void check(Context c) throws Exception;
  }

  record Path_(Set<Mesh> meshes, UserPath path) {}

  static DevMeshProcess dev;
  @TempDir static Path dir;
  static Path inputs;

  @RegisterExtension static final DevMeshProcess.Extension DEV = new DevMeshProcess.Extension();

  @BeforeAll
  static void start() throws Exception {
    dev = DEV.get();
    inputs = Files.createDirectories(dir.resolve("inputs"));
    Files.writeString(inputs.resolve("a.txt"), "alpha");
    Files.writeString(inputs.resolve("b.txt"), "beta!");
  }

  static Context context(Mesh mesh, String name) throws Exception {
    Path cwd = Files.createDirectories(dir.resolve(name.replaceAll("[^A-Za-z0-9_-]+", "_")));
    Launcher jetmesh = Launcher.in(cwd);
    String[] connection = new String[0];
    switch (mesh) {
      case EMBEDDED -> { }
      case FLAGS -> connection = dev.flags();
      case ENV -> jetmesh = jetmesh.env("NATS_URL", dev.url).env("NATS_TOKEN", dev.token);
      case DOTENV -> Files.writeString(cwd.resolve(".env"), "# written by CliUserPathsTest\nexport NATS_URL="
          + dev.url + "  # the dev mesh\nNATS_TOKEN='" + dev.token + "'\n");
    }
    return new Context(mesh, jetmesh, connection, cwd);
  }

  static final Set<Mesh> EXTERNAL = EnumSet.of(Mesh.FLAGS, Mesh.ENV, Mesh.DOTENV);

  /** The user path of every command; the key set must cover every command of {@code jetmesh --help}. */
  static Map<String, Path_> paths() {
    Map<String, Path_> p = new LinkedHashMap<>();
    p.put("provision", new Path_(EXTERNAL, c -> {
      Launcher.Result r = c.run("provision");
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).as(r.describe()).contains(", 0 changed").doesNotContain(" INFO ").doesNotContain(" WARN ");
    }));
    p.put("submit", new Path_(EnumSet.allOf(Mesh.class), c -> {
      Path file = inputs.resolve("a.txt");
      if (c.mesh() == Mesh.EMBEDDED) {
        Launcher.Result r = c.run("submit", "diag.echo", file.toString(), "--wait");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.json().path("status").asText()).isEqualTo("completed");
        return;
      }
      Launcher.Result r = c.run("submit", "diag.echo", file.toString());
      assertThat(r.exit()).as(r.describe()).isZero();
      String id = r.out().strip();
      assertThat(id).as(r.describe()).matches("[A-Za-z0-9_-]+");
      // status and result of the job, by the same settings
      JsonNode status = null;
      for (int i = 0; i < 60; i++) {
        Launcher.Result s = c.run("status", id);
        assertThat(s.exit()).as(s.describe()).isZero();
        status = s.json();
        if (status.path("state").asText().equals("completed")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(status.path("state").asText()).isEqualTo("completed");
      Launcher.Result res = c.run("result", id);
      assertThat(res.exit()).as(res.describe()).isZero();
      assertThat(res.json().path("output").path("size").asInt()).isEqualTo(5);
    }));
    p.put("status", new Path_(EnumSet.of(Mesh.FLAGS), c -> {
      Launcher.Result r = c.run("status", "never-submitted-" + System.nanoTime());
      assertThat(r.exit()).as(r.describe()).isEqualTo(ExitCodes.JOBS_FAILED);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).contains("unknown job");
    }));
    p.put("result", new Path_(EnumSet.of(Mesh.FLAGS), c -> {
      Launcher.Result r = c.run("result", "never-submitted-" + System.nanoTime());
      assertThat(r.exit()).as(r.describe()).isEqualTo(ExitCodes.JOBS_FAILED);
      assertThat(r.out()).isEmpty();
    }));
    p.put("cancel", new Path_(EnumSet.of(Mesh.FLAGS), c -> {
      Launcher.Result s = c.run("submit", "diag.sleep", inputs.resolve("a.txt").toString(), "--options", "{\"ms\":60000}");
      assertThat(s.exit()).as(s.describe()).isZero();
      String id = s.out().strip();
      Launcher.Result r = c.run("cancel", id);
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).isEqualTo("cancel requested for " + id + "\n");
    }));
    p.put("workers", new Path_(EXTERNAL, c -> {
      Launcher.Result r = c.run("workers");
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).contains("diag-embedded", "pdf-embedded", "DIAGNOSTICS").doesNotContain(" INFO ");
    }));
    p.put("dlq", new Path_(EnumSet.of(Mesh.FLAGS), c -> {
      Launcher.Result r = c.run("dlq", "list");
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.err()).doesNotContain("error");
    }));
    p.put("dev", new Path_(EnumSet.of(Mesh.EMBEDDED), c -> {
      // the shared external mesh of this class is a 'jetmesh dev' process
      assertThat(dev.process.isAlive()).isTrue();
      assertThat(Files.readString(dev.stdout)).contains("export NATS_URL=" + dev.url, "worker pdf-embedded",
          "Ctrl-C to stop.").doesNotContain(" INFO ");
    }));
    p.put("run", new Path_(EnumSet.of(Mesh.EMBEDDED, Mesh.FLAGS), c -> {
      Path out = c.dir().resolve("out");
      Launcher.Result r = c.run("run", "diag.echo", inputs.resolve("a.txt").toString(), inputs.resolve("b.txt").toString(),
          "-o", out.toString());
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).endsWith("2 of 2 files ok\n");
      assertThat(r.out().lines()).as(r.describe()).allMatch(l -> l.startsWith("ok ") || l.equals("2 of 2 files ok"));
      assertThat(Json.tree(Files.readString(out.resolve("a.txt.json"))).path("size").asInt()).isEqualTo(5);
    }));
    p.put("convert", new Path_(EnumSet.of(Mesh.EMBEDDED, Mesh.FLAGS), c -> {
      Path md = UserFiles.write(c.dir().resolve("in"), List.of("md")).get("md");
      Path out = c.dir().resolve("out");
      Launcher.Result r = c.run("convert", md.toString(), "-o", out.toString(), "--to", "md,json");
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(Files.readString(out.resolve("invoice-md.md"))).contains("# Invoice", UserFiles.TEXT);
      assertThat(Json.tree(Files.readString(out.resolve("invoice-md.json"))).path("schema_name").asText())
          .isEqualTo("DoclingDocument");
    }));
    p.put("demo", new Path_(EnumSet.of(Mesh.FLAGS), c -> {
      Launcher.Result r = c.run("demo", "--samples", Launcher.InfraRoot.path().resolve("samples").toString(), "-o",
          c.dir().resolve("demo").toString());
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).contains("sample files processed ok").doesNotContain(" WARN ").doesNotContain(" INFO ");
    }));
    p.put("bench", new Path_(EnumSet.of(Mesh.EMBEDDED, Mesh.FLAGS), c -> {
      Launcher.Result r = c.run("bench", "diag.noop", "-n", "200", "--warmup", "20", "--concurrency", "16");
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).contains("diag.noop: 200 jobs in", ", 0 failed");
    }));
    p.put("worker", new Path_(EnumSet.of(Mesh.FLAGS), c -> {
      Path out = c.dir().resolve("worker.out");
      Path err = c.dir().resolve("worker.err");
      Process w = c.start(out, err, "worker", "diag", "--concurrency", "2");
      try {
        awaitText(err, "serving diag.*", w);
        assertThat(Files.readString(err)).contains(" INFO ");
        assertThat(Files.readString(out)).doesNotContain(" INFO ");
      } finally {
        w.destroy();
        assertThat(w.waitFor(60, TimeUnit.SECONDS)).as("worker stops on SIGTERM").isTrue();
      }
      assertThat(Files.readString(err)).contains("stopped");
    }));
    p.put("gateway", new Path_(EnumSet.of(Mesh.FLAGS, Mesh.ENV), c -> {
      Path out = c.dir().resolve("gateway.out");
      Path err = c.dir().resolve("gateway.err");
      Process g = c.start(out, err, "gateway", "--port", "0", "--no-auth");
      try {
        String line = awaitText(out, "jetmesh gateway on ", g);
        Matcher m = Pattern.compile("jetmesh gateway on (http://[^ /]+)/").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)
            + "/healthz")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      } finally {
        g.destroy();
        assertThat(g.waitFor(60, TimeUnit.SECONDS)).as("gateway stops on SIGTERM").isTrue();
      }
    }));
    return p;
  }

  static String awaitText(Path file, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      String s = Files.readString(file);
      if (s.contains(text)) {
        return s;
      }
      if (!p.isAlive()) {
        throw new AssertionError("process ended (exit " + p.exitValue() + ") before printing '" + text + "':\n" + s);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + text + "' within 120 s in " + file + ":\n" + Files.readString(file));
  }

  /** The commands {@code jetmesh --help} lists, from the command spec. */
  static Set<String> commands() {
    Set<String> names = new TreeSet<>(JetmeshCli.commandLine().getSubcommands().keySet());
    names.remove("help");
    return names;
  }

  @TestFactory
  Stream<DynamicTest> everyCommandOnEveryMesh() throws Exception {
    Map<String, Path_> paths = paths();
    Set<String> missing = new TreeSet<>(commands());
    missing.removeAll(paths.keySet());
    assertThat(missing).as("commands of 'jetmesh --help' without a user path in CliUserPathsTest.paths()").isEmpty();
    List<DynamicTest> tests = new ArrayList<>();
    for (String command : commands()) {
      Path_ p = paths.get(command);
      for (Mesh mesh : p.meshes()) {
        String name = command + " on " + mesh.name().toLowerCase();
        tests.add(DynamicTest.dynamicTest(name, () -> p.path().check(context(mesh, name))));
      }
    }
    return tests.stream();
  }

  /**
   * Every operation that declares input formats, run over one generated file of each format in one {@code jetmesh
   * run}: every file gets a result; image.process.ocr reads each image format the services declare.
   */
  @TestFactory
  Stream<DynamicTest> everyDeclaredInputFormat() throws Exception {
    MeshRegistry registry = MeshRegistry.bundled();
    Set<String> imageFormats = new LinkedHashSet<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (NamespaceSpec ns : registry.namespaces()) {
      for (Map.Entry<String, List<String>> op : ns.inputFormats().entrySet()) {
        String subject = ns.subjectPrefix() + "." + op.getKey();
        op.getValue().stream().filter(f -> List.of("png", "jpeg", "tiff", "bmp", "gif", "webp").contains(f))
            .forEach(imageFormats::add);
        tests.add(DynamicTest.dynamicTest(subject + " over " + String.join(", ", op.getValue()),
            () -> runAll(subject, op.getValue())));
      }
    }
    assertThat(tests).as("operations declaring input_formats in namespaces.yaml").isNotEmpty();
    tests.add(DynamicTest.dynamicTest("image.process.ocr over " + String.join(", ", imageFormats),
        () -> runAll("image.process.ocr", List.copyOf(imageFormats))));
    tests.add(DynamicTest.dynamicTest("convert a directory of every format", () -> {
      Context c = context(Mesh.FLAGS, "convert-directory");
      List<String> formats = registry.requireSubject("pdf.docling.convert").inputFormats("convert");
      Path in = c.dir().resolve("in");
      Map<String, Path> files = UserFiles.write(in, formats);
      Path out = c.dir().resolve("out");
      Launcher.Result r = c.run("convert", in.toString(), "-o", out.toString(), "--to", "md,json");
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out()).endsWith(files.size() + " of " + files.size() + " files ok\n");
      for (Path f : files.values()) {
        String stem = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        assertThat(Json.tree(Files.readString(out.resolve(stem + ".json"))).path("schema_name").asText()).as(stem)
            .isEqualTo("DoclingDocument");
      }
    }));
    return tests.stream();
  }

  private static void runAll(String subject, List<String> formats) throws Exception {
    Context c = context(Mesh.FLAGS, subject);
    Map<String, Path> files = UserFiles.write(c.dir().resolve("in"), formats);
    Path out = c.dir().resolve("out");
    List<String> args = new ArrayList<>(List.of("run", subject));
    files.values().forEach(f -> args.add(f.toString()));
    args.addAll(List.of("-o", out.toString()));
    Launcher.Result r = c.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).endsWith(files.size() + " of " + files.size() + " files ok\n");
    for (Map.Entry<String, Path> f : files.entrySet()) {
      JsonNode output = Json.tree(Files.readString(out.resolve(f.getValue().getFileName() + ".json")));
      assertThat(output.isObject()).as(subject + " on " + f.getKey()).isTrue();
      if (subject.equals("image.process.ocr")) {
        assertThat(output.toString()).as(subject + " on " + f.getKey()).contains("4711");
      }
    }
  }
}
