package io.jetmesh.image.bench;

import io.jetmesh.image.ImageWorkerModule;
import io.jetmesh.image.ImageWorkerOptions;
import io.jetmesh.image.TestEnvironment;
import io.jetmesh.image.TestImages;
import io.jetmesh.image.model.ModelRegistry;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batched vs unbatched model throughput on this machine's CPU, with the project's tiny models: {@code clients}
 * threads each send {@code perClient} pre-processed images through the model's {@link
 * io.jetmesh.worker.batch.DynamicBatcher}. Unbatched = max batch 1 (one forward pass per job, the way a worker
 * without batching serves concurrent jobs); batched = max batch 16, wait 2 ms. Run:
 *
 * <pre>
 * mvn -q -o [-Ppytorch] -pl image-worker -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/image-cp.txt -Dmdep.includeScope=test
 * java -cp image-worker/target/test-classes:image-worker/target/classes:$(cat /tmp/image-cp.txt) \
 *   -DDJL_CACHE_DIR=$HOME/.cache/jetmesh/djl io.jetmesh.image.bench.BatchingBenchmark [clients] [perClient] [rounds]
 * </pre>
 *
 * <p>With {@code -Dbench.medium.dir=DIR} (models from {@code make_tiny_models.py --bench-model DIR}) it also measures
 * a 224x224 CNN whose forward pass is compute-bound, with 1/20 of the items per client.
 */
public final class BatchingBenchmark {
  private BatchingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path models = Path.of("image-worker/src/test/resources/models");
    System.out.printf(Locale.ROOT, "clients=%d perClient=%d rounds=%d cores=%d%n", clients, perClient, rounds,
        Runtime.getRuntime().availableProcessors());
    System.out.println("wall = items per wall-clock second; cpu = items per CPU-second of this JVM (robust when other "
        + "processes share the cores)");
    System.out.println("model   engine       unbatched wall/cpu   batched wall/cpu   mean batch  wall ratio  cpu ratio"
        + "  (medians over rounds; cpu ratio per round)");
    List<String[]> rows = new ArrayList<>(List.of(new String[][] {
        {"colour", "colour.pt", "PyTorch", "32"}, {"colour", "colour.onnx", "OnnxRuntime", "32"},
        {"embed", "embed.pt", "PyTorch", "32"}, {"embed", "embed.onnx", "OnnxRuntime", "32"}}));
    String medium = System.getProperty("bench.medium.dir"); // made by make_tiny_models.py --bench-model DIR
    if (medium != null) {
      rows.add(new String[] {"medium", Path.of(medium, "medium.pt").toAbsolutePath().toString(), "PyTorch", "224"});
      rows.add(new String[] {"medium", Path.of(medium, "medium.onnx").toAbsolutePath().toString(), "OnnxRuntime", "224"});
    }
    // TorchScript rows need the PyTorch engine (the opt-in -Ppytorch build)
    rows.removeIf(m -> !ai.djl.engine.Engine.hasEngine(m[2]));
    for (String[] m : rows) {
      int items = m[3].equals("224") ? Math.max(1, perClient / 20) : perClient; // ~20x the work per image
      try (Setup unbatched = new Setup(models, m, 1, "0"); Setup batched = new Setup(models, m, 16, "2ms")) {
        // rounds alternate so both modes see the same background load (other JVMs share the cores)
        double[] uw = new double[rounds];
        double[] uc = new double[rounds];
        double[] bw = new double[rounds];
        double[] bc = new double[rounds];
        double[] rw = new double[rounds];
        double[] rc = new double[rounds];
        double meanBatch = 0;
        for (int i = 0; i < rounds; i++) {
          double[] u = unbatched.throughput(clients, items);
          double[] b = batched.throughput(clients, items);
          uw[i] = u[0];
          uc[i] = u[1];
          bw[i] = b[0];
          bc[i] = b[1];
          meanBatch += batched.meanBatch() / rounds;
          rw[i] = b[0] / u[0];
          rc[i] = b[1] / u[1];
        }
        StringBuilder ratios = new StringBuilder();
        for (double x : rc) {
          ratios.append(String.format(Locale.ROOT, "%.2f ", x));
        }
        System.out.printf(Locale.ROOT, "%-7s %-12s %7.0f / %-7.0f   %7.0f / %-7.0f %8.2f   %8.2fx  %8.2fx   (%s)%n", m[0],
            m[2], median(uw), median(uc), median(bw), median(bc), meanBatch, median(rw), median(rc), ratios.toString().trim());
      }
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** One model loaded behind a batcher with the given settings. */
  private static final class Setup implements AutoCloseable {
    private final ImageWorkerModule module;
    private final TestEnvironment env;
    private final ModelRegistry.Served served;
    private final List<float[]> inputs = new ArrayList<>();

    Setup(Path dir, String[] m, int maxBatch, String wait) throws Exception {
      String spec = m[0] + "=" + dir.resolve(m[1]).toAbsolutePath() + ",input-size=" + m[3]
          + (m[0].equals("colour") ? ",type=classify,labels=" + dir.resolve("colour-labels.txt").toAbsolutePath() : ",type=embed");
      ImageWorkerOptions opts = new ImageWorkerOptions(Map.of()).device("cpu").maxBatch(maxBatch).batchWait(wait).addModel(spec);
      env = new TestEnvironment(Files.createTempDirectory("bench-cache"));
      module = new ImageWorkerModule(opts);
      module.register(env);
      served = module.models().get(m[0]).orElseThrow();
      for (Color c : new Color[] {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE}) {
        inputs.add(served.model().preprocess(TestImages.solid(64, 48, c)));
      }
      for (int i = 0; i < (m[3].equals("224") ? 50 : 1000); i++) {
        served.batcher().call(inputs.get(i % inputs.size())); // warm-up (JIT, engine thread pools)
      }
    }

    double meanBatch() {
      return env.batchSizes.stream().mapToInt(Integer::intValue).average().orElse(0);
    }

    /** {items per wall-clock second, items per CPU-second of this process}. */
    double[] throughput(int clients, int perClient) throws InterruptedException {
      env.batchSizes.clear();
      CountDownLatch start = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(clients);
      AtomicLong failures = new AtomicLong();
      for (int c = 0; c < clients; c++) {
        int id = c;
        Thread t = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < perClient; i++) {
              served.batcher().call(inputs.get((id + i) % inputs.size()));
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          } finally {
            done.countDown();
          }
        });
        t.start();
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      start.countDown();
      done.await();
      double secs = (System.nanoTime() - t0) / 1e9;
      double cpuSecs = (os.getProcessCpuTime() - cpu0) / 1e9;
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " clients failed");
      }
      double items = clients * (double) perClient;
      return new double[] {items / secs, items / cpuSecs};
    }

    @Override
    public void close() {
      module.close();
    }
  }
}
