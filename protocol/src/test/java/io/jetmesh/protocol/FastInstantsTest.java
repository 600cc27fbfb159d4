package io.jetmesh.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastInstantsTest {
  @Test
  void formatsExactlyLikeInstantToStringAndParsesItBack() {
    Random rnd = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      long secs = rnd.nextLong(0, 253_402_300_799L);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> rnd.nextInt(1000) * 1_000_000;
        case 2 -> rnd.nextInt(1_000_000) * 1000;
        default -> rnd.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(secs, nanos);
      assertThat(FastInstants.format(t)).isEqualTo(t.toString());
      assertThat(FastInstants.parse(t.toString())).isEqualTo(t);
    }
  }

  @Test
  void otherIsoFormsFallBackToInstantParse() {
    assertThat(FastInstants.parse("2026-11-22T09:15:02+01:00")).isEqualTo(Instant.parse("2026-11-22T08:15:02Z"));
    assertThat(FastInstants.parse("2026-11-22T09:15:02.5Z")).isEqualTo(Instant.parse("2026-11-22T09:15:02.500Z"));
  }

  @Test
  void wireRecordsRoundTripTheirTimestamps() {
    Instant t = Instant.parse("2026-11-22T09:15:02.123456789Z");
    JobEnvelope env = JobEnvelope.builder("diag.noop", InputRef.of("nats-object://b/x")).submittedAt(t).build();
    assertThat(Json.fromBytes(Json.toBytes(env), JobEnvelope.class).submittedAt()).isEqualTo(t);
    assertThat(Json.toString(env)).contains("\"submitted_at\":\"2026-11-22T09:15:02.123456789Z\"");
  }
}
