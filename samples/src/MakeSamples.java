import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Writes the bundled sample documents (samples/*.pdf, *.png, *.md) that `./jetmesh demo` processes. All content is
 * made up by this program. Regenerate with:
 *   java -cp "$(find ~/.m2/repository/org/apache/pdfbox -name '*3.0.8.jar' | tr '\n' ':')$(find ~/.m2/repository/commons-logging -name 'commons-logging-1.3*.jar' | head -1)" samples/src/MakeSamples.java samples
 */
public class MakeSamples {
  static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "samples");
    Files.createDirectories(out);
    report(out.resolve("quarterly-report.pdf").toFile());
    twoColumns(out.resolve("two-column-article.pdf").toFile());
    BufferedImage letter = textImage(new String[] {"ACME Logistics Ltd", "12 Harbour Road, Porttown",
        "", "Invoice INV-2026-0117", "Date: 21 November 2026", "", "Freight handling      1,250.00",
        "Storage (30 days)       480.00", "Insurance               95.50", "", "Total due             1,825.50"}, 1654, 1100, 40);
    scanned(out.resolve("scanned-invoice.pdf").toFile(), letter);
    ImageIO.write(textImage(new String[] {"CORNER CAFE", "Receipt 0042", "Flat white      3.40", "Croissant       2.80",
        "TOTAL           6.20", "Thank you!"}, 900, 560, 44), "png", out.resolve("cafe-receipt.png").toFile());
    Files.writeString(out.resolve("release-notes.md"), """
        # jetmesh release notes

        ## What is new

        Workers now drain gracefully on SIGTERM: running jobs finish, queued ones are handed back to the group.
        Results are stored durably, so a client that reconnects can still fetch them.

        ## Known limits

        - A single NATS 2.9 node does not fsync every message; run a three-node cluster for durability.
        - GPU flavours of the image worker need a CUDA build of libtorch on the host.
        """);
  }

  static void report(File f) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      for (int p = 1; p <= 2; p++) {
        PDPage page = new PDPage(PDRectangle.A4);
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
          text(cs, REGULAR, 8, 50, 810, "ACME Corporation - Quarterly Report Q3 2026");
          text(cs, REGULAR, 8, 280, 30, "Page " + p + " of 2");
          float y = 760;
          if (p == 1) {
            text(cs, BOLD, 20, 50, y, "Quarterly Report Q3 2026"); y -= 40;
            text(cs, BOLD, 14, 50, y, "1. Overview"); y -= 22;
            y = para(cs, y, "Revenue grew twelve percent over the previous quarter, driven by the logistics division.",
                "Operating costs stayed flat while headcount increased by four people in the support team.");
            text(cs, BOLD, 12, 50, y, "1.1 Highlights"); y -= 20;
            for (String item : new String[] {"New warehouse opened in Porttown", "Customer churn fell to 2.1 percent",
                "Two enterprise contracts signed"}) {
              text(cs, REGULAR, 11, 60, y, "\u2022"); text(cs, REGULAR, 11, 72, y, item); y -= 16;
            }
            y -= 10;
            text(cs, BOLD, 14, 50, y, "2. Results by division"); y -= 24;
            String[][] rows = {{"Division", "Q2 revenue", "Q3 revenue", "Change"}, {"Logistics", "4.1 M", "4.9 M", "+19 %"},
                {"Retail", "2.7 M", "2.8 M", "+4 %"}, {"Services", "1.2 M", "1.2 M", "0 %"}, {"Total", "8.0 M", "8.9 M", "+12 %"}};
            table(cs, 50, y, new float[] {140, 110, 110, 90}, 20, rows);
            y -= 20 * rows.length + 14;
            text(cs, REGULAR, 9, 50, y, "Table 1: Revenue by division, in euro.");
          } else {
            text(cs, BOLD, 14, 50, y, "3. Outlook"); y -= 22;
            y = para(cs, y, "We expect the fourth quarter to continue the trend, with the new warehouse at full capacity",
                "from December. Risks are fuel prices and the timing of two large customer migrations.");
            text(cs, BOLD, 14, 50, y, "4. Appendix"); y -= 22;
            para(cs, y, "All figures are unaudited. Totals may not add up because of rounding.");
          }
        }
      }
      doc.getDocumentInformation().setTitle("Quarterly Report Q3 2026");
      doc.getDocumentInformation().setAuthor("ACME Finance");
      doc.save(f);
    }
  }

  static void twoColumns(File f) throws Exception {
    String[] left = {"Mesh computing moves work to where", "capacity is free. Each worker pulls", "jobs from a durable queue and", "acknowledges them only after the", "result is stored.", "", "Because acknowledgement follows", "storage, a crash never loses work:", "the job is delivered again."};
    String[] right = {"Scaling is a matter of starting", "more workers. They share one", "consumer, so no coordinator is", "needed and no job runs twice", "for the client.", "", "Backpressure comes from bounded", "queues: when a service is full,", "new submissions are refused."};
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        text(cs, BOLD, 18, 50, 780, "Pull-based work distribution");
        float y = 740;
        for (int i = 0; i < left.length; i++) {
          text(cs, REGULAR, 11, 50, y, left[i]);
          text(cs, REGULAR, 11, 310, y, right[i]);
          y -= 15;
        }
      }
      doc.save(f);
    }
  }

  static void scanned(File f, BufferedImage img) throws Exception {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      PDImageXObject x = LosslessFactory.createFromImage(doc, img);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        float w = PDRectangle.A4.getWidth();
        float h = w * img.getHeight() / img.getWidth();
        cs.drawImage(x, 0, PDRectangle.A4.getHeight() - h, w, h);
      }
      doc.save(f);
    }
  }

  static BufferedImage textImage(String[] lines, int w, int h, int size) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, size));
    int y = size * 2;
    for (String l : lines) {
      g.drawString(l, size * 2, y);
      y += (int) (size * 1.5);
    }
    g.dispose();
    return img;
  }

  static float para(PDPageContentStream cs, float y, String... lines) throws Exception {
    for (String l : lines) {
      text(cs, REGULAR, 11, 50, y, l);
      y -= 15;
    }
    return y - 12;
  }

  static void text(PDPageContentStream cs, PDType1Font font, float size, float x, float y, String s) throws Exception {
    cs.beginText();
    cs.setFont(font, size);
    cs.newLineAtOffset(x, y);
    cs.showText(s);
    cs.endText();
  }

  static void table(PDPageContentStream cs, float x, float top, float[] widths, float rowH, String[][] rows) throws Exception {
    float total = 0;
    for (float w : widths) {
      total += w;
    }
    cs.setLineWidth(0.8f);
    for (int r = 0; r <= rows.length; r++) {
      cs.moveTo(x, top - r * rowH);
      cs.lineTo(x + total, top - r * rowH);
    }
    float cx = x;
    for (int c = 0; c <= widths.length; c++) {
      cs.moveTo(cx, top);
      cs.lineTo(cx, top - rows.length * rowH);
      if (c < widths.length) {
        cx += widths[c];
      }
    }
    cs.stroke();
    for (int r = 0; r < rows.length; r++) {
      cx = x;
      for (int c = 0; c < widths.length; c++) {
        text(cs, r == 0 ? BOLD : REGULAR, 10, cx + 5, top - r * rowH - 14, rows[r][c]);
        cx += widths[c];
      }
    }
  }
}
