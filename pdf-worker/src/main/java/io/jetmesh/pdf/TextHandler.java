package io.jetmesh.pdf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.pdf.docling.Para;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.util.List;

/**
 * {@code pdf.docling.text}: plain text per page in reading order, the fast path (one content-stream pass per page
 * with graphics ignored; no tables, pictures or OCR). Output: {@code pages: [{page_no, text}]}, {@code text} (pages
 * joined by form feeds), {@code page_count}, {@code warnings}.
 */
final class TextHandler implements JobHandler {
  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    PdfOptions opts = PdfOptions.from(ctx.options());
    ObjectNode out = Json.object();
    ArrayNode pages = out.putArray("pages");
    ArrayNode warnings = Json.mapper().createArrayNode();
    StringBuilder all = new StringBuilder();
    PdfDocuments.read(ctx.inputFile(), opts.password(), ctx.scratchDir(), doc -> {
      int[] range = PdfDocuments.pageRange(doc, opts);
      out.put("page_count", doc.getNumberOfPages());
      PageAnalyzer analyzer = new PageAnalyzer(doc, opts, null, null).stopWhenCancelled(ctx);
      int total = range[1] - range[0] + 1;
      int failed = 0;
      for (int p = range[0]; p <= range[1]; p++) {
        ctx.checkCancelled();
        final int pageNo = p;
        String text;
        try {
          List<Para> paras = PageGuard.run(pageNo, () -> analyzer.text(pageNo));
          StringBuilder sb = new StringBuilder();
          for (Para para : paras) {
            if (sb.length() > 0) {
              sb.append("\n\n");
            }
            sb.append(para.text());
          }
          text = sb.toString();
        } catch (PageGuard.PageFailure e) {
          failed++;
          warnings.add(e.getMessage());
          text = "";
        }
        pages.addObject().put("page_no", pageNo).put("text", text);
        if (p > range[0]) {
          all.append("\n\f");
        }
        all.append(text);
        ctx.progress(p - range[0] + 1, total, "pages", null);
      }
      if (failed == total) {
        throw JobException.invalidInput("damaged PDF: no page could be read (" + warnings.get(0).asText() + ")");
      }
      return null;
    });
    out.put("text", all.toString());
    out.set("warnings", warnings);
    return HandlerResult.of(out);
  }
}
