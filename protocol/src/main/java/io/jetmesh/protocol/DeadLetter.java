package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A job that failed on every allowed delivery, stored on {@code jetmesh.dlq.<namespace>.<id>} in the dead-letter
 * stream. It keeps the whole original envelope, so {@code jetmesh dlq replay} can resubmit it unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(
    int v,
    String id,
    String subject,
    String stream,
    long streamSequence,
    String reason,
    int attempts,
    String input,
    JobError error,
    String worker,
    Instant ts,
    JobEnvelope envelope) {}
