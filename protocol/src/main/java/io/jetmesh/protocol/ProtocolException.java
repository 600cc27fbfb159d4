package io.jetmesh.protocol;

/** A message on the wire does not follow the protocol (bad JSON, missing field, invalid id). */
public class ProtocolException extends RuntimeException {
  public ProtocolException(String message) {
    super(message);
  }

  public ProtocolException(String message, Throwable cause) {
    super(message, cause);
  }
}
