package io.jetmesh.client;

import io.jetmesh.protocol.ProgressEvent;

/** Receives progress events of one job while it runs, on a client dispatcher thread: return quickly. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = e -> {};

  void onProgress(ProgressEvent event);
}
