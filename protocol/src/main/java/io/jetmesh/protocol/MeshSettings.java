package io.jetmesh.protocol;

import java.time.Duration;

/**
 * Mesh-wide storage settings from the {@code mesh:} section of namespaces.yaml.
 *
 * @param storage {@code file} or {@code memory} for the results, status, dead-letter and blob stores
 * @param replicas replicas of those stores
 * @param resultTtl how long results (and job status) are kept
 * @param deadLetterTtl how long dead letters are kept
 * @param blobTtl how long uploaded inputs and large outputs are kept in the object store
 * @param maxResultInline results whose output JSON exceeds this go to the blob store as an {@code output_ref}
 */
public record MeshSettings(
    String storage,
    int replicas,
    Duration resultTtl,
    Duration deadLetterTtl,
    Duration blobTtl,
    long maxResultInline) {

  public static final MeshSettings DEFAULTS =
      new MeshSettings("file", 1, Duration.ofDays(1), Duration.ofDays(30), Duration.ofDays(1), 256 * 1024);

  public MeshSettings {
    if (!"file".equals(storage) && !"memory".equals(storage)) {
      throw new IllegalArgumentException("mesh.storage must be file or memory: '" + storage + "'");
    }
    if (replicas < 1 || replicas > 5) {
      throw new IllegalArgumentException("mesh.replicas must be 1..5: " + replicas);
    }
    if (maxResultInline < 1024) {
      throw new IllegalArgumentException("mesh.max_result_inline must be >= 1KiB: " + maxResultInline);
    }
  }

  public MeshSettings withReplicas(int newReplicas) {
    return new MeshSettings(storage, newReplicas, resultTtl, deadLetterTtl, blobTtl, maxResultInline);
  }
}
