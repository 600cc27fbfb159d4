package io.jetmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a job's input reference is resolved: the original system's bare {@code s3_key} ({@code reports/q3.pdf})
 * against the default bucket, references with a scheme unchanged, everything else refused with a message that says
 * what to set.
 */
class MeshOptionsInputTest {
  /** Keys of URI-safe characters: they appear in the reference as they are. */
  static final List<String> BARE_KEYS = List.of("reports/q3.pdf", "q3.pdf", "a/b/c/d-e_f~g.pdf", "reports/q3", "x",
      "deep/" + "n/".repeat(40) + "file.docx", "key.with.dots.PDF");
  /** Keys with characters that a URI would misread: percent-encoded, and decoded back to the same key. */
  static final List<String> KEYS_NEEDING_ESCAPES = List.of("a b.pdf", "rapports/été 2024.pdf", "reports/?weird#name.pdf",
      "100%.pdf", "c++ notes.md", "x+y=z.csv", "日本/報告.pdf", "quote'\"s.txt", "tab\tkey", "a;b,c&d@e$f!.pdf");

  static MeshOptions withBucket(String bucket) {
    return MeshOptions.builder().defaultS3Bucket(bucket).build();
  }

  @Test
  void everyBareKeyResolvesAgainstTheDefaultBucket() {
    MeshOptions options = withBucket("docs");
    for (String key : BARE_KEYS) {
      assertThat(options.resolveInput(key)).as(key).isEqualTo("s3://docs/" + key);
      assertThat(options.resolveInput("/" + key)).as("leading slash of %s", key).isEqualTo("s3://docs/" + key);
      assertThat(options.resolveInput("  " + key + "\n")).as("surrounding blanks of %s", key)
          .isEqualTo("s3://docs/" + key);
    }
  }

  @Test
  void keysWithCharactersAUriMisreadsAreEncodedAndTheWorkersParserGivesBackTheSameKey() {
    MeshOptions options = withBucket("docs");
    for (String key : KEYS_NEEDING_ESCAPES) {
      String ref = options.resolveInput(key);
      assertThat(ref).as(key).startsWith("s3://docs/").matches("s3://docs/[A-Za-z0-9\\-._~/%]+");
      java.net.URI uri = java.net.URI.create(ref); // what InputRef and the worker's S3Location do with it
      assertThat(uri.getHost()).isEqualTo("docs");
      assertThat(java.net.URLDecoder.decode(uri.getRawPath().substring(1), java.nio.charset.StandardCharsets.UTF_8))
          .as(ref).isEqualTo(key);
      assertThat(io.jetmesh.protocol.InputRef.of(ref).uri()).isEqualTo(ref);
    }
  }

  @Test
  void referencesWithASchemePassUnchangedWithOrWithoutABucket() {
    for (MeshOptions options : List.of(MeshOptions.builder().build(), withBucket("docs"))) {
      for (String key : BARE_KEYS) {
        assertThat(options.resolveInput("s3://other/" + key)).isEqualTo("s3://other/" + key);
        assertThat(options.resolveInput("nats-object://jetmesh-blobs/" + key))
            .isEqualTo("nats-object://jetmesh-blobs/" + key);
      }
    }
  }

  @Test
  void aBareKeyWithoutADefaultBucketNamesTheSettingAndTheS3Form() {
    MeshOptions options = MeshOptions.builder().build();
    for (String key : BARE_KEYS) {
      assertThatThrownBy(() -> options.resolveInput(key)).as(key).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JETMESH_S3_BUCKET").hasMessageContaining("s3://bucket/" + key)
          .hasMessageContaining(key);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://host/a.pdf", "https://host/a.pdf", "file:///tmp/a.pdf", "gs://b/a.pdf",
      "S3://docs/a.pdf", "ftp://h/a"})
  void otherSchemesAreRefusedEvenWithABucket(String reference) {
    assertThatThrownBy(() -> withBucket("docs").resolveInput(reference)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported input reference").hasMessageContaining("s3://bucket/key")
        .hasMessageContaining("nats-object://");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n"})
  void anEmptyReferenceIsRefused(String reference) {
    assertThatThrownBy(() -> withBucket("docs").resolveInput(reference)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no input");
    assertThatThrownBy(() -> withBucket("docs").resolveInput(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBucketComesFromJetmeshS3BucketAndSurvivesNewBuilder() {
    MeshOptions fromEnv = MeshOptions.builder().applyEnvironment(Map.of("JETMESH_S3_BUCKET", " docs ")).build();
    assertThat(fromEnv.defaultS3Bucket()).isEqualTo("docs");
    assertThat(fromEnv.newBuilder().clientId("other").build().resolveInput("reports/q3.pdf"))
        .isEqualTo("s3://docs/reports/q3.pdf");
    assertThat(MeshOptions.builder().applyEnvironment(Map.of("JETMESH_S3_BUCKET", "")).build().defaultS3Bucket())
        .isNull();
    assertThat(fromEnv.newBuilder().defaultS3Bucket(null).build().defaultS3Bucket()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://docs", "docs/reports", "", " ", "s3:docs"})
  void aBucketSettingThatIsNotABucketNameIsRefused(String bucket) {
    assertThatThrownBy(() -> MeshOptions.builder().defaultS3Bucket(bucket)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bucket name");
  }
}
