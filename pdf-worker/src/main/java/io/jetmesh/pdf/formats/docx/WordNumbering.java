package io.jetmesh.pdf.formats.docx;

import io.jetmesh.pdf.formats.ooxml.Xml;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code word/numbering.xml}: for a list paragraph's {@code (numId, ilvl)}, whether it is numbered, its start value
 * and level text, and the running counters Word keeps per numbering instance (a list interrupted by other
 * paragraphs continues its numbers; a deeper level restarts when a shallower one advances).
 */
final class WordNumbering {
  /** A level text's placeholders ({@code %1.%2.}) and the punctuation around them. */
  private static final Pattern HAS_PLACEHOLDER = Pattern.compile(".*%\\d.*");
  private static final Pattern PLACEHOLDER = Pattern.compile("%(\\d)");
  private static final Pattern PUNCTUATION = Pattern.compile("[ .)(:\\[\\]]");
  private static final Set<String> VISIBLE = Set.of("decimal", "lowerRoman", "upperRoman", "lowerLetter",
      "upperLetter", "decimalZero");

  private final Map<String, String> numToAbstract = new HashMap<>();
  private final Map<String, Map<Integer, Integer>> startOverrides = new HashMap<>();
  private final Map<String, Map<Integer, Element>> levels = new HashMap<>();
  private final Map<String, int[]> counters = new HashMap<>();

  static WordNumbering read(Document d) {
    WordNumbering n = new WordNumbering();
    if (d == null) {
      return n;
    }
    Element root = Xml.root(d);
    for (Element a : Xml.children(root, "abstractNum")) {
      Map<Integer, Element> lv = new HashMap<>();
      for (Element l : Xml.children(a, "lvl")) {
        lv.put(parse(Xml.attr(l, "ilvl"), 0), l);
      }
      n.levels.put(Xml.attr(a, "abstractNumId"), lv);
    }
    for (Element num : Xml.children(root, "num")) {
      String id = Xml.attr(num, "numId");
      n.numToAbstract.put(id, Xml.val(num, "abstractNumId"));
      for (Element o : Xml.children(num, "lvlOverride")) {
        String start = Xml.val(o, "startOverride");
        if (start != null) {
          n.startOverrides.computeIfAbsent(id, k -> new HashMap<>()).put(parse(Xml.attr(o, "ilvl"), 0), parse(start, 1));
        }
      }
    }
    return n;
  }

  private Element level(String numId, int ilvl) {
    Map<Integer, Element> lv = levels.get(numToAbstract.get(numId));
    return lv == null ? null : lv.get(ilvl);
  }

  /** True when the level shows a number (decimal, roman, letter), false for bullets and none. */
  boolean numbered(String numId, int ilvl) {
    Element l = level(numId, ilvl);
    return l != null && VISIBLE.contains(Xml.val(l, "numFmt"));
  }

  /** True when the numbering instance exists (numId 0 and unknown ids switch numbering off). */
  boolean exists(String numId) {
    return numId != null && !"0".equals(numId) && numToAbstract.containsKey(numId);
  }

  private int start(String numId, int ilvl) {
    Map<Integer, Integer> o = startOverrides.get(numId);
    if (o != null && o.containsKey(ilvl)) {
      return o.get(ilvl);
    }
    Element l = level(numId, ilvl);
    return l == null ? 1 : parse(Xml.val(l, "start"), 1);
  }

  /** Advances the counter of {@code (numId, ilvl)} and returns the marker docling writes ({@code 2.}, {@code 1.3.}). */
  String next(String numId, int ilvl) {
    int[] c = counters.computeIfAbsent(numId, k -> new int[10]);
    int lvl = Math.max(0, Math.min(9, ilvl));
    c[lvl] = c[lvl] == 0 ? start(numId, lvl) : c[lvl] + 1;
    for (int i = lvl + 1; i < c.length; i++) {
      c[i] = 0;
    }
    Element l = level(numId, lvl);
    String text = l == null ? null : Xml.val(l, "lvlText");
    if (text != null && HAS_PLACEHOLDER.matcher(text).matches()) {
      String stripped = PUNCTUATION.matcher(PLACEHOLDER.matcher(text).replaceAll("")).replaceAll("");
      if (!stripped.isEmpty()) {
        StringBuilder sb = new StringBuilder();
        java.util.regex.Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
          int k = m.group(1).charAt(0) - '1';
          int v = k >= 0 && k < 10 ? (c[k] == 0 ? start(numId, k) : c[k]) : 0;
          m.appendReplacement(sb, String.valueOf(v));
        }
        m.appendTail(sb);
        return sb.toString();
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i <= lvl; i++) {
      sb.append(c[i] == 0 ? start(numId, i) : c[i]).append('.');
    }
    return sb.toString();
  }

  private static int parse(String s, int d) {
    try {
      return s == null ? d : Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return d;
    }
  }
}
