package io.jetmesh.runtime.diag;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.WorkerModule;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The built-in {@code diag} service: operations with known behaviour for health checks, load tests
 * ({@code jetmesh bench}) and the runtime's own fault tests.
 *
 * <ul>
 *   <li>{@code noop}: answers {@code {"ok":true}} at once.</li>
 *   <li>{@code echo}: reads the input and answers its size, SHA-256 and the options.</li>
 *   <li>{@code sleep}: sleeps {@code ms} (default 1000), reporting progress; honours cancellation unless
 *       {@code ignore_cancel} is true (to test abandoned handlers).</li>
 *   <li>{@code fail}: fails with {@code code} (default INTERNAL), {@code message}; with {@code succeed_on_attempt}
 *       it succeeds from that delivery on; with {@code output_bytes} on success it answers a large output.</li>
 * </ul>
 *
 * <p>Bounded twice: namespaces.yaml's {@code option_limits} (1 MiB of {@code output_bytes} by default) and the hard
 * caps below. Production deployments run no diag worker, and the gateway refuses diag jobs of non-admin callers
 * unless its diagnostics are switched on.
 */
public final class DiagModule implements WorkerModule {
  /**
   * The largest {@code output_bytes} echo answers, whatever namespaces.yaml says: the diagnostic service is for
   * operators and must never let a caller fill the result store or the worker's heap.
   */
  public static final int MAX_OUTPUT_BYTES = 8 << 20;
  /** The longest {@code ms} sleep takes (the service's job_timeout usually ends it sooner). */
  public static final long MAX_SLEEP_MS = 10 * 60_000L;

  @Override
  public String namespace() {
    return "diag";
  }

  @Override
  public void register(HandlerRegistry registry) {
    registry.handle("noop", ctx -> HandlerResult.of(Json.object().put("ok", true)));
    registry.handle("echo", DiagModule::echo);
    registry.handle("sleep", DiagModule::sleep);
    registry.handle("fail", DiagModule::fail);
  }

  private static HandlerResult echo(JobContext ctx) throws JobException {
    try (InputStream in = ctx.openInput()) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long size = new DigestInputStream(in, sha).transferTo(java.io.OutputStream.nullOutputStream());
      ObjectNode out = Json.object();
      out.put("size", size);
      out.put("sha256", HexFormat.of().formatHex(sha.digest()));
      out.set("options", ctx.options());
      out.put("attempt", ctx.attempt());
      long bytes = ctx.options().path("output_bytes").asLong(0);
      if (bytes > MAX_OUTPUT_BYTES) {
        throw JobException.tooLarge("output_bytes " + bytes + " is above diag's limit of " + MAX_OUTPUT_BYTES);
      }
      if (bytes > 0) {
        out.put("padding", "x".repeat((int) bytes));
      }
      return HandlerResult.of(out);
    } catch (IOException e) {
      throw new JobException(ErrorCode.UNAVAILABLE, "cannot read input: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new JobException(ErrorCode.INTERNAL, e.getMessage(), e);
    }
  }

  private static HandlerResult sleep(JobContext ctx) throws JobException {
    long ms = ctx.options().path("ms").asLong(1000);
    if (ms < 0 || ms > MAX_SLEEP_MS) {
      throw ms < 0 ? JobException.invalidInput("ms must be >= 0: " + ms)
          : JobException.tooLarge("ms " + ms + " is above diag's limit of " + MAX_SLEEP_MS);
    }
    boolean ignoreCancel = ctx.options().path("ignore_cancel").asBoolean(false);
    long end = System.nanoTime() + ms * 1_000_000;
    long step = Math.max(1, Math.min(50, ms / 20));
    long done = 0;
    while (System.nanoTime() < end) {
      if (!ignoreCancel) {
        ctx.checkCancelled();
      }
      try {
        Thread.sleep(step);
      } catch (InterruptedException e) {
        if (!ignoreCancel) {
          Thread.currentThread().interrupt();
          ctx.checkCancelled();
          throw new JobException(ErrorCode.CANCELLED, "interrupted");
        }
      }
      done += step;
      ctx.progress(Math.min(done, ms), ms, "ms", null);
    }
    return HandlerResult.of(Json.object().put("slept_ms", ms).put("attempt", ctx.attempt()));
  }

  private static HandlerResult fail(JobContext ctx) throws JobException {
    int succeedOn = ctx.options().path("succeed_on_attempt").asInt(0);
    if (succeedOn > 0 && ctx.attempt() >= succeedOn) {
      return HandlerResult.of(Json.object().put("ok", true).put("attempt", ctx.attempt()));
    }
    ErrorCode code = ErrorCode.fromWire(ctx.options().path("code").asText("INTERNAL"));
    String message = ctx.options().path("message").asText("diag.fail asked to fail with " + code);
    if (ctx.options().path("throw_runtime").asBoolean(false)) {
      throw new IllegalStateException(message);
    }
    throw new JobException(code, message);
  }
}
