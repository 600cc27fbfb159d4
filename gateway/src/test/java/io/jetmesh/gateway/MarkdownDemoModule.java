package io.jetmesh.gateway;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.WorkerModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test stand-in for a converting worker, so the browser test can exercise the page's Markdown and table views
 * before the PDF worker is in this build: {@code demo.render.markdown} reads a Markdown file, reports progress per
 * line, and answers {@code markdown}, {@code text} and its pipe {@code tables} in the PDF worker's table shape.
 */
final class MarkdownDemoModule implements WorkerModule {
  /** namespaces.yaml entry of the stand-in service, appended to the bundled registry in the browser test. */
  static final String NAMESPACE_YAML = """

        demo:
          description: Markdown rendering stand-in (browser test only)
          stream: DEMO_TEST
          subject_prefix: demo.render
          worker_group: demo_render_workers
          operations: [markdown]
      """;

  @Override
  public String namespace() {
    return "demo";
  }

  @Override
  public void register(HandlerRegistry registry) {
    registry.handle("markdown", ctx -> {
      String md;
      try (InputStream in = ctx.openInput()) {
        md = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new JobException(ErrorCode.UNAVAILABLE, "cannot read input: " + e.getMessage(), e);
      }
      String[] lines = md.split("\n");
      long delay = ctx.options().path("line_ms").asLong(0);
      for (int i = 0; i < lines.length; i++) {
        ctx.checkCancelled();
        if (delay > 0) {
          try {
            Thread.sleep(delay);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException(ErrorCode.CANCELLED, "interrupted");
          }
        }
        ctx.progress(i + 1, lines.length, "lines", null);
      }
      ObjectNode out = Json.object();
      out.put("markdown", md);
      out.put("text", md.replaceAll("[#*|`]", ""));
      out.set("tables", tables(lines));
      return HandlerResult.of(out);
    });
  }

  private static ArrayNode tables(String[] lines) {
    ArrayNode tables = Json.mapper().createArrayNode();
    List<String[]> rows = new ArrayList<>();
    for (String raw : lines) {
      String l = raw.trim();
      if (l.startsWith("|")) {
        if (!l.matches("\\|[\\s:|-]+\\|?")) {
          String[] cells = l.replaceAll("^\\||\\|$", "").split("\\|");
          for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].trim();
          }
          rows.add(cells);
        }
      } else if (!rows.isEmpty()) {
        tables.add(table(rows));
        rows = new ArrayList<>();
      }
    }
    if (!rows.isEmpty()) {
      tables.add(table(rows));
    }
    return tables;
  }

  private static ObjectNode table(List<String[]> rows) {
    ObjectNode t = Json.object();
    int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    t.put("page_no", 1).put("num_rows", rows.size()).put("num_cols", cols);
    ArrayNode cells = t.putArray("cells");
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < rows.get(r).length; c++) {
        cells.addObject().put("row", r).put("col", c).put("row_span", 1).put("col_span", 1)
            .put("text", rows.get(r)[c]).put("column_header", r == 0).put("row_header", false);
      }
    }
    return t;
  }
}
