package io.jetmesh.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Options of a PDF conversion ({@code pdf.docling.convert}), serialised with docling's option names
 * ({@code do_ocr}, {@code force_full_page_ocr}, {@code do_table_structure}, {@code table_structure_options.mode},
 * {@code ocr_options.lang}, {@code page_range}, {@code to_formats}) so clients of docling-serve keep their options.
 * Immutable; derive variants with {@link #newBuilder()}.
 */
public final class ConvertOptions {
  /** Markdown and DoclingDocument JSON, OCR where a page has no usable text layer, fast tables. */
  public static final ConvertOptions DEFAULTS = builder().build();

  private final List<String> toFormats;
  private final String ocrMode;
  private final List<String> ocrLanguages;
  private final boolean doTableStructure;
  private final String tableMode;
  private final Integer pageFrom;
  private final Integer pageTo;
  private final Integer maxPages;
  private final String password;
  private final boolean includeImages;
  private final Duration timeout;

  private ConvertOptions(Builder b) {
    this.toFormats = List.copyOf(b.toFormats);
    this.ocrMode = b.ocrMode;
    this.ocrLanguages = List.copyOf(b.ocrLanguages);
    this.doTableStructure = b.doTableStructure;
    this.tableMode = b.tableMode;
    this.pageFrom = b.pageFrom;
    this.pageTo = b.pageTo;
    this.maxPages = b.maxPages;
    this.password = b.password;
    this.includeImages = b.includeImages;
    this.timeout = b.timeout;
  }

  public static ConvertOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder newBuilder() {
    Builder b = new Builder();
    b.toFormats = toFormats;
    b.ocrMode = ocrMode;
    b.ocrLanguages = ocrLanguages;
    b.doTableStructure = doTableStructure;
    b.tableMode = tableMode;
    b.pageFrom = pageFrom;
    b.pageTo = pageTo;
    b.maxPages = maxPages;
    b.password = password;
    b.includeImages = includeImages;
    b.timeout = timeout;
    return b;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The options object sent to the worker. */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    ArrayNode formats = o.putArray("to_formats");
    toFormats.forEach(formats::add);
    o.put("do_ocr", !"off".equals(ocrMode));
    o.put("force_full_page_ocr", "force".equals(ocrMode));
    o.put("ocr_mode", ocrMode);
    ArrayNode langs = o.putObject("ocr_options").putArray("lang");
    ocrLanguages.forEach(langs::add);
    o.put("do_table_structure", doTableStructure);
    o.putObject("table_structure_options").put("mode", tableMode);
    if (pageFrom != null) {
      o.putArray("page_range").add(pageFrom).add(pageTo);
    }
    if (maxPages != null) {
      o.put("max_pages", maxPages);
    }
    if (password != null) {
      o.put("password", password);
    }
    o.put("include_images", includeImages);
    return o;
  }

  public static final class Builder {
    private List<String> toFormats = List.of("md", "json");
    private String ocrMode = "auto";
    private List<String> ocrLanguages = List.of("eng");
    private boolean doTableStructure = true;
    private String tableMode = "fast";
    private Integer pageFrom;
    private Integer pageTo;
    private Integer maxPages;
    private String password;
    private boolean includeImages;
    private Duration timeout;

    private Builder() {}

    /** Any of {@code md}, {@code json}, {@code text}, {@code html}, {@code doctags}. */
    public Builder toFormats(String... formats) {
      for (String f : formats) {
        if (!List.of("md", "json", "text", "html", "doctags").contains(f)) {
          throw new IllegalArgumentException("to_formats: unknown format '" + f + "' (md, json, text, html, doctags)");
        }
      }
      this.toFormats = List.of(formats);
      return this;
    }

    /** {@code auto} (pages without a usable text layer), {@code force} (every page), {@code off}. */
    public Builder ocrMode(String mode) {
      String m = Objects.requireNonNull(mode, "mode == null").toLowerCase(Locale.ROOT);
      if (!List.of("auto", "force", "off").contains(m)) {
        throw new IllegalArgumentException("ocrMode must be auto, force or off: '" + mode + "'");
      }
      this.ocrMode = m;
      return this;
    }

    /** Tesseract language codes, e.g. {@code eng}, {@code deu}. */
    public Builder ocrLanguages(String... langs) {
      this.ocrLanguages = List.of(langs);
      return this;
    }

    public Builder doTableStructure(boolean enabled) {
      this.doTableStructure = enabled;
      return this;
    }

    /**
     * {@code fast} or {@code accurate}: docling's table mode, accepted for docling compatibility; jetmesh's PDF worker
     * runs the same table detection in both.
     */
    public Builder tableMode(String mode) {
      if (!"fast".equals(mode) && !"accurate".equals(mode)) {
        throw new IllegalArgumentException("tableMode must be fast or accurate: '" + mode + "'");
      }
      this.tableMode = mode;
      return this;
    }

    /** 1-based inclusive page range. */
    public Builder pageRange(int from, int to) {
      if (from < 1 || to < from) {
        throw new IllegalArgumentException("pageRange: need 1 <= from <= to, got " + from + ".." + to);
      }
      this.pageFrom = from;
      this.pageTo = to;
      return this;
    }

    public Builder maxPages(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPages < 1: " + max);
      }
      this.maxPages = max;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** Extract embedded images to the blob store (references in the result). */
    public Builder includeImages(boolean include) {
      this.includeImages = include;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public ConvertOptions build() {
      return new ConvertOptions(this);
    }
  }
}
