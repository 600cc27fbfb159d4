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
 */
public final class DiagModule implements WorkerModule {
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
      int bytes = ctx.options().path("output_bytes").asInt(0);
      if (bytes > 0) {
        out.put("padding", "x".repeat(bytes));
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
