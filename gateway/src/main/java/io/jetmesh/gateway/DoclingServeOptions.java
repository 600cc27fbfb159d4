package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * docling-serve's conversion and chunking options ({@code ConvertDocumentsRequestOptions},
 * {@code HybridChunkerOptions}, {@code HierarchicalChunkerOptions}) turned into jetmesh job options. Every option
 * docling-serve documents is either mapped, ignored with a warning (returned in the response's {@code errors}, as
 * docling-serve reports problems), or refused with 422 when honouring it silently would give a different result
 * than the caller asked for (a VLM pipeline, an unknown output format). docs/gateway.md lists them.
 */
final class DoclingServeOptions {
  static final List<String> TO_FORMATS = List.of("md", "json", "html", "text", "doctags");
  /** docling's {@code InputFormat} values. */
  static final Set<String> FROM_FORMATS = Set.of("docx", "pptx", "html", "image", "pdf", "asciidoc", "md", "csv",
      "xlsx", "xml_uspto", "xml_jats", "xml_xbrl", "mets_gbs", "json_docling", "audio", "vtt", "latex");
  /** Form fields that carry lists (repeated fields, as docling-serve's form reads them). */
  static final Set<String> LIST_FIELDS = Set.of("to_formats", "from_formats", "ocr_lang", "page_range");
  /** Options read but without effect here, each with the reason given in the warning. */
  private static final Map<String, String> IGNORED = Map.ofEntries(
      Map.entry("pdf_backend", "jetmesh reads PDFs with its own backend (PDFBox)"),
      Map.entry("images_scale", "pictures are placeholders, no page or picture images are rendered"),
      Map.entry("generate_page_images", "no page images are rendered"),
      Map.entry("generate_picture_images", "pictures are placeholders"),
      Map.entry("do_code_enrichment", "code enrichment models are not run"),
      Map.entry("do_formula_enrichment", "formula models are not run (DOCX equations are read as LaTeX)"),
      Map.entry("do_picture_classification", "picture classification is not run"),
      Map.entry("do_picture_description", "picture description is not run"),
      Map.entry("picture_description_area_threshold", "picture description is not run"),
      Map.entry("picture_description_local", "picture description is not run"),
      Map.entry("picture_description_api", "picture description is not run"),
      Map.entry("picture_description_preset", "picture description is not run"),
      Map.entry("picture_description_custom_config", "picture description is not run"),
      Map.entry("code_formula_preset", "code and formula models are not run"),
      Map.entry("code_formula_custom_config", "code and formula models are not run"),
      Map.entry("vlm_pipeline_model", "there is no VLM pipeline"),
      Map.entry("vlm_pipeline_model_local", "there is no VLM pipeline"),
      Map.entry("vlm_pipeline_model_api", "there is no VLM pipeline"),
      Map.entry("vlm_pipeline_preset", "there is no VLM pipeline"),
      Map.entry("vlm_pipeline_custom_config", "there is no VLM pipeline"),
      Map.entry("md_page_break_placeholder", "Markdown is exported without page-break placeholders"),
      Map.entry("table_cell_matching", "table cells come from the PDF's text either way"),
      Map.entry("layout_preset", "jetmesh's layout analysis has no presets"),
      Map.entry("layout_custom_config", "jetmesh's layout analysis has no presets"),
      Map.entry("table_structure_preset", "jetmesh's table structure has no presets"),
      Map.entry("table_structure_custom_config", "jetmesh's table structure has no presets"),
      Map.entry("ocr_preset", "OCR is Tesseract"),
      Map.entry("ocr_custom_config", "OCR is Tesseract"));
  private static final Set<String> OCR_ENGINES_HERE = Set.of("auto", "tesseract", "tesseract_cli");

  /**
   * The mapped request.
   *
   * @param options jetmesh options of the convert job
   * @param toFormats the exports the response carries
   * @param fromFormats the input formats allowed (empty: all)
   * @param timeout {@code document_timeout}, or null
   * @param warnings options read but not honoured, for the response's {@code errors}
   */
  record Mapped(ObjectNode options, List<String> toFormats, Set<String> fromFormats, boolean abortOnError,
                Duration timeout, List<String> warnings) {}

  private DoclingServeOptions() {}

  /** Form fields (docling-serve's multipart form) as a JSON options object; {@code prefix} selects and is removed. */
  static ObjectNode fromForm(Map<String, List<String>> fields, String prefix, Set<String> exclude) {
    ObjectNode o = Json.object();
    for (Map.Entry<String, List<String>> f : fields.entrySet()) {
      String key = f.getKey();
      if (!key.startsWith(prefix) || exclude.contains(key)) {
        continue;
      }
      String name = key.substring(prefix.length());
      if (LIST_FIELDS.contains(name)) {
        ArrayNode arr = o.putArray(name);
        for (String v : f.getValue()) {
          // docling-serve's form takes repeated fields; a comma list in one field is read the same way
          for (String part : v.split(",")) {
            if (!part.isBlank()) {
              arr.add(RequestReader.scalar(part.trim()));
            }
          }
        }
      } else {
        o.set(name, RequestReader.scalar(f.getValue().get(f.getValue().size() - 1)));
      }
    }
    return o;
  }

  /**
   * Maps docling-serve's conversion options.
   *
   * @param chunking for the chunk endpoints: {@code to_formats} is not the caller's (the chunker reads the JSON)
   */
  static Mapped convert(ObjectNode in, boolean chunking) {
    ObjectNode out = Json.object();
    List<String> warnings = new ArrayList<>();
    List<String> toFormats = new ArrayList<>();
    Set<String> fromFormats = new LinkedHashSet<>();
    boolean abort = false;
    Duration timeout = null;
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      switch (k) {
        case "to_formats" -> {
          for (JsonNode f : list(v)) {
            String s = f.asText().toLowerCase(Locale.ROOT);
            if (!TO_FORMATS.contains(s)) {
              throw invalid("to_formats", "'" + f.asText() + "' is not an output format here (" + String.join(", ", TO_FORMATS) + ")");
            }
            if (!toFormats.contains(s)) {
              toFormats.add(s);
            }
          }
        }
        case "from_formats" -> {
          for (JsonNode f : list(v)) {
            String s = f.asText().toLowerCase(Locale.ROOT);
            if (!FROM_FORMATS.contains(s)) {
              throw invalid("from_formats", "'" + f.asText() + "' is not one of docling's input formats");
            }
            fromFormats.add(s);
          }
        }
        case "do_ocr", "do_table_structure" -> out.put(k, bool(k, v));
        case "force_ocr" -> out.put("force_full_page_ocr", bool(k, v));
        case "ocr_lang" -> {
          ArrayNode langs = out.putArray("ocr_lang");
          list(v).forEach(l -> langs.add(l.asText()));
        }
        case "ocr_engine" -> {
          String s = v.asText().toLowerCase(Locale.ROOT);
          if (!OCR_ENGINES_HERE.contains(s)) {
            warnings.add("ocr_engine '" + v.asText() + "' is not available: OCR runs with Tesseract");
          }
        }
        case "table_mode" -> {
          String s = v.asText().toLowerCase(Locale.ROOT);
          if (!s.equals("fast") && !s.equals("accurate")) {
            throw invalid("table_mode", "must be fast or accurate, not '" + v.asText() + "'");
          }
          out.put("table_mode", s);
        }
        case "page_range" -> {
          List<JsonNode> r = list(v);
          if (r.size() != 2 || !r.get(0).canConvertToInt() && !r.get(0).isTextual()) {
            throw invalid("page_range", "must be two page numbers [from, to], 1-based, e.g. page_range=1&page_range=3");
          }
          long from = RequestReader.parseLong(r.get(0).asText(), "page_range");
          long to = RequestReader.parseLong(r.get(1).asText(), "page_range");
          if (from < 1 || to < from) {
            throw invalid("page_range", "must satisfy 1 <= from <= to, not [" + from + ", " + to + "]");
          }
          // docling-serve's default is [1, sys.maxsize]: "to the end"
          out.putArray("page_range").add(from).add(Math.min(to, Integer.MAX_VALUE));
        }
        case "image_export_mode" -> {
          String s = v.asText().toLowerCase(Locale.ROOT);
          if (!Set.of("placeholder", "embedded", "referenced").contains(s)) {
            throw invalid("image_export_mode", "must be placeholder, embedded or referenced, not '" + v.asText() + "'");
          }
          if (!s.equals("placeholder")) {
            warnings.add("image_export_mode '" + s + "' is served as 'placeholder': pictures carry no image data");
          }
        }
        case "include_images" -> {
          if (bool(k, v)) {
            warnings.add("include_images: pictures are exported as placeholders without image data");
          }
        }
        case "abort_on_error" -> abort = bool(k, v);
        case "return_as_file" -> {
          // read by the caller (a zip answer)
        }
        case "document_timeout" -> {
          double s;
          if (v.isNumber()) {
            s = v.asDouble();
          } else {
            try {
              s = Double.parseDouble(v.asText());
            } catch (NumberFormatException ex) {
              throw invalid("document_timeout", "must be a number of seconds, not '" + v.asText() + "'");
            }
          }
          if (!(s > 0)) {
            throw invalid("document_timeout", "must be > 0 seconds, not " + v.asText());
          }
          timeout = Duration.ofMillis((long) Math.min(s * 1000, Duration.ofDays(1).toMillis()));
        }
        case "pipeline" -> {
          String s = v.asText().toLowerCase(Locale.ROOT);
          if (!s.equals("standard") && !s.equals("legacy")) {
            throw invalid("pipeline", "'" + v.asText() + "' is not served here: jetmesh runs docling's standard pipeline"
                + " (send pipeline=standard or leave it out)");
          }
        }
        default -> {
          String why = IGNORED.get(k);
          if (why != null) {
            if (!isOff(v)) {
              warnings.add("option " + k + " is ignored: " + why);
            }
          } else {
            warnings.add("option " + k + " is not a docling-serve conversion option known here; ignored");
          }
        }
      }
    }
    if (chunking) {
      toFormats.clear();
      toFormats.add("json");
    } else if (toFormats.isEmpty()) {
      toFormats.add("md"); // docling-serve's default
    }
    ArrayNode tf = out.putArray("to_formats");
    toFormats.forEach(tf::add);
    return new Mapped(out, List.copyOf(toFormats), fromFormats, abort, timeout, List.copyOf(warnings));
  }

  /**
   * Maps docling-serve's chunking options onto the text worker's {@code chunk} options, which carry the same names
   * (docling-core's). {@code include_raw_text} defaults to false as in docling-serve.
   */
  static ObjectNode chunking(ObjectNode in, String chunker, List<String> warnings) {
    ObjectNode out = Json.object().put("chunker", chunker).put("include_raw_text", false);
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      String k = e.getKey();
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      switch (k) {
        case "chunker" -> {
          if (!v.asText().equalsIgnoreCase(chunker)) {
            throw invalid("chunking_options.chunker", "'" + v.asText() + "' does not match the endpoint's chunker (" + chunker + ")");
          }
        }
        case "use_markdown_tables", "include_raw_text" -> out.put(k, bool(k, v));
        case "max_tokens", "merge_peers", "tokenizer", "repeat_table_header" -> {
          if (!chunker.equals("hybrid")) {
            warnings.add("chunking option " + k + " has no effect on the hierarchical chunker; ignored");
          } else if (k.equals("merge_peers") || k.equals("repeat_table_header")) {
            out.put(k, bool(k, v));
          } else if (k.equals("max_tokens")) {
            out.put(k, RequestReader.parseLong(v.asText(), "chunking_max_tokens"));
          } else {
            out.put(k, v.asText());
          }
        }
        default -> warnings.add("chunking option " + k + " is not known here; ignored");
      }
    }
    return out;
  }

  private static boolean isOff(JsonNode v) {
    return v.isBoolean() && !v.asBoolean() || v.isTextual() && (v.asText().isEmpty() || v.asText().equalsIgnoreCase("false"))
        || v.isObject() && v.isEmpty();
  }

  private static List<JsonNode> list(JsonNode v) {
    List<JsonNode> out = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(out::add);
    } else {
      for (String s : v.asText().split(",")) {
        if (!s.isBlank()) {
          out.add(Json.mapper().getNodeFactory().textNode(s.trim()));
        }
      }
    }
    return out;
  }

  private static boolean bool(String k, JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    String s = v.asText().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw invalid(k, "must be true or false, not '" + v.asText() + "'");
  }

  static ApiException invalid(String field, String why) {
    return new ApiException(422, "invalid_option", field + ": " + why);
  }
}
