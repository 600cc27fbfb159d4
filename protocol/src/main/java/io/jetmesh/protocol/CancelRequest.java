package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Stored under the job id in the {@code jetmesh-cancel} key-value bucket, which every worker watches. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelRequest(int v, String id, String reason, Instant ts) {
  public CancelRequest {
    Subjects.requireToken(id, "id");
  }
}
