package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docling-serve's options onto jetmesh's job options: mapped, ignored with a warning, or refused. */
class DoclingServeOptionsTest {
  @Test
  void formFieldsBecomeTypedOptionsAndRepeatedFieldsLists() {
    ObjectNode o = DoclingServeOptions.fromForm(Map.of("to_formats", List.of("md", "json"), "do_ocr", List.of("false"),
        "page_range", List.of("2", "5"), "ocr_lang", List.of("en,de"), "files", List.of("x")), "", Set.of("files"));
    assertThat(o.path("to_formats").toString()).isEqualTo("[\"md\",\"json\"]");
    assertThat(o.path("do_ocr").isBoolean()).isTrue();
    assertThat(o.path("page_range").toString()).isEqualTo("[2,5]");
    assertThat(o.path("ocr_lang").toString()).isEqualTo("[\"en\",\"de\"]");
    assertThat(o.has("files")).isFalse();
    ObjectNode chunk = DoclingServeOptions.fromForm(Map.of("chunking_max_tokens", List.of("64"), "convert_do_ocr", List.of("true")),
        "chunking_", Set.of());
    assertThat(chunk.toString()).isEqualTo("{\"max_tokens\":64}");
  }

  @Test
  void acceptedOptionsAreMapped() {
    DoclingServeOptions.Mapped m = DoclingServeOptions.convert(Json.objectOf("{\"to_formats\":[\"md\",\"html\"],"
        + "\"force_ocr\":true,\"ocr_lang\":[\"en\"],\"table_mode\":\"fast\",\"page_range\":[1,9223372036854775807],"
        + "\"document_timeout\":30,\"abort_on_error\":true,\"from_formats\":[\"pdf\",\"docx\"],\"pipeline\":\"standard\"}"), false);
    assertThat(m.toFormats()).containsExactly("md", "html");
    assertThat(m.options().path("force_full_page_ocr").asBoolean()).isTrue();
    assertThat(m.options().path("table_mode").asText()).isEqualTo("fast");
    assertThat(m.options().path("page_range").get(1).asLong()).isEqualTo(Integer.MAX_VALUE);
    assertThat(m.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.abortOnError()).isTrue();
    assertThat(m.fromFormats()).containsExactly("pdf", "docx");
    assertThat(m.warnings()).isEmpty();
  }

  @Test
  void theDefaultIsMarkdownAndChunkingAlwaysConvertsToJson() {
    assertThat(DoclingServeOptions.convert(Json.object(), false).toFormats()).containsExactly("md");
    assertThat(DoclingServeOptions.convert(Json.objectOf("{\"to_formats\":[\"md\"]}"), true).toFormats()).containsExactly("json");
  }

  @Test
  void optionsWithoutEffectWarnAndSwitchedOffOnesDoNot() {
    DoclingServeOptions.Mapped m = DoclingServeOptions.convert(Json.objectOf("{\"pdf_backend\":\"dlparse_v4\","
        + "\"do_picture_description\":false,\"do_formula_enrichment\":true,\"ocr_engine\":\"easyocr\","
        + "\"image_export_mode\":\"embedded\",\"frobnicate\":1}"), false);
    assertThat(String.join("\n", m.warnings())).contains("pdf_backend").contains("do_formula_enrichment")
        .contains("easyocr").contains("embedded").contains("frobnicate").doesNotContain("do_picture_description");
  }

  @Test
  void optionsThatWouldChangeTheResultAreRefused() {
    for (String bad : List.of("{\"pipeline\":\"vlm\"}", "{\"to_formats\":[\"pdf\"]}", "{\"from_formats\":[\"exe\"]}",
        "{\"table_mode\":\"slow\"}", "{\"page_range\":[3,1]}", "{\"do_ocr\":\"maybe\"}", "{\"document_timeout\":-1}")) {
      assertThatThrownBy(() -> DoclingServeOptions.convert(Json.objectOf(bad), false)).as(bad)
          .isInstanceOf(ApiException.class).satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(422));
    }
  }

  @Test
  void chunkingOptionsKeepDoclingCoresNames() {
    List<String> warnings = new ArrayList<>();
    ObjectNode o = DoclingServeOptions.chunking(Json.objectOf("{\"max_tokens\":\"64\",\"merge_peers\":false,"
        + "\"tokenizer\":\"sentence-transformers/all-MiniLM-L6-v2\"}"), "hybrid", warnings);
    assertThat(o.toString()).isEqualTo("{\"chunker\":\"hybrid\",\"include_raw_text\":false,\"max_tokens\":64,"
        + "\"merge_peers\":false,\"tokenizer\":\"sentence-transformers/all-MiniLM-L6-v2\"}");
    assertThat(warnings).isEmpty();
    DoclingServeOptions.chunking(Json.objectOf("{\"max_tokens\":64}"), "hierarchical", warnings);
    assertThat(warnings).singleElement().asString().contains("hierarchical");
    assertThatThrownBy(() -> DoclingServeOptions.chunking(Json.objectOf("{\"chunker\":\"hybrid\"}"), "hierarchical", warnings))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void httpSourceHostPatterns() {
    HttpSources h = HttpSources.allow("docs.example.org, *.cdn.example.org", false, 10, Duration.ofSeconds(1));
    assertThat(h.allowed("docs.example.org")).isTrue();
    assertThat(h.allowed("a.cdn.example.org")).isTrue();
    assertThat(h.allowed("cdn.example.org")).isFalse();
    assertThat(h.allowed("evil-docs.example.org")).isFalse();
    assertThat(h.allowed("docs.example.org.evil.net")).isFalse();
    assertThat(HttpSources.allow(" ", false, 10, Duration.ofSeconds(1)).enabled()).isFalse();
    assertThatThrownBy(() -> HttpSources.allow("http://x/", false, 10, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
