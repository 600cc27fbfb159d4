package io.jetmesh.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One finished stage of a pipeline, as listed in the final {@link JobResult#stages()}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageSummary(String subject, String id, String worker, long durationMs, BlobRef outputRef) {}
