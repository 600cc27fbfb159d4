package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.NatsServerProcess;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md section 12 is the per-operation reference a client in another language works from: one row per
 * operation with the inputs it takes, the fields of its output and where its options are documented. This keeps the
 * table in step with the code: its rows are exactly the operations of namespaces.yaml with their declared input
 * formats, every options link points at a heading that exists, and every operation a shipped worker serves is run on
 * a real mesh with a small input and default options, and the output's top-level fields must be the documented ones
 * (all of the required ones, nothing undocumented).
 */
class OperationReferenceMeshTest {
  private static final Pattern ROW = Pattern.compile(
      "^\\| `([a-z0-9_.]+)` \\| ([^|]*) \\| ([^|]*) \\| \\[[^]]*]\\(([^)#]+)#([^)]+)\\) \\|$");
  private static final Pattern FIELD = Pattern.compile("`([a-z0-9_]+)(\\?)?`");

  /** Options for operations whose defaults do not complete quickly: diag.fail fails unless told to succeed. */
  private static final Map<String, String> PROBE_OPTIONS = Map.of(
      "diag.fail", "{\"succeed_on_attempt\":1}",
      "diag.sleep", "{\"ms\":20}",
      "image.process.convert", "{\"format\":\"png\"}");

  /**
   * Operations that need a model the embedded mesh does not load (models are files an operator names with --model);
   * image-worker's ModelInferenceTest checks their output on tiny models it builds.
   */
  private static final Set<String> NEED_A_MODEL = Set.of("image.process.classify", "image.process.embed");

  record Row(String subject, String inputs, Set<String> required, Set<String> optional, String doc, String anchor) {}

  static Map<String, Row> rows;

  @TempDir Path dir;

  @BeforeAll
  static void readTable() throws Exception {
    Path docs = ProtocolExamplesMeshTest.InfraRoot.docs();
    String protocol = Files.readString(docs.resolve("PROTOCOL.md"));
    int start = protocol.indexOf("## 12. Services and operations");
    assertThat(start).as("PROTOCOL.md has section 12").isNotNegative();
    int end = protocol.indexOf("\n## ", start + 10);
    rows = new LinkedHashMap<>();
    for (String line : protocol.substring(start, end < 0 ? protocol.length() : end).split("\n")) {
      Matcher m = ROW.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      Set<String> required = new TreeSet<>();
      Set<String> optional = new TreeSet<>();
      Matcher f = FIELD.matcher(m.group(3));
      while (f.find()) {
        (f.group(2) == null ? required : optional).add(f.group(1));
      }
      rows.put(m.group(1), new Row(m.group(1), m.group(2).strip(), required, optional, m.group(4), m.group(5)));
    }
  }

  @Test
  void theTableListsEveryOperationOfTheRegistryWithItsDeclaredInputs() {
    MeshRegistry registry = MeshRegistry.bundled();
    List<String> expected = new ArrayList<>();
    for (NamespaceSpec ns : registry.namespaces()) {
      for (String op : ns.operations()) {
        String subject = ns.subjectFor(op);
        expected.add(subject);
        Row row = rows.get(subject);
        assertThat(row).as("row for " + subject + " in PROTOCOL.md section 12").isNotNull();
        List<String> formats = ns.inputFormats(op);
        if (!formats.isEmpty()) {
          assertThat(row.inputs()).as("inputs of " + subject + " (namespaces.yaml input_formats)")
              .isEqualTo(String.join(", ", formats));
        }
      }
    }
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void everyOptionsLinkPointsAtAnExistingHeading() throws Exception {
    Path docs = ProtocolExamplesMeshTest.InfraRoot.docs();
    for (Row row : rows.values()) {
      Path doc = docs.resolve(row.doc());
      assertThat(doc).as("options document of " + row.subject()).isRegularFile();
      Set<String> anchors = new TreeSet<>();
      for (String line : Files.readAllLines(doc)) {
        if (line.startsWith("#")) {
          anchors.add(anchor(line.replaceFirst("^#+\\s*", "")));
        }
      }
      assertThat(anchors).as("headings of " + row.doc() + " (link of " + row.subject() + ")").contains(row.anchor());
    }
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
  static String anchor(String heading) {
    return heading.strip().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  @Test
  void everyServedOperationAnswersWithTheDocumentedOutputFields() throws Exception {
    Assumptions.assumeTrue(NatsServerProcess.available(), "nats-server is not installed: skipped");
    List<String> problems = new ArrayList<>();
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).concurrency(2).start();
        MeshClient client = MeshClient.connect(mesh.options())) {
      Set<String> served = new TreeSet<>();
      mesh.workers().forEach(w -> served.add(w.namespaceName()));
      for (NamespaceSpec ns : MeshRegistry.bundled().namespaces()) {
        if (!served.contains(ns.name())) {
          continue;
        }
        for (String op : ns.operations()) {
          String subject = ns.subjectFor(op);
          Row row = rows.get(subject);
          if (row == null) {
            row = new Row(subject, "", Set.of(), Set.of(), "", "");
          }
          if (NEED_A_MODEL.contains(subject)) {
            System.out.println("OperationReferenceMeshTest: " + subject + " not run here (needs a --model; see ModelInferenceTest)");
            continue;
          }
          JobRequest.Builder b = JobRequest.builder(subject).options(PROBE_OPTIONS.getOrDefault(subject, "{}"));
          input(b, ns.name(), op);
          try {
            JobResult r = client.submit(b.build()).result().get(180, TimeUnit.SECONDS);
            JsonNode out = client.output(r).get(60, TimeUnit.SECONDS);
            Set<String> fields = new TreeSet<>();
            for (Iterator<String> it = out.fieldNames(); it.hasNext(); ) {
              fields.add(it.next());
            }
            Set<String> missing = new TreeSet<>(row.required());
            missing.removeAll(fields);
            Set<String> undocumented = new TreeSet<>(fields);
            undocumented.removeAll(row.required());
            undocumented.removeAll(row.optional());
            if (!missing.isEmpty() || !undocumented.isEmpty()) {
              problems.add(subject + ": output fields " + fields + "; documented but missing " + missing
                  + ", present but undocumented " + undocumented);
            }
          } catch (ExecutionException e) {
            String why = e.getCause() instanceof JobFailedException f ? f.code() + ": " + f.errorMessage() : String.valueOf(e.getCause());
            problems.add(subject + " failed on a small valid input: " + why);
          }
        }
      }
    }
    assertThat(problems).as("operations whose output differs from PROTOCOL.md section 12").isEmpty();
  }

  private static void input(JobRequest.Builder b, String namespace, String op) throws Exception {
    switch (namespace) {
      case "pdf" -> b.inline(HostileInputTest.validPdf(), "reference.pdf", null);
      case "image" -> b.inline(png(), "reference.png", "image/png");
      case "text" -> b.inline(("# Report\n\nThe quarterly report covers revenue, costs and the outlook for the next "
          + "year. Revenue grew in every region.\n").getBytes(StandardCharsets.UTF_8), "reference.md", null);
      default -> b.inline("ping".getBytes(StandardCharsets.UTF_8), "reference.txt", null);
    }
  }

  /** A small white image with one line of black text. */
  static byte[] png() throws Exception {
    BufferedImage img = new BufferedImage(480, 120, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 36));
    g.drawString("Invoice total 42", 20, 70);
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    return bytes.toByteArray();
  }
}
