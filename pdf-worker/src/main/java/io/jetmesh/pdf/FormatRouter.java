package io.jetmesh.pdf;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.pdf.docling.DocNode;
import io.jetmesh.pdf.docling.DocTagsExporter;
import io.jetmesh.pdf.docling.DoclingJson;
import io.jetmesh.pdf.docling.DocumentModel;
import io.jetmesh.pdf.docling.Exporters;
import io.jetmesh.pdf.docling.HtmlExporter;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.FormatConverters;
import io.jetmesh.pdf.formats.FormatDetector;
import io.jetmesh.pdf.formats.FormatLimits;
import io.jetmesh.pdf.formats.InputFormat;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Routes every {@code pdf.docling.*} job by the input's detected type ({@link FormatDetector}): PDFs go to the PDF
 * handlers unchanged; the other served types go through {@link FormatConverters} into the same DoclingDocument
 * model and exports; a type nobody serves is answered {@code UNSUPPORTED} naming it. Which types each operation
 * takes is declared once, in {@link #INPUT_FORMATS}, and mirrored in {@code namespaces.yaml} (a test keeps the two
 * in step).
 */
final class FormatRouter implements JobHandler {
  /** The input types each operation takes. */
  static final Map<String, Set<InputFormat>> INPUT_FORMATS = Map.of(
      "convert", served(),
      "text", served(),
      "tables", served(),
      "metadata", served());

  private final String operation;
  private final JobHandler pdf;
  private final Supplier<OcrEngine> ocr;
  private final FormatLimits limits;

  private FormatRouter(String operation, JobHandler pdf, Supplier<OcrEngine> ocr, FormatLimits limits) {
    this.operation = operation;
    this.pdf = pdf;
    this.ocr = ocr;
    this.limits = limits;
  }

  /** {@code operation}'s handler: {@code pdf} for PDFs, the format converters for the rest. */
  static FormatRouter route(String operation, JobHandler pdf, Supplier<OcrEngine> ocr) {
    return new FormatRouter(operation, pdf, ocr, FormatLimits.DEFAULT);
  }

  private static Set<InputFormat> served() {
    return Set.copyOf(EnumSet.copyOf(InputFormat.servedFormats()));
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    Path file = ctx.inputFile();
    String filename = ConvertHandler.filename(ctx, file);
    Detection d;
    try {
      d = FormatDetector.detect(file, filename);
    } catch (IOException e) {
      throw JobException.notFound("cannot read the input file: " + e.getMessage());
    }
    if (d.format() == InputFormat.PDF) {
      return pdf.handle(ctx);
    }
    if (!INPUT_FORMATS.get(operation).contains(d.format())) {
      throw FormatConverters.unsupported(d, operation);
    }
    if (d.format() == InputFormat.UNKNOWN && d.evidence().equals("empty file")) {
      throw JobException.invalidInput("the input is empty (0 bytes): nothing to convert");
    }
    PdfOptions opts = PdfOptions.from(ctx.options());
    ConversionContext cx = ConversionContext.builder()
        .limits(limits.tightenedBy(ctx.options()))
        .ocr(ocr)
        .ocrEnabled(opts.ocrMode() != PdfOptions.OcrMode.OFF)
        .ocrLanguages(opts.ocrLanguages())
        .cancellation(ctx::checkCancelled)
        .build();
    FormatConverters.Result r = FormatConverters.convert(file, d, ConvertHandler.stem(ctx, file), filename,
        ConvertHandler.hash(file), cx);
    DocumentModel model = r.model();
    ObjectNode out = Json.object();
    switch (operation) {
      case "convert" -> {
        if (opts.formats().contains(PdfOptions.Format.JSON)) {
          out.set("document", DoclingJson.write(model));
        }
        if (opts.formats().contains(PdfOptions.Format.MD)) {
          out.put("markdown", Exporters.markdown(model));
        }
        if (opts.formats().contains(PdfOptions.Format.TEXT)) {
          out.put("text", Exporters.text(model));
        }
        otherExports(opts, model, out);
        out.put("pages", r.pageCount());
        out.put("page_count", r.pageCount());
        out.putArray("ocr_pages");
      }
      case "text" -> {
        String text = Exporters.text(model);
        out.putArray("pages").addObject().put("page_no", 1).put("text", text);
        out.put("text", text);
        out.put("page_count", r.pageCount());
      }
      case "tables" -> {
        ArrayNode tables = out.putArray("tables");
        for (Table t : tables(model)) {
          tables.add(TablesHandler.toJson(t));
        }
        out.put("page_count", r.pageCount());
      }
      default -> {
        out.put("page_count", r.pageCount());
        out.put("mimetype", d.mimetype());
        out.put("size_bytes", file.toFile().length());
      }
    }
    out.put("input_format", d.format().id());
    ArrayNode w = out.putArray("warnings");
    r.warnings().forEach(w::add);
    return HandlerResult.of(out);
  }

  /** The exports every input type shares beside md/json/text: {@code html} and {@code doctags}. */
  static void otherExports(PdfOptions opts, DocumentModel model, ObjectNode out) {
    if (opts.formats().contains(PdfOptions.Format.HTML)) {
      out.put("html", HtmlExporter.html(model));
    }
    if (opts.formats().contains(PdfOptions.Format.DOCTAGS)) {
      out.put("doctags", DocTagsExporter.doctags(model));
    }
  }

  /** The document's tables in reading order (tables nested in table cells are part of their cell). */
  static List<Table> tables(DocumentModel model) {
    List<Table> out = new ArrayList<>();
    for (DocNode n : model.body()) {
      collect(n, out);
    }
    return out;
  }

  private static void collect(DocNode n, List<Table> out) {
    if (n.kind() == DocNode.Kind.TABLE) {
      out.add(n.table());
    }
    for (DocNode c : n.children()) {
      collect(c, out);
    }
  }
}
