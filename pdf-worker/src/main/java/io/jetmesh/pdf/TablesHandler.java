package io.jetmesh.pdf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.tables.PageContent;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableCell;
import io.jetmesh.pdf.tables.TableExtractor;
import io.jetmesh.pdf.tables.TableSettings;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.List;

/**
 * {@code pdf.docling.tables}: the tables only. Output: {@code tables: [{page_no, bbox (top-left origin), method,
 * num_rows, num_cols, cells: [{row, col, row_span, col_span, text, column_header, row_header, bbox}], grid (dense
 * text grid, spans repeated), csv}]}, {@code page_count}, {@code warnings}.
 */
final class TablesHandler implements JobHandler {
  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    PdfOptions opts = PdfOptions.from(ctx.options());
    TableExtractor extractor = new TableExtractor(new TableSettings(opts.tablesAccurate()));
    ObjectNode out = Json.object();
    ArrayNode tables = out.putArray("tables");
    ArrayNode warnings = Json.mapper().createArrayNode();
    PdfDocuments.read(ctx.inputFile(), opts.password(), ctx.scratchDir(), doc -> {
      int[] range = PdfDocuments.pageRange(doc, opts);
      out.put("page_count", doc.getNumberOfPages());
      PageAnalyzer analyzer = new PageAnalyzer(doc, opts, null, null).stopWhenCancelled(ctx);
      int total = range[1] - range[0] + 1;
      for (int p = range[0]; p <= range[1]; p++) {
        ctx.checkCancelled();
        final int pageNo = p;
        try {
          PageContent content = PageGuard.run(pageNo, () -> analyzer.content(pageNo));
          List<Table> found = extractor.extract(content);
          for (Table t : found) {
            tables.add(toJson(t));
          }
        } catch (PageGuard.PageFailure e) {
          warnings.add(e.getMessage());
        }
        ctx.progress(p - range[0] + 1, total, "pages", null);
      }
      return null;
    });
    out.set("warnings", warnings);
    return HandlerResult.of(out);
  }

  static ObjectNode toJson(Table t) {
    ObjectNode o = Json.object();
    o.put("page_no", t.pageNo());
    o.set("bbox", box(t.x0(), t.y0(), t.x1(), t.y1()));
    o.put("method", t.method());
    o.put("num_rows", t.numRows());
    o.put("num_cols", t.numCols());
    ArrayNode cells = o.putArray("cells");
    for (TableCell c : t.cells()) {
      ObjectNode cj = cells.addObject();
      cj.put("row", c.row()).put("col", c.col()).put("row_span", c.rowSpan()).put("col_span", c.colSpan());
      cj.put("text", c.text()).put("column_header", c.columnHeader()).put("row_header", c.rowHeader());
      cj.set("bbox", box(c.x0(), c.y0(), c.x1(), c.y1()));
    }
    ArrayNode grid = o.putArray("grid");
    for (String[] row : Exporters.denseGrid(t)) {
      ArrayNode r = grid.addArray();
      for (String s : row) {
        r.add(s);
      }
    }
    o.put("csv", Exporters.csv(t));
    return o;
  }

  private static ObjectNode box(float x0, float y0, float x1, float y1) {
    return Json.object().put("l", round(x0)).put("t", round(y0)).put("r", round(x1)).put("b", round(y1))
        .put("coord_origin", "TOPLEFT");
  }

  private static double round(float v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
