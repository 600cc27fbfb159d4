package io.jetmesh.pdf;

import io.jetmesh.ocr.OcrEngine;
import io.jetmesh.ocr.OcrException;
import io.jetmesh.ocr.OcrLine;
import io.jetmesh.ocr.OcrPage;
import io.jetmesh.ocr.OcrRequest;
import io.jetmesh.ocr.OcrWord;
import io.jetmesh.pdf.docling.PageResult;
import io.jetmesh.pdf.docling.Para;
import io.jetmesh.pdf.layout.LayoutAnalyzer;
import io.jetmesh.pdf.layout.LayoutElement;
import io.jetmesh.pdf.layout.PageCollector;
import io.jetmesh.pdf.layout.PageImage;
import io.jetmesh.pdf.layout.TextBlock;
import io.jetmesh.pdf.layout.TextContentReader;
import io.jetmesh.pdf.layout.Word;
import io.jetmesh.pdf.tables.PageContent;
import io.jetmesh.pdf.tables.PageWord;
import io.jetmesh.pdf.tables.Table;
import io.jetmesh.pdf.tables.TableExtractor;
import io.jetmesh.protocol.ErrorCode;
import io.jetmesh.worker.JobException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses one page at a time for one document: glyphs, rulings and images in one content-stream pass; OCR when the
 * page has no usable text layer (per {@link PdfOptions.OcrMode}); tables; pictures; reading order. Not thread-safe
 * (PDFBox documents are not); one instance per job.
 */
public final class PageAnalyzer {
  private static final Logger LOG = LoggerFactory.getLogger(PageAnalyzer.class);
  /** PDF's own limit on page sides (ISO 32000: 14,400 units). */
  static final float MAX_PAGE_SIDE = 14_400f;
  static final int OCR_DPI = 300;

  private final PDDocument doc;
  private final PdfOptions options;
  private final TableExtractor tables;
  private final OcrEngine ocr;
  private final PageCollector.FontCache fonts = new PageCollector.FontCache();
  private PDFRenderer renderer;
  private Runnable checkpoint;

  /**
   * @param tables null to skip table detection
   * @param ocr null when the worker has no OCR engine
   */
  public PageAnalyzer(PDDocument doc, PdfOptions options, TableExtractor tables, OcrEngine ocr) {
    this.doc = doc;
    this.options = options;
    this.tables = tables;
    this.ocr = ocr;
  }

  /** What one page yields: its result, the images drawn on it (for extraction) and any warning. */
  public record Outcome(PageResult result, List<PageImage> images, List<String> warnings) {}

  private PageCollector collector(PDPage page) {
    PageCollector c = new PageCollector(page, fonts);
    if (checkpoint != null) {
      c.setCheckpoint(checkpoint);
    }
    return c;
  }

  /** The lean text-only pass (see {@link TextContentReader}); the full pass stays on PDFBox's engine. */
  private TextContentReader textReader(PDPage page) {
    return new TextContentReader(page, fonts).setCheckpoint(checkpoint);
  }

  /**
   * Makes page processing check {@code ctx} for cancellation and the job's time limit every few thousand content
   * operators (not only between pages); a stop surfaces from {@link PageGuard#run} as the context's JobException.
   */
  public PageAnalyzer stopWhenCancelled(io.jetmesh.worker.JobContext ctx) {
    this.checkpoint = () -> {
      try {
        ctx.checkCancelled();
      } catch (JobException e) {
        throw new PageGuard.Stopped(e);
      }
    };
    return this;
  }

  PDPage page(int pageNo) throws JobException {
    PDPage page = doc.getPage(pageNo - 1);
    float w = page.getCropBox().getWidth();
    float h = page.getCropBox().getHeight();
    if (w > MAX_PAGE_SIDE || h > MAX_PAGE_SIDE || w * h <= 0 || Float.isNaN(w * h)) {
      throw JobException.tooLarge("page " + pageNo + " is " + Math.round(w) + " x " + Math.round(h)
          + " pt; PDF pages are limited to " + (int) MAX_PAGE_SIDE + " pt per side");
    }
    return page;
  }

  /** The fast path of the text operation: words and reading order only, no graphics, no tables, no OCR. */
  public List<Para> text(int pageNo) throws JobException, IOException {
    PDPage page = page(pageNo);
    List<Word> words = LayoutAnalyzer.words(textReader(page).read());
    List<Para> out = new ArrayList<>();
    for (LayoutElement e : LayoutAnalyzer.layout(words, List.of())) {
      if (e instanceof TextBlock b) {
        out.add(Para.of(b));
      }
    }
    return out;
  }

  /** Whether the page has any text in its content (for metadata). */
  public int glyphCount(int pageNo) throws JobException, IOException {
    return textReader(page(pageNo)).read().glyphCount();
  }

  /** Words and rulings of the page, as the table extractor sees them. */
  public PageContent content(int pageNo) throws JobException, IOException {
    PDPage page = page(pageNo);
    PageCollector c = collector(page).collect();
    List<Word> words = LayoutAnalyzer.words(c);
    return new PageContent(pageNo, c.geometry().width(), c.geometry().height(), pageWords(words), c.rulings(),
        c.graphics());
  }

  /**
   * A page after its content-stream pass: its words and graphics, and the rendered image when it needs OCR. OCR
   * ({@link #recognize(Prepared)}) may run on another thread; {@link #finish} completes the page.
   */
  public record Prepared(int pageNo, PageCollector collector, List<Word> words, List<String> warnings,
                         BufferedImage ocrImage) {
    public boolean needsOcr() {
      return ocrImage != null;
    }
  }

  /** Analyses a page completely in the calling thread. */
  public Outcome analyze(int pageNo) throws JobException, IOException {
    Prepared p = prepare(pageNo);
    return finish(p, p.needsOcr() ? recognize(p) : null);
  }

  /** Reads the page's content and, when the page needs OCR, renders it (PDFBox work: the job's thread only). */
  public Prepared prepare(int pageNo) throws JobException, IOException {
    PDPage page = page(pageNo);
    PageCollector c = collector(page).collect();
    List<String> warnings = new ArrayList<>();
    if (c.truncated()) {
      warnings.add("page " + pageNo + ": content exceeds the per-page limits; the rest was skipped");
    }
    float width = c.geometry().width();
    float height = c.geometry().height();
    List<Word> words = LayoutAnalyzer.words(c);
    BufferedImage image = null;
    if (needsOcr(words, c.images(), width, height)) {
      if (ocr == null) {
        if (options.ocrMode() == PdfOptions.OcrMode.FORCE) {
          throw JobException.unsupported("ocr_mode=force, but this worker has no OCR engine");
        }
        warnings.add("page " + pageNo + " has no usable text layer and this worker has no OCR engine");
      } else {
        checkPixels(pageNo, c.images(), width, height);
        if (renderer == null) {
          renderer = new PDFRenderer(doc);
        }
        image = renderer.renderImageWithDPI(pageNo - 1, OCR_DPI, ImageType.GRAY);
      }
    }
    return new Prepared(pageNo, c, words, warnings, image);
  }

  /** Recognises a prepared page's image; thread-safe (touches only the image and the pooled engine). */
  public OcrPage recognize(Prepared p) throws JobException {
    try {
      return ocr.recognize(p.ocrImage(), OcrRequest.DEFAULT.withLanguages(options.ocrLanguages()).withDpi(OCR_DPI));
    } catch (OcrException e) {
      String msg = "OCR of page " + p.pageNo() + " failed: " + e.getMessage();
      throw switch (e.reason()) {
        case UNSUPPORTED -> JobException.unsupported(msg);
        case INVALID_IMAGE -> JobException.invalidInput(msg);
        case UNAVAILABLE -> new JobException(ErrorCode.UNAVAILABLE, msg, e);
        default -> new JobException(ErrorCode.INTERNAL, msg, e);
      };
    }
  }

  /** Tables, pictures and reading order of a prepared page; {@code op} is its OCR result or null. */
  public Outcome finish(Prepared prepared, OcrPage op) {
    int pageNo = prepared.pageNo();
    PageCollector c = prepared.collector();
    List<String> warnings = new ArrayList<>(prepared.warnings());
    float width = c.geometry().width();
    float height = c.geometry().height();
    List<Word> words = prepared.words();
    List<PageImage> images = c.images();
    List<io.jetmesh.pdf.tables.Ruling> rulings = c.rulings();
    List<io.jetmesh.pdf.tables.Graphic> graphics = c.graphics();
    String source = words.isEmpty() ? "none" : "native";
    if (op != null) {
      float scale = 72f / OCR_DPI;
      words = ocrWords(op, scale);
      width = op.width() * scale;
      height = op.height() * scale;
      source = "ocr";
      rulings = List.of();
      graphics = List.of();
      images = List.of();
      if (op.rotation() != 0) {
        warnings.add("page " + pageNo + " was OCR'd rotated by " + op.rotation()
            + " degrees; its boxes refer to the upright page");
      }
    }
    List<Table> found = List.of();
    if (tables != null && !words.isEmpty()) {
      try {
        found = tables.extract(new PageContent(pageNo, width, height, pageWords(words), rulings, graphics));
      } catch (RuntimeException e) {
        LOG.warn("table detection failed on page {}: {}", pageNo, e.toString());
        warnings.add("page " + pageNo + ": table detection failed (" + e.getClass().getSimpleName() + ")");
      }
    }
    List<float[]> pics = pictureBoxes(images, found, width, height);
    // assign words: table words leave the flow, picture words become the picture's texts
    List<Word> flow = new ArrayList<>(words.size());
    List<List<Word>> picWords = new ArrayList<>();
    for (int i = 0; i < pics.size(); i++) {
      picWords.add(new ArrayList<>());
    }
    for (Word w : words) {
      float cx = (w.x0() + w.x1()) / 2f;
      float cy = (w.y0() + w.y1()) / 2f;
      if (insideAny(found, cx, cy)) {
        continue;
      }
      int p = pictureOf(pics, cx, cy);
      if (p >= 0) {
        picWords.get(p).add(w);
      } else {
        flow.add(w);
      }
    }
    List<LayoutElement.Anchor> anchors = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Table t = found.get(i);
      anchors.add(new LayoutElement.Anchor("table", i, t.x0(), t.y0(), t.x1(), t.y1()));
    }
    List<PageResult.Picture> pictures = new ArrayList<>();
    for (int i = 0; i < pics.size(); i++) {
      float[] b = pics.get(i);
      List<Word> pw = picWords.get(i);
      if (pw.size() > 80) {
        // a text-heavy image region is body text over a background, not a figure with labels
        flow.addAll(pw);
        pw = List.of();
      }
      List<Para> texts = new ArrayList<>();
      for (LayoutElement e : LayoutAnalyzer.layout(pw, List.of())) {
        if (e instanceof TextBlock tb) {
          texts.add(Para.of(tb));
        }
      }
      pictures.add(new PageResult.Picture(b[0], b[1], b[2], b[3], texts));
    }
    List<Object> seq = new ArrayList<>();
    for (LayoutElement e : LayoutAnalyzer.layout(flow, anchors)) {
      if (e instanceof TextBlock tb) {
        seq.add(Para.of(tb));
      } else if (e instanceof LayoutElement.Anchor a) {
        seq.add(new PageResult.Region(a.kind(), a.index()));
      }
    }
    for (int i = 0; i < pictures.size(); i++) {
      insertPicture(seq, i, pictures.get(i), found);
    }
    java.util.Map<Integer, Integer> charsBySize = new java.util.HashMap<>();
    for (Word w : words) {
      charsBySize.merge(Math.round(w.fontSize() * 2), w.text().length(), Integer::sum);
    }
    // only the boxes around text of the flow matter to its labels (and a ruled table's cells would be many)
    List<io.jetmesh.pdf.tables.Frame> frames = new ArrayList<>();
    for (io.jetmesh.pdf.tables.Frame f : io.jetmesh.pdf.tables.Frame.find(rulings, width, height)) {
      for (Object o : seq) {
        if (o instanceof Para q && f.contains(q.x0(), q.y0(), q.x1(), q.y1(), 1f)) {
          frames.add(f);
          break;
        }
      }
    }
    return new Outcome(new PageResult(pageNo, width, height, seq, found, pictures, source, charsBySize, frames),
        images, warnings);
  }

  /**
   * Pictures join the reading order after the last element above them that they overlap horizontally (they stay out
   * of the XY-cut: figures often straddle a column gutter with their white margins).
   */
  private static void insertPicture(List<Object> seq, int index, PageResult.Picture pic, List<Table> tables) {
    int after = -1;
    int before = -1;
    for (int k = 0; k < seq.size(); k++) {
      float[] b = box(seq.get(k), tables);
      if (b == null) {
        continue;
      }
      boolean xOverlap = Math.min(b[2], pic.x1()) - Math.max(b[0], pic.x0()) > 0;
      if (xOverlap && b[3] <= pic.y0() + 2f) {
        after = k;
      } else if (xOverlap && before < 0 && b[1] >= pic.y1() - 2f) {
        before = k;
      }
    }
    int at = after >= 0 ? after + 1 : before >= 0 ? before : seq.size();
    seq.add(at, new PageResult.Region("picture", index));
  }

  private static float[] box(Object o, List<Table> tables) {
    if (o instanceof Para p) {
      return new float[] {p.x0(), p.y0(), p.x1(), p.y1()};
    }
    if (o instanceof PageResult.Region r && "table".equals(r.kind())) {
      Table t = tables.get(r.index());
      return new float[] {t.x0(), t.y0(), t.x1(), t.y1()};
    }
    return null;
  }

  private boolean needsOcr(List<Word> words, List<PageImage> images, float w, float h) {
    switch (options.ocrMode()) {
      case OFF:
        return false;
      case FORCE:
        return true;
      default:
        break;
    }
    int chars = 0;
    int bad = 0;
    for (Word wd : words) {
      for (int i = 0; i < wd.text().length(); i++) {
        char ch = wd.text().charAt(i);
        chars++;
        if (ch == '\ufffd' || ch >= '\ue000' && ch <= '\uf8ff' || ch < 0x20) {
          bad++;
        }
      }
    }
    boolean imageArea = images.stream().anyMatch(im -> im.area() >= 0.1f * w * h);
    if (chars < 10) {
      return imageArea;
    }
    return bad > 0.3f * chars;
  }

  private void checkPixels(int pageNo, List<PageImage> images, float w, float h) throws JobException {
    for (PageImage im : images) {
      if (im.pixels() > options.maxImagePixels()) {
        throw JobException.tooLarge("page " + pageNo + " draws an image of " + im.pixelWidth() + " x "
            + im.pixelHeight() + " pixels, more than the limit of " + options.maxImagePixels() + " pixels");
      }
    }
    double px = (double) w * OCR_DPI / 72 * h * OCR_DPI / 72;
    if (px > options.maxImagePixels()) {
      throw JobException.tooLarge("page " + pageNo + " would render to " + (long) px + " pixels at " + OCR_DPI
          + " dpi for OCR, more than the limit of " + options.maxImagePixels());
    }
  }

  /**
   * OCR words as layout words. OCR knows no font sizes: a line's size is its box height, snapped to the page's median
   * line height when close to it, so ascenders and descenders do not look like changes of style between lines.
   */
  static List<Word> ocrWords(OcrPage page, float scale) {
    List<Word> out = new ArrayList<>();
    float[] heights = new float[page.lines().size()];
    int n = 0;
    for (OcrLine l : page.lines()) {
      heights[n++] = l.box().height() * scale;
    }
    java.util.Arrays.sort(heights, 0, n);
    float median = n == 0 ? 12f : heights[n / 2];
    for (OcrLine l : page.lines()) {
      float h = l.box().height() * scale;
      if (Math.abs(h - median) < 0.3f * median) {
        h = median;
      }
      float fs = Math.max(1f, h / 1.2f);
      float baseline = l.box().bottom() * scale - 0.2f * fs;
      for (OcrWord w : l.words()) {
        String t = w.text() == null ? "" : w.text().strip();
        if (t.isEmpty()) {
          continue;
        }
        float x0 = w.box().x() * scale;
        float y0 = w.box().y() * scale;
        float x1 = w.box().right() * scale;
        float y1 = w.box().bottom() * scale;
        out.add(new Word(t, x0, y0, x1, y1, x0, x1, baseline, fs, 0, false, false, false, false,
            containsRtl(t), "ocr"));
      }
    }
    return out;
  }

  private static boolean containsRtl(String s) {
    for (int i = 0; i < s.length(); i++) {
      byte d = Character.getDirectionality(s.charAt(i));
      if (d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
        return true;
      }
    }
    return false;
  }

  static List<PageWord> pageWords(List<Word> words) {
    List<PageWord> out = new ArrayList<>(words.size());
    for (Word w : words) {
      out.add(new PageWord(LayoutAnalyzer.normalize(w.text()), w.x0(), w.y0(), w.x1(), w.y1(), w.fontSize(),
          w.bold(), w.fontName(), w.dir()));
    }
    return out;
  }

  /** Picture regions: drawn images big enough to matter, merged where they touch, minus page backgrounds and tables. */
  static List<float[]> pictureBoxes(List<PageImage> images, List<Table> tables, float w, float h) {
    List<float[]> boxes = new ArrayList<>();
    float pageArea = w * h;
    for (PageImage im : images) {
      float bw = im.x1() - im.x0();
      float bh = im.y1() - im.y0();
      if (bw < 12f || bh < 12f || im.area() < pageArea * 0.004f || im.area() > pageArea * 0.85f) {
        continue;
      }
      boxes.add(new float[] {im.x0(), im.y0(), im.x1(), im.y1()});
    }
    boolean merged = true;
    while (merged) {
      merged = false;
      outer:
      for (int i = 0; i < boxes.size(); i++) {
        for (int j = i + 1; j < boxes.size(); j++) {
          float[] a = boxes.get(i);
          float[] b = boxes.get(j);
          if (shouldMerge(a, b)) {
            a[0] = Math.min(a[0], b[0]);
            a[1] = Math.min(a[1], b[1]);
            a[2] = Math.max(a[2], b[2]);
            a[3] = Math.max(a[3], b[3]);
            boxes.remove(j);
            merged = true;
            break outer;
          }
        }
      }
    }
    boxes.removeIf(b -> tables.stream().anyMatch(t -> overlap(b, t) > 0.5f * (b[2] - b[0]) * (b[3] - b[1])));
    boxes.sort((a, b) -> Float.compare(a[1], b[1]));
    return boxes;
  }

  /**
   * Parts of one figure: they overlap substantially, or they nearly touch and line up (side by side or stacked).
   * Figures in neighbouring columns often overlap by their white margins only, and must stay apart.
   */
  static boolean shouldMerge(float[] a, float[] b) {
    float ow = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    float oh = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    float areaA = (a[2] - a[0]) * (a[3] - a[1]);
    float areaB = (b[2] - b[0]) * (b[3] - b[1]);
    if (ow > 0 && oh > 0) {
      return ow * oh >= 0.25f * Math.min(areaA, areaB);
    }
    float gap = Math.max(-ow, -oh);
    if (gap > 12f) {
      return false;
    }
    if (ow > 0) { // stacked
      return ow >= 0.5f * Math.min(a[2] - a[0], b[2] - b[0]);
    }
    if (oh > 0) { // side by side
      return oh >= 0.5f * Math.min(a[3] - a[1], b[3] - b[1]);
    }
    return false;
  }

  private static float overlap(float[] b, Table t) {
    float ow = Math.min(b[2], t.x1()) - Math.max(b[0], t.x0());
    float oh = Math.min(b[3], t.y1()) - Math.max(b[1], t.y0());
    return ow > 0 && oh > 0 ? ow * oh : 0;
  }

  private static boolean insideAny(List<Table> tables, float x, float y) {
    for (Table t : tables) {
      if (x >= t.x0() - 1 && x <= t.x1() + 1 && y >= t.y0() - 1 && y <= t.y1() + 1) {
        return true;
      }
    }
    return false;
  }

  private static int pictureOf(List<float[]> pics, float x, float y) {
    for (int i = 0; i < pics.size(); i++) {
      float[] b = pics.get(i);
      if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) {
        return i;
      }
    }
    return -1;
  }
}
