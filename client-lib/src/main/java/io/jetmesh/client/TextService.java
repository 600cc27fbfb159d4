package io.jetmesh.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Text analysis through the mesh's {@code text.analyze.*} service: structure-aware chunking, language detection,
 * embeddings and statistics. Inputs are references or small inline texts. Futures complete as described on
 * {@link DocumentService}.
 */
public final class TextService extends TypedService {
  public static final String CHUNK = "text.analyze.chunk";
  public static final String LANGUAGE = "text.analyze.language";
  public static final String EMBED = "text.analyze.embed";
  public static final String STATS = "text.analyze.stats";

  public TextService(MeshClient mesh) {
    super(mesh, false);
  }

  private TextService(MeshClient mesh, boolean owned) {
    super(mesh, owned);
  }

  public static TextService connect(MeshOptions options) throws MeshException {
    return new TextService(MeshClient.connect(options), true);
  }

  /** Chunks a referenced text, Markdown or DoclingDocument JSON; options e.g. {@code {"max_tokens":256}}. */
  public CompletableFuture<JsonNode> chunk(String inputUri, ObjectNode options) {
    return run(CHUNK, inputUri, options, null, null);
  }

  /** Runs an operation on a small inline text (bounded by the service's {@code max_inline_size}). */
  public CompletableFuture<JsonNode> analyze(String subject, String text, ObjectNode options) {
    return resolve(mesh.submit(JobRequest.builder(subject)
        .inline(text.getBytes(StandardCharsets.UTF_8), "input.txt", "text/plain; charset=utf-8").options(options).build()));
  }

  public CompletableFuture<JsonNode> language(String text) {
    return analyze(LANGUAGE, text, null);
  }

  public CompletableFuture<JsonNode> embed(String text, ObjectNode options) {
    return analyze(EMBED, text, options);
  }

  public CompletableFuture<JsonNode> stats(String text) {
    return analyze(STATS, text, null);
  }
}
