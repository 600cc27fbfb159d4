package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadTypesTest {
  @Test
  void typesABrowserWouldRunAreSentAsOctetStream() {
    for (String t : new String[] {"text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/xhtml+xml",
        "text/xml", "application/javascript", "text/javascript", "multipart/x-mixed-replace", "", "garbage"}) {
      assertThat(DownloadTypes.of(t)).as(t).isEqualTo("application/octet-stream");
    }
    assertThat(DownloadTypes.of(null)).isEqualTo("application/octet-stream");
  }

  @Test
  void documentAndImageTypesPassAndTextIsUtf8() {
    assertThat(DownloadTypes.of("application/json")).isEqualTo("application/json");
    assertThat(DownloadTypes.of("image/PNG")).isEqualTo("image/png");
    assertThat(DownloadTypes.of("text/markdown; charset=latin1")).isEqualTo("text/markdown; charset=utf-8");
  }
}
