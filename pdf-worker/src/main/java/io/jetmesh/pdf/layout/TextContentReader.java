package io.jetmesh.pdf.layout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.PDFontSetting;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code text} operation's content-stream pass: only the operators that place text (text state, text and
 * transformation matrices, graphics-state save/restore, form XObjects, extended graphics states that set a font),
 * on {@link ContentLexer} instead of PDFBox's stream parser and operator objects. Fonts, encodings and widths are
 * still PDFBox's. It yields the same {@link Glyph}s as {@link PageCollector}, the full pass of {@code convert} (the
 * same arithmetic in the same order, checked over the corpus by a test) at a fraction of the cost: PDFBox's
 * general-purpose tokenizer (a
 * {@code COSFloat} with {@code Float.parseFloat} per number, a {@code COSString} per string, an operator lookup and
 * {@code Matrix} objects per glyph) was the largest cost of {@code text} after layout.
 *
 * <p>Semantics follow PDFBox 3's engine where it is lenient or particular: text outside {@code BT}/{@code ET} is
 * not shown; the text matrices belong to the saved graphics state; a missing font falls back to Helvetica; forms
 * nest at most 50 deep (and at most 10,000 form runs per page, where PDFBox has no limit). Where PDFBox would give up on the page (a font that fails to load), this reader skips the
 * text in that font and keeps the rest of the page. Not thread-safe; one instance per page.
 */
public final class TextContentReader {
  private static final Logger LOG = LoggerFactory.getLogger(TextContentReader.class);
  private static final int MAX_FORM_DEPTH = 50;
  /** Form XObjects run per page at most: a form that draws itself twice per level would otherwise cost 2^50 runs. */
  private static final int MAX_FORM_RUNS = 10_000;
  private static final int MAX_OPERANDS = 64;
  private static final int MAX_SAVED_STATES = 10_000;

  private final PDPage page;
  private final PageCollector.PageGeometry geo;
  private final GlyphSink sink;
  private Runnable checkpoint;
  private long operators;

  private State gs = new State();
  private Deque<State> saved = new ArrayDeque<>();
  private PDResources resources;
  private int formDepth;
  private int formRuns;
  private PDFont defaultFont;
  private final Map<PDResources, Map<String, PDFont>> fontsByResources = new IdentityHashMap<>();

  // operands of the operator being read
  private final ContentLexer.Kind[] kinds = new ContentLexer.Kind[MAX_OPERANDS];
  private final float[] nums = new float[MAX_OPERANDS];
  private final Object[] objs = new Object[MAX_OPERANDS];
  private int nops;

  // scratch matrices: a b c d e f
  private final float[] params = new float[6];
  private final float[] tmp = new float[6];
  private final float[] trm = new float[6];

  public TextContentReader(PDPage page, PageCollector.FontCache fonts) {
    this.page = page;
    this.geo = PageCollector.PageGeometry.of(page);
    this.sink = new GlyphSink(geo, fonts);
  }

  /** Checked every few thousand operators so that one huge page cannot outlive the job's time limit. */
  public TextContentReader setCheckpoint(Runnable checkpoint) {
    this.checkpoint = checkpoint;
    return this;
  }

  /** Reads the page's content streams. */
  public TextContentReader read() throws IOException {
    resources = page.getResources();
    if (resources == null) {
      resources = new PDResources();
    }
    Iterator<PDStream> streams = page.getContentStreams();
    while (streams.hasNext()) {
      PDStream s = streams.next();
      try (InputStream in = s.createInputStream()) {
        run(new ContentLexer(in));
      }
    }
    return this;
  }

  public PageCollector.PageGeometry geometry() {
    return geo;
  }

  List<Glyph> glyphs() {
    return sink.glyphs();
  }

  public int glyphCount() {
    return sink.glyphs().size();
  }

  /** True when the glyph cap was hit and text was dropped. */
  public boolean truncated() {
    return sink.truncated();
  }

  // ------------------------------------------------------------------ the operator loop

  private void run(ContentLexer lx) throws IOException {
    while (true) {
      ContentLexer.Kind k = lx.next();
      if (k == ContentLexer.Kind.EOF) {
        return;
      }
      if (k == ContentLexer.Kind.OPERATOR) {
        if (checkpoint != null && (++operators & 4095) == 0) {
          checkpoint.run();
        }
        operator(lx.text, lx);
        nops = 0;
      } else if (nops < MAX_OPERANDS) {
        kinds[nops] = k;
        nums[nops] = lx.number;
        objs[nops] = switch (k) {
          case NAME -> lx.text;
          case STRING -> lx.bytes;
          case ARRAY -> lx.array;
          default -> null;
        };
        nops++;
      }
    }
  }

  private boolean numbers(int n) {
    if (nops < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (kinds[i] != ContentLexer.Kind.NUMBER) {
        return false;
      }
    }
    return true;
  }

  private void operator(String op, ContentLexer lx) throws IOException {
    switch (op) {
      case "q" -> {
        if (saved.size() < MAX_SAVED_STATES) {
          saved.push(gs.copy());
        }
      }
      case "Q" -> {
        if (!saved.isEmpty()) {
          gs = saved.pop();
        }
      }
      case "cm" -> {
        if (numbers(6)) {
          // CTM = M x CTM
          multiply(nums, gs.ctm, gs.ctm);
        }
      }
      case "BT" -> {
        gs.tm = identity();
        gs.tlm = identity();
      }
      case "ET" -> {
        gs.tm = null;
        gs.tlm = null;
      }
      case "Tc" -> {
        if (numbers(1)) {
          gs.charSpacing = nums[0];
        }
      }
      case "Tw" -> {
        if (numbers(1)) {
          gs.wordSpacing = nums[0];
        }
      }
      case "Tz" -> {
        if (numbers(1)) {
          gs.horizontalScaling = nums[0];
        }
      }
      case "TL" -> {
        if (numbers(1)) {
          gs.leading = nums[0];
        }
      }
      case "Ts" -> {
        if (numbers(1)) {
          gs.rise = nums[0];
        }
      }
      case "Tr" -> {
        if (numbers(1) && nums[0] >= 0 && nums[0] <= 7) {
          gs.renderingMode = (int) nums[0];
        }
      }
      case "Tf" -> {
        if (nops >= 2 && kinds[0] == ContentLexer.Kind.NAME && kinds[1] == ContentLexer.Kind.NUMBER) {
          gs.fontSize = nums[1];
          setFont(font((String) objs[0]));
        }
      }
      case "Td" -> {
        if (numbers(2)) {
          moveText(nums[0], nums[1]);
        }
      }
      case "TD" -> {
        if (numbers(2)) {
          gs.leading = -nums[1];
          moveText(nums[0], nums[1]);
        }
      }
      case "Tm" -> {
        if (numbers(6)) {
          gs.tm = new float[] {nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]};
          gs.tlm = gs.tm.clone();
        }
      }
      case "T*" -> moveText(0, -gs.leading);
      case "Tj" -> {
        if (nops >= 1 && kinds[0] == ContentLexer.Kind.STRING && gs.tm != null) {
          showText((byte[]) objs[0]);
        }
      }
      case "'" -> {
        moveText(0, -gs.leading);
        if (nops >= 1 && kinds[0] == ContentLexer.Kind.STRING && gs.tm != null) {
          showText((byte[]) objs[0]);
        }
      }
      case "\"" -> {
        if (nops >= 3 && kinds[0] == ContentLexer.Kind.NUMBER && kinds[1] == ContentLexer.Kind.NUMBER
            && kinds[2] == ContentLexer.Kind.STRING) {
          gs.wordSpacing = nums[0];
          gs.charSpacing = nums[1];
          moveText(0, -gs.leading);
          if (gs.tm != null) {
            showText((byte[]) objs[2]);
          }
        }
      }
      case "TJ" -> {
        if (nops >= 1 && kinds[0] == ContentLexer.Kind.ARRAY && gs.tm != null) {
          @SuppressWarnings("unchecked")
          List<Object> array = (List<Object>) objs[0];
          showTextStrings(array);
        }
      }
      case "Do" -> {
        if (nops >= 1 && kinds[0] == ContentLexer.Kind.NAME) {
          drawObject((String) objs[0]);
        }
      }
      case "gs" -> {
        if (nops >= 1 && kinds[0] == ContentLexer.Kind.NAME) {
          extGState((String) objs[0]);
        }
      }
      case "BI" -> lx.skipInlineImage();
      default -> {
        // paths, colours, clipping, marked content, shading: nothing that places text
      }
    }
  }

  // ------------------------------------------------------------------ text

  private void moveText(float tx, float ty) {
    float[] tlm = gs.tlm;
    if (tlm == null) {
      return; // outside BT/ET, as in PDFBox
    }
    // Tlm = T(tx, ty) x Tlm
    tlm[4] = tx * tlm[0] + ty * tlm[2] + tlm[4];
    tlm[5] = tx * tlm[1] + ty * tlm[3] + tlm[5];
    gs.tm = tlm.clone();
  }

  private void showTextStrings(List<Object> array) throws IOException {
    float fontSize = gs.fontSize;
    float horizontalScaling = gs.horizontalScaling / 100f;
    boolean vertical = gs.font != null && gs.font.isVertical();
    for (Object o : array) {
      if (o instanceof Float n) {
        float tj = n;
        float tx;
        float ty;
        if (vertical) {
          tx = 0;
          ty = -tj / 1000 * fontSize;
        } else {
          tx = -tj / 1000 * fontSize * horizontalScaling;
          ty = 0;
        }
        translate(gs.tm, tx, ty);
      } else if (o instanceof byte[] s) {
        showText(s);
      }
    }
  }

  private void showText(byte[] string) throws IOException {
    if (gs.fontUnusable) {
      return;
    }
    PDFont font = gs.font;
    if (font == null) {
      if (defaultFont == null) {
        defaultFont = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      }
      font = defaultFont;
    }
    float fontSize = gs.fontSize;
    float horizontalScaling = gs.horizontalScaling / 100f;
    float charSpacing = gs.charSpacing;
    boolean vertical = font.isVertical();
    boolean fillStroke = gs.renderingMode == 2;
    float[] p = params;
    p[0] = fontSize * horizontalScaling;
    p[1] = 0;
    p[2] = 0;
    p[3] = fontSize;
    p[4] = 0;
    p[5] = gs.rise;
    float[] tm = gs.tm;
    ByteArrayInputStream in = new ByteArrayInputStream(string);
    while (in.available() > 0) {
      int before = in.available();
      int code;
      try {
        code = font.readCode(in);
      } catch (IOException | RuntimeException e) {
        return; // a code cut short at the end of the string
      }
      int codeLength = before - in.available();
      float wordSpacing = codeLength == 1 && code == 32 ? gs.wordSpacing : 0;
      // text rendering matrix: parameters x Tm x CTM
      multiply(p, tm, tmp);
      multiply(tmp, gs.ctm, trm);
      if (vertical) {
        Vector v = font.getPositionVector(code);
        translate(trm, v.getX(), v.getY());
      }
      Vector w = font.getDisplacement(code);
      sink.add(trm[0], trm[1], trm[2], trm[3], trm[4], trm[5], font, code, w.getX(), fillStroke);
      float tx;
      float ty;
      if (vertical) {
        tx = 0;
        ty = w.getY() * fontSize + charSpacing + wordSpacing;
      } else {
        tx = (w.getX() * fontSize + charSpacing + wordSpacing) * horizontalScaling;
        ty = 0;
      }
      translate(tm, tx, ty);
    }
  }

  private void setFont(PDFont font) {
    gs.font = font;
    gs.fontUnusable = font == UNUSABLE;
    if (gs.fontUnusable) {
      gs.font = null;
    }
  }

  /** Marks a font that failed to load: its text is skipped. */
  private static final PDFont UNUSABLE = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

  private PDFont font(String name) {
    Map<String, PDFont> byName = fontsByResources.computeIfAbsent(resources, r -> new HashMap<>());
    PDFont f = byName.get(name);
    if (f == null && !byName.containsKey(name)) {
      try {
        f = resources.getFont(COSName.getPDFName(name));
        if (f == null) {
          LOG.debug("font '{}' not found in resources; the default font is used", name);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("font '{}' cannot be loaded ({}); its text is skipped", name, e.toString());
        f = UNUSABLE;
      }
      byName.put(name, f);
    }
    return f;
  }

  private void extGState(String name) {
    try {
      PDExtendedGraphicsState ext = resources.getExtGState(COSName.getPDFName(name));
      PDFontSetting setting = ext == null ? null : ext.getFontSetting();
      if (setting != null) {
        gs.fontSize = setting.getFontSize();
        setFont(setting.getFont());
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("graphics state '{}' cannot be read: {}", name, e.toString());
    }
  }

  // ------------------------------------------------------------------ forms

  private void drawObject(String name) throws IOException {
    COSName n = COSName.getPDFName(name);
    if (resources.isImageXObject(n)) {
      return;
    }
    PDXObject x;
    try {
      x = resources.getXObject(n);
    } catch (IOException | RuntimeException e) {
      LOG.debug("XObject '{}' cannot be read: {}", name, e.toString()); // PDFBox also only warns for Do
      return;
    }
    if (!(x instanceof PDFormXObject form) || formDepth >= MAX_FORM_DEPTH || formRuns >= MAX_FORM_RUNS) {
      return;
    }
    formRuns++;
    formDepth++;
    PDResources parentResources = resources;
    Deque<State> parentStack = saved;
    State parentState = gs;
    try {
      PDResources own = form.getResources();
      if (own != null) {
        resources = own;
      }
      saved = new ArrayDeque<>();
      gs = gs.copy();
      Matrix m = form.getMatrix();
      float[] fm = {m.getScaleX(), m.getShearY(), m.getShearX(), m.getScaleY(), m.getTranslateX(), m.getTranslateY()};
      multiply(fm, gs.ctm, gs.ctm);
      if (form.getCOSObject().getLength() > 0) {
        try (InputStream in = form.getContents()) {
          run(new ContentLexer(in));
        }
      }
    } finally {
      formDepth--;
      resources = parentResources;
      saved = parentStack;
      gs = parentState;
      nops = 0;
    }
  }

  // ------------------------------------------------------------------ matrices (a b c d e f, PDF order)

  private static float[] identity() {
    return new float[] {1, 0, 0, 1, 0, 0};
  }

  /** out = x * y (out may be y). */
  private static void multiply(float[] x, float[] y, float[] out) {
    float a = x[0] * y[0] + x[1] * y[2];
    float b = x[0] * y[1] + x[1] * y[3];
    float c = x[2] * y[0] + x[3] * y[2];
    float d = x[2] * y[1] + x[3] * y[3];
    float e = x[4] * y[0] + x[5] * y[2] + y[4];
    float f = x[4] * y[1] + x[5] * y[3] + y[5];
    out[0] = a;
    out[1] = b;
    out[2] = c;
    out[3] = d;
    out[4] = e;
    out[5] = f;
  }

  /** m = T(tx, ty) x m. */
  private static void translate(float[] m, float tx, float ty) {
    m[4] += tx * m[0] + ty * m[2];
    m[5] += tx * m[1] + ty * m[3];
  }

  /** The part of the graphics state that places text; saved by {@code q}, restored by {@code Q}. */
  private static final class State {
    float[] ctm = identity();
    float[] tm;
    float[] tlm;
    float charSpacing;
    float wordSpacing;
    float horizontalScaling = 100;
    float leading;
    float rise;
    int renderingMode;
    PDFont font;
    boolean fontUnusable;
    float fontSize;

    State copy() {
      State s = new State();
      s.ctm = ctm.clone();
      s.tm = tm == null ? null : tm.clone();
      s.tlm = tlm == null ? null : tlm.clone();
      s.charSpacing = charSpacing;
      s.wordSpacing = wordSpacing;
      s.horizontalScaling = horizontalScaling;
      s.leading = leading;
      s.rise = rise;
      s.renderingMode = renderingMode;
      s.font = font;
      s.fontUnusable = fontUnusable;
      s.fontSize = fontSize;
      return s;
    }
  }
}
