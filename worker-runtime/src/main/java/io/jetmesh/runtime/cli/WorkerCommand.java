package io.jetmesh.runtime.cli;

import io.jetmesh.cli.support.CliLogging;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import io.jetmesh.cli.support.StopOnSignal;
import io.jetmesh.cli.support.HelpLayout;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Units;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.WorkerStartException;
import io.jetmesh.worker.WorkerModule;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs one worker in the foreground until SIGTERM/SIGINT, then drains gracefully. The same command is
 * {@code pdf-worker ...} (a worker jar's launcher) and {@code jetmesh worker pdf ...} (from a checkout).
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a worker of one service until stopped.",
        "SIGTERM drains: no new jobs, running jobs finish up to --drain-timeout, the rest are handed back."},
    footer = {"%nEvery option also reads its environment variable (NATS_URL, JETMESH_CONCURRENCY, ...), also from",
        "a .env file in the working directory.", ExitCodes.HELP})
public final class WorkerCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(names = "--concurrency", paramLabel = "N", description = "Jobs run at once (env JETMESH_CONCURRENCY; default: cores)")
  Integer concurrency;

  @Option(names = "--prefetch", paramLabel = "N", description = "Jobs held ahead of free slots (env JETMESH_PREFETCH; default: = concurrency)")
  Integer prefetch;

  @Option(names = "--http-port", paramLabel = "PORT", description = "Port of /healthz, /readyz, /metrics; 0 = off (env JETMESH_HTTP_PORT)")
  Integer httpPort;

  @Option(names = "--worker-id", paramLabel = "ID", description = "Worker id (env JETMESH_WORKER_ID; default: <namespace>-<host>-<random>)")
  String workerId;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", description = "Graceful stop deadline, e.g. 60s (env JETMESH_DRAIN_TIMEOUT; default 30s)")
  String drainTimeout;

  @Option(names = "--scratch-dir", paramLabel = "DIR", description = "Per-job temp files (env JETMESH_SCRATCH_DIR; default: system temp)")
  Path scratchDir;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Model and native caches (env JETMESH_CACHE_DIR; default ~/.cache/jetmesh)")
  Path cacheDir;

  @Option(names = "--s3-endpoint", paramLabel = "URL", description = "S3-compatible endpoint for s3:// inputs (env JETMESH_S3_ENDPOINT; default AWS)")
  URI s3Endpoint;

  @Option(names = "--allow-file-inputs", description = "Accept file: input references (local development only)")
  boolean allowFileInputs;

  @Option(names = "--embedded", description = "Start a private embedded mesh (nats-server child process) instead of connecting")
  boolean embedded;

  private final WorkerModule module;

  public WorkerCommand(WorkerModule module) {
    this.module = module;
  }

  /** The command of one module, with the module's own options (e.g. --device, --model) so --help shows them. */
  public static CommandLine commandLine(WorkerModule module, String name) {
    WorkerCommand command = new WorkerCommand(module);
    CommandLine cl = new CommandLine(command);
    cl.setCommandName(name);
    Object opts = module.cliOptions();
    if (opts != null) {
      cl.addMixin(module.namespace() + "-options", opts);
    }
    cl.getCommandSpec().usageMessage().description("Run a worker of the '" + module.namespace()
        + "' service until stopped.", "SIGTERM drains: no new jobs, running jobs finish up to --drain-timeout, the rest"
        + " are handed back.");
    new ExitCodes().alsoUnavailable(WorkerStartException.class).install(cl);
    return HelpLayout.apply(cl);
  }

  /**
   * {@code worker <namespace> [options]}: one subcommand per module on the classpath, each with only its own module's
   * options (two modules may both define {@code --device}).
   */
  public static CommandLine groupCommandLine(List<WorkerModule> modules) {
    CommandLine group = new CommandLine(new Group());
    for (WorkerModule m : modules) {
      group.addSubcommand(m.namespace(), commandLine(m, m.namespace()));
    }
    new ExitCodes().alsoUnavailable(WorkerStartException.class).install(group);
    return HelpLayout.apply(group);
  }

  @Command(name = "worker", mixinStandardHelpOptions = true,
      description = {"Run a worker of one service until stopped: jetmesh worker <namespace> [options].",
          "SIGTERM drains: no new jobs, running jobs finish up to --drain-timeout, the rest are handed back."},
      footer = {ExitCodes.HELP})
  static final class Group implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      throw new CommandLine.ParameterException(spec.commandLine(), "name the service to serve: "
          + String.join(", ", spec.subcommands().keySet()));
    }
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = connection.environment();
    MeshOptions options;
    EmbeddedMesh mesh = null;
    if (embedded) {
      mesh = EmbeddedMesh.builder().modules(List.of()).start();
      options = mesh.options();
      spec.commandLine().getOut().printf("embedded mesh at %s (token %s)%n", mesh.url(), mesh.token());
    } else {
      options = connection.toMeshOptions("jetmesh-worker");
    }
    MeshRegistry registry = options.registry();
    NamespaceSpec ns = registry.require(module.namespace());
    WorkerSettings.Builder b = WorkerSettings.builder(options, ns);
    Integer conc = concurrency != null ? concurrency : intEnv(env, "JETMESH_CONCURRENCY");
    if (conc != null) {
      b.concurrency(conc);
    }
    Integer pre = prefetch != null ? prefetch : intEnv(env, "JETMESH_PREFETCH");
    if (pre != null) {
      b.prefetch(pre);
    }
    Integer port = httpPort != null ? httpPort : intEnv(env, "JETMESH_HTTP_PORT");
    if (port != null) {
      b.httpPort(port);
    }
    String wid = workerId != null ? workerId : env.get("JETMESH_WORKER_ID");
    if (wid != null && !wid.isBlank()) {
      b.workerId(wid);
    }
    String drain = drainTimeout != null ? drainTimeout : env.get("JETMESH_DRAIN_TIMEOUT");
    Duration drainDuration = drain != null && !drain.isBlank() ? Units.duration(drain, "--drain-timeout") : Duration.ofSeconds(30);
    b.drainTimeout(drainDuration);
    Path scratch = scratchDir != null ? scratchDir : pathEnv(env, "JETMESH_SCRATCH_DIR");
    if (scratch != null) {
      b.scratchRoot(scratch);
    }
    Path cache = cacheDir != null ? cacheDir : pathEnv(env, "JETMESH_CACHE_DIR");
    if (cache != null) {
      b.cacheDir(cache);
    }
    S3Settings s3 = S3Settings.fromEnvironment(env);
    if (s3Endpoint != null) {
      s3 = s3.withEndpoint(s3Endpoint, true);
    }
    b.s3(s3).allowFileInputs(allowFileInputs);
    WorkerSettings settings = b.build();
    EmbeddedMesh meshToClose = mesh;
    StopOnSignal<Worker> life = StopOnSignal.install("jetmesh-shutdown", w -> {
      w.drain(drainDuration);
      if (meshToClose != null) {
        meshToClose.close();
      }
    });
    Worker worker = life.start(() -> Worker.start(settings, module));
    spec.commandLine().getOut().printf("%s serving %s.* (health: %s)%n", settings.workerId(), ns.subjectPrefix(),
        worker.httpPort() > 0 ? "http://0.0.0.0:" + worker.httpPort() + "/healthz" : "off");
    spec.commandLine().getOut().flush();
    life.awaitStopped();
    return ExitCodes.OK;
  }

  private static Integer intEnv(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number: '" + v + "'");
    }
  }

  private static Path pathEnv(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }

  /**
   * Entry point of the worker jars ({@code pdf-worker}, {@code image-worker}, ...): a jar with one service module
   * serves it ({@code pdf-worker --nats-url ...}); with several, the first argument names the service.
   */
  public static void main(String[] args) {
    CliLogging.init(CliLogging.LONG_RUNNING); // before the first logger: logback.xml reads its levels
    io.jetmesh.runtime.RuntimeDefaults.apply();
    List<WorkerModule> modules = EmbeddedMesh.discoverModules();
    List<WorkerModule> services = modules.stream().filter(m -> !m.namespace().equals("diag")).toList();
    CommandLine cl = services.size() == 1 && (args.length == 0 || !args[0].equals("diag"))
        ? commandLine(services.get(0), services.get(0).namespace() + "-worker")
        : groupCommandLine(modules);
    System.exit(ExitCodes.execute(cl, args));
  }
}
