package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureLimiterTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AuthFailureLimiter limiter = new AuthFailureLimiter(0.5, 3, now::get);

  @Test
  void anAddressIsBlockedOnceItsBurstOfRefusalsIsUsedAndFreedAsTokensReturn() {
    for (int i = 0; i < 3; i++) {
      limiter.check("10.0.0.1");
      limiter.failed("10.0.0.1");
    }
    ApiException e = (ApiException) catchThrowable(() -> limiter.check("10.0.0.1"));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryAfterSeconds()).isEqualTo(2L);
    assertThatCode(() -> limiter.check("10.0.0.2")).as("another address").doesNotThrowAnyException();
    now.addAndGet(1_999_000_000L);
    assertThatThrownBy(() -> limiter.check("10.0.0.1")).isInstanceOf(ApiException.class);
    now.addAndGet(2_000_000L);
    assertThatCode(() -> limiter.check("10.0.0.1")).as("one token back after 2 s").doesNotThrowAnyException();
  }

  @Test
  void anAddressWithoutRefusalsIsNeverBlocked() {
    for (int i = 0; i < 1000; i++) {
      limiter.check("10.0.0.3");
    }
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
