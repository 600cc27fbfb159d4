package io.jetmesh.protocol;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The input format a file name suggests, as the format ids {@code namespaces.yaml} declares per operation
 * ({@code input_formats}): {@code report.DOCX} -> {@code docx}, {@code scan.jpg} -> {@code jpeg}. Workers detect the
 * real type from the content; clients use this to pick the files of a directory that a service takes.
 */
public final class FileFormats {
  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("pdf", "pdf"),
      Map.entry("docx", "docx"), Map.entry("docm", "docx"), Map.entry("dotx", "docx"), Map.entry("dotm", "docx"),
      Map.entry("pptx", "pptx"), Map.entry("pptm", "pptx"), Map.entry("potx", "pptx"), Map.entry("potm", "pptx"),
      Map.entry("ppsx", "pptx"),
      Map.entry("xlsx", "xlsx"), Map.entry("xlsm", "xlsx"), Map.entry("xltx", "xlsx"), Map.entry("xltm", "xlsx"),
      Map.entry("html", "html"), Map.entry("htm", "html"), Map.entry("xhtml", "html"),
      Map.entry("md", "md"), Map.entry("markdown", "md"), Map.entry("mdown", "md"), Map.entry("mkd", "md"),
      Map.entry("csv", "csv"), Map.entry("tsv", "csv"),
      Map.entry("adoc", "asciidoc"), Map.entry("asciidoc", "asciidoc"), Map.entry("asc", "asciidoc"),
      Map.entry("txt", "text"), Map.entry("text", "text"),
      Map.entry("png", "png"), Map.entry("jpg", "jpeg"), Map.entry("jpeg", "jpeg"), Map.entry("jpe", "jpeg"),
      Map.entry("jfif", "jpeg"), Map.entry("tif", "tiff"), Map.entry("tiff", "tiff"), Map.entry("bmp", "bmp"),
      Map.entry("dib", "bmp"), Map.entry("gif", "gif"), Map.entry("webp", "webp"),
      Map.entry("doc", "doc"), Map.entry("dot", "doc"), Map.entry("xls", "xls"), Map.entry("xlt", "xls"),
      Map.entry("ppt", "ppt"), Map.entry("pps", "ppt"), Map.entry("pot", "ppt"), Map.entry("odt", "odt"),
      Map.entry("ods", "ods"), Map.entry("odp", "odp"), Map.entry("epub", "epub"), Map.entry("rtf", "rtf"),
      Map.entry("zip", "zip"), Map.entry("xml", "xml"), Map.entry("json", "json"));

  private FileFormats() {}

  /** The format id of a file name's extension, if it has a known one. */
  public static Optional<String> idOf(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }
}
