package io.jetmesh.pdf.formats.docx;

import io.jetmesh.pdf.formats.ooxml.Xml;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code word/styles.xml}: paragraph styles by id with their names, base styles, outline levels and numbering. */
final class WordStyles {
  record Style(String id, String name, String basedOn, Integer outlineLevel, String numId, String ilvl, boolean bold,
               boolean italic, String font) {}

  private final Map<String, Style> byId = new HashMap<>();
  private String defaultParagraph;

  static WordStyles read(Document d) {
    WordStyles s = new WordStyles();
    if (d == null) {
      return s;
    }
    for (Element st : Xml.children(Xml.root(d), "style")) {
      String id = Xml.attr(st, "styleId");
      if (id == null) {
        continue;
      }
      Element ppr = Xml.child(st, "pPr");
      Element rpr = Xml.child(st, "rPr");
      String outline = Xml.val(ppr, "outlineLvl");
      Element numPr = Xml.child(ppr, "numPr");
      Integer ol = null;
      try {
        ol = outline == null ? null : Integer.parseInt(outline);
      } catch (NumberFormatException e) {
        ol = null;
      }
      Element fonts = Xml.child(rpr, "rFonts");
      s.byId.put(id, new Style(id, Xml.val(st, "name"), Xml.val(st, "basedOn"), ol,
          Xml.val(numPr, "numId"), Xml.val(numPr, "ilvl"), Xml.on(rpr, "b"), Xml.on(rpr, "i"),
          fonts == null ? null : Xml.attr(fonts, "ascii")));
      if ("1".equals(Xml.attr(st, "default")) && "paragraph".equals(Xml.attr(st, "type"))) {
        s.defaultParagraph = id;
      }
    }
    return s;
  }

  Style get(String id) {
    return id == null ? (defaultParagraph == null ? null : byId.get(defaultParagraph)) : byId.get(id);
  }

  Style base(Style s) {
    return s == null || s.basedOn() == null ? null : byId.get(s.basedOn());
  }

  /** The first value a style chain (the style, then its bases) defines. */
  <T> T inherited(Style s, java.util.function.Function<Style, T> f) {
    int guard = 0;
    for (Style cur = s; cur != null && guard++ < 20; cur = base(cur)) {
      T v = f.apply(cur);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
