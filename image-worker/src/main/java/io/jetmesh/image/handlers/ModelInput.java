package io.jetmesh.image.handlers;

import io.jetmesh.image.ImageLimits;
import io.jetmesh.image.decode.ImageSource;
import io.jetmesh.image.decode.Orientation;
import io.jetmesh.image.model.Inference;
import io.jetmesh.image.model.ModelRegistry;
import io.jetmesh.image.model.ModelSpec;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** The common part of classify and embed: pick the model, decode and pre-process on the job's thread, run batched. */
final class ModelInput {
  private ModelInput() {}

  static ModelRegistry.Served model(ModelRegistry models, JobOptions opts, ModelSpec.Type type) throws JobException {
    String name = opts.string("model", null);
    String op = type == ModelSpec.Type.CLASSIFY ? "classify" : "embed";
    if (name == null) {
      return models.first(type).orElseThrow(() -> JobException.unsupported(
          "this worker has no " + op + " model; start it with --model name=FILE,type=" + op));
    }
    ModelRegistry.Served s = models.get(name).orElseThrow(() -> JobException.invalidInput(
        "no model named '" + name + "' on this worker (loaded: " + models.describe() + ")"));
    if (s.model().spec().type() != type) {
      throw JobException.invalidInput("model '" + name + "' is a " + s.model().spec().type().name().toLowerCase()
          + " model, not usable for " + op);
    }
    return s;
  }

  static Inference run(JobContext ctx, ModelRegistry.Served served, ImageLimits limits, int page) throws JobException {
    Path file = ctx.inputFile();
    float[] input;
    try (ImageSource src = ImageSource.open(file, limits)) {
      if (page > 0 && page >= src.pageCount()) {
        throw JobException.invalidInput("option page is " + (page + 1) + " but the file has " + src.pageCount() + " page(s)");
      }
      int s = served.model().spec().inputSize();
      // The model sees S x S pixels: decode large images subsampled to >= 2S on the short side.
      int sub = Math.max(1, Math.min(src.width(page), src.height(page)) / (2 * s));
      BufferedImage img = src.read(page, sub);
      if (page == 0) {
        img = Orientation.apply(img, Orientation.read(file));
      }
      input = served.model().preprocess(img);
    }
    ctx.checkCancelled();
    try {
      return served.batcher().call(input);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobException(ErrorCode.CANCELLED, "interrupted while waiting for the model");
    } catch (Exception e) {
      throw new JobException(ErrorCode.INTERNAL, "model " + served.model() + " failed: " + e.getMessage(), e);
    }
  }
}
