package io.jetmesh.pdf;

import io.jetmesh.testing.SharedCorpus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jetmesh.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DoclingDocument JSON that convert produces is valid against docling's published schema and self-consistent. */
class DoclingSchemaTest {
  @TempDir
  Path dir;

  private List<JsonNode> documents() throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    for (Path pdf : List.of(TestPdfs.report(dir, 2), TestPdfs.ruledTable(dir), TestPdfs.code(dir),
        TestPdfs.twoColumns(dir))) {
      docs.add(PdfHandlersTest.convert(pdf, "{}").path("document"));
    }
    return docs;
  }

  @Test
  void convertOutputValidatesAgainstTheDoclingDocumentSchema() throws Exception {
    Path schemaFile = SharedCorpus.require("schemas/DoclingDocument.json", "docling JSON output against docling's schema");
    // the schema comes from pydantic and writes named groups the Python way, (?P<name>...); Java spells them (?<name>...)
    String text = Files.readString(schemaFile).replace("(?P<", "(?<");
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Json.mapper().readTree(text));
    for (JsonNode doc : documents()) {
      Set<ValidationMessage> errors = schema.validate(doc);
      assertThat(errors).as(doc.path("name").asText()).isEmpty();
    }
    // and the schema really checks: a broken document fails
    JsonNode broken = documents().get(0).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.path("texts").get(0)).put("label", "no_such_label");
    assertThat(schema.validate(broken)).isNotEmpty();
  }

  @Test
  void everyReferenceResolvesAndParentsListTheirChildren() throws Exception {
    for (JsonNode doc : documents()) {
      assertThat(doc.path("schema_name").asText()).isEqualTo("DoclingDocument");
      assertThat(doc.path("version").asText()).isEqualTo("1.10.0");
      assertThat(doc.path("origin").path("binary_hash").isIntegralNumber()).isTrue();
      int items = 0;
      for (String array : List.of("texts", "groups", "tables", "pictures")) {
        JsonNode arr = doc.path(array);
        for (int i = 0; i < arr.size(); i++) {
          JsonNode item = arr.get(i);
          items++;
          assertThat(item.path("self_ref").asText()).isEqualTo("#/" + array + "/" + i);
          JsonNode parent = resolve(doc, item.path("parent").path("$ref").asText());
          List<String> siblings = new ArrayList<>();
          parent.path("children").forEach(c -> siblings.add(c.path("$ref").asText()));
          assertThat(siblings).as("parent of " + item.path("self_ref").asText()).contains(item.path("self_ref").asText());
          for (JsonNode c : item.path("children")) {
            assertThat(resolve(doc, c.path("$ref").asText()).path("parent").path("$ref").asText())
                .isEqualTo(item.path("self_ref").asText());
          }
          if (!"groups".equals(array)) {
            JsonNode bbox = item.path("prov").get(0).path("bbox");
            assertThat(bbox.path("t").asDouble()).isGreaterThanOrEqualTo(bbox.path("b").asDouble());
            assertThat(doc.path("pages").has(item.path("prov").get(0).path("page_no").asText())).isTrue();
          }
        }
      }
      assertThat(items).isPositive();
    }
  }

  @Test
  void ruledTableBecomesATableItemWithCells() throws Exception {
    JsonNode out = PdfHandlersTest.convert(TestPdfs.ruledTable(dir), "{}");
    JsonNode tables = out.path("document").path("tables");
    assertThat(tables).hasSize(1);
    JsonNode data = tables.get(0).path("data");
    assertThat(data.path("num_rows").asInt()).isEqualTo(4);
    assertThat(data.path("num_cols").asInt()).isEqualTo(3);
    assertThat(data.path("grid").get(3).get(2).path("text").asText()).isEqualTo("117.48");
    String md = out.path("markdown").asText();
    assertThat(md).contains("| Item | Qty | Price |\n| - | - | - |\n| Widget | 2 | 9.99 |");
    // the table's words are not repeated as body text, and the prose around it keeps its order
    assertThat(md.indexOf("items sold this week")).isLessThan(md.indexOf("| Item"));
    assertThat(md.indexOf("| Total")).isLessThan(md.indexOf("ordinary prose"));
    assertThat(md.split("Widget", -1)).hasSize(2);
  }

  private static JsonNode resolve(JsonNode doc, String ref) {
    assertThat(ref).startsWith("#/");
    JsonNode n = doc.at(ref.substring(1));
    assertThat(n.isMissingNode()).as("unresolved " + ref).isFalse();
    return n;
  }
}
