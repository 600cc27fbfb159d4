package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a job works on. Either a reference ({@code s3://bucket/key}, {@code nats-object://bucket/name}) or a small
 * inline payload ({@code data}, base64 on the wire, bounded by the service's {@code maxInlineBytes}). Exactly one of
 * {@code uri} and {@code data} is set.
 *
 * @param uri reference to the input, or {@code null} when inline
 * @param data inline bytes, or {@code null} when referenced
 * @param name original file name, for output naming and type sniffing (optional)
 * @param contentType media type if known (optional)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputRef(String uri, byte[] data, String name, String contentType) {
  public static final String SCHEME_S3 = "s3";
  public static final String SCHEME_NATS_OBJECT = "nats-object";

  public InputRef {
    if ((uri == null) == (data == null)) {
      throw new IllegalArgumentException("exactly one of uri and data must be set");
    }
    if (uri != null) {
      URI parsed = URI.create(uri);
      if (parsed.getScheme() == null) {
        throw new IllegalArgumentException("input uri has no scheme (expected s3:// or nats-object://): " + uri);
      }
    }
  }

  public static InputRef of(String uri) {
    return new InputRef(uri, null, null, null);
  }

  public static InputRef inline(byte[] data, String name, String contentType) {
    return new InputRef(null, Objects.requireNonNull(data, "data == null"), name, contentType);
  }

  @JsonIgnore
  public boolean isInline() {
    return data != null;
  }

  /** A short description for logs and dead-letter records: the uri, or {@code inline(123 bytes)}. */
  @JsonIgnore
  public String describe() {
    return uri != null ? uri : "inline(" + data.length + " bytes" + (name != null ? ", " + name : "") + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputRef other
        && Objects.equals(uri, other.uri)
        && Arrays.equals(data, other.data)
        && Objects.equals(name, other.name)
        && Objects.equals(contentType, other.contentType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, Arrays.hashCode(data), name, contentType);
  }

  @Override
  public String toString() {
    return "InputRef[" + describe() + "]";
  }
}
