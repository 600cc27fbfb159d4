package io.jetmesh.pdf.formats;

import java.util.Arrays;
import java.util.List;
import io.jetmesh.protocol.FileFormats;
import java.util.Optional;

/**
 * The input types the docling worker recognises, served or not. A served type has a converter that produces a
 * DoclingDocument; an unserved one is recognised only to answer {@code UNSUPPORTED} with a name the user knows
 * ("a Word 97-2003 .doc file") instead of "not a PDF".
 */
public enum InputFormat {
  PDF("pdf", "application/pdf", "a PDF", true),
  DOCX("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word document (.docx)", true),
  PPTX("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "a PowerPoint presentation (.pptx)", true),
  XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "an Excel workbook (.xlsx)", true),
  HTML("html", "text/html", "an HTML page", true),
  MD("md", "text/markdown", "a Markdown file", true),
  CSV("csv", "text/csv", "a CSV file", true),
  ASCIIDOC("asciidoc", "text/asciidoc", "an AsciiDoc file", true),
  TEXT("text", "text/plain", "a plain-text file", true),
  PNG("png", "image/png", "a PNG image", true),
  JPEG("jpeg", "image/jpeg", "a JPEG image", true),
  TIFF("tiff", "image/tiff", "a TIFF image", true),
  BMP("bmp", "image/bmp", "a BMP image", true),
  GIF("gif", "image/gif", "a GIF image", true),
  WEBP("webp", "image/webp", "a WebP image", true),
  // recognised, not served
  DOC("doc", "application/msword", "a Word 97-2003 document (.doc)", false),
  XLS("xls", "application/vnd.ms-excel", "an Excel 97-2003 workbook (.xls)", false),
  PPT("ppt", "application/vnd.ms-powerpoint", "a PowerPoint 97-2003 presentation (.ppt)", false),
  ENCRYPTED_OFFICE("encrypted-office", "application/x-ms-encrypted-package",
      "a password-protected Office document", false),
  ODT("odt", "application/vnd.oasis.opendocument.text", "an OpenDocument text (.odt)", false),
  ODS("ods", "application/vnd.oasis.opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods)", false),
  ODP("odp", "application/vnd.oasis.opendocument.presentation", "an OpenDocument presentation (.odp)", false),
  EPUB("epub", "application/epub+zip", "an EPUB book", false),
  RTF("rtf", "application/rtf", "an RTF document", false),
  ZIP("zip", "application/zip", "a ZIP archive", false),
  XML("xml", "application/xml", "an XML file", false),
  JSON("json", "application/json", "a JSON file", false),
  UNKNOWN("unknown", "application/octet-stream", "a file of unknown type", false);

  private final String id;
  private final String mimetype;
  private final String description;
  private final boolean served;

  InputFormat(String id, String mimetype, String description, boolean served) {
    this.id = id;
    this.mimetype = mimetype;
    this.description = description;
    this.served = served;
  }

  /** The name used in options, results and {@code namespaces.yaml}: {@code docx}, {@code png}. */
  public String id() {
    return id;
  }

  public String mimetype() {
    return mimetype;
  }

  /** For messages: "a Word 97-2003 document (.doc)". */
  public String description() {
    return description;
  }

  /** Whether {@code pdf.docling.convert} converts this type. */
  public boolean served() {
    return served;
  }

  public boolean isImage() {
    return this == PNG || this == JPEG || this == TIFF || this == BMP || this == GIF || this == WEBP;
  }

  /** The served types, in declaration order. */
  public static List<InputFormat> servedFormats() {
    return Arrays.stream(values()).filter(InputFormat::served).toList();
  }

  /** The type a file name's extension suggests ({@code report.DOCX} -> DOCX, {@code scan.jpg} -> JPEG). */
  public static Optional<InputFormat> fromFileName(String name) {
    return FileFormats.idOf(name).flatMap(InputFormat::byId);
  }

  /** The type with this id ({@code docx}). */
  public static Optional<InputFormat> byId(String id) {
    return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
  }
}
