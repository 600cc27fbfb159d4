package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A follow-up operation in a pipeline: the job subject of the next stage ({@code text.analyze.chunk}) and its
 * options. The runtime routes a stage's output to the next stage's service as that stage's input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineStage(String subject, ObjectNode options) {
  public PipelineStage {
    Objects.requireNonNull(subject, "subject == null");
    Subjects.requireJobSubject(subject);
  }
}
