package io.jetmesh.bench;

import io.jetmesh.client.Connections;
import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.runtime.NatsServerProcess;
import io.jetmesh.runtime.Provisioner;
import io.jetmesh.runtime.S3Settings;
import io.jetmesh.runtime.Worker;
import io.jetmesh.runtime.WorkerSettings;
import io.jetmesh.runtime.diag.DiagModule;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mesh's no-op job round trip and throughput, beside raw jnats request/reply in the same run, on a fresh
 * nats-server (file storage) per scenario. Every job must come back exactly once, or the run fails.
 *
 * <p>Run: {@code bench/mesh-bench.sh [--reps 3] [--lat-jobs 3000] [--jobs 30000]}. Report the ratios it prints;
 * absolute times move ±20 % between runs on a shared 2-core machine.
 */
public final class MeshBench {
  static final String REGISTRY = """
      version: 1
      mesh: { result_ttl: 1h, blob_ttl: 1h }
      namespaces:
        diag:
          stream: DIAGNOSTICS
          subject_prefix: diag
          worker_group: diag_workers
          operations: [noop, echo, sleep, fail]
          limits: { ack_wait: 30s, max_deliver: 3, backoff: [1s], max_ack_pending: 20000, max_pending: 1000000, job_timeout: 1m, max_age: 1h, duplicate_window: 2m }
      """;

  record Row(String scenario, double jobsPerSecond, double p50, double p90, double p99, double max) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("JETMESH_LOG_LEVEL", System.getProperty("JETMESH_LOG_LEVEL", "WARN"));
    int reps = intArg(args, "--reps", 3);
    int latJobs = intArg(args, "--lat-jobs", 3000);
    int jobs = intArg(args, "--jobs", 30000);
    int inflight = intArg(args, "--inflight", 2048);
    int concurrency = intArg(args, "--worker-concurrency", 256);
    List<Row> rows = new ArrayList<>();
    for (int rep = 1; rep <= reps; rep++) {
      System.err.printf("rep %d/%d%n", rep, reps);
      rows.add(coreLatency(latJobs));
      rows.add(meshLatency(latJobs, concurrency));
      if (flag(args, "--latency-only")) {
        continue;
      }
      rows.add(coreThroughput(jobs * 4, inflight));
      rows.add(meshThroughput(jobs, inflight, 1, concurrency, true));
      rows.add(meshThroughput(jobs, inflight, 2, concurrency, true));
      rows.add(meshThroughput(jobs, inflight, 1, concurrency, false));
      if (flag(args, "--worker-processes")) {
        rows.add(meshThroughputProcesses(jobs, inflight, 1, concurrency));
        rows.add(meshThroughputProcesses(jobs, inflight, 2, concurrency));
      }
    }
    print(rows);
  }

  // ----------------------------------------------------------------- scenarios

  static Row coreLatency(int n) throws Exception {
    try (Env env = Env.start()) {
      Connection server = env.connect("core-server");
      Dispatcher d = server.createDispatcher(m -> server.publish(m.getReplyTo(), m.getData()));
      d.subscribe("bench.core", "workers");
      server.flush(Duration.ofSeconds(2));
      Connection client = env.connect("core-client");
      byte[] body = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 500; i++) {
        client.request("bench.core", body, Duration.ofSeconds(5));
      }
      long[] lat = new long[n];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        Message m = client.request("bench.core", body, Duration.ofSeconds(5));
        if (m == null) {
          throw new IllegalStateException("core request timed out");
        }
        lat[i] = System.nanoTime() - s;
      }
      return row("core request/reply, one at a time", n, System.nanoTime() - t0, lat);
    }
  }

  static Row meshLatency(int n, int concurrency) throws Exception {
    try (Env env = Env.start(); Worker w = env.worker("diag-lat", concurrency); MeshClient client = env.client(true)) {
      for (int i = 0; i < 500; i++) {
        client.submit(noop()).result().get(30, TimeUnit.SECONDS);
      }
      long[] lat = new long[n];
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long s = System.nanoTime();
        client.submit(noop()).result().get(30, TimeUnit.SECONDS);
        lat[i] = System.nanoTime() - s;
      }
      return row("jetmesh no-op job, one at a time", n, System.nanoTime() - t0, lat);
    }
  }

  static Row coreThroughput(int n, int inflight) throws Exception {
    try (Env env = Env.start()) {
      Connection server = env.connect("core-server");
      Dispatcher d = server.createDispatcher(m -> server.publish(m.getReplyTo(), m.getData()));
      d.subscribe("bench.core", "workers");
      server.flush(Duration.ofSeconds(2));
      Connection client = env.connect("core-client");
      byte[] body = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
      Semaphore window = new Semaphore(inflight);
      CountDownLatch done = new CountDownLatch(n);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        window.acquire();
        CompletableFuture<Message> f = client.request("bench.core", body);
        f.whenComplete((m, e) -> {
          window.release();
          done.countDown();
        });
      }
      if (!done.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("core throughput run did not finish");
      }
      return new Row("core request/reply, " + inflight + " in flight", n / ((System.nanoTime() - t0) / 1e9), 0, 0, 0, 0);
    }
  }

  static Row meshThroughput(int n, int inflight, int workers, int concurrency, boolean trackStatus) throws Exception {
    try (Env env = Env.start()) {
      List<Worker> ws = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        ws.add(env.worker("diag-" + i, concurrency));
      }
      try (MeshClient client = env.client(trackStatus)) {
        double rate = drive(client, n, inflight);
        return new Row("jetmesh no-op jobs, " + workers + " worker" + (workers > 1 ? "s" : "") + ", " + inflight
            + " in flight" + (trackStatus ? "" : ", no status write"), rate, 0, 0, 0, 0);
      } finally {
        ws.forEach(Worker::close);
      }
    }
  }

  /** Like {@link #meshThroughput} with each worker in its own JVM (the real worker command), as deployed. */
  static Row meshThroughputProcesses(int n, int inflight, int workers, int concurrency) throws Exception {
    try (Env env = Env.start()) {
      Path yaml = Files.writeString(env.dir.resolve("namespaces.yaml"), REGISTRY);
      List<Process> procs = new ArrayList<>();
      try {
        for (int i = 0; i < workers; i++) {
          Path log = env.dir.resolve("worker-" + i + ".log");
          procs.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
              "-cp", System.getProperty("java.class.path"), "io.jetmesh.runtime.cli.WorkerCommand", "diag",
              "--nats-url", env.server.url(), "--token", "bench", "--namespaces", yaml.toString(),
              "--concurrency", String.valueOf(concurrency), "--worker-id", "diag-p" + i,
              "--scratch-dir", env.dir.resolve("scratch").toString())
              .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int i = 0; i < workers; i++) {
          Path log = env.dir.resolve("worker-" + i + ".log");
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (!(Files.exists(log) && Files.readString(log).contains("serving"))) {
            if (System.nanoTime() > deadline || !procs.get(i).isAlive()) {
              throw new IllegalStateException("worker process did not start: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(50);
          }
        }
        try (MeshClient client = env.client(true)) {
          double rate = drive(client, n, inflight);
          return new Row("jetmesh no-op jobs, " + workers + " worker process" + (workers > 1 ? "es" : "") + ", " + inflight
              + " in flight", rate, 0, 0, 0, 0);
        }
      } finally {
        for (Process p : procs) {
          p.destroy();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  /**
   * Warms up (2,000 jobs, then one awaited), then submits {@code n} no-op jobs with at most {@code inflight} waiting
   * and returns jobs/s from the first submit to the last result; fails unless every job succeeded.
   */
  static double drive(MeshClient client, int n, int inflight) throws Exception {
    for (int i = 0; i < 2000; i++) {
      client.submit(noop());
    }
    client.submit(noop()).result().get(60, TimeUnit.SECONDS);
    Thread.sleep(500);
    Semaphore window = new Semaphore(inflight);
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      window.acquire();
      client.submit(noop()).result().whenComplete((r, e) -> {
        if (e != null) {
          failed.incrementAndGet();
        }
        window.release();
        done.countDown();
      });
    }
    if (!done.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("mesh throughput run did not finish: " + done.getCount() + " jobs missing");
    }
    double rate = n / ((System.nanoTime() - t0) / 1e9);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " jobs failed");
    }
    return rate;
  }

  static boolean flag(String[] args, String name) {
    for (String a : args) {
      if (a.equals(name)) {
        return true;
      }
    }
    return false;
  }

  static JobRequest noop() {
    return JobRequest.builder("diag.noop").inline(new byte[0], null, null).build();
  }

  // ----------------------------------------------------------------- set-up

  /** A fresh nats-server (file storage) with the mesh provisioned. */
  static final class Env implements AutoCloseable {
    final Path dir;
    final NatsServerProcess server;
    final MeshOptions options;
    final List<Connection> connections = new ArrayList<>();

    private Env(Path dir, NatsServerProcess server, MeshOptions options) {
      this.dir = dir;
      this.server = server;
      this.options = options;
    }

    static Env start() throws Exception {
      Path dir = Files.createTempDirectory("jetmesh-bench");
      NatsServerProcess server = NatsServerProcess.builder(dir).token("bench").maxFileStore("8GB").start();
      MeshRegistry registry = MeshRegistry.parse(REGISTRY.getBytes(StandardCharsets.UTF_8), "bench");
      MeshOptions options = MeshOptions.builder().servers(server.url()).token("bench").registry(registry).build();
      try (Connection nc = Connections.connect(options, "bench-provision", null)) {
        new Provisioner(nc, registry).provision();
      }
      return new Env(dir, server, options);
    }

    Connection connect(String name) throws Exception {
      Connection c = Connections.connect(options, name, null);
      connections.add(c);
      return c;
    }

    Worker worker(String id, int concurrency) throws Exception {
      return Worker.start(WorkerSettings.builder(options, options.registry().require("diag")).workerId(id)
          .concurrency(concurrency).prefetch(concurrency).scratchRoot(dir.resolve("scratch")).cacheDir(dir.resolve("cache"))
          .s3(S3Settings.DEFAULTS).build(), new DiagModule());
    }

    MeshClient client(boolean trackStatus) throws Exception {
      return MeshClient.connect(options.newBuilder().trackQueuedStatus(trackStatus).build());
    }

    @Override
    public void close() throws Exception {
      for (Connection c : connections) {
        c.close();
      }
      server.close();
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ----------------------------------------------------------------- output

  static Row row(String name, int n, long totalNanos, long[] lat) {
    Arrays.sort(lat);
    return new Row(name, n / (totalNanos / 1e9), pct(lat, 50), pct(lat, 90), pct(lat, 99), lat[lat.length - 1] / 1e6);
  }

  static double pct(long[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, idx)] / 1e6;
  }

  static void print(List<Row> rows) {
    System.out.println("| scenario | runs | jobs/s median (min-max) | p50 ms | p90 ms | p99 ms | max ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    List<String> names = rows.stream().map(Row::scenario).distinct().toList();
    for (String name : names) {
      List<Row> rs = rows.stream().filter(r -> r.scenario().equals(name)).toList();
      double[] tput = rs.stream().mapToDouble(Row::jobsPerSecond).sorted().toArray();
      boolean lat = rs.get(0).p50() > 0;
      System.out.printf(Locale.ROOT, "| %s | %d | %.0f (%.0f-%.0f) | %s | %s | %s | %s |%n", name, rs.size(), median(tput), tput[0],
          tput[tput.length - 1], lat ? fmt(median(rs.stream().mapToDouble(Row::p50).sorted().toArray())) : "",
          lat ? fmt(median(rs.stream().mapToDouble(Row::p90).sorted().toArray())) : "",
          lat ? fmt(median(rs.stream().mapToDouble(Row::p99).sorted().toArray())) : "",
          lat ? fmt(median(rs.stream().mapToDouble(Row::max).sorted().toArray())) : "");
    }
    double meshLatP50 = medianOf(rows, "jetmesh no-op job, one at a time", Row::p50);
    double coreLatP50 = medianOf(rows, "core request/reply, one at a time", Row::p50);
    double meshLatP99 = medianOf(rows, "jetmesh no-op job, one at a time", Row::p99);
    double coreLatP99 = medianOf(rows, "core request/reply, one at a time", Row::p99);
    System.out.printf(Locale.ROOT, "%nratios: mesh/core latency p50 %.2fx, p99 %.2fx%n", meshLatP50 / coreLatP50, meshLatP99 / coreLatP99);
  }

  static double medianOf(List<Row> rows, String name, java.util.function.ToDoubleFunction<Row> f) {
    double[] v = rows.stream().filter(r -> r.scenario().equals(name)).mapToDouble(f).sorted().toArray();
    return v.length == 0 ? Double.NaN : median(v);
  }

  static double median(double[] sorted) {
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
