package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.protocol.JobResult;

/**
 * A finished PDF conversion: the DoclingDocument JSON, the Markdown and plain-text exports (each present when
 * requested in {@code to_formats}), and the raw result.
 */
public record DocumentResult(String jobId, JsonNode output, JobResult result) {
  /** docling's DoclingDocument JSON, or {@code null} if {@code json} was not requested. */
  public JsonNode document() {
    JsonNode d = output.get("document");
    return d == null || d.isNull() ? null : d;
  }

  /** The Markdown export, or {@code null} if {@code md} was not requested. */
  public String markdown() {
    JsonNode m = output.get("markdown");
    return m == null || m.isNull() ? null : m.asText();
  }

  /** The plain-text export, or {@code null} if {@code text} was not requested. */
  public String text() {
    JsonNode t = output.get("text");
    return t == null || t.isNull() ? null : t.asText();
  }

  /** Pages in the document (or converted). */
  public int pages() {
    return output.path("pages").asInt(document() == null ? 0 : document().path("pages").size());
  }
}
