package io.jetmesh.cli;

import io.jetmesh.client.JobRequest;
import io.jetmesh.client.JobSubmission;
import io.jetmesh.protocol.Json;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Load-test a subject and print throughput and a latency histogram.",
        "Submits N jobs at a fixed concurrency (closed loop) or rate (open loop); latency is submit to result."},
    footer = {"%nExample: jetmesh bench diag.noop -n 20000 --concurrency 256", ExitCodes.HELP})
final class BenchCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "SUBJECT", defaultValue = "diag.noop", description = "Job subject (default: ${DEFAULT-VALUE})")
  String subject;

  @Option(names = {"-n", "--jobs"}, defaultValue = "10000", description = "Jobs to submit (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "128", description = "Jobs in flight (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--rate", paramLabel = "JOBS_PER_S", description = "Open loop: submit at this rate instead (still capped by --concurrency)")
  Double rate;

  @Option(names = "--warmup", defaultValue = "1000", description = "Warm-up jobs not measured (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--input", paramLabel = "URI", description = "Input reference (default: a small inline payload)")
  String input;

  @Option(names = "--options", paramLabel = "JSON", description = "Operation options")
  String options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CliArgs.jsonObject(spec, "--options", options);
    CliArgs.subject(spec, connection, subject);
    MeshSession.requireEmbeddedWorker(connection, subject);
    try (MeshSession session = MeshSession.forSubject(connection, true, subject, spec.commandLine().getErr())) {
      session.requireLiveWorker(subject);
      run(session, warmup, null);
      long[] latencies = new long[jobs];
      long start = System.nanoTime();
      int failed = run(session, jobs, latencies);
      double seconds = (System.nanoTime() - start) / 1e9;
      Arrays.sort(latencies);
      out.printf("%s: %d jobs in %.2fs = %.0f jobs/s (concurrency %d%s), %d failed%n", subject, jobs, seconds,
          jobs / seconds, concurrency, rate == null ? "" : String.format(", rate %.0f/s", rate), failed);
      out.printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n", pct(latencies, 50), pct(latencies, 90),
          pct(latencies, 99), pct(latencies, 99.9), latencies[latencies.length - 1] / 1e6);
      printHistogram(out, latencies);
      return failed == 0 ? ExitCodes.OK : ExitCodes.JOBS_FAILED;
    }
  }

  private int run(MeshSession session, int n, long[] latencies) throws InterruptedException {
    if (n <= 0) {
      return 0;
    }
    Semaphore inFlight = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger failed = new AtomicInteger();
    byte[] payload = "jetmesh bench".getBytes(StandardCharsets.UTF_8);
    long intervalNanos = rate == null ? 0 : (long) (1e9 / rate);
    long next = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (intervalNanos > 0) {
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      inFlight.acquire();
      JobRequest.Builder b = JobRequest.builder(subject).options(Json.objectOf(options));
      if (input != null) {
        b.input(input);
      } else {
        b.inline(payload, "bench.txt", "text/plain");
      }
      long t0 = System.nanoTime();
      int index = i;
      JobSubmission s = session.client.submit(b.build());
      s.result().whenComplete((r, e) -> {
        if (latencies != null) {
          latencies[index] = System.nanoTime() - t0;
        }
        if (e != null) {
          failed.incrementAndGet();
        }
        inFlight.release();
        done.countDown();
      });
    }
    done.await();
    return failed.get();
  }

  private static double pct(long[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
  }

  private static void printHistogram(PrintWriter out, long[] sorted) {
    double[] bounds = {0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, Double.MAX_VALUE};
    int j = 0;
    int[] counts = new int[bounds.length];
    for (long ns : sorted) {
      double ms = ns / 1e6;
      while (ms > bounds[j]) {
        j++;
      }
      counts[j]++;
    }
    int max = Arrays.stream(counts).max().orElse(1);
    for (int i = 0; i < bounds.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      String label = bounds[i] == Double.MAX_VALUE ? "   > 1000 ms" : String.format("<= %7.2f ms", bounds[i]);
      out.printf("  %s %7d %s%n", label, counts[i], "#".repeat(Math.max(1, counts[i] * 50 / max)));
    }
  }
}
