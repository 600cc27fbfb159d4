package io.jetmesh.pdf.formats.docx;

import io.jetmesh.pdf.formats.ooxml.Xml;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** {@code word/styles.xml}: paragraph styles by id with their names, base styles, outline levels and numbering. */
final class WordStyles {
  record Style(String id, String name, String basedOn, Integer outlineLevel, String numId, String ilvl, boolean bold,
               boolean italic, String font) {}

  private final Map<String, Style> byId = new HashMap<>();
  private String defaultParagraph;

  static WordStyles empty() {
    return new WordStyles();
  }

  /**
   * Reads the styles part in one streaming pass. Word writes several hundred latent-style entries and document
   * defaults before the styles, and most conversions' time went into building a DOM of them; only each
   * {@code <w:style>}'s first {@code name}, {@code basedOn}, {@code pPr/outlineLvl}, {@code pPr/numPr/numId|ilvl},
   * {@code rPr/b|i|rFonts} are kept, the first of each as a DOM walk would take it. Malformed XML is an
   * {@link IOException}, as from {@link Xml#parse}.
   */
  static WordStyles read(InputStream in) throws IOException {
    WordStyles s = new WordStyles();
    XMLStreamReader r = Xml.stream(in);
    try {
      StyleReader cur = null;
      int depth = 0;
      while (r.hasNext()) {
        int ev = Xml.next(r);
        if (ev == XMLStreamConstants.START_ELEMENT) {
          depth++;
          if (depth == 2) {
            cur = "style".equals(r.getLocalName()) ? new StyleReader(r) : null;
          } else if (cur != null) {
            cur.start(depth, r);
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          if (depth == 2 && cur != null) {
            cur.finish(s);
            cur = null;
          } else if (cur != null) {
            cur.end(depth);
          }
          depth--;
        }
      }
    } catch (XMLStreamException e) {
      throw Xml.malformed(e);
    } finally {
      Xml.close(r);
    }
    return s;
  }

  /**
   * One {@code <w:style>} as its element path is streamed: which first-child elements are open at each depth
   * (a later sibling of the same name is not "the" child a DOM walk would read).
   */
  private static final class StyleReader {
    final String id;
    final boolean defaultParagraph;
    String name;
    String basedOn;
    String outline;
    String numId;
    String ilvl;
    boolean bold;
    boolean italic;
    String font;
    // the first pPr / rPr / numPr children, and whether the one open at depth 3 or 4 is that first one
    boolean seenPpr;
    boolean seenRpr;
    boolean seenName;
    boolean seenBasedOn;
    boolean seenOutline;
    boolean seenNumPr;
    boolean seenNumId;
    boolean seenIlvl;
    boolean seenB;
    boolean seenI;
    boolean seenFonts;
    String open3; // "pPr" or "rPr" when the first one is open at depth 3
    boolean inNumPr; // the first numPr of the first pPr is open at depth 4

    StyleReader(XMLStreamReader r) {
      id = attr(r, "styleId");
      defaultParagraph = "1".equals(attr(r, "default")) && "paragraph".equals(attr(r, "type"));
    }

    void start(int depth, XMLStreamReader r) {
      String l = r.getLocalName();
      if (depth == 3) {
        open3 = null;
        switch (l) {
          case "name" -> {
            if (!seenName) {
              seenName = true;
              name = attr(r, "val");
            }
          }
          case "basedOn" -> {
            if (!seenBasedOn) {
              seenBasedOn = true;
              basedOn = attr(r, "val");
            }
          }
          case "pPr" -> {
            if (!seenPpr) {
              seenPpr = true;
              open3 = "pPr";
            }
          }
          case "rPr" -> {
            if (!seenRpr) {
              seenRpr = true;
              open3 = "rPr";
            }
          }
          default -> { }
        }
      } else if (depth == 4 && "pPr".equals(open3)) {
        if (l.equals("outlineLvl") && !seenOutline) {
          seenOutline = true;
          outline = attr(r, "val");
        } else if (l.equals("numPr") && !seenNumPr) {
          seenNumPr = true;
          inNumPr = true;
        }
      } else if (depth == 4 && "rPr".equals(open3)) {
        if (l.equals("b") && !seenB) {
          seenB = true;
          bold = on(attr(r, "val"));
        } else if (l.equals("i") && !seenI) {
          seenI = true;
          italic = on(attr(r, "val"));
        } else if (l.equals("rFonts") && !seenFonts) {
          seenFonts = true;
          font = attr(r, "ascii");
        }
      } else if (depth == 5 && inNumPr) {
        if (l.equals("numId") && !seenNumId) {
          seenNumId = true;
          numId = attr(r, "val");
        } else if (l.equals("ilvl") && !seenIlvl) {
          seenIlvl = true;
          ilvl = attr(r, "val");
        }
      }
    }

    void end(int depth) {
      if (depth == 3) {
        open3 = null;
      } else if (depth == 4) {
        inNumPr = false;
      }
    }

    void finish(WordStyles s) {
      if (id == null) {
        return;
      }
      Integer ol;
      try {
        ol = outline == null ? null : Integer.parseInt(outline);
      } catch (NumberFormatException e) {
        ol = null;
      }
      s.byId.put(id, new Style(id, name, basedOn, ol, numId, ilvl, bold, italic, font));
      if (defaultParagraph) {
        s.defaultParagraph = id;
      }
    }

    /** {@link Xml#on}: present and not switched off. */
    private static boolean on(String v) {
      return v == null || !(v.equals("0") || v.equalsIgnoreCase("false") || v.equalsIgnoreCase("off")
          || v.equalsIgnoreCase("none"));
    }
  }

  private static String attr(XMLStreamReader r, String localName) {
    return Xml.attr(r, localName);
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
