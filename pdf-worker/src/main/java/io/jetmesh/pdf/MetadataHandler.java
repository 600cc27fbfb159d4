package io.jetmesh.pdf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.PDEncryption;

/**
 * {@code pdf.docling.metadata}: page count, document information (title, author, subject, keywords, creator,
 * producer, creation and modification dates as ISO-8601), PDF version, encryption, and per page its size, rotation
 * and whether it has a text layer ({@code text_layer: false} in the options skips the per-page content scan).
 */
final class MetadataHandler implements JobHandler {
  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    PdfOptions opts = PdfOptions.from(ctx.options());
    boolean scanText = ctx.options().path("text_layer").asBoolean(true);
    ObjectNode out = Json.object();
    PdfDocuments.read(ctx.inputFile(), opts.password(), ctx.scratchDir(), doc -> {
      int n = doc.getNumberOfPages();
      out.put("page_count", n);
      out.put("pdf_version", String.valueOf(doc.getVersion()));
      PDDocumentInformation info = doc.getDocumentInformation();
      out.put("title", info.getTitle());
      out.put("author", info.getAuthor());
      out.put("subject", info.getSubject());
      out.put("keywords", info.getKeywords());
      out.put("creator", info.getCreator());
      out.put("producer", info.getProducer());
      out.put("creation_date", iso(info.getCreationDate()));
      out.put("modification_date", iso(info.getModificationDate()));
      ObjectNode enc = out.putObject("encryption");
      enc.put("encrypted", doc.isEncrypted());
      if (doc.isEncrypted()) {
        PDEncryption e = doc.getEncryption();
        enc.put("filter", e.getFilter());
        enc.put("version", e.getVersion());
        enc.put("key_length", e.getLength());
        enc.put("can_extract_content", doc.getCurrentAccessPermission().canExtractContent());
        enc.put("can_print", doc.getCurrentAccessPermission().canPrint());
      }
      ArrayNode pages = out.putArray("pages");
      int[] range = scanText ? PdfDocuments.pageRange(doc, opts) : new int[] {1, n};
      PageAnalyzer analyzer = new PageAnalyzer(doc, opts, null, null).stopWhenCancelled(ctx);
      int withText = 0;
      for (int p = range[0]; p <= range[1]; p++) {
        ctx.checkCancelled();
        ObjectNode po = pages.addObject();
        po.put("page_no", p);
        try {
          PDPage page = doc.getPage(p - 1);
          po.put("width", round(page.getCropBox().getWidth()));
          po.put("height", round(page.getCropBox().getHeight()));
          po.put("rotation", page.getRotation());
          if (scanText) {
            final int pageNo = p;
            int glyphs = PageGuard.run(pageNo, () -> analyzer.glyphCount(pageNo));
            po.put("has_text_layer", glyphs > 0);
            withText += glyphs > 0 ? 1 : 0;
          }
        } catch (PageGuard.PageFailure e) {
          po.put("error", e.getMessage());
        } catch (JobException e) {
          if (e.code() != io.jetmesh.protocol.ErrorCode.TOO_LARGE) {
            throw e;
          }
          po.put("error", e.getMessage());
        }
        if (scanText) {
          ctx.progress(p - range[0] + 1, range[1] - range[0] + 1, "pages", null);
        }
      }
      if (scanText) {
        out.put("pages_with_text_layer", withText);
      }
      return null;
    });
    return HandlerResult.of(out);
  }

  private static String iso(Calendar c) {
    return c == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(c.toInstant().atZone(c.getTimeZone().toZoneId()));
  }

  private static double round(float v) {
    return Math.round(v * 100.0) / 100.0;
  }
}
