package io.jetmesh.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.BlobRef;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler returns: its output as JSON (the runtime moves it to the blob store and sends a reference when it
 * is larger than {@code mesh.max_result_inline}) and any artifacts it stored with
 * {@link JobContext#putArtifact}.
 */
public record HandlerResult(JsonNode output, Map<String, BlobRef> artifacts) {
  public HandlerResult {
    Objects.requireNonNull(output, "output == null");
    artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
  }

  public static HandlerResult of(JsonNode output) {
    return new HandlerResult(output, Map.of());
  }

  public static HandlerResult of(JsonNode output, Map<String, BlobRef> artifacts) {
    return new HandlerResult(output, artifacts);
  }
}
