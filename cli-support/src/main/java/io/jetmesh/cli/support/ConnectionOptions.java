package io.jetmesh.cli.support;

import io.jetmesh.client.MeshOptions;
import picocli.CommandLine.Option;

/**
 * The connection settings of {@code jetmesh} and the workers: {@link NatsConnectionOptions} plus this client's
 * result routing token, {@code --client-id}. Each option falls back to its environment variable, which may also come
 * from a {@code .env} file in the working directory (or {@code JETMESH_ENV_FILE}); an explicit option wins.
 */
public final class ConnectionOptions extends NatsConnectionOptions {
  @Option(names = "--client-id", paramLabel = "ID",
      description = "Result routing token of this client (env JETMESH_CLIENT_ID; default: user name or random)")
  String clientId;

  @Override
  protected void customize(MeshOptions.Builder b) {
    if (clientId != null) {
      b.clientId(clientId);
    }
  }
}
