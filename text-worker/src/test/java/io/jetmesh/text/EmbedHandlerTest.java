package io.jetmesh.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.testing.HandlerTestKit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EmbedHandlerTest {
  private final TextServices services = TestServices.get();

  private HandlerTestKit.Run run(String input, String options) {
    return HandlerTestKit.forSubject("text.analyze.embed").input(input.getBytes(StandardCharsets.UTF_8), "in")
        .options(options).run(new EmbedHandler(services));
  }

  private static float[] vector(JsonNode e) {
    JsonNode v = e.path("vector");
    if (v.isTextual()) {
      ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(v.asText())).order(ByteOrder.LITTLE_ENDIAN);
      float[] f = new float[b.remaining() / 4];
      b.asFloatBuffer().get(f);
      return f;
    }
    float[] f = new float[v.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) v.get(i).asDouble();
    }
    return f;
  }

  @Test
  void relatedSentencesAreCloserThanUnrelatedOnes() {
    JsonNode out = run("[\"A cat sits on the mat\", \"A kitten is sitting on a rug\", \"Stock markets fell sharply\"]", "{}")
        .requireResult().output();
    assertThat(out.path("model").asText()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(out.path("dimension").asInt()).isEqualTo(384);
    assertThat(out.path("normalized").asBoolean()).isTrue();
    assertThat(out.path("count").asInt()).isEqualTo(3);
    float[] cat = vector(out.path("embeddings").get(0));
    float[] kitten = vector(out.path("embeddings").get(1));
    float[] stocks = vector(out.path("embeddings").get(2));
    assertThat(cat).hasSize(384);
    assertThat(EmbeddingModelTest.dot(cat, cat)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    double related = EmbeddingModelTest.dot(cat, kitten);
    double unrelated = EmbeddingModelTest.dot(cat, stocks);
    assertThat(related).isGreaterThan(0.5);
    assertThat(related - unrelated).isGreaterThan(0.3);
    assertThat(out.path("embeddings").get(0).path("text").asText()).isEqualTo("A cat sits on the mat");
    assertThat(out.path("embeddings").get(0).path("token_count").asInt()).isEqualTo(8); // 6 words + [CLS] + [SEP]
  }

  @Test
  void aDocumentIsChunkedFirstAndEachVectorKeepsItsChunkMetadata() {
    byte[] doc = Json.toBytes(ChunkHandlerTest.builtDocument());
    var run = HandlerTestKit.forSubject("text.analyze.embed").input(doc, "doc.json").options("{\"max_tokens\": 96}")
        .run(new EmbedHandler(services));
    JsonNode out = run.requireResult().output();
    assertThat(out.path("input_kind").asText()).isEqualTo("docling");
    assertThat(out.path("unit").asText()).isEqualTo("chunk");
    JsonNode first = out.path("embeddings").get(0);
    assertThat(first.path("headings").get(0).asText()).isEqualTo("Annual Report of the Lighthouse Keepers");
    assertThat(first.path("pages").size()).isPositive();
    assertThat(first.path("source_refs").size()).isPositive();
    assertThat(first.path("text").asText()).startsWith("Annual Report of the Lighthouse Keepers\nOperations\n");
    out.path("embeddings").forEach(e -> assertThat(e.path("truncated").asBoolean()).isFalse());
    assertThat(run.progress()).isNotEmpty();
  }

  @Test
  void chunkOutputIsEmbeddedAsIsWithBase64Vectors() {
    JsonNode chunks = HandlerTestKit.forSubject("text.analyze.chunk")
        .input("# Pets\n\nCats are small furry animals.\n\n# Finance\n\nShares fell on the exchange.".getBytes(StandardCharsets.UTF_8), "x.md")
        .run(new ChunkHandler(services)).requireResult().output();
    JsonNode out = run(Json.toString(chunks), "{\"vector_format\": \"base64\"}").requireResult().output();
    assertThat(out.path("input_kind").asText()).isEqualTo("chunks");
    assertThat(out.path("count").asInt()).isEqualTo(2);
    assertThat(out.path("embeddings").get(1).path("chunk_index").asInt()).isEqualTo(1);
    assertThat(out.path("embeddings").get(1).path("headings").get(0).asText()).isEqualTo("Finance");
    assertThat(out.path("embeddings").get(0).path("text").asText()).isEqualTo("Pets\nCats are small furry animals.");
    float[] v = vector(out.path("embeddings").get(0));
    assertThat(v).hasSize(384);
    assertThat(EmbeddingModelTest.dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void sentenceUnitEmbedsEachSentence() {
    JsonNode out = run("First sentence here. Second one there.\n\nA new paragraph.", "{\"unit\": \"sentence\"}")
        .requireResult().output();
    assertThat(out.path("count").asInt()).isEqualTo(3);
    assertThat(out.path("embeddings").get(2).path("source_refs").get(0).asText()).isEqualTo("#/lines/3");
  }

  @Test
  void overlongTextsAreTruncatedWithAWarning() {
    String longText = "word ".repeat(400);
    JsonNode out = run("[\"" + longText + "\"]", "{}").requireResult().output();
    assertThat(out.path("embeddings").get(0).path("truncated").asBoolean()).isTrue();
    assertThat(out.path("embeddings").get(0).path("token_count").asInt()).isEqualTo(256);
    assertThat(out.path("warnings").toString()).contains("truncated");
  }

  @Test
  void unsupportedLanguageIsFlaggedOrFailsWhenRequired() {
    String german = "[\"" + LanguageHandlerTest.GERMAN + "\"]";
    JsonNode warn = run(german, "{}").requireResult().output();
    assertThat(warn.path("embeddings").get(0).path("unsupported_language").asText()).isEqualTo("deu");
    assertThat(warn.path("warnings").toString()).contains("not trained for");

    var required = run(german, "{\"language_check\": \"require\"}");
    assertThat(required.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED);
    assertThat(required.error().getMessage()).contains("deu").contains("all-minilm-l6-v2-q");
  }

  @Test
  void tooManyTextsIsTooLarge() {
    TextServices few = TestServices.withLimits(new TextServices.Limits(1 << 20, 1 << 20, 1 << 20, 2));
    var run = HandlerTestKit.forSubject("text.analyze.embed").input("[\"a\", \"b\", \"c\"]".getBytes(StandardCharsets.UTF_8), "x")
        .run(new EmbedHandler(few));
    assertThat(run.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(run.error().getMessage()).contains("3 texts").contains("at most 2");
  }

  @Test
  void concurrentJobsShareForwardPassesAndGetTheirOwnVectors() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      TestServices.BATCH_SIZES.clear();
      List<Future<JsonNode>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String text = i % 2 == 0 ? "A cat sits on the mat" : "Stock markets fell sharply";
        futures.add(pool.submit(() -> run("[\"" + text + "\"]", "{\"language_check\": \"off\"}").requireResult().output()));
      }
      List<float[]> vectors = new ArrayList<>();
      for (Future<JsonNode> f : futures) {
        vectors.add(vector(f.get().path("embeddings").get(0)));
      }
      assertThat(TestServices.BATCH_SIZES.stream().mapToInt(Integer::intValue).max().orElse(0))
          .as("largest batch across 6 concurrent one-text jobs").isGreaterThan(1);
      assertThat(TestServices.BATCH_SIZES.stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
      // each job got the vector of its own text, not a neighbour's
      assertThat(EmbeddingModelTest.dot(vectors.get(0), vectors.get(2))).isGreaterThan(0.97);
      assertThat(EmbeddingModelTest.dot(vectors.get(0), vectors.get(1))).isLessThan(0.3);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aQuestionRetrievesTheRightChunkOfACorpusDocument() throws Exception {
    java.nio.file.Path p = io.jetmesh.testing.SharedCorpus.require("corpus/docling/groundtruth/multi_page.json",
        "retrieval over a corpus document's chunks");
    JsonNode out = HandlerTestKit.forSubject("text.analyze.embed").input(p).options("{\"max_tokens\": 128}")
        .run(new EmbedHandler(services)).requireResult().output();
    String[][] questions = {
        {"Which machine did IBM introduce with magnetic tape?", "IBM MT/ST"},
        {"When did the term word processor first appear?", "1960s"},
        {"Which program was launched for MS-DOS with mouse support?", "MS-DOS"}};
    for (String[] q : questions) {
      float[] query = vector(run("[\"" + q[0] + "\"]", "{}").requireResult().output().path("embeddings").get(0));
      JsonNode best = null;
      double bestScore = -2;
      for (JsonNode e : out.path("embeddings")) {
        double score = EmbeddingModelTest.dot(query, vector(e));
        if (score > bestScore) {
          bestScore = score;
          best = e;
        }
      }
      assertThat(best.path("text").asText()).as("best chunk for '%s' (score %.3f)", q[0], bestScore).contains(q[1]);
    }
  }
}
