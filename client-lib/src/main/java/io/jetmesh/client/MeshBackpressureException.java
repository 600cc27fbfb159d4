package io.jetmesh.client;

/**
 * The service's stream is full ({@code max_pending} jobs waiting): the job was not accepted. Retry later, or submit
 * through {@link MeshClient#batch(int)}, which bounds the jobs in flight.
 */
public class MeshBackpressureException extends MeshException {
  public MeshBackpressureException(String message, Throwable cause) {
    super(message, cause);
  }
}
