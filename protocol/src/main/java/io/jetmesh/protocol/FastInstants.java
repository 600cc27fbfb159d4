package io.jetmesh.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 UTC timestamps ({@code 2026-11-22T09:15:02.123Z}) without {@code DateTimeFormatter}: every message carries
 * one to three of them, and the formatter showed up as about a tenth of the mesh's CPU in a profile of the no-op job
 * cycle. Anything that is not the plain UTC form falls back to {@link Instant#parse}, so offsets still work.
 */
final class FastInstants {
  private FastInstants() {}

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("jetmesh-instants");
    m.addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeString(format(value));
      }
    });
    m.addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
          return Instant.ofEpochMilli(p.getLongValue());
        }
        String text = p.getText();
        try {
          return parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
          throw ctxt.weirdStringException(text, Instant.class, "not an ISO-8601 timestamp");
        }
      }
    });
    return m;
  }

  /** {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}; other forms go through {@link Instant#parse}. */
  static Instant parse(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return Instant.parse(s);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return Instant.parse(s);
    }
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
        return Instant.parse(s);
      }
      int frac = digits(s, 20, n - 1);
      if (frac < 0) {
        return Instant.parse(s);
      }
      nanos = frac;
      for (int i = n - 21; i < 9; i++) {
        nanos *= 10;
      }
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The same text {@link Instant#toString()} gives for years 0000-9999. */
  static String format(Instant t) {
    long secs = t.getEpochSecond();
    long epochDay = Math.floorDiv(secs, 86_400);
    int secsOfDay = (int) Math.floorMod(secs, 86_400);
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    if (d.getYear() < 0 || d.getYear() > 9999) {
      return t.toString();
    }
    StringBuilder b = new StringBuilder(30);
    pad(b, d.getYear(), 4).append('-');
    pad(b, d.getMonthValue(), 2).append('-');
    pad(b, d.getDayOfMonth(), 2).append('T');
    pad(b, secsOfDay / 3600, 2).append(':');
    pad(b, secsOfDay / 60 % 60, 2).append(':');
    pad(b, secsOfDay % 60, 2);
    int nano = t.getNano();
    if (nano > 0) {
      b.append('.');
      if (nano % 1_000_000 == 0) {
        pad(b, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        pad(b, nano / 1000, 6);
      } else {
        pad(b, nano, 9);
      }
    }
    return b.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }
}
