package io.jetmesh.runtime;

/** A worker could not start: bad settings, unreachable server, refused credentials, or an unprovisioned mesh. */
public class WorkerStartException extends Exception {
  public WorkerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
