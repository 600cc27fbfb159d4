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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * {@code image.process.classify}: the top labels of a classification model. Options: {@code model} (default: the
 * worker's first classify model), {@code top_k} (5), {@code page} (1), {@code max_pixels}. Output:
 * {@code {model, version, device, batch_size, labels: [{label, index, score}]}} with softmax scores.
 */
public final class ClassifyHandler implements JobHandler {
  private final ModelRegistry models;
  private final ImageLimits limits;

  public ClassifyHandler(ModelRegistry models, ImageLimits limits) {
    this.models = Objects.requireNonNull(models, "models == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    JobOptions opts = new JobOptions(ctx.options());
    ModelRegistry.Served served = ModelInput.model(models, opts, ModelSpec.Type.CLASSIFY);
    int topK = opts.integer("top_k", 5, 1, 1000);
    int page = opts.integer("page", 1, 1, Integer.MAX_VALUE) - 1;
    Inference inf = ModelInput.run(ctx, served, opts.limits(limits), page);
    float[] p = softmax(inf.values());
    List<String> labels = served.model().labels();
    ObjectNode out = Json.object();
    out.put("model", served.model().spec().name());
    out.put("version", served.model().spec().version());
    out.put("device", Devices.describe(served.model().device()));
    out.put("batch_size", inf.batchSize());
    ArrayNode arr = out.putArray("labels");
    IntStream.range(0, p.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> p[i]).reversed())
        .limit(topK)
        .forEach(i -> arr.addObject().put("label", labels.get(i)).put("index", i).put("score", p[i]));
    return HandlerResult.of(out);
  }

  static float[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      e[i] = Math.exp(logits[i] - max);
      sum += e[i];
    }
    float[] p = new float[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }
}
