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
 *   -DDJL_CACHE_DIR=$HOME/.cache/jetmesh/djl io.jetmesh.image.bench.BatchingBenchmark [clients] [perClient]
 * </pre>
 */
public final class BatchingBenchmark {
  private BatchingBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path models = Path.of("image-worker/src/test/resources/models");
    System.out.printf(Locale.ROOT, "clients=%d perClient=%d cores=%d%n", clients, perClient,
        Runtime.getRuntime().availableProcessors());
    System.out.println("model        engine       batching                 items/s   mean batch");
    for (String[] m : new String[][] {
        {"colour", "colour.pt", "PyTorch"}, {"colour", "colour.onnx", "OnnxRuntime"},
        {"embed", "embed.pt", "PyTorch"}, {"embed", "embed.onnx", "OnnxRuntime"}}) {
      double unbatched = run(models, m, 1, "0", clients, perClient);
      double batched = run(models, m, 16, "2ms", clients, perClient);
      System.out.printf(Locale.ROOT, "%-12s %-12s ratio batched/unbatched = %.2fx%n", m[0], m[2], batched / unbatched);
    }
  }

  private static double run(Path dir, String[] m, int maxBatch, String wait, int clients, int perClient) throws Exception {
    String spec = m[0] + "=" + dir.resolve(m[1]).toAbsolutePath() + ",input-size=32"
        + (m[0].equals("colour") ? ",type=classify,labels=" + dir.resolve("colour-labels.txt").toAbsolutePath() : ",type=embed");
    ImageWorkerOptions opts = new ImageWorkerOptions(Map.of()).device("cpu").maxBatch(maxBatch).batchWait(wait).addModel(spec);
    TestEnvironment env = new TestEnvironment(Files.createTempDirectory("bench-cache"));
    try (ImageWorkerModule module = new ImageWorkerModule(opts)) {
      module.register(env);
      ModelRegistry.Served served = module.models().get(m[0]).orElseThrow();
      List<float[]> inputs = new ArrayList<>();
      Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE};
      for (Color c : colours) {
        inputs.add(served.model().preprocess(TestImages.solid(64, 48, c)));
      }
      // warm-up
      for (int i = 0; i < 1000; i++) {
        served.batcher().call(inputs.get(i % inputs.size()));
      }
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
      double rate = clients * (double) perClient / secs;
      double meanBatch = env.batchSizes.stream().mapToInt(Integer::intValue).average().orElse(0);
      System.out.printf(Locale.ROOT, "%-12s %-12s max %2d wait %-5s      %9.0f   %5.2f%s%n", m[0], m[2], maxBatch, wait,
          rate, meanBatch, failures.get() > 0 ? "  FAILURES " + failures.get() : "");
      return rate;
    }
  }
}
