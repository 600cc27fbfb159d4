package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A reference to bytes in a blob store: {@code nats-object://bucket/name} or {@code s3://bucket/key}. Used for
 * outputs too large for a message and for extra artifacts (thumbnails, extracted images). Clients resolve
 * {@code nats-object://} references with a plain NATS object-store get.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlobRef(String uri, long size, String contentType, String sha256) {
  public BlobRef {
    Objects.requireNonNull(uri, "uri == null");
    if (size < 0) {
      throw new IllegalArgumentException("size < 0: " + size);
    }
  }
}
