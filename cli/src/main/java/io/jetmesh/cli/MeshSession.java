package io.jetmesh.cli;

import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshException;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.WorkerStartException;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.worker.WorkerModule;
import io.nats.client.Connection;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A client for one command: of the configured mesh, or of an embedded one started (and stopped) for the command.
 * The embedded mesh starts only the workers of the namespaces the command uses ({@code convert} does not load the
 * text worker's models).
 */
final class MeshSession implements AutoCloseable {
  final MeshClient client;
  final EmbeddedMesh embedded;

  private MeshSession(MeshClient client, EmbeddedMesh embedded) {
    this.client = client;
    this.embedded = embedded;
  }

  /** A session whose embedded mesh (if any) runs every worker on the classpath ({@code demo}). */
  static MeshSession open(ConnectionOptions connection, boolean allowEmbedded, PrintWriter err)
      throws MeshException, IOException, WorkerStartException {
    return open(connection, allowEmbedded, ns -> true, err);
  }

  /** A session for jobs of {@code subject}: its embedded mesh runs only that namespace's worker. */
  static MeshSession forSubject(ConnectionOptions connection, boolean allowEmbedded, String subject, PrintWriter err)
      throws MeshException, IOException, WorkerStartException {
    String ns = connection.registry().requireSubject(subject).name();
    return open(connection, allowEmbedded, ns::equals, err);
  }

  /**
   * @param allowEmbedded start the embedded default when no server is configured
   * @param namespaces the namespaces whose workers the embedded mesh starts
   */
  static MeshSession open(ConnectionOptions connection, boolean allowEmbedded, Predicate<String> namespaces,
      PrintWriter err) throws MeshException, IOException, WorkerStartException {
    connection.validate();
    if (!connection.serverConfigured() && allowEmbedded) {
      err.println("no --nats-url / NATS_URL: starting the embedded mesh (nats-server child process, workers in-process)");
      err.flush();
      EmbeddedMesh mesh = EmbeddedMesh.builder().registry(connection.registry()).namespaces(namespaces).start();
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

  /**
   * Fails before anything starts when the embedded mesh would have no worker for {@code subject} (its namespace is
   * declared in namespaces.yaml but no module of this build serves it): the job would wait forever.
   */
  static void requireEmbeddedWorker(ConnectionOptions connection, String subject) throws MeshException {
    if (connection.serverConfigured()) {
      return;
    }
    NamespaceSpec ns = connection.registry().requireSubject(subject);
    Set<String> built = EmbeddedMesh.discoverModules().stream().map(WorkerModule::namespace)
        .collect(Collectors.toCollection(TreeSet::new));
    if (!built.contains(ns.name())) {
      throw new NoWorkerException(subject, ns, "the embedded mesh of this build has workers for "
          + String.join(", ", built) + " only");
    }
  }

  /**
   * Fails fast when no live worker of {@code subject}'s service answers the NATS service discovery ping: a job sent
   * there would wait in its stream until one starts. Only for commands that wait for the result.
   */
  void requireLiveWorker(String subject) throws MeshException {
    NamespaceSpec ns = client.options().registry().requireSubject(subject);
    if (embedded != null) {
      boolean served = embedded.workers().stream().anyMatch(w -> w.namespaceName().equals(ns.name()));
      if (!served) {
        throw new NoWorkerException(subject, ns, "the embedded mesh runs no worker for it");
      }
      return;
    }
    if (!liveWorkers(client.options(), ns)) {
      boolean built = EmbeddedMesh.discoverModules().stream().anyMatch(m -> m.namespace().equals(ns.name()));
      throw new NoWorkerException(subject, ns, "no live worker answered at " + client.options().describe() + "; "
          + (built ? "start one with 'jetmesh worker " + ns.name() + "'" : "this build has no worker for it")
          + ", or submit without --wait to queue the job until one runs");
    }
  }

  /**
   * False only when NATS answers definitively that nothing serves {@code ns}: the service discovery ping of its
   * workers ({@code $SRV.PING.jetmesh-<ns>}) gets the server's "no responders" status at once. A worker's answer, a
   * timeout or a ping this user may not send (least privilege) count as served: the job's time limit still holds.
   */
  static boolean liveWorkers(MeshOptions options, NamespaceSpec ns) {
    try (Connection nc = Connections.connect(options, "jetmesh-cli-discovery", null)) {
      nc.request("$SRV.PING." + Subjects.SERVICE_PREFIX + ns.name(), new byte[0]).get(2, TimeUnit.SECONDS);
      return true;
    } catch (CancellationException e) {
      return false; // jnats cancels a request the server answered with "no responders"
    } catch (TimeoutException | ExecutionException | MeshException | RuntimeException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** No worker serves the subject: named with its namespace, and what would serve it. */
  static final class NoWorkerException extends MeshException {
    NoWorkerException(String subject, NamespaceSpec ns, String detail) {
      super("no worker serves " + subject + ": namespace '" + ns.name() + "' (" + ns.description()
          + ") is declared in namespaces.yaml, but " + detail);
    }
  }

  @Override
  public void close() {
    client.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
