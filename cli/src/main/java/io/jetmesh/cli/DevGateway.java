package io.jetmesh.cli;

import io.jetmesh.client.MeshOptions;
import io.jetmesh.runtime.EmbeddedMesh;
import java.io.PrintWriter;

/**
 * Starts the HTTP gateway for {@code jetmesh dev} when the gateway module is in this build, through its public
 * {@code io.jetmesh.gateway.Gateway.startDev(MeshOptions, int)} entry point (looked up reflectively so the CLI builds
 * without the gateway).
 */
final class DevGateway {
  private DevGateway() {}

  static AutoCloseable start(EmbeddedMesh mesh, int port, PrintWriter out) {
    try {
      Class<?> c = Class.forName("io.jetmesh.gateway.Gateway");
      Object gw = c.getMethod("startDev", MeshOptions.class, int.class).invoke(null, mesh.options(), port);
      int bound = (int) c.getMethod("port").invoke(gw);
      out.printf("  gateway: http://127.0.0.1:%d/ (auth off: development only)%n", bound);
      return (AutoCloseable) gw;
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      out.println("  gateway: not in this build");
      return null;
    } catch (ReflectiveOperationException e) {
      out.println("  gateway: failed to start: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
      return null;
    }
  }
}
