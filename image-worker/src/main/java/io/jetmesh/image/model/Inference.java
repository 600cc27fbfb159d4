package io.jetmesh.image.model;

/** One item's model output, and the size of the batch it ran in (for results and tests). */
public record Inference(float[] values, int batchSize) {}
