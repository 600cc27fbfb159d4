package io.jetmesh.pdf.layout;

import java.util.Locale;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;

/** What layout analysis needs to know about a font, computed once per font object. */
record FontInfo(String name, boolean bold, boolean italic, boolean mono, boolean math, float ascent, float descent) {
  static final FontInfo UNKNOWN = new FontInfo("", false, false, false, false, 0.8f, -0.2f);

  private static final java.util.regex.Pattern TEX_BOLD = java.util.regex.Pattern.compile("^(cm|sf|ec|tc|lm)(bx|b|ssbx|bxti)\\d");
  private static final java.util.regex.Pattern TEX_ITALIC = java.util.regex.Pattern.compile("^(cm|sf|ec|tc|lm)(ti|sl|bxti|ssi)\\d");
  private static final java.util.regex.Pattern TEX_MONO = java.util.regex.Pattern.compile("^(cm|sf|ec|tc|lm)(tt|sltt|itt|vtt)\\d");

  static FontInfo of(PDFont font) {
    String name = font.getName() == null ? "" : font.getName();
    // Subset fonts are named ABCDEF+Real-Name.
    int plus = name.indexOf('+');
    if (plus == 6) {
      name = name.substring(7);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    PDFontDescriptor d = font.getFontDescriptor();
    boolean bold = lower.contains("bold") || lower.contains("black") || lower.contains("heavy")
        || lower.contains("semibold") || lower.contains("demi") || lower.matches(".*[-,]b(d)?$")
;
    boolean italic = lower.contains("italic") || lower.contains("oblique") || lower.startsWith("cmti")
        || lower.startsWith("cmmi");
    boolean mono = lower.contains("courier") || lower.contains("mono") || lower.contains("consola")
        || lower.contains("menlo") || lower.startsWith("cmtt") || lower.contains("code") || lower.contains("typewriter");
    // TeX fonts say it in their short names: cmbx10, sfbx1000 (bold), cmti10, sfti1000 (italic), cmtt10 (mono)
    if (TEX_BOLD.matcher(lower).find()) {
      bold = true;
    }
    if (TEX_ITALIC.matcher(lower).find()) {
      italic = true;
    }
    if (TEX_MONO.matcher(lower).find()) {
      mono = true;
    }
    boolean math = lower.startsWith("cmmi") || lower.startsWith("cmsy") || lower.startsWith("cmex")
        || lower.contains("math") || lower.startsWith("msam") || lower.startsWith("msbm") || lower.equals("symbol");
    float ascent = 0.8f;
    float descent = -0.2f;
    if (d != null) {
      if (d.isForceBold() || d.getFontWeight() >= 600) {
        bold = true;
      }
      if (d.isFixedPitch()) {
        mono = true;
      }
      if (d.isItalic()) {
        italic = true;
      }
      float a = d.getAscent() / 1000f;
      float de = d.getDescent() / 1000f;
      if (a > 0.4f && a < 1.2f) {
        ascent = a;
      }
      if (de < 0f && de > -0.5f) {
        descent = de;
      }
    }
    return new FontInfo(name, bold, italic, mono, math, ascent, descent);
  }
}
