package io.jetmesh.tests;

import static io.jetmesh.tests.S3InputTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.cli.support.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jetmesh convert DIR} through the embedded mesh: every served format converts through pdf.docling.convert,
 * files of types no service takes are skipped with a note, a damaged file ends as {@code failed} with
 * INVALID_INPUT, and a named file of an unserved type is answered UNSUPPORTED naming its type.
 */
class FormatsEndToEndTest {
  @TempDir Path dir;

  @Test
  void convertADirectoryOfEveryFormatThroughTheEmbeddedMesh() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("guide.html"), "<html><body><h1>Guide</h1><p>Read me.</p></body></html>");
    Files.writeString(in.resolve("notes.md"), "# Notes\n\n- first\n- second\n");
    Files.writeString(in.resolve("data.csv"), "city;people\nPorto;230000\n");
    Files.writeString(in.resolve("readme.txt"), "Plain words here.\n");
    Files.writeString(in.resolve("manual.adoc"), "= Manual\n\nSome text.\n");
    Files.write(in.resolve("report.docx"), docx("Quarterly figures are in."));
    Files.write(in.resolve("sales.xlsx"), xlsx());
    Files.write(in.resolve("plan.pptx"), pptx("Launch plan"));
    Files.write(in.resolve("scan.png"), png());
    byte[] good = docx("never read");
    Files.write(in.resolve("broken.docx"), Arrays.copyOf(good, good.length / 2));
    byte[] ole = new byte[2048];
    byte[] sig = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};
    System.arraycopy(sig, 0, ole, 0, sig.length);
    byte[] stream = "WordDocument".getBytes(StandardCharsets.UTF_16LE);
    System.arraycopy(stream, 0, ole, 1024, stream.length);
    Files.write(in.resolve("old.doc"), ole);
    Files.write(in.resolve("blob.bin"), new byte[] {1, 2, 3});
    Path out = dir.resolve("out");

    S3InputTest.Run r = cli("convert", in.toString(), "-o", out.toString(), "--to", "md,json,html");
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.JOBS_FAILED);
    assertThat(r.err()).contains("skipped 2 file(s)", "old.doc", "blob.bin");
    assertThat(Files.readString(out.resolve("guide.md"))).contains("# Guide", "Read me.");
    assertThat(Files.readString(out.resolve("notes.md"))).contains("- first\n- second");
    assertThat(Files.readString(out.resolve("data.md"))).contains("| city | people |", "| Porto | 230000 |");
    assertThat(Files.readString(out.resolve("readme.md"))).contains("Plain words here.");
    assertThat(Files.readString(out.resolve("manual.md"))).contains("# Manual");
    assertThat(Files.readString(out.resolve("report.md"))).contains("Quarterly figures are in.");
    assertThat(Files.readString(out.resolve("sales.md"))).contains("## Data", "| Item | Qty |");
    assertThat(Files.readString(out.resolve("plan.md"))).contains("# Launch plan");
    assertThat(Files.readString(out.resolve("scan.json"))).contains("\"mimetype\" : \"image/png\"");
    assertThat(Files.readString(out.resolve("report.html"))).contains("<!DOCTYPE html>");
    assertThat(Files.readString(out.resolve("report.json"))).contains("wordprocessingml");
    String broken = Files.readString(out.resolve("broken.docx.error.json"), StandardCharsets.UTF_8);
    assertThat(broken).contains("\"status\" : \"failed\"", "INVALID_INPUT", "damaged DOCX", "re-save");

    S3InputTest.Run doc = cli("convert", in.resolve("old.doc").toString(), "-o", out.toString());
    assertThat(doc.exit()).isEqualTo(ExitCodes.JOBS_FAILED);
    assertThat(Files.readString(out.resolve("old.doc.error.json"))).contains("UNSUPPORTED", "Word 97-2003",
        "save it as .docx");
  }

  private static byte[] docx(String text) throws Exception {
    try (XWPFDocument d = new XWPFDocument()) {
      d.createParagraph().createRun().setText(text);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      d.write(out);
      return out.toByteArray();
    }
  }

  private static byte[] xlsx() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      var s = wb.createSheet("Data");
      s.createRow(0).createCell(0).setCellValue("Item");
      s.getRow(0).createCell(1).setCellValue("Qty");
      s.createRow(1).createCell(0).setCellValue("Tea");
      s.getRow(1).createCell(1).setCellValue(3);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      wb.write(out);
      return out.toByteArray();
    }
  }

  private static byte[] pptx(String title) throws Exception {
    try (XMLSlideShow show = new XMLSlideShow()) {
      var layout = show.getSlideMasters().get(0).getLayout(org.apache.poi.xslf.usermodel.SlideLayout.TITLE_ONLY);
      show.createSlide(layout).getPlaceholder(0).setText(title);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      show.write(out);
      return out.toByteArray();
    }
  }

  private static byte[] png() throws Exception {
    java.awt.image.BufferedImage im = new java.awt.image.BufferedImage(60, 30, java.awt.image.BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(im, "png", out);
    return out.toByteArray();
  }
}
