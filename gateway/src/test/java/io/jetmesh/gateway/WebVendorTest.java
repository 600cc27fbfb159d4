package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The vendored browser libraries (scripts/update-web-vendor.sh) are in the jar as recorded in web/licenses/VERSIONS:
 * same bytes (SHA-256), each with its licence, and the page loads them before the renderer that uses them.
 */
class WebVendorTest {
  static byte[] resource(String name) throws Exception {
    try (InputStream in = WebVendorTest.class.getResourceAsStream("/web/" + name)) {
      assertThat(in).as("/web/%s in the jar", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void vendoredFilesMatchTheirRecordedHashesAndCarryTheirLicences() throws Exception {
    String versions = new String(resource("licenses/VERSIONS"), StandardCharsets.UTF_8);
    int files = 0;
    for (String line : versions.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(resource(f[0])));
      assertThat(sha).as("%s is %s %s as vendored (run scripts/update-web-vendor.sh, never edit it)", f[0], f[1], f[2])
          .isEqualTo(f[f.length - 1]);
      assertThat(resource("licenses/" + f[1] + ".LICENSE")).as("licence of %s", f[1]).isNotEmpty();
      files++;
    }
    assertThat(files).isEqualTo(2);
    for (String bundled : new String[] {"entities", "linkify-it", "mdurl", "punycode.js", "uc.micro"}) {
      assertThat(versions).contains("#   " + bundled + " ");
      assertThat(resource("licenses/" + bundled + ".LICENSE")).isNotEmpty();
    }
    String page = new String(resource("index.html"), StandardCharsets.UTF_8);
    assertThat(page.indexOf("/assets/markdown-it.js")).isPositive().isLessThan(page.indexOf("/assets/markdown.js"));
    assertThat(page.indexOf("/assets/purify.js")).isPositive().isLessThan(page.indexOf("/assets/markdown.js"));
  }
}
