package io.jetmesh.runtime;

import io.jetmesh.client.BlobClient;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Progress;
import java.nio.file.Path;

/**
 * What an {@link Execution} needs from its worker: identity, the namespace, input and blob access, time, and the two
 * status channels a handler feeds through its {@code JobContext}. Implementations are called from job threads and
 * must be thread-safe.
 */
interface ExecutionHost {
  String workerId();

  NamespaceSpec namespace();

  /** Scratch directories are made under {@code <scratchRoot>/<workerId>/}. */
  Path scratchRoot();

  InputStores inputs();

  BlobClient blobs();

  Ticker ticker();

  void publishProgress(Execution ex, Progress p);

  void writeStatus(Execution ex, JobState state, JobError error);
}
