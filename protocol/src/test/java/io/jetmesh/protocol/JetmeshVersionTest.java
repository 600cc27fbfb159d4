package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JetmeshVersionTest {
  @Test
  void versionIsThePomsProjectVersion() {
    // protocol's surefire configuration passes the POM's version, the one the resource was filtered with
    String expected = System.getProperty("jetmesh.project.version");
    assertThat(expected).as("jetmesh.project.version (protocol/pom.xml surefire)").isNotBlank();
    assertThat(JetmeshVersion.get()).isEqualTo(expected).matches("\\d+\\.\\d+\\.\\d+.*");
  }
}
