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
 * mvn -q -o -pl image-worker -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/image-cp.txt -Dmdep.includeScope=test
 * java -cp image-worker/target/test-classes:image-worker/target/classes:$(cat /tmp/image-cp.txt) \
 *   -DDJL_CACHE_DIR=$HOME/.cache/jetmesh/djl io.jetmesh.image.bench.BatchingBenchmark [clients] [perClient] [rounds]
 * </pre>
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
    System.out.println("model   engine       unbatched items/s (median)  batched items/s (median)  mean batch  "
        + "ratio per round -> median");
    for (String[] m : new String[][] {
        {"colour", "colour.pt", "PyTorch"}, {"colour", "colour.onnx", "OnnxRuntime"},
        {"embed", "embed.pt", "PyTorch"}, {"embed", "embed.onnx", "OnnxRuntime"}}) {
      try (Setup unbatched = new Setup(models, m, 1, "0"); Setup batched = new Setup(models, m, 16, "2ms")) {
        // rounds alternate so both modes see the same background load (other JVMs share the cores)
        double[] u = new double[rounds];
        double[] b = new double[rounds];
        double[] r = new double[rounds];
        double meanBatch = 0;
        for (int i = 0; i < rounds; i++) {
          u[i] = unbatched.throughput(clients, perClient);
          b[i] = batched.throughput(clients, perClient);
          meanBatch += batched.meanBatch() / rounds;
          r[i] = b[i] / u[i];
        }
        StringBuilder ratios = new StringBuilder();
        for (double x : r) {
          ratios.append(String.format(Locale.ROOT, "%.2f ", x));
        }
        System.out.printf(Locale.ROOT, "%-7s %-12s %10.0f %27.0f %21.2f   %s-> %.2fx%n", m[0], m[2], median(u),
            median(b), meanBatch, ratios, median(r));
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
      String spec = m[0] + "=" + dir.resolve(m[1]).toAbsolutePath() + ",input-size=32"
          + (m[0].equals("colour") ? ",type=classify,labels=" + dir.resolve("colour-labels.txt").toAbsolutePath() : ",type=embed");
      ImageWorkerOptions opts = new ImageWorkerOptions(Map.of()).device("cpu").maxBatch(maxBatch).batchWait(wait).addModel(spec);
      env = new TestEnvironment(Files.createTempDirectory("bench-cache"));
      module = new ImageWorkerModule(opts);
      module.register(env);
      served = module.models().get(m[0]).orElseThrow();
      for (Color c : new Color[] {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE}) {
        inputs.add(served.model().preprocess(TestImages.solid(64, 48, c)));
      }
      for (int i = 0; i < 1000; i++) {
        served.batcher().call(inputs.get(i % inputs.size())); // warm-up (JIT, engine thread pools)
      }
    }

    double meanBatch() {
      return env.batchSizes.stream().mapToInt(Integer::intValue).average().orElse(0);
    }

    double throughput(int clients, int perClient) throws InterruptedException {
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
      long t0 = System.nanoTime();
      start.countDown();
      done.await();
      double secs = (System.nanoTime() - t0) / 1e9;
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " clients failed");
      }
      return clients * (double) perClient / secs;
    }

    @Override
    public void close() {
      module.close();
    }
  }
}
