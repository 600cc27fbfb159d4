package io.jetmesh.pdf.formats;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.apache.poi.common.usermodel.HyperlinkType;
import org.apache.poi.ss.usermodel.ClientAnchor;
import org.apache.poi.ss.usermodel.CreationHelper;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.util.Units;
import org.apache.poi.xslf.usermodel.SlideLayout;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFPictureData;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFSlideLayout;
import org.apache.poi.xslf.usermodel.XSLFTable;
import org.apache.poi.xslf.usermodel.XSLFTableRow;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xslf.usermodel.XSLFTextShape;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFClientAnchor;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xssf.usermodel.XSSFDrawing;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.wp.usermodel.HeaderFooterType;
import org.apache.poi.xwpf.usermodel.Document;
import org.apache.poi.xwpf.usermodel.XWPFAbstractNum;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFFootnote;
import org.apache.poi.xwpf.usermodel.XWPFHyperlinkRun;
import org.apache.poi.xwpf.usermodel.XWPFNumbering;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTAbstractNum;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTLvl;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STMerge;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STNumberFormat;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/**
 * Documents of every format, written by the tests themselves: DOCX, PPTX and XLSX by Apache POI (an OOXML writer
 * independent of the converters), DOCX features POI cannot write (text boxes, content controls, check boxes,
 * Office Math) as package XML, HTML, Markdown and CSV as strings, images by ImageIO.
 */
public final class FormatFixtures {
  private FormatFixtures() {}

  public static byte[] png(int w, int h, String text) throws IOException {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = im.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, Math.max(12, h / 6)));
    if (text != null) {
      g.drawString(text, w / 10, h / 2);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(im, "png", out);
    return out.toByteArray();
  }

  public static byte[] image(String format, int w, int h, String text) throws IOException {
    BufferedImage src = ImageIO.read(new ByteArrayInputStream(png(w, h, text)));
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(src, 0, 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(rgb, format, out)) {
      throw new IOException("no ImageIO writer for " + format);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ DOCX by POI

  /**
   * A report: Title, Heading 1/2 styles (with outline levels), formatted runs and a hyperlink, a bulleted list with
   * a nested level, a numbered list, a table with a horizontal and a vertical merge and a rich cell, a picture with
   * a caption, a footnote, a header and a footer.
   */
  public static byte[] docx() throws Exception {
    try (XWPFDocument d = new XWPFDocument()) {
      XWPFStyles styles = d.createStyles();
      style(styles, "Title", "Title", null);
      style(styles, "Heading1", "heading 1", 0);
      style(styles, "Heading2", "heading 2", 1);
      XWPFNumbering numbering = d.createNumbering();
      BigInteger bullets = numbering.addNum(numbering.addAbstractNum(abstractNum(0, STNumberFormat.BULLET)));
      BigInteger numbers = numbering.addNum(numbering.addAbstractNum(abstractNum(1, STNumberFormat.DECIMAL)));

      para(d, "Title", "Quarterly Report");
      para(d, "Heading1", "Introduction");
      XWPFParagraph p = d.createParagraph();
      p.createRun().setText("Revenue grew in ");
      XWPFRun bold = p.createRun();
      bold.setText("every region");
      bold.setBold(true);
      p.createRun().setText(" this quarter, see ");
      XWPFHyperlinkRun link = p.createHyperlinkRun("https://example.com/q3");
      link.setText("the dashboard");
      p.createRun().setText(".");
      XWPFFootnote fn = d.createFootnote();
      fn.createParagraph().createRun().setText("Figures are unaudited.");

      listItem(d, bullets, 0, "North grew fastest");
      listItem(d, bullets, 1, "Led by the new stores");
      listItem(d, bullets, 0, "South held steady");
      d.createParagraph();
      listItem(d, numbers, 0, "Collect the figures");
      listItem(d, numbers, 0, "Review them");
      listItem(d, numbers, 0, "Publish the report");

      para(d, "Heading2", "Figures by region");
      XWPFTable t = d.createTable(4, 3);
      t.getRow(0).getCell(0).setText("Region");
      t.getRow(0).getCell(1).setText("Sales");
      t.getRow(0).getCell(1).getCTTc().addNewTcPr().addNewGridSpan().setVal(BigInteger.TWO);
      t.getRow(0).removeCell(2);
      t.getRow(1).getCell(0).setText("North");
      t.getRow(1).getCell(1).setText("120");
      t.getRow(1).getCell(2).setText("130");
      t.getRow(1).getCell(0).getCTTc().addNewTcPr().addNewVMerge().setVal(STMerge.RESTART);
      t.getRow(2).getCell(0).getCTTc().addNewTcPr().addNewVMerge();
      t.getRow(2).getCell(1).setText("125");
      t.getRow(2).getCell(2).setText("135");
      t.getRow(3).getCell(0).setText("South");
      t.getRow(3).getCell(1).setText("90");
      XWPFParagraph second = t.getRow(3).getCell(2).addParagraph();
      second.createRun().setText("estimated");
      t.getRow(3).getCell(2).getParagraphs().get(0).createRun().setText("95");

      XWPFParagraph pic = d.createParagraph();
      pic.createRun().addPicture(new ByteArrayInputStream(png(60, 40, null)), Document.PICTURE_TYPE_PNG, "chart.png",
          Units.toEMU(60), Units.toEMU(40));
      d.createParagraph().createRun().setText("Figure 1: Sales by region");

      d.createHeader(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("ACME confidential");
      d.createFooter(HeaderFooterType.DEFAULT).createParagraph().createRun().setText("Page footer text");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      d.write(out);
      return out.toByteArray();
    }
  }

  private static void style(XWPFStyles styles, String id, String name, Integer outline) {
    CTStyle s = CTStyle.Factory.newInstance();
    s.setStyleId(id);
    s.setType(STStyleType.PARAGRAPH);
    s.addNewName().setVal(name);
    if (outline != null) {
      s.addNewPPr().addNewOutlineLvl().setVal(BigInteger.valueOf(outline));
    }
    styles.addStyle(new XWPFStyle(s));
  }

  private static XWPFAbstractNum abstractNum(int id, STNumberFormat.Enum fmt) {
    CTAbstractNum a = CTAbstractNum.Factory.newInstance();
    a.setAbstractNumId(BigInteger.valueOf(id));
    for (int lvl = 0; lvl < 3; lvl++) {
      CTLvl l = a.addNewLvl();
      l.setIlvl(BigInteger.valueOf(lvl));
      l.addNewNumFmt().setVal(fmt);
      l.addNewStart().setVal(BigInteger.ONE);
      l.addNewLvlText().setVal(fmt == STNumberFormat.BULLET ? "\u2022" : "%" + (lvl + 1) + ".");
    }
    return new XWPFAbstractNum(a);
  }

  private static void para(XWPFDocument d, String style, String text) {
    XWPFParagraph p = d.createParagraph();
    p.setStyle(style);
    p.createRun().setText(text);
  }

  private static void listItem(XWPFDocument d, BigInteger num, int level, String text) {
    XWPFParagraph p = d.createParagraph();
    p.setNumID(num);
    p.setNumILvl(BigInteger.valueOf(level));
    p.createRun().setText(text);
  }

  // ------------------------------------------------------------------ DOCX from package XML

  /** A DOCX body with a text box, a content control, a checked checkbox, inline and display math. */
  public static final String DOCX_FEATURES_BODY =
      "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
      + "<a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Boxed remark</w:t></w:r></w:p>"
      + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
      + "<mc:Fallback><w:pict><w:t>Boxed remark</w:t></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
      + "<w:sdt><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
      + "<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=\"1\"/></w14:checkbox></w:sdtPr><w:sdtContent>"
      + "<w:r><w:t>\u2612</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t> Ship it</w:t></w:r></w:p>"
      + "<w:p><w:r><w:t xml:space=\"preserve\">Area is </w:t></w:r><m:oMath><m:r><m:t>A=\u03c0</m:t></m:r><m:sSup>"
      + "<m:e><m:r><m:t>r</m:t></m:r></m:e><m:sup><m:r><m:t>2</m:t></m:r></m:sup></m:sSup></m:oMath></w:p>"
      + "<w:p><m:oMathPara><m:oMath><m:f><m:num><m:r><m:t>a</m:t></m:r></m:num><m:den><m:r><m:t>b</m:t></m:r>"
      + "</m:den></m:f></m:oMath></m:oMathPara></w:p>";

  /** A minimal DOCX whose body is {@code bodyXml} (namespaces w, m, w14, wps, a, mc declared), Transitional or Strict. */
  public static byte[] docxBody(String bodyXml, boolean strict) throws IOException {
    return docxBody(bodyXml, strict, null);
  }

  /**
   * {@link #docxBody(String, boolean)} with a {@code word/styles.xml} of {@code stylesXml} (the {@code <w:styles>}
   * element's content, namespace w declared) related from the main part; null for none.
   */
  public static byte[] docxBody(String bodyXml, boolean strict, String stylesXml) throws IOException {
    String w = strict ? "http://purl.oclc.org/ooxml/wordprocessingml/main"
        : "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    String m = strict ? "http://purl.oclc.org/ooxml/officeDocument/math"
        : "http://schemas.openxmlformats.org/officeDocument/2006/math";
    String rel = strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
        : "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats"
        + ".org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package"
        + ".relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/"
        + "document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        + "</Types>");
    parts.put("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats"
        + ".org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + rel + "\" Target=\"word/document.xml\"/>"
        + "</Relationships>");
    parts.put("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"" + w + "\" xmlns:m=\""
        + m + "\" xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" xmlns:mc=\"http://schemas.openxmlformats"
        + ".org/markup-compatibility/2006\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\""
        + " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:wp=\"http://schemas.openxmlformats.org/"
        + "drawingml/2006/wordprocessingDrawing\"><w:body>" + bodyXml + "</w:body></w:document>");
    if (stylesXml != null) {
      String styles = (strict ? "http://purl.oclc.org/ooxml/officeDocument/relationships/"
          : "http://schemas.openxmlformats.org/officeDocument/2006/relationships/") + "styles";
      parts.put("word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\""
          + "http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + styles
          + "\" Target=\"styles.xml\"/></Relationships>");
      parts.put("word/styles.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"" + w + "\">"
          + stylesXml + "</w:styles>");
    }
    return zip(parts);
  }

  public static byte[] zip(Map<String, String> parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> e : parts.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ PPTX by POI

  /** Two slides: a title slide, and a slide with a title, a bulleted body with a sub-level, a table and a picture. */
  public static byte[] pptx() throws Exception {
    try (XMLSlideShow show = new XMLSlideShow()) {
      XSLFSlideLayout titleLayout = show.getSlideMasters().get(0).getLayout(SlideLayout.TITLE);
      XSLFSlide first = show.createSlide(titleLayout);
      first.getPlaceholder(0).setText("Launch plan");
      first.getPlaceholder(1).setText("Spring campaign");
      XSLFSlideLayout content = show.getSlideMasters().get(0).getLayout(SlideLayout.TITLE_AND_CONTENT);
      XSLFSlide s = show.createSlide(content);
      s.getPlaceholder(0).setText("Milestones");
      XSLFTextShape body = s.getPlaceholder(1);
      body.clearText();
      XSLFTextParagraph p1 = body.addNewTextParagraph();
      p1.addNewTextRun().setText("Design finished");
      XSLFTextParagraph p2 = body.addNewTextParagraph();
      p2.setIndentLevel(1);
      p2.addNewTextRun().setText("Reviewed by marketing");
      XSLFTextParagraph p3 = body.addNewTextParagraph();
      p3.addNewTextRun().setText("Printing booked");
      body.setAnchor(new java.awt.Rectangle(50, 100, 300, 150));
      XSLFTable table = s.createTable();
      table.setAnchor(new java.awt.Rectangle(50, 300, 400, 80));
      String[][] cells = {{"Week", "Task"}, {"12", "Print"}, {"14", "Ship"}};
      for (String[] r : cells) {
        XSLFTableRow row = table.addRow();
        for (String c : r) {
          row.addCell().setText(c);
        }
      }
      XSLFPictureData data = show.addPicture(png(40, 40, null), XSLFPictureData.PictureType.PNG);
      s.createPicture(data).setAnchor(new java.awt.Rectangle(500, 420, 40, 40));
      XSLFTextBox note = s.createTextBox();
      note.setAnchor(new java.awt.Rectangle(50, 480, 400, 30));
      note.setText("Dates may move by a week.");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      show.write(out);
      return out.toByteArray();
    }
  }

  // ------------------------------------------------------------------ XLSX by POI

  /**
   * Sheet "Sales": a table (header row, numbers, a date, a boolean), a gap, a second table under a merged label;
   * a cell comment; a picture. Sheet "Hidden": hidden. Sheet "Empty": nothing.
   */
  public static byte[] xlsx() throws Exception {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      CreationHelper help = wb.getCreationHelper();
      XSSFCellStyle date = wb.createCellStyle();
      date.setDataFormat(help.createDataFormat().getFormat("yyyy-mm-dd"));
      XSSFSheet s = wb.createSheet("Sales");
      Object[][] rows = {{"Region", "Units", "Price", "Since", "Active"}, {"North", 120, 2.5, "2024-01-15", true},
          {"South", 95, 3.25, "2023-07-01", false}};
      for (int r = 0; r < rows.length; r++) {
        XSSFRow row = s.createRow(r);
        for (int c = 0; c < rows[r].length; c++) {
          XSSFCell cell = row.createCell(c);
          Object v = rows[r][c];
          if (v instanceof Integer i) {
            cell.setCellValue(i);
          } else if (v instanceof Double dv) {
            cell.setCellValue(dv);
          } else if (v instanceof Boolean b) {
            cell.setCellValue(b);
          } else if (c == 3 && r > 0) {
            Calendar cal = Calendar.getInstance();
            cal.clear();
            String[] ymd = ((String) v).split("-");
            cal.set(Integer.parseInt(ymd[0]), Integer.parseInt(ymd[1]) - 1, Integer.parseInt(ymd[2]));
            cell.setCellValue(cal);
            cell.setCellStyle(date);
          } else {
            cell.setCellValue((String) v);
          }
        }
      }
      s.createRow(5).createCell(0).setCellValue("Targets for next year");
      s.addMergedRegion(new CellRangeAddress(5, 5, 0, 2));
      XSSFRow h = s.createRow(6);
      h.createCell(0).setCellValue("Region");
      h.createCell(1).setCellValue("Target");
      h.createCell(2).setCellValue("Owner");
      XSSFRow v = s.createRow(7);
      v.createCell(0).setCellValue("North");
      v.createCell(1).setCellValue(150);
      v.createCell(2).setCellValue("Ana");
      XSSFDrawing drawing = s.createDrawingPatriarch();
      ClientAnchor anchor = new XSSFClientAnchor(0, 0, 0, 0, 6, 1, 7, 3);
      XSSFComment comment = drawing.createCellComment(anchor);
      comment.setString(help.createRichTextString("Checked by finance"));
      comment.setAuthor("Ana Lopez");
      s.getRow(1).getCell(1).setCellComment(comment);
      int pic = wb.addPicture(png(30, 30, null), XSSFWorkbook.PICTURE_TYPE_PNG);
      drawing.createPicture(new XSSFClientAnchor(0, 0, 0, 0, 8, 10, 9, 12), pic);
      XSSFSheet hidden = wb.createSheet("Hidden");
      hidden.createRow(0).createCell(0).setCellValue("secret");
      hidden.getRow(0).createCell(1).setCellValue("value");
      wb.setSheetHidden(1, true);
      wb.createSheet("Empty");
      s.getRow(0).getCell(0).setHyperlink(hyperlink(help));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      wb.write(out);
      return out.toByteArray();
    }
  }

  private static org.apache.poi.ss.usermodel.Hyperlink hyperlink(CreationHelper help) {
    org.apache.poi.ss.usermodel.Hyperlink l = help.createHyperlink(HyperlinkType.URL);
    l.setAddress("https://example.com");
    return l;
  }

  /** A workbook with one sheet of {@code rows} x {@code cols} numbers (a huge-sheet test). */
  public static byte[] bigXlsx(int rows, int cols) throws Exception {
    try (org.apache.poi.xssf.streaming.SXSSFWorkbook wb = new org.apache.poi.xssf.streaming.SXSSFWorkbook(100)) {
      var s = wb.createSheet("Big");
      for (int r = 0; r < rows; r++) {
        var row = s.createRow(r);
        for (int c = 0; c < cols; c++) {
          row.createCell(c).setCellValue(r * cols + c);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      wb.write(out);
      wb.dispose();
      return out.toByteArray();
    }
  }

  /** A ZIP whose one OOXML part inflates to {@code bytes} of zeros (a ZIP bomb with a valid content types part). */
  public static byte[] zipBomb(long bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.setLevel(9);
      z.putNextEntry(new ZipEntry("[Content_Types].xml"));
      z.write(("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
          + "wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      z.putNextEntry(new ZipEntry("word/document.xml"));
      byte[] chunk = new byte[1 << 20];
      java.util.Arrays.fill(chunk, (byte) ' ');
      z.write("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
          .getBytes(StandardCharsets.UTF_8));
      for (long n = 0; n < bytes; n += chunk.length) {
        z.write(chunk);
      }
      z.closeEntry();
    }
    return out.toByteArray();
  }
}
