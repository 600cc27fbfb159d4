package io.jetmesh.tests;

import io.jetmesh.image.FormatSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/**
 * A generated file for every input format id a service may declare in namespaces.yaml ({@code input_formats}),
 * each holding {@link #TEXT}: the files a new user feeds the CLI. Images come from the image worker's
 * {@link FormatSamples} (a two-page TIFF, WebP, ...). A format id without a generator fails
 * {@link #write}, so a newly declared format cannot go untested.
 */
final class UserFiles {
  static final String TEXT = "Invoice 4711 total 99.50";

  private static final Map<String, Supplier<byte[]>> GENERATORS = new LinkedHashMap<>();

  static {
    GENERATORS.put("pdf", () -> pdf(null));
    GENERATORS.put("docx", UserFiles::docx);
    GENERATORS.put("pptx", UserFiles::pptx);
    GENERATORS.put("xlsx", UserFiles::xlsx);
    GENERATORS.put("html", () -> utf8("<!DOCTYPE html><html><body><h1>Invoice</h1><p>" + TEXT + "</p></body></html>\n"));
    GENERATORS.put("md", () -> utf8("# Invoice\n\n" + TEXT + "\n\n- first\n- second\n"));
    GENERATORS.put("csv", () -> utf8("item,total\nInvoice 4711,99.50\n"));
    GENERATORS.put("asciidoc", () -> utf8("= Invoice\n\n" + TEXT + "\n"));
    GENERATORS.put("text", () -> utf8(TEXT + "\n"));
    for (String image : List.of("png", "jpeg", "tiff", "bmp", "gif", "webp")) {
      GENERATORS.put(image, () -> images().stream().filter(s -> s.format().equals(image)
          && (!image.equals("tiff") || s.pages().size() > 1)).findFirst().orElseThrow().data());
    }
  }

  private static final Map<String, String> EXTENSIONS = Map.of("jpeg", "jpg", "tiff", "tif", "asciidoc", "adoc",
      "text", "txt");

  private static List<FormatSamples.Sample> images;

  private UserFiles() {}

  private static synchronized List<FormatSamples.Sample> images() {
    if (images == null) {
      images = FormatSamples.all();
    }
    return images;
  }

  /** Writes {@code invoice.<ext>} for each format id into {@code dir}; returns format id to file. */
  static Map<String, Path> write(Path dir, List<String> formats) throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> files = new LinkedHashMap<>();
    for (String format : formats) {
      Supplier<byte[]> g = GENERATORS.get(format);
      if (g == null) {
        throw new AssertionError("no generated file for input format '" + format + "' (declared in namespaces.yaml):"
            + " add a generator to UserFiles");
      }
      Path f = dir.resolve("invoice-" + format + "." + EXTENSIONS.getOrDefault(format, format));
      Files.write(f, g.get());
      files.put(format, f);
    }
    return files;
  }

  /** A one-page PDF with {@link #TEXT}; encrypted with a user password when {@code password} is given. */
  static byte[] pdf(String password) {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
        cs.newLineAtOffset(72, 700);
        cs.showText(TEXT);
        cs.endText();
      }
      if (password != null) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-" + password, password, new AccessPermission());
        policy.setEncryptionKeyLength(128);
        doc.protect(policy);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      doc.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] docx() {
    try (XWPFDocument d = new XWPFDocument()) {
      d.createParagraph().createRun().setText(TEXT);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      d.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] pptx() {
    try (XMLSlideShow show = new XMLSlideShow()) {
      var layout = show.getSlideMasters().get(0).getLayout(org.apache.poi.xslf.usermodel.SlideLayout.TITLE_ONLY);
      show.createSlide(layout).getPlaceholder(0).setText(TEXT);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      show.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] xlsx() {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      var s = wb.createSheet("Invoice");
      s.createRow(0).createCell(0).setCellValue("Invoice 4711");
      s.getRow(0).createCell(1).setCellValue(99.5);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      wb.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
