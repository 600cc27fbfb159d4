package io.jetmesh.client;

import java.io.IOException;

/**
 * The mesh could not be reached or did not answer: a transport failure, not a job failure. A job's own failure is a
 * {@link JobFailedException}.
 */
public class MeshException extends IOException {
  public MeshException(String message) {
    super(message);
  }

  public MeshException(String message, Throwable cause) {
    super(message, cause);
  }
}
