package io.jetmesh.image.handlers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.image.ImageLimits;
import io.jetmesh.image.decode.ImageSource;
import io.jetmesh.image.decode.Orientation;
import io.jetmesh.ocr.OcrBox;
import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrException;
import io.jetmesh.ocr.OcrLine;
import io.jetmesh.ocr.OcrPage;
import io.jetmesh.ocr.OcrRequest;
import io.jetmesh.ocr.OcrWord;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.JobContext;
import io.jetmesh.worker.JobException;
import io.jetmesh.worker.JobHandler;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code image.process.ocr}: text with lines, words, boxes and confidences, for every page of a multi-page TIFF.
 * Options: {@code engine} (worker default, e.g. tesseract|paddle), {@code lang} (eng; {@code eng+deu}),
 * {@code dpi} (300), {@code detect_orientation} (true: 90/180/270 corrected, reported as {@code rotation}),
 * {@code deskew} (false), {@code binarize} (false), {@code page} (only that page; default all pages up to the
 * limit), {@code words} (true: include word boxes), {@code max_pixels}/{@code max_pages}. Boxes are in pixels of
 * the upright page (EXIF orientation and detected rotation applied).
 */
public final class OcrHandler implements JobHandler {
  /** Gives the engine for a name; engines are created once and shared (they are thread-safe). */
  @FunctionalInterface
  public interface Engines {
    OcrEngine get(String name) throws JobException;
  }

  private final Engines engines;
  private final String defaultEngine;
  private final ImageLimits limits;

  public OcrHandler(Engines engines, String defaultEngine, ImageLimits limits) {
    this.engines = Objects.requireNonNull(engines, "engines == null");
    this.defaultEngine = Objects.requireNonNull(defaultEngine, "defaultEngine == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
  }

  @Override
  public HandlerResult handle(JobContext ctx) throws JobException {
    JobOptions opts = new JobOptions(ctx.options());
    String engineName = opts.string("engine", defaultEngine).toLowerCase(Locale.ROOT);
    OcrRequest request;
    try {
      request = new OcrRequest(opts.string("lang", "eng"), opts.integer("dpi", 300, 50, 1200),
          opts.bool("detect_orientation", true), opts.bool("deskew", false), opts.bool("binarize", false));
    } catch (IllegalArgumentException e) {
      throw JobException.invalidInput(e.getMessage());
    }
    boolean words = opts.bool("words", true);
    Integer onlyPage = opts.has("page") ? opts.integer("page", 1, 1, Integer.MAX_VALUE) - 1 : null;
    OcrEngine engine = engines.get(engineName);

    Path file = ctx.inputFile();
    ObjectNode out = Json.object();
    out.put("engine", engine.name());
    out.put("lang", request.languages());
    StringBuilder all = new StringBuilder();
    ArrayNode pagesOut = out.putArray("pages");
    try (ImageSource src = ImageSource.open(file, opts.limits(limits))) {
      int pageCount = src.pageCount();
      if (onlyPage == null) {
        src.requirePagesWithinLimit();
      } else if (onlyPage >= pageCount) {
        throw JobException.invalidInput("option page is " + (onlyPage + 1) + " but the " + src.format() + " file has "
            + pageCount + " page(s)");
      }
      int first = onlyPage == null ? 0 : onlyPage;
      int last = onlyPage == null ? pageCount - 1 : onlyPage;
      int orientation = Orientation.read(file);
      out.put("format", src.format());
      out.put("page_count", pageCount);
      double confSum = 0;
      for (int p = first; p <= last; p++) {
        ctx.checkCancelled();
        BufferedImage img = src.read(p);
        if (p == 0) {
          img = Orientation.apply(img, orientation); // EXIF applies to the first image only
        }
        OcrPage page = recognize(engine, img, request, p);
        confSum += page.confidence();
        pagesOut.add(pageJson(page, p + 1, words));
        if (all.length() > 0) {
          all.append("\n\f\n");
        }
        all.append(page.text());
        ctx.progress(p - first + 1, last - first + 1, "pages", "recognised page " + (p + 1));
      }
      out.put("text", all.toString());
      out.put("confidence", (float) (confSum / (last - first + 1)));
    }
    return HandlerResult.of(out);
  }

  private static OcrPage recognize(OcrEngine engine, BufferedImage img, OcrRequest request, int page) throws JobException {
    try {
      return engine.recognize(img, request);
    } catch (OcrException e) {
      String msg = "OCR of page " + (page + 1) + " with " + engine.name() + " failed: " + e.getMessage();
      ErrorCode code = switch (e.reason()) {
        case UNSUPPORTED -> ErrorCode.UNSUPPORTED;
        case INVALID_IMAGE -> ErrorCode.INVALID_INPUT;
        case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
        case ENGINE_FAILURE -> ErrorCode.INTERNAL;
      };
      throw new JobException(code, msg, e);
    }
  }

  private static ObjectNode pageJson(OcrPage page, int number, boolean words) {
    ObjectNode p = Json.object();
    p.put("page", number);
    p.put("width", page.width());
    p.put("height", page.height());
    p.put("rotation", page.rotation());
    p.put("confidence", page.confidence());
    p.put("text", page.text());
    ArrayNode lines = p.putArray("lines");
    for (OcrLine line : page.lines()) {
      ObjectNode l = lines.addObject();
      l.put("text", line.text());
      box(l, line.box());
      l.put("confidence", line.confidence());
      if (words) {
        ArrayNode ws = l.putArray("words");
        for (OcrWord w : line.words()) {
          ObjectNode wo = ws.addObject();
          wo.put("text", w.text());
          box(wo, w.box());
          wo.put("confidence", w.confidence());
        }
      }
    }
    return p;
  }

  private static void box(ObjectNode node, OcrBox b) {
    node.putObject("box").put("x", b.x()).put("y", b.y()).put("width", b.width()).put("height", b.height());
  }
}
