package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Published on {@code jetmesh.cancel.<id>} to reach a worker running the job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CancelRequest(int v, String id, String reason, Instant ts) {
  public CancelRequest {
    Subjects.requireToken(id, "id");
  }
}
