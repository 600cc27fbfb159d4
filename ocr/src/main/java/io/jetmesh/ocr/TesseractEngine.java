package io.jetmesh.ocr;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import net.sourceforge.tess4j.ITessAPI.TessBaseAPI;
import net.sourceforge.tess4j.ITessAPI.TessOcrEngineMode;
import net.sourceforge.tess4j.ITessAPI.TessPageIterator;
import net.sourceforge.tess4j.ITessAPI.TessPageIteratorLevel;
import net.sourceforge.tess4j.ITessAPI.TessPageSegMode;
import net.sourceforge.tess4j.ITessAPI.TessResultIterator;
import net.sourceforge.tess4j.TessAPI1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tesseract 5.5 through tess4j's direct JNA binding ({@link TessAPI1}), with native libraries from Maven Central
 * (see {@link TesseractNatives}).
 *
 * <p><b>Threads.</b> A native TessBaseAPI must never be used by two threads at once (that aborts the JVM), so the
 * engine keeps a bounded pool of {@link OcrSettings#poolSize()} sessions; a call takes one, waiting if all are busy.
 * A session keeps its initialised language models (up to {@value #LANGS_PER_SESSION} language sets) because
 * initialising eng costs about 100 ms.
 *
 * <p><b>Pipeline.</b> gray → enlarge small print (median glyph height below {@value #MIN_GLYPH_PX} px is scaled to
 * about {@value #TARGET_GLYPH_PX} px, since Tesseract's LSTM reads x-heights of 20–30 px best) → orientation (OSD;
 * when OSD is unsure, the rotation whose recognition has most confident characters) → optional deskew → recognise
 * (optional Sauvola binarisation inside Tesseract) → boxes mapped back to the upright input's pixel grid.
 */
public final class TesseractEngine implements OcrEngine {
  private static final Logger LOG = LoggerFactory.getLogger(TesseractEngine.class);
  static final int LANGS_PER_SESSION = 3;
  /**
   * Print whose median glyph is shorter than this is enlarged to {@link #TARGET_GLYPH_PX}. Measured on SROIE
   * receipts (CER, case-insensitive): no enlarging 0.275, target 26 px 0.184, 30 px 0.181, 34 px 0.152-0.161,
   * 40 px 0.206. 18 px keeps 9-point text at 300 dpi (glyphs about 21 px) at its size, so PDF pages are not slowed.
   */
  static final int MIN_GLYPH_PX = 18;
  static final int TARGET_GLYPH_PX = 34;
  static final double MAX_ENLARGE = 4;
  /** Automatic page segmentation: receipts scored 0.152 with it, 0.149 single-column (4), 0.158 single-block (6). */
  static final int PSM = TessPageSegMode.PSM_AUTO;
  /** OSD orientation confidence above which its answer is taken without a check (tesseract's own margin is 7). */
  static final float OSD_TRUSTED_CONFIDENCE = 2.0f;
  /** Glyph height OSD still reads reliably; pages with glyphs twice this size are halved for OSD. */
  static final int OSD_MIN_GLYPH_PX = 11;
  /** Largest image (after enlarging) handed to Tesseract, in pixels; bounds native memory (~ 6 bytes/pixel). */
  static final long MAX_PIXELS = 60_000_000L;
  private static final int MAX_SIDE = 32_000; // Tesseract rejects images with a side of 32767 or more

  private final OcrSettings settings;
  private final Tessdata tessdata;
  private final String version;
  private final BlockingQueue<Session> pool;
  private final List<Session> all = new ArrayList<>();
  private volatile boolean closed;

  TesseractEngine(OcrSettings settings) throws OcrException {
    this.settings = settings;
    this.version = TesseractNatives.ensureLoaded(settings.cacheDir());
    this.tessdata = new Tessdata(settings);
    this.pool = new ArrayBlockingQueue<>(settings.poolSize());
    for (int i = 0; i < settings.poolSize(); i++) {
      Session s = new Session(i);
      all.add(s);
      pool.add(s);
    }
    LOG.info("tesseract engine ready: version {}, pool {}, tessdata search path {}", version, settings.poolSize(),
        tessdata.searchPath());
  }

  @Override
  public String name() {
    return "tesseract";
  }

  /** Native tesseract version, e.g. {@code 5.5.2}. */
  public String version() {
    return version;
  }

  @Override
  public java.util.Map<String, String> info() {
    return java.util.Map.of("engine", name(), "version", version, "natives", "org.bytedeco " + TesseractNatives.BUILD,
        "languages", String.join("+", tessdata.available()), "device", "cpu");
  }

  @Override
  public OcrPage recognize(BufferedImage image, OcrRequest request) throws OcrException {
    if (closed) {
      throw new OcrException(OcrException.Reason.UNAVAILABLE, "tesseract engine is closed", null);
    }
    if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
      throw new OcrException(OcrException.Reason.INVALID_IMAGE, "empty image", null);
    }
    if (image.getWidth() > MAX_SIDE || image.getHeight() > MAX_SIDE
        || (long) image.getWidth() * image.getHeight() > MAX_PIXELS) {
      throw new OcrException(OcrException.Reason.INVALID_IMAGE, "image " + image.getWidth() + "x"
          + image.getHeight() + " exceeds Tesseract's limit (side < " + MAX_SIDE + ", " + MAX_PIXELS + " pixels)",
          null);
    }
    Path dataPath = tessdata.dataPathFor(request.languages());
    // without osd.traineddata orientation is still found, by comparing recognitions (slower)
    Path osdPath = request.detectOrientation() ? tessdata.dataPathOrNull("osd") : null;
    Session session = acquire();
    try {
      return run(session, image, request, dataPath, osdPath);
    } finally {
      release(session);
    }
  }

  private OcrPage run(Session s, BufferedImage image, OcrRequest req, Path dataPath, Path osdPath)
      throws OcrException {
    BufferedImage gray = ImageOps.toGray(image);
    double glyph = ImageOps.medianGlyphHeight(gray);
    double scale = enlargement(glyph, gray.getWidth(), gray.getHeight());
    BufferedImage work = ImageOps.scale(gray, scale);
    int dpi = (int) Math.round(Math.min(1200, req.dpi() * scale));
    TessBaseAPI api = s.api(dataPath, req.languages());

    int rotation = 0;
    Recognition best = null;
    if (req.detectOrientation()) {
      // OSD only needs the shapes of the glyphs: on large print it runs on a half-size copy (0.3 s saved per A4
      // page at 300 dpi; orientation is as reliable with 12 px glyphs)
      // (not on enlarged small print: there OSD needs every pixel it gets; measured on SROIE receipts)
      boolean halve = scale == 1 && glyph >= 2 * OSD_MIN_GLYPH_PX;
      BufferedImage osdImage = halve ? ImageOps.halve(work) : work;
      Osd osd = osdPath == null ? null : s.detectOrientation(osdPath, osdImage, halve ? dpi / 2 : dpi);
      LOG.debug("OSD: {}", osd);
      if (osd != null && osd.confidence() >= OSD_TRUSTED_CONFIDENCE) {
        rotation = osd.rotation();
      } else {
        // OSD unsure (little text, unusual fonts): keep upright if it reads well, else try the other rotations
        // (upright text reads at a mean confidence of 0.55-0.95 even on poor receipts, turned text at 0.3-0.45)
        best = recognizeAt(api, work, 0, req, dpi);
        for (int r : new int[] {180, 90, 270}) {
          if (best.meanConfidence() >= 0.5f && best.confidentChars() >= 20) {
            break;
          }
          Recognition c = recognizeAt(api, work, r, req, dpi);
          if (c.confidentChars() > 1.3 * best.confidentChars() + 5) {
            best = c;
          }
        }
        rotation = best.rotation();
        LOG.debug("OSD unsure ({}); chose rotation {} by recognition confidence", osd, rotation);
      }
    }
    if (best == null || best.rotation() != rotation) {
      best = recognizeAt(api, work, rotation, req, dpi);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}x{} scale {} rotation {} words {} conf {}", gray.getWidth(), gray.getHeight(),
          String.format("%.2f", scale), rotation, best.blocks().stream().mapToInt(b -> b.stream()
              .mapToInt(l -> l.words().size()).sum()).sum(), best.meanConfidence());
    }
    int uprightW = rotation % 180 == 0 ? gray.getWidth() : gray.getHeight();
    int uprightH = rotation % 180 == 0 ? gray.getHeight() : gray.getWidth();
    return best.toPage(uprightW, uprightH, scale);
  }

  /** Scale factor that brings small print to a size Tesseract reads well, capped by {@link #MAX_PIXELS}. */
  static double enlargement(BufferedImage gray) {
    return enlargement(ImageOps.medianGlyphHeight(gray), gray.getWidth(), gray.getHeight());
  }

  static double enlargement(double glyph, int width, int height) {
    if (glyph <= 0 || glyph >= MIN_GLYPH_PX) {
      return 1;
    }
    double f = Math.min(MAX_ENLARGE, TARGET_GLYPH_PX / glyph);
    double area = (double) width * height;
    f = Math.min(f, Math.sqrt(MAX_PIXELS / area));
    f = Math.min(f, (MAX_SIDE - 1.0) / Math.max(width, height));
    return f < 1.1 ? 1 : f;
  }

  private Recognition recognizeAt(TessBaseAPI api, BufferedImage work, int rotation, OcrRequest req, int dpi)
      throws OcrException {
    BufferedImage img = ImageOps.rotate(work, rotation);
    double skew = 0;
    if (req.deskew()) {
      skew = Deskew.angle(img);
      if (Math.abs(skew) >= 0.1) {
        img = ImageOps.rotateSmall(img, -skew);
      } else {
        skew = 0;
      }
    }
    int w = img.getWidth();
    int h = img.getHeight();
    ByteBuffer buf = ByteBuffer.allocateDirect(w * h);
    buf.put(ImageOps.pixels(img)).flip();
    TessAPI1.TessBaseAPISetPageSegMode(api, PSM);
    // 0 = Otsu (Tesseract's default), 2 = Sauvola (adaptive: uneven lighting, thermal receipts)
    TessAPI1.TessBaseAPISetVariable(api, "thresholding_method", req.binarize() ? "2" : "0");
    TessAPI1.TessBaseAPISetImage(api, buf, w, h, 1, w);
    TessAPI1.TessBaseAPISetSourceResolution(api, dpi);
    try {
      if (TessAPI1.TessBaseAPIRecognize(api, null) != 0) {
        throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "tesseract could not recognise the image "
            + w + "x" + h, null);
      }
      return collect(api, rotation, skew, w, h);
    } finally {
      TessAPI1.TessBaseAPIClear(api);
    }
  }

  /** Walks Tesseract's result words in reading order, grouping them into lines and blocks. */
  private static Recognition collect(TessBaseAPI api, int rotation, double skew, int w, int h) {
    List<List<RawLine>> blocks = new ArrayList<>();
    TessResultIterator ri = TessAPI1.TessBaseAPIGetIterator(api);
    if (ri == null) {
      return new Recognition(rotation, skew, w, h, blocks);
    }
    try {
      TessPageIterator pi = TessAPI1.TessResultIteratorGetPageIterator(ri);
      IntBuffer l = IntBuffer.allocate(1);
      IntBuffer t = IntBuffer.allocate(1);
      IntBuffer r = IntBuffer.allocate(1);
      IntBuffer b = IntBuffer.allocate(1);
      RawLine line = null;
      do {
        if (blocks.isEmpty() || TessAPI1.TessPageIteratorIsAtBeginningOf(pi, TessPageIteratorLevel.RIL_BLOCK) != 0) {
          blocks.add(new ArrayList<>());
          line = null;
        }
        if (line == null || TessAPI1.TessPageIteratorIsAtBeginningOf(pi, TessPageIteratorLevel.RIL_TEXTLINE) != 0) {
          line = new RawLine(new ArrayList<>());
          blocks.get(blocks.size() - 1).add(line);
        }
        Pointer p = TessAPI1.TessResultIteratorGetUTF8Text(ri, TessPageIteratorLevel.RIL_WORD);
        if (p == null) {
          continue;
        }
        String text;
        try {
          text = p.getString(0, "UTF-8").strip();
        } finally {
          TessAPI1.TessDeleteText(p);
        }
        if (text.isEmpty()) {
          continue;
        }
        float conf = TessAPI1.TessResultIteratorConfidence(ri, TessPageIteratorLevel.RIL_WORD) / 100f;
        TessAPI1.TessPageIteratorBoundingBox(pi, TessPageIteratorLevel.RIL_WORD, l, t, r, b);
        line.words().add(new RawWord(text, l.get(0), t.get(0), r.get(0), b.get(0),
            Math.max(0f, Math.min(1f, conf))));
      } while (TessAPI1.TessResultIteratorNext(ri, TessPageIteratorLevel.RIL_WORD) != 0);
    } finally {
      TessAPI1.TessResultIteratorDelete(ri);
    }
    blocks.forEach(bl -> bl.removeIf(ln -> ln.words().isEmpty()));
    blocks.removeIf(List::isEmpty);
    return new Recognition(rotation, skew, w, h, blocks);
  }

  private Session acquire() throws OcrException {
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OcrException(OcrException.Reason.UNAVAILABLE, "interrupted while waiting for a free tesseract "
          + "instance (pool " + settings.poolSize() + ", all busy)", e);
    }
  }

  private void release(Session s) {
    if (closed) {
      s.close();
    } else {
      pool.add(s);
    }
  }

  @Override
  public void close() {
    closed = true;
    List<Session> idle = new ArrayList<>();
    pool.drainTo(idle);
    idle.forEach(Session::close); // busy sessions close themselves when released
  }

  // ---------------------------------------------------------------------------------------------------------------

  record RawWord(String text, int left, int top, int right, int bottom, float confidence) {}

  record RawLine(List<RawWord> words) {}

  record Osd(int rotation, float confidence, String script) {}

  /** One recognition of the processed (scaled, rotated, deskewed) image, before mapping back. */
  record Recognition(int rotation, double skew, int width, int height, List<List<RawLine>> blocks) {
    float meanConfidence() {
      double sum = 0;
      int n = 0;
      for (List<RawLine> bl : blocks) {
        for (RawLine ln : bl) {
          for (RawWord w : ln.words()) {
            sum += w.confidence();
            n++;
          }
        }
      }
      return n == 0 ? 0 : (float) (sum / n);
    }

    /** Characters in words read with confidence ≥ 0.7: high for upright text, low for rotated or noise. */
    int confidentChars() {
      int c = 0;
      for (List<RawLine> bl : blocks) {
        for (RawLine ln : bl) {
          for (RawWord w : ln.words()) {
            // words read as vertical text (tesseract turns vertical lines itself) do not count: they say the
            // page is not upright at this rotation
            boolean horizontal = w.text().length() < 2 || w.right() - w.left() >= w.bottom() - w.top();
            if (horizontal && w.confidence() >= 0.7f && w.text().codePoints().anyMatch(Character::isLetterOrDigit)) {
              c += w.text().length();
            }
          }
        }
      }
      return c;
    }

    OcrPage toPage(int uprightW, int uprightH, double scale) {
      BoxMapper map = new BoxMapper(skew, width, height, scale, uprightW, uprightH);
      List<OcrLine> lines = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      double confSum = 0;
      int words = 0;
      for (List<RawLine> bl : blocks) {
        if (text.length() > 0) {
          text.append('\n');
        }
        for (RawLine ln : bl) {
          List<OcrWord> ws = new ArrayList<>();
          double lineConf = 0;
          for (RawWord w : ln.words()) {
            ws.add(new OcrWord(w.text(), map.map(w.left(), w.top(), w.right(), w.bottom()), w.confidence()));
            lineConf += w.confidence();
          }
          String lineText = String.join(" ", ws.stream().map(OcrWord::text).toList());
          lines.add(new OcrLine(lineText, OcrBox.union(ws.stream().map(OcrWord::box).toList()),
              (float) (lineConf / ws.size()), ws));
          text.append(lineText).append('\n');
          confSum += lineConf;
          words += ws.size();
        }
      }
      return new OcrPage(uprightW, uprightH, rotation, lines, text.toString().strip(),
          words == 0 ? 0f : (float) (confSum / words));
    }
  }

  /** Maps boxes from the processed image back to the upright, unscaled input grid. */
  record BoxMapper(double skew, int w, int h, double scale, int maxW, int maxH) {
    OcrBox map(int l, int t, int r, int b) {
      double x0 = l;
      double y0 = t;
      double x1 = r;
      double y1 = b;
      if (skew != 0) { // the processed image was rotated by -skew about its centre: rotate the corners back
        double a = Math.toRadians(skew);
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double cx = w / 2.0;
        double cy = h / 2.0;
        double[] xs = {l, r, r, l};
        double[] ys = {t, t, b, b};
        x0 = y0 = Double.MAX_VALUE;
        x1 = y1 = -Double.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
          double dx = xs[i] - cx;
          double dy = ys[i] - cy;
          double x = cx + dx * cos - dy * sin;
          double y = cy + dx * sin + dy * cos;
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
      int nx0 = clamp((int) Math.floor(x0 / scale), maxW);
      int ny0 = clamp((int) Math.floor(y0 / scale), maxH);
      int nx1 = clamp((int) Math.ceil(x1 / scale), maxW);
      int ny1 = clamp((int) Math.ceil(y1 / scale), maxH);
      return new OcrBox(nx0, ny0, Math.max(0, nx1 - nx0), Math.max(0, ny1 - ny0));
    }

    private static int clamp(int v, int max) {
      return Math.max(0, Math.min(max, v));
    }
  }

  /** One pool slot: initialised TessBaseAPI handles, used by one thread at a time. */
  private final class Session {
    private final int id;
    private final Map<String, TessBaseAPI> apis = new LinkedHashMap<>(4, 0.75f, true);
    private TessBaseAPI osd;
    private boolean osdFailed;

    Session(int id) {
      this.id = id;
    }

    TessBaseAPI api(Path dataPath, String languages) throws OcrException {
      String key = dataPath + "|" + languages;
      TessBaseAPI api = apis.get(key);
      if (api != null) {
        return api;
      }
      api = init(dataPath, languages, TessOcrEngineMode.OEM_DEFAULT);
      if (apis.size() >= LANGS_PER_SESSION) {
        Iterator<Map.Entry<String, TessBaseAPI>> it = apis.entrySet().iterator();
        end(it.next().getValue());
        it.remove();
      }
      apis.put(key, api);
      return api;
    }

    private TessBaseAPI init(Path dataPath, String languages, int oem) throws OcrException {
      TessBaseAPI api = TessAPI1.TessBaseAPICreate();
      // tesseract ≥ 4 wants the directory that contains the traineddata (older ones its parent)
      int rc = TessAPI1.TessBaseAPIInit2(api, dataPath.toString(), languages, oem);
      if (rc != 0) {
        end(api);
        throw new OcrException(OcrException.Reason.UNSUPPORTED, "tesseract could not load language '" + languages
            + "' from " + dataPath + " (rc " + rc + "; corrupt or incompatible traineddata?)", null);
      }
      TessAPI1.TessBaseAPISetVariable(api, "debug_file", "/dev/null"); // silence per-page warnings on stderr
      LOG.debug("session {}: initialised tesseract '{}' from {}", id, languages, dataPath);
      return api;
    }

    /** Orientation from Tesseract's OSD, or null when it cannot decide (too little text). */
    Osd detectOrientation(Path osdPath, BufferedImage img, int dpi) throws OcrException {
      if (osdFailed) {
        return null;
      }
      if (osd == null) {
        try {
          osd = init(osdPath, "osd", TessOcrEngineMode.OEM_TESSERACT_ONLY);
        } catch (OcrException e) {
          osdFailed = true; // no usable osd data: fall back to recognition-based orientation
          LOG.warn("orientation detection unavailable: {}", e.getMessage());
          return null;
        }
      }
      int w = img.getWidth();
      int h = img.getHeight();
      ByteBuffer buf = ByteBuffer.allocateDirect(w * h);
      buf.put(ImageOps.pixels(img)).flip();
      TessAPI1.TessBaseAPISetPageSegMode(osd, TessPageSegMode.PSM_OSD_ONLY);
      TessAPI1.TessBaseAPISetImage(osd, buf, w, h, 1, w);
      TessAPI1.TessBaseAPISetSourceResolution(osd, dpi);
      try {
        IntBuffer deg = IntBuffer.allocate(1);
        FloatBuffer conf = FloatBuffer.allocate(1);
        FloatBuffer scriptConf = FloatBuffer.allocate(1);
        PointerByReference script = new PointerByReference();
        if (TessAPI1.TessBaseAPIDetectOrientationScript(osd, deg, conf, script, scriptConf) == 0) {
          return null;
        }
        // orient_deg is how far the text is turned (clockwise); turning it back upright is the complement
        int rotation = (360 - ((deg.get(0) % 360) + 360) % 360) % 360;
        Pointer sp = script.getValue();
        return new Osd(rotation, conf.get(0), sp == null ? "" : sp.getString(0));
      } finally {
        TessAPI1.TessBaseAPIClear(osd);
      }
    }

    void close() {
      apis.values().forEach(TesseractEngine::end);
      apis.clear();
      if (osd != null) {
        end(osd);
        osd = null;
      }
    }
  }

  private static void end(TessBaseAPI api) {
    TessAPI1.TessBaseAPIEnd(api);
    TessAPI1.TessBaseAPIDelete(api);
  }
}
