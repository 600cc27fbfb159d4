package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalOnlyGuardTest {
  @Test
  void loopbackHostsAndOriginsPass() {
    for (String host : new String[] {"localhost", "localhost:8080", "127.0.0.1:8080", "127.0.0.2", "[::1]:8080",
        "app.localhost:3000", "LOCALHOST.", "localhost.:8080"}) {
      assertThatCode(() -> LocalOnlyGuard.check(host, null, null)).as(host).doesNotThrowAnyException();
    }
    for (String origin : new String[] {"http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:8080", "https://localhost"}) {
      assertThatCode(() -> LocalOnlyGuard.check("127.0.0.1:8080", origin, "same-site")).as(origin).doesNotThrowAnyException();
    }
  }

  @Test
  void reboundHostsAreRefused() {
    for (String host : new String[] {"attacker.example", "attacker.example:8080", "127.0.0.1.nip.io", "localhost.attacker.example",
        "10.0.0.5:8080", "[::2]:8080", ""}) {
      assertThatThrownBy(() -> LocalOnlyGuard.check(host, null, null)).as(host).hasMessageContaining("DNS rebinding");
    }
    assertThatThrownBy(() -> LocalOnlyGuard.check(null, null, null)).hasMessageContaining("DNS rebinding");
  }

  @Test
  void pagesOfOtherSitesAreRefused() {
    for (String origin : new String[] {"https://evil.example", "null", "http://localhost.evil.example", "file://", "chrome-extension://x"}) {
      assertThatThrownBy(() -> LocalOnlyGuard.check("127.0.0.1:8080", origin, null)).as(origin).isInstanceOf(ApiException.class)
          .hasMessageContaining("Origin");
    }
    assertThatThrownBy(() -> LocalOnlyGuard.check("127.0.0.1:8080", null, "cross-site")).hasMessageContaining("cross-site");
  }
}
