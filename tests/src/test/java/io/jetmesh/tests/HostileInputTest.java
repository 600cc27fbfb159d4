package io.jetmesh.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.JobFailedException;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.JobResult;
import io.jetmesh.protocol.JobState;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.Worker;
import io.jetmesh.worker.WorkerModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile inputs through the whole mesh (client -> worker -> result): at least 200 generated ones (random bytes,
 * truncations, flate bombs, huge pages and images, deep nesting, reference loops, encryption, 10,000 pages, the
 * damaged-PDF classes of {@link DamagedPdfs}, decompression-bomb PNG/TIFF headers, non-images, invalid UTF-8), plus
 * every file of ../shared/corpus/hostile where ../shared is present. Each job must end within
 * its limit in a completed result or a failed result with a precise code; no worker may die, no job may go dead.
 * The per-outcome figures are written to target/hostile-inputs.md (copied into BENCHMARKS.md).
 */
class HostileInputTest {
  static final Set<ErrorCode> CLEAN = EnumSet.of(ErrorCode.INVALID_INPUT, ErrorCode.UNSUPPORTED, ErrorCode.TOO_LARGE,
      ErrorCode.INPUT_NOT_FOUND);
  static final Duration JOB_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  record Case(String name, String subject, Path file) {}

  record Outcome(Case c, String outcome, String detail, double seconds) {}

  @Test
  void everyHostileInputEndsInAResultOrACleanErrorAndNoWorkerDies() throws Exception {
    Set<String> namespaces = EmbeddedMesh.discoverModules().stream().map(WorkerModule::namespace).collect(Collectors.toSet());
    Assumptions.assumeTrue(namespaces.containsAll(List.of("pdf", "image", "text")),
        "pdf, image and text worker modules are needed on the classpath (found " + namespaces + ")");
    List<Case> cases = new ArrayList<>();
    generatePdfs(cases);
    for (Map.Entry<String, byte[]> d : DamagedPdfs.all().entrySet()) {
      cases.add(pdf("damaged-" + d.getKey() + ".pdf", d.getValue()));
    }
    generateImages(cases);
    generateTexts(cases);
    Path shared = io.jetmesh.testing.SharedCorpus.dir().resolve("corpus/hostile");
    if (Files.isDirectory(shared)) {
      try (var s = Files.walk(shared)) {
        s.filter(Files::isRegularFile).sorted().forEach(f -> cases.add(new Case("corpus/" + shared.relativize(f), "pdf.docling.convert", f)));
      }
    } else {
      System.out.println("HostileInputTest: ../shared/corpus/hostile absent; generated cases only");
    }
    // the generated cases alone reach the count: the suite must hold on a clone with nothing beside it
    assertThat(cases.stream().filter(c -> !c.name().startsWith("corpus/")).count()).as("generated cases")
        .isGreaterThanOrEqualTo(200);

    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    try (EmbeddedMesh mesh = EmbeddedMesh.builder().dir(dir.resolve("mesh")).concurrency(2).start();
        MeshClient client = MeshClient.connect(mesh.options())) {
      var batch = client.batch(6);
      Map<JobSubmission, Case> subs = new LinkedHashMap<>();
      Map<JobSubmission, Long> started = new java.util.concurrent.ConcurrentHashMap<>();
      for (Case c : cases) {
        long t0 = System.nanoTime();
        JobSubmission s = batch.submit(JobRequest.builder(c.subject()).file(c.file()).timeout(JOB_LIMIT).build());
        started.put(s, t0);
        subs.put(s, c);
        s.result().whenComplete((r, e) -> outcomes.add(classify(c, r, e, (System.nanoTime() - t0) / 1e9)));
      }
      batch.allDone().get(15, TimeUnit.MINUTES);
      for (Worker w : mesh.workers()) {
        assertThat(w.isHealthy()).as(w.describe()).isTrue();
        assertThat(w.isReady()).as(w.describe()).isTrue();
      }
      // and the workers still do real work afterwards
      Path ok = dir.resolve("fine.txt");
      Files.writeString(ok, "Still standing after the hostile corpus.");
      assertThat(client.submit(JobRequest.builder("text.analyze.stats").file(ok).build()).result().get(60, TimeUnit.SECONDS).succeeded()).isTrue();
    }
    String report = report(outcomes);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/hostile-inputs.md"), report);
    System.out.println(report);
    List<Outcome> bad = outcomes.stream().filter(o -> !o.outcome().equals("ok") && !o.outcome().equals("clean error")).toList();
    assertThat(bad).as("jobs that crashed, hung, died or failed uncleanly").isEmpty();
  }

  static Outcome classify(Case c, JobResult r, Throwable e, double seconds) {
    if (e == null) {
      return new Outcome(c, "ok", "completed", seconds);
    }
    Throwable cause = e instanceof ExecutionException || e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
    if (cause instanceof JobFailedException jf) {
      if (jf.status() == JobState.DEAD) {
        return new Outcome(c, "crash", "dead: " + jf.errorMessage(), seconds);
      }
      if (jf.code() == ErrorCode.TIMEOUT) {
        return new Outcome(c, "timeout", jf.errorMessage(), seconds);
      }
      return new Outcome(c, CLEAN.contains(jf.code()) ? "clean error" : "unclean error", jf.code() + ": " + jf.errorMessage(), seconds);
    }
    if (cause instanceof TimeoutException) {
      return new Outcome(c, "timeout", "no answer within " + JOB_LIMIT.toSeconds() + "s", seconds);
    }
    return new Outcome(c, "transport", String.valueOf(cause), seconds);
  }

  static String report(List<Outcome> outcomes) {
    StringBuilder sb = new StringBuilder("| service | files | ok | clean error | crash | timeout | other | p50 s | max s |\n|---|---|---|---|---|---|---|---|---|\n");
    Map<String, List<Outcome>> bySubject = outcomes.stream().collect(Collectors.groupingBy(o -> o.c().subject(), java.util.TreeMap::new, Collectors.toList()));
    bySubject.put("all", outcomes);
    bySubject.forEach((subject, list) -> {
      double[] t = list.stream().mapToDouble(Outcome::seconds).sorted().toArray();
      long ok = list.stream().filter(o -> o.outcome().equals("ok")).count();
      long clean = list.stream().filter(o -> o.outcome().equals("clean error")).count();
      long crash = list.stream().filter(o -> o.outcome().equals("crash")).count();
      long timeout = list.stream().filter(o -> o.outcome().equals("timeout")).count();
      sb.append(String.format(java.util.Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.2f | %.2f |%n", subject, list.size(), ok, clean,
          crash, timeout, list.size() - ok - clean - crash - timeout, t[t.length / 2], t[t.length - 1]));
    });
    Map<String, Long> codes = outcomes.stream().filter(o -> o.outcome().equals("clean error"))
        .collect(Collectors.groupingBy(o -> o.detail().substring(0, o.detail().indexOf(':')), java.util.TreeMap::new, Collectors.counting()));
    sb.append("\nCodes: ").append(String.valueOf(codes)).append('\n');
    outcomes.stream().filter(o -> !o.outcome().equals("ok") && !o.outcome().equals("clean error"))
        .forEach(o -> sb.append("- ").append(o.outcome()).append(' ').append(o.c().name()).append(": ").append(o.detail()).append('\n'));
    return sb.toString();
  }

  // ------------------------------------------------------------------ generated cases

  void generatePdfs(List<Case> cases) throws IOException {
    Random rnd = new Random(42);
    byte[] valid = validPdf();
    for (int i = 0; i < 40; i++) {
      byte[] b = new byte[64 + rnd.nextInt(64 * 1024)];
      rnd.nextBytes(b);
      if (i % 2 == 0) {
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 9);
      }
      cases.add(pdf("random-" + i + ".pdf", b));
    }
    for (int i = 0; i < 40; i++) {
      int cut = 9 + (int) ((valid.length - 10) * (i / 40.0));
      cases.add(pdf("truncated-" + i + ".pdf", java.util.Arrays.copyOf(valid, cut)));
    }
    for (int i = 0; i < 10; i++) {
      byte[] b = valid.clone();
      for (int k = 0; k < 20; k++) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      cases.add(pdf("bitflip-" + i + ".pdf", b));
    }
    cases.add(pdf("flate-bomb.pdf", flateBomb()));
    cases.add(pdf("huge-mediabox.pdf", rawPdf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400000 14400000] /Contents 4 0 R >>", "BT ET")));
    cases.add(pdf("image-bomb.pdf", imageBomb()));
    cases.add(pdf("deep-nesting.pdf", rawPdf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /X "
        + "[".repeat(20000) + "]".repeat(20000) + " >>", "BT ET")));
    cases.add(pdf("pages-loop.pdf", ("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        + "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >> endobj\n"
        + "trailer << /Root 1 0 R >>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII)));
    cases.add(pdf("encrypted.pdf", encrypted()));
    cases.add(pdf("ten-thousand-pages.pdf", manyPages(10_000)));
    cases.add(pdf("empty.pdf", new byte[0]));
    cases.add(pdf("not-a-pdf.pdf", "<html><body>definitely not a PDF</body></html>".getBytes(StandardCharsets.UTF_8)));
  }

  void generateImages(List<Case> cases) throws IOException {
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] b = new byte[32 + rnd.nextInt(32 * 1024)];
      rnd.nextBytes(b);
      cases.add(file("image-random-" + i + ".png", b, "image.process.ocr"));
    }
    byte[] png = smallPng();
    for (int i = 0; i < 10; i++) {
      cases.add(file("image-truncated-" + i + ".png", java.util.Arrays.copyOf(png, 8 + (png.length - 9) * i / 10), i % 2 == 0 ? "image.process.ocr" : "image.process.thumbnail"));
    }
    cases.add(file("png-bomb.png", pngHeader(100_000, 100_000), "image.process.ocr"));
    cases.add(file("png-bomb-thumb.png", pngHeader(100_000, 100_000), "image.process.thumbnail"));
    cases.add(file("tiff-bomb.tif", tiffHeader(100_000, 100_000), "image.process.ocr"));
    cases.add(file("pdf-sent-to-images.png", validPdf(), "image.process.metadata"));
    cases.add(file("text-sent-to-images.jpg", "hello".getBytes(StandardCharsets.UTF_8), "image.process.convert"));
  }

  void generateTexts(List<Case> cases) throws IOException {
    Random rnd = new Random(3);
    for (int i = 0; i < 15; i++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(("Valid start of text number " + i + ". ").getBytes(StandardCharsets.UTF_8));
      for (int k = 0; k < 50; k++) {
        b.write(0x80 + rnd.nextInt(0x40)); // lone continuation bytes: invalid UTF-8
      }
      cases.add(file("invalid-utf8-" + i + ".txt", b.toByteArray(), i % 3 == 0 ? "text.analyze.chunk" : i % 3 == 1 ? "text.analyze.stats" : "text.analyze.language"));
    }
    cases.add(file("empty.txt", new byte[0], "text.analyze.stats"));
    cases.add(file("empty-chunk.txt", new byte[0], "text.analyze.chunk"));
    cases.add(file("binary.txt", new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe}, "text.analyze.language"));
    cases.add(file("broken.json", "{\"schema_name\":\"DoclingDocument\",\"texts\":[".getBytes(StandardCharsets.UTF_8), "text.analyze.chunk"));
    cases.add(file("random-bytes.md", randomBytes(rnd, 4096), "text.analyze.embed"));
  }

  private Case pdf(String name, byte[] data) throws IOException {
    return file(name, data, "pdf.docling.convert");
  }

  private Case file(String name, byte[] data, String subject) throws IOException {
    Path f = dir.resolve("inputs").resolve(name);
    Files.createDirectories(f.getParent());
    Files.write(f, data);
    return new Case(name, subject, f);
  }

  static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  static byte[] validPdf() throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int p = 0; p < 3; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          cs.beginText();
          cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          cs.newLineAtOffset(72, 700);
          cs.showText("Page " + (p + 1) + " of a valid document that the test will damage.");
          cs.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  static byte[] manyPages(int n) throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage first = new PDPage(PDRectangle.A4);
      try (PDPageContentStream cs = new PDPageContentStream(doc, first)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(72, 700);
        cs.showText("One of very many pages.");
        cs.endText();
      }
      for (int i = 0; i < n; i++) {
        PDPage p = new PDPage(PDRectangle.A4);
        p.getCOSObject().setItem(org.apache.pdfbox.cos.COSName.CONTENTS, first.getCOSObject().getItem(org.apache.pdfbox.cos.COSName.CONTENTS));
        doc.addPage(p);
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  static byte[] encrypted() throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      doc.addPage(new PDPage());
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      doc.save(out);
      return out.toByteArray();
    }
  }

  /** A one-page PDF whose page dictionary and content are given; xref offsets computed. */
  static byte[] rawPdf(String pageDict, String content) {
    List<String> objs = List.of("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", pageDict,
        "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream");
    StringBuilder sb = new StringBuilder("%PDF-1.7\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objs.size(); i++) {
      offsets.add(sb.length());
      sb.append(i + 1).append(" 0 obj\n").append(objs.get(i)).append("\nendobj\n");
    }
    int xref = sb.length();
    sb.append("xref\n0 ").append(objs.size() + 1).append("\n0000000000 65535 f \n");
    for (int o : offsets) {
      sb.append(String.format("%010d 00000 n \n", o));
    }
    sb.append("trailer\n<< /Size ").append(objs.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A page whose content stream inflates from ~100 KB to 100 MB. */
  static byte[] flateBomb() {
    byte[] zeros = new byte[1 << 20];
    Deflater d = new Deflater(9);
    ByteArrayOutputStream comp = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    for (int i = 0; i < 100; i++) {
      d.setInput(zeros);
      while (!d.needsInput()) {
        comp.write(buf, 0, d.deflate(buf));
      }
    }
    d.finish();
    while (!d.finished()) {
      comp.write(buf, 0, d.deflate(buf));
    }
    byte[] stream = comp.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        + "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n"
        + "4 0 obj << /Length " + stream.length + " /Filter /FlateDecode >>\nstream\n";
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(stream);
    out.writeBytes("\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** A page that draws an image XObject claiming 100,000 x 100,000 pixels. */
  static byte[] imageBomb() {
    String img = "<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length 10 >>\nstream\n0123456789\nendstream";
    String content = "q 612 0 0 792 0 0 cm /Im0 Do Q";
    List<String> objs = List.of("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
        "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream", img);
    StringBuilder sb = new StringBuilder("%PDF-1.7\n");
    for (int i = 0; i < objs.size(); i++) {
      sb.append(i + 1).append(" 0 obj\n").append(objs.get(i)).append("\nendobj\n");
    }
    sb.append("trailer\n<< /Size 6 /Root 1 0 R >>\n%%EOF\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] smallPng() throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(200, 80, java.awt.image.BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.drawString("hostile", 20, 40);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** A PNG signature and a valid IHDR chunk claiming w x h pixels, then a tiny IDAT and IEND. */
  static byte[] pngHeader(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** A little-endian baseline TIFF header with one IFD claiming w x h pixels and no real strip data. */
  static byte[] tiffHeader(int w, int h) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + 6 * 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) 6);
    entry(b, 256, 4, w);
    entry(b, 257, 4, h);
    entry(b, 258, 3, 8);
    entry(b, 262, 3, 1);
    entry(b, 273, 4, 8);
    entry(b, 279, 4, w);
    b.putInt(0);
    return b.array();
  }

  static void entry(java.nio.ByteBuffer b, int tag, int type, int value) {
    b.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      b.putShort((short) value).putShort((short) 0);
    } else {
      b.putInt(value);
    }
  }
}
