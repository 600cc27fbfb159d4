package io.jetmesh.pdf.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Tells what a file is from its content, with the file name as a hint where content alone is ambiguous (a text
 * file that could be Markdown or CSV). Binary signatures decide first (a {@code .docx} that is really a PDF is a
 * PDF); ZIP containers are told apart by their entries ({@code [Content_Types].xml} overrides, then
 * {@code word/document.xml}, {@code ppt/presentation.xml}, {@code xl/workbook.xml}, the OpenDocument
 * {@code mimetype}); OLE2 files by their stream names (legacy .doc/.xls/.ppt, or an encrypted OOXML package); text
 * by sniffing its first 16 KiB. Reads at most 16 KiB plus a ZIP's central directory; never the whole file.
 */
public final class FormatDetector {
  private static final int HEAD = 16 * 1024;
  private static final Pattern HTML_START = Pattern.compile(
      "^(\\s|<!--.*?-->|<\\?xml[^>]*>)*<(!doctype\\s+html|html[\\s>]|head[\\s>]|body[\\s>])",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern HTML_TAGS = Pattern.compile(
      "<(p|div|table|h[1-6]|ul|ol|span|br|a\\s+href|img|section|article)[\\s>/]", Pattern.CASE_INSENSITIVE);
  private static final Pattern MD_SIGNS = Pattern.compile(
      "(?m)^(#{1,6}\\s+\\S|\\s*([-*+]|\\d+[.)])\\s+\\S|```|>\\s|\\|?\\s*:?-{3,}:?\\s*\\|)|\\[[^\\]]+]\\([^)]+\\)|\\*\\*\\S");
  private static final Pattern ADOC_SIGNS = Pattern.compile("(?m)^(={1,5}\\s+\\S|:[\\w-]+:(\\s|$)|\\|===\\s*$|image::)");

  private FormatDetector() {}

  /**
   * Detects the type of {@code file}.
   *
   * @param fileName the name the client gave the file (may be null): a hint for text types
   * @throws IOException when the file cannot be read
   */
  public static Detection detect(Path file, String fileName) throws IOException {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(HEAD);
    }
    Optional<InputFormat> hint = InputFormat.fromFileName(fileName);
    if (head.length == 0) {
      return Detection.of(hint.orElse(InputFormat.UNKNOWN), "empty file");
    }
    Detection binary = binary(file, head, hint);
    if (binary != null) {
      return binary;
    }
    return text(head, hint);
  }

  private static Detection binary(Path file, byte[] h, Optional<InputFormat> hint) throws IOException {
    if (indexOf(h, "%PDF-".getBytes(StandardCharsets.US_ASCII), 1024) >= 0) {
      return Detection.of(InputFormat.PDF, "%PDF- header");
    }
    if (starts(h, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Detection.of(InputFormat.PNG, "PNG signature");
    }
    if (starts(h, 0xFF, 0xD8, 0xFF)) {
      return Detection.of(InputFormat.JPEG, "JPEG SOI marker");
    }
    if (starts(h, 'G', 'I', 'F', '8')) {
      return Detection.of(InputFormat.GIF, "GIF signature");
    }
    if (starts(h, 'I', 'I', 0x2A, 0x00) || starts(h, 'M', 'M', 0x00, 0x2A)) {
      return Detection.of(InputFormat.TIFF, "TIFF byte-order mark");
    }
    if (starts(h, 'R', 'I', 'F', 'F') && h.length >= 12 && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') {
      return Detection.of(InputFormat.WEBP, "RIFF/WEBP header");
    }
    if (starts(h, 'B', 'M') && h.length >= 26 && (h[14] == 12 || h[14] == 40 || h[14] == 52 || h[14] == 56
        || h[14] == 64 || h[14] == 108 || h[14] == 124) && h[15] == 0) {
      return Detection.of(InputFormat.BMP, "BMP header");
    }
    if (starts(h, 'P', 'K', 3, 4) || starts(h, 'P', 'K', 5, 6)) {
      return zip(file, hint);
    }
    if (starts(h, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
      return ole2(file, hint);
    }
    if (starts(h, '{', '\\', 'r', 't', 'f')) {
      return Detection.of(InputFormat.RTF, "{\\rtf header");
    }
    return null;
  }

  private static Detection zip(Path file, Optional<InputFormat> hint) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry types = zip.getEntry("[Content_Types].xml");
      if (types != null && types.getSize() < (4 << 20)) {
        String ct;
        try (InputStream in = zip.getInputStream(types)) {
          ct = new String(in.readNBytes(4 << 20), StandardCharsets.UTF_8);
        }
        if (ct.contains("wordprocessingml.document.main+xml") || ct.contains("wordprocessingml.template.main+xml")
            || ct.contains("ms-word.document.macroEnabled.main+xml") || ct.contains("ms-word.template.macroEnabledTemplate.main+xml")) {
          return Detection.of(InputFormat.DOCX, "OOXML package with a WordprocessingML main part");
        }
        if (ct.contains("presentationml.presentation.main+xml") || ct.contains("presentationml.slideshow.main+xml")
            || ct.contains("presentationml.template.main+xml") || ct.contains("ms-powerpoint.presentation.macroEnabled.main+xml")
            || ct.contains("ms-powerpoint.slideshow.macroEnabled.main+xml")) {
          return Detection.of(InputFormat.PPTX, "OOXML package with a PresentationML main part");
        }
        if (ct.contains("ms-excel.sheet.macroEnabled.main+xml") || ct.contains("ms-excel.template.macroEnabled.main+xml")) {
          return new Detection(InputFormat.XLSX, "application/vnd.ms-excel.sheet.macroEnabled.12",
              "OOXML package with a macro-enabled SpreadsheetML main part");
        }
        if (ct.contains("spreadsheetml.sheet.main+xml") || ct.contains("spreadsheetml.template.main+xml")) {
          return Detection.of(InputFormat.XLSX, "OOXML package with a SpreadsheetML main part");
        }
      }
      if (zip.getEntry("word/document.xml") != null) {
        return Detection.of(InputFormat.DOCX, "ZIP with word/document.xml");
      }
      if (zip.getEntry("ppt/presentation.xml") != null) {
        return Detection.of(InputFormat.PPTX, "ZIP with ppt/presentation.xml");
      }
      if (zip.getEntry("xl/workbook.xml") != null) {
        return Detection.of(InputFormat.XLSX, "ZIP with xl/workbook.xml");
      }
      ZipEntry mime = zip.getEntry("mimetype");
      if (mime != null && mime.getSize() < 256) {
        String m;
        try (InputStream in = zip.getInputStream(mime)) {
          m = new String(in.readNBytes(256), StandardCharsets.US_ASCII).strip();
        }
        if (m.startsWith("application/vnd.oasis.opendocument.text")) {
          return Detection.of(InputFormat.ODT, "OpenDocument mimetype " + m);
        }
        if (m.startsWith("application/vnd.oasis.opendocument.spreadsheet")) {
          return Detection.of(InputFormat.ODS, "OpenDocument mimetype " + m);
        }
        if (m.startsWith("application/vnd.oasis.opendocument.presentation")) {
          return Detection.of(InputFormat.ODP, "OpenDocument mimetype " + m);
        }
        if (m.equals("application/epub+zip")) {
          return Detection.of(InputFormat.EPUB, "EPUB mimetype");
        }
      }
      int n = 0;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements() && n < 3; n++) {
        e.nextElement();
      }
      return Detection.of(InputFormat.ZIP, "ZIP archive without an Office main part");
    } catch (ZipException e) {
      // a truncated or damaged container: trust the name for the message, the converter reports the damage
      InputFormat f = hint.filter(x -> x == InputFormat.DOCX || x == InputFormat.PPTX || x == InputFormat.XLSX)
          .orElse(InputFormat.ZIP);
      return Detection.of(f, "damaged ZIP container (" + e.getMessage() + ")");
    } catch (IOException e) {
      return Detection.of(hint.orElse(InputFormat.ZIP), "unreadable ZIP container (" + e.getMessage() + ")");
    }
  }

  /** OLE2 compound file: the directory's stream names (UTF-16LE) tell legacy Office and encrypted OOXML apart. */
  private static Detection ole2(Path file, Optional<InputFormat> hint) throws IOException {
    byte[] data;
    try (InputStream in = Files.newInputStream(file)) {
      data = in.readNBytes(4 << 20);
    }
    if (indexOf(data, utf16("EncryptedPackage"), data.length) >= 0) {
      return Detection.of(InputFormat.ENCRYPTED_OFFICE, "OLE2 file with an EncryptedPackage stream");
    }
    if (indexOf(data, utf16("WordDocument"), data.length) >= 0) {
      return Detection.of(InputFormat.DOC, "OLE2 file with a WordDocument stream");
    }
    if (indexOf(data, utf16("Workbook"), data.length) >= 0 || indexOf(data, utf16("Book"), data.length) >= 0) {
      return Detection.of(InputFormat.XLS, "OLE2 file with a Workbook stream");
    }
    if (indexOf(data, utf16("PowerPoint Document"), data.length) >= 0) {
      return Detection.of(InputFormat.PPT, "OLE2 file with a PowerPoint Document stream");
    }
    InputFormat f = hint.filter(x -> x == InputFormat.DOC || x == InputFormat.XLS || x == InputFormat.PPT)
        .orElse(InputFormat.DOC);
    return Detection.of(f, "OLE2 compound file (legacy Office)");
  }

  private static Detection text(byte[] head, Optional<InputFormat> hint) {
    String s = decode(head);
    if (s == null) {
      return Detection.of(InputFormat.UNKNOWN, "binary content with no known signature");
    }
    String t = s.stripLeading();
    if (HTML_START.matcher(t).lookingAt()) {
      return Detection.of(InputFormat.HTML, "HTML document start");
    }
    if (t.startsWith("<?xml") || t.startsWith("<") && !HTML_TAGS.matcher(t).find()) {
      if (t.contains("http://www.w3.org/1999/xhtml")) {
        return Detection.of(InputFormat.HTML, "XHTML namespace");
      }
      return Detection.of(hint.filter(h -> h == InputFormat.HTML).orElse(InputFormat.XML), "XML document");
    }
    if (hint.isPresent() && isText(hint.get())) {
      return Detection.of(hint.get(), "text, named ." + hint.get().id());
    }
    if ((t.startsWith("{") || t.startsWith("[")) && looksLikeJson(t)) {
      return Detection.of(InputFormat.JSON, "JSON text");
    }
    if (t.startsWith("<") && HTML_TAGS.matcher(t).find()) {
      return Detection.of(InputFormat.HTML, "HTML tags");
    }
    if (CsvSniffer.looksLikeCsv(s)) {
      return Detection.of(InputFormat.CSV, "delimited text");
    }
    if (ADOC_SIGNS.matcher(s).find() && (t.startsWith("= ") || t.startsWith(":"))) {
      return Detection.of(InputFormat.ASCIIDOC, "AsciiDoc markup");
    }
    if (MD_SIGNS.matcher(s).find()) {
      return Detection.of(InputFormat.MD, "Markdown markup");
    }
    return Detection.of(InputFormat.TEXT, "plain text");
  }

  private static boolean isText(InputFormat f) {
    return f == InputFormat.MD || f == InputFormat.CSV || f == InputFormat.ASCIIDOC || f == InputFormat.TEXT
        || f == InputFormat.HTML || f == InputFormat.JSON || f == InputFormat.XML;
  }

  private static boolean looksLikeJson(String t) {
    String s = t.strip();
    return s.startsWith("{\"") || s.startsWith("{ \"") || s.startsWith("{\n") || s.startsWith("[{") || s.startsWith("[\"")
        || s.startsWith("[\n") || s.startsWith("[ ");
  }

  /** The text of a head that is text (UTF-8, UTF-16 with BOM, or Latin-1 without control bytes); null for binary. */
  static String decode(byte[] h) {
    if (starts(h, 0xFE, 0xFF)) {
      return new String(h, 2, h.length - 2, StandardCharsets.UTF_16BE);
    }
    if (starts(h, 0xFF, 0xFE)) {
      return new String(h, 2, h.length - 2, StandardCharsets.UTF_16LE);
    }
    int off = starts(h, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    int controls = 0;
    for (int i = off; i < h.length; i++) {
      int b = h[i] & 0xff;
      if (b == 0) {
        return null;
      }
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
        controls++;
      }
    }
    if (controls > h.length / 100 + 2) {
      return null;
    }
    try {
      // the head may end inside a multi-byte character: drop up to 3 trailing bytes before strict decoding
      int end = h.length;
      while (end > off && end > h.length - 3 && (h[end - 1] & 0xC0) == 0x80) {
        end--;
      }
      if (end > off && (h[end - 1] & 0xC0) == 0xC0) {
        end--;
      }
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(h, off, end - off)).toString();
    } catch (CharacterCodingException e) {
      // not UTF-8: Latin-1 text has mostly ASCII letters; binary data has mostly high and control bytes
      int high = 0;
      for (int i = off; i < h.length; i++) {
        int b = h[i] & 0xff;
        if (b >= 0x80 || b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
          high++;
        }
      }
      return high * 10 > (h.length - off) * 3 ? null : new String(h, off, h.length - off, StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] utf16(String s) {
    return s.getBytes(StandardCharsets.UTF_16LE);
  }

  private static boolean starts(byte[] h, int... sig) {
    if (h.length < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if ((h[i] & 0xff) != (sig[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] h, byte[] needle, int limit) {
    int max = Math.min(h.length, limit) - needle.length;
    outer:
    for (int i = 0; i <= max; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (h[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Lower-case extension of a name, or empty. */
  static String extension(String name) {
    int dot = name == null ? -1 : name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
