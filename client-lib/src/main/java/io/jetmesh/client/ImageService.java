package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/**
 * Images through the mesh's {@code image.process.*} service: OCR, thumbnails and format conversion (outputs in the
 * blob store, referenced from the result), metadata, and model inference. Futures complete as described on
 * {@link DocumentService}.
 */
public final class ImageService extends TypedService {
  public static final String OCR = "image.process.ocr";
  public static final String THUMBNAIL = "image.process.thumbnail";
  public static final String CONVERT = "image.process.convert";
  public static final String METADATA = "image.process.metadata";
  public static final String CLASSIFY = "image.process.classify";
  public static final String EMBED = "image.process.embed";

  public ImageService(MeshClient mesh) {
    super(mesh, false);
  }

  private ImageService(MeshClient mesh, boolean owned) {
    super(mesh, owned);
  }

  public static ImageService connect(MeshOptions options) throws MeshException {
    return new ImageService(MeshClient.connect(options), true);
  }

  /** OCR; options e.g. {@code {"engine":"tesseract","lang":"eng"}}. */
  public CompletableFuture<JsonNode> ocr(String inputUri, ObjectNode options) {
    return run(OCR, inputUri, options, null, null);
  }

  /** Thumbnail; options e.g. {@code {"width":256,"height":256,"fit":"fit","format":"jpeg"}}. */
  public CompletableFuture<JsonNode> thumbnail(String inputUri, ObjectNode options) {
    return run(THUMBNAIL, inputUri, options, null, null);
  }

  /** Format conversion / resize / crop; options e.g. {@code {"format":"png"}}. */
  public CompletableFuture<JsonNode> convert(String inputUri, ObjectNode options) {
    return run(CONVERT, inputUri, options, null, null);
  }

  public CompletableFuture<JsonNode> metadata(String inputUri) {
    return run(METADATA, inputUri, null, null, null);
  }

  /** Classification with a model configured on the workers; options e.g. {@code {"model":"colors","top_k":3}}. */
  public CompletableFuture<JsonNode> classify(String inputUri, ObjectNode options) {
    return run(CLASSIFY, inputUri, options, null, null);
  }

  public CompletableFuture<JsonNode> embed(String inputUri, ObjectNode options) {
    return run(EMBED, inputUri, options, null, null);
  }
}
