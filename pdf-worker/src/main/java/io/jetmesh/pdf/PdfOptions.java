package io.jetmesh.pdf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.worker.JobException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Options of the pdf operations, read from a job's options. Docling's names are accepted where they mean the same
 * thing ({@code do_ocr}, {@code force_full_page_ocr}, {@code do_table_structure},
 * {@code table_structure_options.mode}, {@code ocr_options.lang}, {@code page_range}, {@code to_formats}), so a
 * client's {@code docling_options} keep working; jetmesh adds {@code ocr_mode}, {@code password},
 * {@code include_images}, {@code max_pages} and {@code max_image_pixels}.
 *
 * @param firstPage 1-based, inclusive
 * @param lastPage 1-based, inclusive; {@code Integer.MAX_VALUE} = to the end
 */
public record PdfOptions(String password, int firstPage, int lastPage, int maxPages, OcrMode ocrMode,
                         String ocrLanguages, boolean tables, boolean tablesAccurate, Set<Format> formats,
                         boolean includeImages, long maxImagePixels) {
  /** Pages beyond this fail with TOO_LARGE unless the job raises {@code max_pages}. */
  public static final int DEFAULT_MAX_PAGES = 2000;
  /** Declared image size (width x height) beyond which an image is never decoded: a pixel bomb. */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 100_000_000L;
  public static final PdfOptions DEFAULT = new PdfOptions(null, 1, Integer.MAX_VALUE, DEFAULT_MAX_PAGES,
      OcrMode.AUTO, "eng", true, true, EnumSet.of(Format.MD, Format.JSON), false, DEFAULT_MAX_IMAGE_PIXELS);

  public enum OcrMode { AUTO, FORCE, OFF }

  public enum Format { MD, JSON, TEXT, HTML, DOCTAGS }

  private static final Map<String, String> ISO2_TO_TESS = Map.ofEntries(
      Map.entry("en", "eng"), Map.entry("de", "deu"), Map.entry("fr", "fra"), Map.entry("es", "spa"),
      Map.entry("it", "ita"), Map.entry("pt", "por"), Map.entry("nl", "nld"), Map.entry("ar", "ara"),
      Map.entry("ru", "rus"), Map.entry("zh", "chi_sim"), Map.entry("ja", "jpn"), Map.entry("pl", "pol"));

  /** Parses the options; a bad value is INVALID_INPUT naming the field. */
  public static PdfOptions from(ObjectNode o) throws JobException {
    String password = text(o, "password", null);
    int first = 1;
    int last = Integer.MAX_VALUE;
    JsonNode range = o.get("page_range");
    if (range != null && !range.isNull()) {
      if (!range.isArray() || range.size() != 2 || !range.get(0).canConvertToInt() || !range.get(1).canConvertToInt()) {
        throw JobException.invalidInput("page_range must be [from, to] (1-based, inclusive): " + range);
      }
      first = range.get(0).asInt();
      last = range.get(1).asInt();
      if (first < 1 || last < first) {
        throw JobException.invalidInput("page_range must satisfy 1 <= from <= to: " + range);
      }
    }
    // max_pages and max_image_pixels only lower the worker's limits (a larger value means the default), whatever the
    // registry's option_limits say: a caller must never lift the memory guard
    int maxPages = Math.min(o.path("max_pages").asInt(DEFAULT_MAX_PAGES), DEFAULT_MAX_PAGES);
    if (maxPages < 1) {
      throw JobException.invalidInput("max_pages must be >= 1: " + o.get("max_pages"));
    }
    OcrMode mode = OcrMode.AUTO;
    if (o.has("do_ocr") && !o.get("do_ocr").asBoolean(true)) {
      mode = OcrMode.OFF;
    }
    if (o.path("force_full_page_ocr").asBoolean(false) || o.path("ocr_options").path("force_full_page_ocr").asBoolean(false)) {
      mode = OcrMode.FORCE;
    }
    String m = text(o, "ocr_mode", null);
    if (m != null) {
      try {
        mode = OcrMode.valueOf(m.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw JobException.invalidInput("ocr_mode must be auto, force or off: '" + m + "'");
      }
    }
    String langs = "eng";
    JsonNode lang = o.path("ocr_options").path("lang");
    if (lang.isMissingNode() || lang.isNull()) {
      lang = o.path("ocr_lang");
    }
    if (lang.isArray() && lang.size() > 0) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode l : lang) {
        if (sb.length() > 0) {
          sb.append('+');
        }
        sb.append(tessLang(l.asText()));
      }
      langs = sb.toString();
    } else if (lang.isTextual()) {
      langs = tessLang(lang.asText());
    }
    if (!langs.matches("[A-Za-z_]+(\\+[A-Za-z_]+)*")) {
      throw JobException.invalidInput("ocr_options.lang must be language codes like [\"eng\"] or [\"en\"]: " + lang);
    }
    boolean tables = o.path("do_table_structure").asBoolean(true);
    String tableMode = o.path("table_structure_options").path("mode").asText(o.path("table_mode").asText("accurate"));
    if (!"fast".equalsIgnoreCase(tableMode) && !"accurate".equalsIgnoreCase(tableMode)) {
      throw JobException.invalidInput("table_structure_options.mode must be fast or accurate: '" + tableMode + "'");
    }
    Set<Format> formats = EnumSet.noneOf(Format.class);
    JsonNode tf = o.get("to_formats");
    if (tf == null || tf.isNull()) {
      formats.add(Format.MD);
      formats.add(Format.JSON);
    } else {
      for (JsonNode f : tf.isArray() ? tf : o.arrayNode().add(tf)) {
        String s = f.asText().toLowerCase(Locale.ROOT);
        switch (s) {
          case "md", "markdown" -> formats.add(Format.MD);
          case "json" -> formats.add(Format.JSON);
          case "text", "txt" -> formats.add(Format.TEXT);
          case "html" -> formats.add(Format.HTML);
          case "doctags" -> formats.add(Format.DOCTAGS);
          default -> throw JobException.unsupported("to_formats: '" + s + "' is not supported (md, json, text, html, doctags)");
        }
      }
    }
    long maxPixels = Math.min(o.path("max_image_pixels").asLong(DEFAULT_MAX_IMAGE_PIXELS), DEFAULT_MAX_IMAGE_PIXELS);
    if (maxPixels < 1) {
      throw JobException.invalidInput("max_image_pixels must be >= 1: " + o.get("max_image_pixels"));
    }
    return new PdfOptions(password, first, last, maxPages, mode, langs, tables, "accurate".equalsIgnoreCase(tableMode),
        formats, o.path("include_images").asBoolean(false), maxPixels);
  }

  private static String tessLang(String l) {
    String s = l.strip().toLowerCase(Locale.ROOT);
    return ISO2_TO_TESS.getOrDefault(s, s);
  }

  private static String text(ObjectNode o, String field, String dflt) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? dflt : n.asText();
  }
}
