package io.jetmesh.image.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.image.ImageLimits;
import io.jetmesh.image.model.Devices;
import io.jetmesh.image.model.Inference;
import io.jetmesh.image.model.ModelRegistry;
import io.jetmesh.image.model.ModelSpec;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.Objects;

/**
 * {@code image.process.embed}: an L2-normalised embedding vector (cosine similarity = dot product). Options:
 * {@code model} (default: the worker's first embed model), {@code page}, {@code max_pixels}. Output:
 * {@code {model, version, device, batch_size, dimensions, vector: [...]}}.
 */
public final class EmbedHandler implements JobHandler {
  private final ModelRegistry models;
  private final ImageLimits limits;

  public EmbedHandler(ModelRegistry models, ImageLimits limits) {
    this.models = Objects.requireNonNull(models, "models == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    JobOptions opts = new JobOptions(ctx.options());
    ModelRegistry.Served served = ModelInput.model(models, opts, ModelSpec.Type.EMBED);
    int page = opts.integer("page", 1, 1, Integer.MAX_VALUE) - 1;
    Inference inf = ModelInput.run(ctx, served, opts.limits(limits), page);
    float[] v = normalise(inf.values());
    ObjectNode out = Json.object();
    out.put("model", served.model().spec().name());
    out.put("version", served.model().spec().version());
    out.put("device", Devices.describe(served.model().device()));
    out.put("batch_size", inf.batchSize());
    out.put("dimensions", v.length);
    ArrayNode arr = out.putArray("vector");
    for (float f : v) {
      arr.add(f);
    }
    return HandlerResult.of(out);
  }

  static float[] normalise(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    double norm = Math.sqrt(sum);
    float[] out = new float[v.length];
    if (norm == 0) {
      return out; // an all-zero output has no direction; returned as is rather than NaN
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
