package io.jetmesh.runtime;

import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.NamespaceSpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Settings of one worker process (or one in-process worker of the embedded mesh). Build with {@link #builder}.
 *
 * @param mesh how to reach NATS, and the namespaces.yaml registry
 * @param namespace the service this worker serves
 * @param concurrency jobs run at once
 * @param prefetch jobs fetched ahead of free slots (held, heartbeated, not yet running)
 * @param workerId unique id shown in status, logs and {@code jetmesh workers}
 * @param httpPort port of /healthz, /readyz and /metrics; 0 = off
 * @param drainTimeout how long SIGTERM waits for running jobs before handing them back
 * @param scratchRoot per-job scratch directories go below this
 * @param cacheDir modules' persistent cache (models, natives)
 * @param s3 S3 access for {@code s3://} inputs
 * @param allowFileInputs accept {@code file:} input references (local development only: it lets a job read any
 *     file the worker can)
 */
public record WorkerSettings(
    MeshOptions mesh,
    NamespaceSpec namespace,
    int concurrency,
    int prefetch,
    String workerId,
    int httpPort,
    Duration drainTimeout,
    Path scratchRoot,
    Path cacheDir,
    S3Settings s3,
    boolean allowFileInputs) {

  public WorkerSettings {
    Objects.requireNonNull(mesh, "mesh == null");
    Objects.requireNonNull(namespace, "namespace == null");
    if (concurrency < 1 || concurrency > 1024) {
      throw new IllegalArgumentException("concurrency must be 1..1024: " + concurrency);
    }
    if (prefetch < 0 || prefetch > 4096) {
      throw new IllegalArgumentException("prefetch must be 0..4096: " + prefetch);
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort must be 0..65535: " + httpPort);
    }
    Objects.requireNonNull(workerId, "workerId == null");
    Objects.requireNonNull(drainTimeout, "drainTimeout == null");
    Objects.requireNonNull(scratchRoot, "scratchRoot == null");
    Objects.requireNonNull(cacheDir, "cacheDir == null");
    Objects.requireNonNull(s3, "s3 == null");
  }

  public static Builder builder(MeshOptions mesh, NamespaceSpec namespace) {
    return new Builder(mesh, namespace);
  }

  /** {@code <namespace>-<host>-<4 random hex>}: unique across restarts, readable in listings. */
  public static String defaultWorkerId(String namespace) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9_-]", "-");
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    return namespace + "-" + host + "-" + UUID.randomUUID().toString().substring(0, 4);
  }

  public static final class Builder {
    private final MeshOptions mesh;
    private final NamespaceSpec namespace;
    private int concurrency = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Integer prefetch;
    private String workerId;
    private int httpPort;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Path scratchRoot = Path.of(System.getProperty("java.io.tmpdir"), "jetmesh-scratch");
    private Path cacheDir = Path.of(System.getProperty("user.home"), ".cache", "jetmesh");
    private S3Settings s3 = S3Settings.fromEnvironment(System.getenv());
    private boolean allowFileInputs;

    private Builder(MeshOptions mesh, NamespaceSpec namespace) {
      this.mesh = mesh;
      this.namespace = namespace;
    }

    public Builder concurrency(int n) { this.concurrency = n; return this; }
    public Builder prefetch(int n) { this.prefetch = n; return this; }
    public Builder workerId(String id) { this.workerId = id; return this; }
    public Builder httpPort(int port) { this.httpPort = port; return this; }
    public Builder drainTimeout(Duration d) { this.drainTimeout = d; return this; }
    public Builder scratchRoot(Path p) { this.scratchRoot = p; return this; }
    public Builder cacheDir(Path p) { this.cacheDir = p; return this; }
    public Builder s3(S3Settings s) { this.s3 = s; return this; }
    public Builder allowFileInputs(boolean allow) { this.allowFileInputs = allow; return this; }

    public WorkerSettings build() {
      return new WorkerSettings(mesh, namespace, concurrency, prefetch != null ? prefetch : concurrency,
          workerId != null ? workerId : defaultWorkerId(namespace.name()), httpPort, drainTimeout, scratchRoot,
          cacheDir, s3, allowFileInputs);
    }
  }
}
