package io.jetmesh.client;

/** The server refused the credentials (wrong token, user, password, creds file) or the permissions. */
public class MeshAuthenticationException extends MeshException {
  public MeshAuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }
}
