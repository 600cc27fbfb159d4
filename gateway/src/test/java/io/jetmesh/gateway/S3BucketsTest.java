package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class S3BucketsTest {
  @Test
  void bucketsAreAllowedPerServiceAndForEveryServiceWithAStar() {
    S3Buckets b = S3Buckets.parse("pdf=reports,archive; image=scans *=shared-inputs");
    assertThat(b.allows("pdf", "reports")).isTrue();
    assertThat(b.allows("pdf", "scans")).isFalse();
    assertThat(b.allows("image", "shared-inputs")).isTrue();
    assertThat(b.allows("text", "reports")).isFalse();
    assertThat(b.allowed("pdf")).containsExactly("archive", "reports", "shared-inputs");
  }

  @Test
  void nothingIsAllowedByDefault() {
    assertThat(S3Buckets.parse(null).allows("pdf", "reports")).isFalse();
    assertThat(S3Buckets.parse("  ")).isEqualTo(S3Buckets.NONE);
    assertThat(S3Buckets.NONE.describe()).isEqualTo("no S3 input buckets");
  }

  @Test
  void wildcardsBadNamesAndUnknownServicesAreRefused() {
    assertThatThrownBy(() -> S3Buckets.parse("pdf=*")).hasMessageContaining("no wildcards");
    assertThatThrownBy(() -> S3Buckets.parse("pdf=Reports")).hasMessageContaining("'Reports'");
    assertThatThrownBy(() -> S3Buckets.parse("reports")).hasMessageContaining("<namespace>=<bucket>");
    assertThatThrownBy(() -> S3Buckets.parse("pfd=reports").requireNamespaces(List.of("pdf", "image")))
        .hasMessageContaining("'pfd'").hasMessageContaining("image, pdf");
    assertThat(S3Buckets.parse("*=reports").requireNamespaces(List.of("pdf")).allows("pdf", "reports")).isTrue();
  }
}
