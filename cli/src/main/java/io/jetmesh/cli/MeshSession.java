package io.jetmesh.cli;

import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshException;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.WorkerStartException;
import io.jetmesh.runtime.cli.ConnectionOptions;
import java.io.IOException;
import java.io.PrintWriter;

/** A client for one command: of the configured mesh, or of an embedded one started (and stopped) for the command. */
final class MeshSession implements AutoCloseable {
  final MeshClient client;
  final EmbeddedMesh embedded;

  private MeshSession(MeshClient client, EmbeddedMesh embedded) {
    this.client = client;
    this.embedded = embedded;
  }

  /**
   * @param allowEmbedded start the embedded default when no server is configured
   */
  static MeshSession open(ConnectionOptions connection, boolean allowEmbedded, PrintWriter err)
      throws MeshException, IOException, WorkerStartException {
    if (!connection.serverConfigured() && allowEmbedded) {
      err.println("no --nats-url / NATS_URL: starting the embedded mesh (nats-server child process, all workers in-process)");
      err.flush();
      EmbeddedMesh mesh = EmbeddedMesh.builder().registry(connection.registry()).start();
      try {
        return new MeshSession(MeshClient.connect(mesh.options()), mesh);
      } catch (MeshException | RuntimeException e) {
        mesh.close();
        throw e;
      }
    }
    MeshOptions options = connection.toMeshOptions("jetmesh-cli");
    return new MeshSession(MeshClient.connect(options), null);
  }

  @Override
  public void close() {
    client.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
