package io.jetmesh.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** PDFs the tests make themselves with PDFBox: well-formed documents with known structure, and hostile ones. */
public final class TestPdfs {
  static final PDFont REGULAR = new PDType1Font(Standard14Fonts.FontName.TIMES_ROMAN);
  static final PDFont BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  static final PDFont MONO = new PDType1Font(Standard14Fonts.FontName.COURIER);
  static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

  private TestPdfs() {}

  static void text(PDPageContentStream cs, PDFont font, float size, float x, float y, String s) throws IOException {
    cs.beginText();
    cs.setFont(font, size);
    cs.newLineAtOffset(x, y);
    cs.showText(s);
    cs.endText();
  }

  /**
   * A report: per page a bold heading "N Section N", two body paragraphs (the first ends a line with a hyphenated
   * word), a bullet list of three items, and a running footer "Report - page N" plus a page number.
   */
  public static Path report(Path dir, int pages) throws IOException {
    Path f = dir.resolve("report.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDDocumentInformation info = doc.getDocumentInformation();
      info.setTitle("Quarterly Report");
      info.setAuthor("Jet Mesh");
      for (int p = 1; p <= pages; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          float y = 780;
          if (p == 1) {
            text(cs, BOLD, 24, 72, y, "Annual Widget Review");
            y -= 40;
          }
          text(cs, BOLD, 14, 72, y, p + " Section " + p);
          y -= 26;
          String[] para1 = {"The widget market grew steadily this quarter, and our team shipped more units",
              "than ever before. Customers praised the reliability of the new assem-",
              "bly line and the speed of delivery across all regions of the country."};
          for (String line : para1) {
            text(cs, REGULAR, 11, 72, y, line);
            y -= 13.5f;
          }
          y -= 10;
          String[] para2 = {"Second paragraph of section " + p + " explains the outlook for the next year in",
              "some detail, with numbers that every reader of this report should know."};
          for (String line : para2) {
            text(cs, REGULAR, 11, 72, y, line);
            y -= 13.5f;
          }
          y -= 10;
          for (int i = 1; i <= 3; i++) {
            text(cs, REGULAR, 11, 80, y, "\u2022");
            text(cs, REGULAR, 11, 92, y, "Bullet point number " + i + " on page " + p);
            y -= 13.5f;
          }
          text(cs, REGULAR, 8, 72, 40, "Report - page " + p);
          text(cs, REGULAR, 8, 500, 40, String.valueOf(p));
        }
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** Two columns: the left column's lines say "left N", the right column's "right N", on the same baselines. */
  public static Path twoColumns(Path dir) throws IOException {
    Path f = dir.resolve("columns.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.LETTER);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        for (int i = 1; i <= 20; i++) {
          float y = 700 - i * 13;
          // interleave the columns in the content stream, as many producers do
          text(cs, REGULAR, 10, 72, y, "left column line " + i + " continues the left text");
          text(cs, REGULAR, 10, 320, y, "right column line " + i + " continues the right text");
        }
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** A ruled 4 x 3 table under a heading. */
  public static Path ruledTable(Path dir) throws IOException {
    Path f = dir.resolve("table.pdf");
    String[][] rows = {{"Item", "Qty", "Price"}, {"Widget", "2", "9.99"}, {"Gadget", "5", "19.50"},
        {"Total", "7", "117.48"}};
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, REGULAR, 11, 72, 760, "The table below lists the items sold this week in the main store.");
        float x0 = 72;
        float top = 720;
        float[] xs = {72, 222, 322, 442};
        float rowH = 20;
        cs.setLineWidth(0.8f);
        for (int r = 0; r <= rows.length; r++) {
          cs.moveTo(x0, top - r * rowH);
          cs.lineTo(xs[3], top - r * rowH);
        }
        for (float x : xs) {
          cs.moveTo(x, top);
          cs.lineTo(x, top - rows.length * rowH);
        }
        cs.stroke();
        for (int r = 0; r < rows.length; r++) {
          for (int c = 0; c < 3; c++) {
            text(cs, r == 0 ? BOLD : REGULAR, 10, xs[c] + 4, top - r * rowH - 14, rows[r][c]);
          }
        }
        text(cs, REGULAR, 11, 72, 600, "After the table the report continues with ordinary prose text.");
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** Text in an embedded TrueType font (DejaVu Sans): a ligature, and an Arabic line stored in visual order. */
  public static Path unicode(Path dir) throws IOException {
    Path f = dir.resolve("unicode.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDFont dv = PDType0Font.load(doc, DEJAVU.toFile());
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, dv, 12, 72, 750, "The \ufb01nal of\ufb01ce report");
        // logical "مرحبا بالعالم" shown right-to-left: glyphs are placed in visual order
        String logical = "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645";
        text(cs, dv, 12, 300, 700, new StringBuilder(logical).reverse().toString());
      }
      doc.save(f.toFile());
    }
    return f;
  }

  public static Path encrypted(Path dir) throws IOException {
    Path src = report(dir, 1);
    Path f = dir.resolve("encrypted.pdf");
    try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(src.toFile())) {
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      doc.protect(policy);
      doc.save(f.toFile());
    }
    return f;
  }

  public static Path randomBytes(Path dir) throws IOException {
    byte[] b = new byte[10_000];
    new Random(42).nextBytes(b);
    return Files.write(dir.resolve("random.pdf"), b);
  }

  /** A valid PDF cut in half (no xref, no trailer, half the objects). */
  public static Path truncated(Path dir) throws IOException {
    byte[] all = Files.readAllBytes(report(dir, 3));
    return Files.write(dir.resolve("truncated.pdf"), java.util.Arrays.copyOf(all, all.length / 2));
  }

  /** Random bytes after a PDF header: passes the header check, fails the parser. */
  public static Path garbageAfterHeader(Path dir) throws IOException {
    byte[] b = new byte[5_000];
    new Random(7).nextBytes(b);
    byte[] head = "%PDF-1.7\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, head.length);
    return Files.write(dir.resolve("garbage.pdf"), b);
  }

  public static Path hugePage(Path dir) throws IOException {
    Path f = dir.resolve("huge-page.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(new PDRectangle(200_000, 200_000));
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, REGULAR, 12, 72, 700, "a very large page");
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** A page without text that draws one image XObject claiming 100000 x 100000 pixels (its data is 10 bytes). */
  public static Path imageBomb(Path dir) throws IOException {
    Path f = dir.resolve("image-bomb.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      COSStream s = doc.getDocument().createCOSStream();
      try (OutputStream out = s.createOutputStream()) {
        out.write(new byte[10]);
      }
      s.setItem(COSName.TYPE, COSName.XOBJECT);
      s.setItem(COSName.SUBTYPE, COSName.IMAGE);
      s.setInt(COSName.WIDTH, 100_000);
      s.setInt(COSName.HEIGHT, 100_000);
      s.setInt(COSName.BITS_PER_COMPONENT, 8);
      s.setItem(COSName.COLORSPACE, COSName.DEVICEGRAY);
      PDImageXObject img = new PDImageXObject(new PDStream(s), null);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.drawImage(img, 50, 50, 500, 700);
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** {@code pages} pages sharing one content stream object, so a 10,000-page file takes a second to build. */
  public static Path manyPages(Path dir, int pages) throws IOException {
    Path f = dir.resolve("many-" + pages + ".pdf");
    try (PDDocument doc = new PDDocument()) {
      PDStream content = new PDStream(doc);
      try (OutputStream out = content.createOutputStream()) {
        out.write("BT /F1 11 Tf 72 700 Td (The same line of text on every page of a long file.) Tj ET"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      org.apache.pdfbox.pdmodel.PDResources res = new org.apache.pdfbox.pdmodel.PDResources();
      res.put(COSName.getPDFName("F1"), REGULAR);
      for (int i = 0; i < pages; i++) {
        PDPage page = new PDPage(PDRectangle.A4);
        page.setResources(res);
        page.setContents(content);
        doc.addPage(page);
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** One page whose content stream has {@code ops} harmless operators (a page that takes long to interpret). */
  public static Path manyOperators(Path dir, int ops) throws IOException {
    Path f = dir.resolve("many-ops.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDStream content = new PDStream(doc, new java.io.ByteArrayInputStream(new byte[0]), COSName.FLATE_DECODE);
      try (OutputStream out = content.createOutputStream(COSName.FLATE_DECODE)) {
        byte[] op = "q 1 0 0 1 0 0 cm Q\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < ops; i++) {
          out.write(op);
        }
      }
      page.setContents(content);
      doc.save(f.toFile());
    }
    return f;
  }

  /** A content stream with 100,000 nested arrays. */
  public static Path deepNesting(Path dir) throws IOException {
    Path f = dir.resolve("deep.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.write("BT /F1 11 Tf 72 700 Td (nested) Tj ET\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      for (int i = 0; i < 100_000; i++) {
        b.write('[');
      }
      for (int i = 0; i < 100_000; i++) {
        b.write(']');
      }
      b.write(" TJ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      PDStream content = new PDStream(doc);
      try (OutputStream out = content.createOutputStream()) {
        out.write(b.toByteArray());
      }
      org.apache.pdfbox.pdmodel.PDResources res = new org.apache.pdfbox.pdmodel.PDResources();
      res.put(COSName.getPDFName("F1"), REGULAR);
      page.setResources(res);
      page.setContents(content);
      doc.save(f.toFile());
    }
    return f;
  }

  /** A page whose form XObject draws itself (infinite recursion unless the engine guards it). */
  public static Path selfReferencingForm(Path dir) throws IOException {
    Path f = dir.resolve("self-form.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form =
          new org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject(doc);
      form.setBBox(PDRectangle.A4);
      org.apache.pdfbox.pdmodel.PDResources formRes = new org.apache.pdfbox.pdmodel.PDResources();
      formRes.put(COSName.getPDFName("X1"), form);
      formRes.put(COSName.getPDFName("F1"), REGULAR);
      form.setResources(formRes);
      try (OutputStream out = form.getContentStream().createOutputStream()) {
        out.write("BT /F1 11 Tf 72 700 Td (loop) Tj ET /X1 Do".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      org.apache.pdfbox.pdmodel.PDResources res = new org.apache.pdfbox.pdmodel.PDResources();
      res.put(COSName.getPDFName("X1"), form);
      page.setResources(res);
      PDStream content = new PDStream(doc);
      try (OutputStream out = content.createOutputStream()) {
        out.write("/X1 Do".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      page.setContents(content);
      doc.save(f.toFile());
    }
    return f;
  }

  /** One page of text and one blank page. */
  public static Path textAndBlank(Path dir) throws IOException {
    Path f = dir.resolve("text-and-blank.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, REGULAR, 12, 72, 700, "Only the first page has text.");
      }
      doc.addPage(new PDPage(PDRectangle.A4));
      doc.save(f.toFile());
    }
    return f;
  }

  /**
   * A nested list (items at x=80, sub-items at x=100), a figure (an image with labels inside and a caption below)
   * and a footnote in small type at the bottom of the page.
   */
  public static Path listFigureFootnote(Path dir) throws IOException {
    Path f = dir.resolve("list-figure.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      java.awt.image.BufferedImage bi = new java.awt.image.BufferedImage(300, 200, java.awt.image.BufferedImage.TYPE_INT_RGB);
      PDImageXObject img = org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory.createFromImage(doc, bi);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, REGULAR, 11, 72, 780, "The plan has two parts, and the first part has two steps of its own:");
        text(cs, REGULAR, 11, 80, 760, "\u2022");
        text(cs, REGULAR, 11, 92, 760, "Prepare the ground before the winter");
        text(cs, REGULAR, 11, 100, 745, "-");
        text(cs, REGULAR, 11, 112, 745, "Remove the old roots");
        text(cs, REGULAR, 11, 100, 730, "-");
        text(cs, REGULAR, 11, 112, 730, "Spread the compost evenly");
        text(cs, REGULAR, 11, 80, 715, "\u2022");
        text(cs, REGULAR, 11, 92, 715, "Plant the trees in spring");
        text(cs, REGULAR, 11, 72, 690, "The figure below shows the garden as it looks today from the north side.");
        cs.drawImage(img, 150, 420, 300, 200);
        text(cs, REGULAR, 9, 200, 500, "apple tree");
        text(cs, REGULAR, 11, 150, 400, "Figure 1: The garden in autumn.");
        text(cs, REGULAR, 11, 72, 370, "After the figure the text goes on with a normal paragraph of prose.");
        text(cs, REGULAR, 8, 72, 90, "1 Measured in the autumn of last year by the gardening club.");
      }
      doc.save(f.toFile());
    }
    return f;
  }

  /** A code listing in Courier between two prose paragraphs. */
  public static Path code(Path dir) throws IOException {
    Path f = dir.resolve("code.pdf");
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, REGULAR, 11, 72, 760, "The following function adds two numbers and prints the result.");
        text(cs, MONO, 10, 72, 730, "function add(a, b) {");
        text(cs, MONO, 10, 72, 718, "  return a + b;");
        text(cs, MONO, 10, 72, 706, "}");
        text(cs, REGULAR, 11, 72, 676, "Listing 1: A small JavaScript function.");
        text(cs, REGULAR, 11, 72, 646, "The listing above is short, but it shows the idea well enough.");
      }
      doc.save(f.toFile());
    }
    return f;
  }
}
