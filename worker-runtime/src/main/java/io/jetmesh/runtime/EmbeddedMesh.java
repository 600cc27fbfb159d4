package io.jetmesh.runtime;

import io.jetmesh.client.Connections;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.worker.WorkerModule;
import io.nats.client.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a local nats-server child process (JetStream in a temp or given directory, free port,
 * random token), provisioned from namespaces.yaml, with a worker for every {@link WorkerModule} on the classpath
 * running in this process. What {@code jetmesh dev}, {@code jetmesh run} without {@code --nats-url}, and the tests
 * use. Uploads go to the NATS object store: no S3 needed.
 */
public final class EmbeddedMesh implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMesh.class);

  private final NatsServerProcess server;
  private final MeshOptions options;
  private final List<Worker> workers = new ArrayList<>();
  private final Path dir;
  private final boolean deleteDir;

  private EmbeddedMesh(Builder b) throws IOException, WorkerStartException {
    this.deleteDir = b.dir == null;
    this.dir = b.dir != null ? Files.createDirectories(b.dir) : Files.createTempDirectory("jetmesh-embedded");
    String token = UUID.randomUUID().toString().replace("-", "");
    this.server = NatsServerProcess.builder(dir.resolve("nats")).port(b.port).token(token).start();
    MeshRegistry registry = b.registry != null ? b.registry : MeshRegistry.resolve(null);
    this.options = MeshOptions.builder().servers(server.url()).token(token).registry(registry).build();
    try (Connection nc = Connections.connect(options, "jetmesh-provision", null)) {
      List<Provisioner.Change> changes = new Provisioner(nc, registry).provision();
      LOG.debug("embedded mesh provisioned: {}", changes);
    } catch (Provisioner.ProvisioningException e) {
      server.close();
      throw new IOException("cannot provision the embedded mesh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    try {
      for (WorkerModule module : b.modules != null ? b.modules : discoverModules()) {
        if (!b.namespaces.test(module.namespace())) {
          continue;
        }
        NamespaceSpec ns = registry.namespace(module.namespace()).orElse(null);
        if (ns == null) {
          LOG.warn("module {} has no namespaces.yaml entry; not started", module.namespace());
          continue;
        }
        int concurrency = b.concurrency > 0 ? b.concurrency
            : "diag".equals(ns.name()) ? 64 : Math.max(2, Runtime.getRuntime().availableProcessors());
        WorkerSettings ws = WorkerSettings.builder(options, ns)
            .concurrency(concurrency)
            .workerId(ns.name() + "-embedded")
            .scratchRoot(dir.resolve("scratch"))
            .cacheDir(b.cacheDir != null ? b.cacheDir : Path.of(System.getProperty("user.home"), ".cache", "jetmesh"))
            .drainTimeout(Duration.ofSeconds(10))
            .s3(b.s3 != null ? b.s3 : S3Settings.fromEnvironment(System.getenv()))
            .build();
        workers.add(Worker.start(ws, module));
      }
    } catch (WorkerStartException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Every {@link WorkerModule} on the classpath (ServiceLoader). */
  public static List<WorkerModule> discoverModules() {
    RuntimeDefaults.apply();
    List<WorkerModule> list = new ArrayList<>();
    ServiceLoader.load(WorkerModule.class).forEach(list::add);
    return list;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private Path dir;
    private int port;
    private int concurrency;
    private MeshRegistry registry;
    private List<WorkerModule> modules;
    private Predicate<String> namespaces = ns -> true;
    private Path cacheDir;
    private S3Settings s3;

    /** Where the JetStream store and scratch files go (default: a temp directory deleted on close). */
    public Builder dir(Path dir) { this.dir = dir; return this; }
    /** Client port (default: a free one). */
    public Builder port(int port) { this.port = port; return this; }
    /** Concurrency of each worker (default: cores, 64 for diag). */
    public Builder concurrency(int n) { this.concurrency = n; return this; }
    public Builder registry(MeshRegistry r) { this.registry = r; return this; }
    /** Run exactly these modules instead of the discovered ones. */
    public Builder modules(List<WorkerModule> modules) { this.modules = List.copyOf(modules); return this; }
    /** Start workers only for namespaces accepted by the filter. */
    public Builder namespaces(Predicate<String> filter) { this.namespaces = Objects.requireNonNull(filter); return this; }
    public Builder cacheDir(Path dir) { this.cacheDir = dir; return this; }
    public Builder s3(S3Settings s3) { this.s3 = s3; return this; }

    public EmbeddedMesh start() throws IOException, WorkerStartException {
      return new EmbeddedMesh(this);
    }
  }

  /** Options for clients of this mesh (URL and token). */
  public MeshOptions options() {
    return options;
  }

  public NatsServerProcess server() {
    return server;
  }

  public List<Worker> workers() {
    return List.copyOf(workers);
  }

  public String url() {
    return server.url();
  }

  public String token() {
    return server.token();
  }

  @Override
  public void close() {
    for (Worker w : workers) {
      w.drain(Duration.ofSeconds(5));
    }
    workers.clear();
    server.close();
    if (deleteDir) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // temp directory
      }
    }
  }
}
