package io.jetmesh.gateway;

import io.jetmesh.protocol.BlobRef;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.WorkerModule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A test service whose job stores one large artifact: {@code bigout.make} with option {@code bytes} writes that
 * many pseudo-random bytes (seed 42) as {@code big.bin}, so a test can download an output far larger than any it
 * would keep in memory.
 */
final class BigArtifactModule implements WorkerModule {
  static final String NAMESPACE_YAML = """

        bigout:
          description: Large artifact producer (gateway download test only)
          stream: BIGOUT_TEST
          subject_prefix: bigout
          worker_group: bigout_workers
          operations: [make]
          limits:
            job_timeout: 5m
      """;

  @Override
  public String namespace() {
    return "bigout";
  }

  @Override
  public void register(HandlerRegistry registry) {
    registry.handle("make", ctx -> {
      long bytes = ctx.options().path("bytes").asLong(1 << 20);
      Path file = ctx.scratchDir().resolve("big.bin");
      try (OutputStream out = Files.newOutputStream(file)) {
        Random rnd = new Random(42);
        byte[] buf = new byte[1 << 16];
        for (long left = bytes; left > 0; ) {
          rnd.nextBytes(buf);
          int n = (int) Math.min(buf.length, left);
          out.write(buf, 0, n);
          left -= n;
        }
      } catch (IOException e) {
        throw new JobException(ErrorCode.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
      }
      BlobRef ref = ctx.putArtifact("big.bin", file, "application/octet-stream");
      return HandlerResult.of(Json.object().put("bytes", bytes), Map.of("big.bin", ref));
    });
  }
}
