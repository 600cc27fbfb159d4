package io.jetmesh.pdf.formats.docx;

import io.jetmesh.pdf.formats.ooxml.Xml;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Office Math ({@code m:oMath}) to LaTeX, in the shapes docling's converter writes: {@code \frac{a}{b}},
 * {@code x^{2}}, {@code a_{n}}, {@code \sqrt[n]{x}}, n-ary operators with limits ({@code \sum_{n=1}^{\infty}}),
 * {@code \left( ... \right)} delimiters, functions ({@code \sin(x)}), limits ({@code \lim_{n}}), group characters
 * (underbraces), accents, bars, matrices and equation arrays; Unicode math letters and symbols mapped to
 * their LaTeX commands. An element it does not know contributes its children.
 */
final class OmmlToLatex {
  private static final String SPECIAL = "{}_^#&$%~";
  private static final Map<Integer, String> BIG_OPS = Map.ofEntries(
      Map.entry(0x2211, "\\sum"), Map.entry(0x220F, "\\prod"), Map.entry(0x2210, "\\coprod"),
      Map.entry(0x222B, "\\int"), Map.entry(0x222C, "\\iint"), Map.entry(0x222D, "\\iiint"),
      Map.entry(0x222E, "\\oint"), Map.entry(0x222F, "\\oiint"), Map.entry(0x2230, "\\oiiint"),
      Map.entry(0x22C0, "\\bigwedge"), Map.entry(0x22C1, "\\bigvee"), Map.entry(0x22C2, "\\bigcap"),
      Map.entry(0x22C3, "\\bigcup"), Map.entry(0x2A00, "\\bigodot"), Map.entry(0x2A01, "\\bigoplus"),
      Map.entry(0x2A02, "\\bigotimes"));
  private static final Map<Integer, String> ACCENTS = Map.ofEntries(
      Map.entry(0x0300, "\\grave"), Map.entry(0x0301, "\\acute"), Map.entry(0x0302, "\\hat"),
      Map.entry(0x0303, "\\tilde"), Map.entry(0x0304, "\\bar"), Map.entry(0x0305, "\\overbar"),
      Map.entry(0x0306, "\\breve"), Map.entry(0x0307, "\\dot"), Map.entry(0x0308, "\\ddot"),
      Map.entry(0x20D7, "\\vec"), Map.entry(0x20DB, "\\dddot"), Map.entry(0x23DE, "\\overbrace"),
      Map.entry(0x23DF, "\\underbrace"), Map.entry(0x23B4, "\\overbracket"), Map.entry(0x23B5, "\\underbracket"),
      Map.entry(0x23DC, "\\overparen"), Map.entry(0x23DD, "\\underparen"), Map.entry(0x0331, "\\underbar"));
  private static final Map<String, String> FUNCTIONS = Map.ofEntries(
      Map.entry("sin", "\\sin(%s)"), Map.entry("cos", "\\cos(%s)"), Map.entry("tan", "\\tan(%s)"),
      Map.entry("arcsin", "\\arcsin(%s)"), Map.entry("arccos", "\\arccos(%s)"), Map.entry("arctan", "\\arctan(%s)"),
      Map.entry("sinh", "\\sinh(%s)"), Map.entry("cosh", "\\cosh(%s)"), Map.entry("tanh", "\\tanh(%s)"),
      Map.entry("coth", "\\coth(%s)"), Map.entry("sec", "\\sec(%s)"), Map.entry("csc", "\\csc(%s)"),
      Map.entry("cot", "\\cot(%s)"), Map.entry("mod", "\\mod %s"), Map.entry("max", "\\max(%s)"),
      Map.entry("min", "\\min(%s)"), Map.entry("log", "\\log(%s)"), Map.entry("ln", "\\ln(%s)"),
      Map.entry("exp", "\\exp(%s)"), Map.entry("det", "\\det(%s)"), Map.entry("gcd", "\\gcd(%s)"),
      Map.entry("deg", "\\deg(%s)"), Map.entry("dim", "\\dim(%s)"), Map.entry("arg", "\\arg(%s)"),
      Map.entry("inf", "\\inf(%s)"), Map.entry("sup", "\\sup(%s)"), Map.entry("lim", "\\lim(%s)"),
      Map.entry("Pr", "\\Pr(%s)"), Map.entry("ker", "\\ker(%s)"), Map.entry("hom", "\\hom(%s)"));
  private static final Map<String, String> LIMIT_FUNCTIONS = Map.of("lim", "\\lim", "max", "\\max", "min", "\\min",
      "argmax", "\\operatorname{argmax}", "argmin", "\\operatorname{argmin}");
  private static final Map<Integer, String> SYMBOLS = symbols();

  private OmmlToLatex() {}

  /** The LaTeX of one {@code m:oMath} element, spaces normalised as docling does. */
  static String convert(Element oMath) {
    return children(oMath).replace("  ", " ").strip();
  }

  private static String children(Element e) {
    StringBuilder sb = new StringBuilder();
    for (Element c : Xml.children(e)) {
      sb.append(node(c));
    }
    return sb.toString();
  }

  private static String part(Element parent, String name) {
    Element c = Xml.child(parent, name);
    return c == null ? "" : children(c);
  }

  private static String prop(Element parent, String pr, String name) {
    return Xml.val(Xml.child(parent, pr), name);
  }

  private static String node(Element e) {
    String n = Xml.name(e);
    switch (n) {
      case "r":
        return run(e);
      case "f": {
        String type = prop(e, "fPr", "type");
        String num = part(e, "num");
        String den = part(e, "den");
        if ("lin".equals(type)) {
          return "{" + num + "}/{" + den + "}";
        }
        if ("skw".equals(type)) {
          return "^{" + num + "}/_{" + den + "}";
        }
        if ("noBar".equals(type)) {
          return "\\genfrac{}{}{0pt}{}{" + num + "}{" + den + "}";
        }
        return "\\frac{" + num + "}{" + den + "}";
      }
      case "sSup":
        return base(e) + "^{" + unwrap(part(e, "sup"), "^") + "}";
      case "sSub":
        return base(e) + "_{" + unwrap(part(e, "sub"), "_") + "}";
      case "sSubSup":
        return base(e) + "_{" + unwrap(part(e, "sub"), "_") + "}^{" + unwrap(part(e, "sup"), "^") + "}";
      case "sPre":
        return "{}_{" + part(e, "sub") + "}^{" + part(e, "sup") + "}" + part(e, "e");
      case "rad": {
        String deg = part(e, "deg");
        return deg.isBlank() ? "\\sqrt{" + part(e, "e") + "}" : "\\sqrt[" + deg + "]{" + part(e, "e") + "}";
      }
      case "nary": {
        String chr = prop(e, "naryPr", "chr");
        String op = chr == null || chr.isEmpty() ? "\\int" : BIG_OPS.getOrDefault(chr.codePointAt(0), chr);
        return op + "_{" + part(e, "sub") + "}^{" + part(e, "sup") + "}" + part(e, "e");
      }
      case "d": {
        Element pr = Xml.child(e, "dPr");
        String beg = Xml.val(pr, "begChr");
        String end = Xml.val(pr, "endChr");
        String l = beg == null ? "(" : beg.isEmpty() ? "." : escape(beg);
        String r = end == null ? ")" : end.isEmpty() ? "." : escape(end);
        StringBuilder inner = new StringBuilder();
        for (Element c : Xml.children(e, "e")) {
          inner.append(children(c));
        }
        return "\\left" + l + inner + "\\right" + r;
      }
      case "func": {
        String name = part(e, "fName").strip();
        String arg = part(e, "e");
        String tpl = FUNCTIONS.get(name);
        return tpl != null ? String.format(tpl, arg).replace("%%", "%") : name + arg;
      }
      case "limLow": {
        String base = part(e, "e").strip();
        String lim = limit(Xml.child(e, "lim"));
        String f = LIMIT_FUNCTIONS.get(base);
        return (f != null ? f : base) + "_{" + lim + "}";
      }
      case "limUpp":
        return "\\overset{" + limit(Xml.child(e, "lim")) + "}{" + part(e, "e") + "}";
      case "groupChr": {
        Element pr = Xml.child(e, "groupChrPr");
        String chr = Xml.val(pr, "chr");
        String pos = Xml.val(pr, "pos");
        String cmd = chr == null || chr.isEmpty() ? ("top".equals(pos) ? "\\overbrace" : "\\underbrace")
            : ACCENTS.getOrDefault(chr.codePointAt(0), null);
        return cmd == null ? part(e, "e") : cmd + "{" + part(e, "e") + "}";
      }
      case "acc": {
        String chr = prop(e, "accPr", "chr");
        String cmd = chr == null || chr.isEmpty() ? "\\hat" : ACCENTS.get(chr.codePointAt(0));
        return cmd == null ? part(e, "e") : cmd + "{" + part(e, "e") + "}";
      }
      case "bar": {
        String pos = prop(e, "barPr", "pos");
        return ("bot".equals(pos) ? "\\underline{" : "\\overline{") + part(e, "e") + "}";
      }
      case "m": {
        StringBuilder sb = new StringBuilder("\\begin{matrix}");
        List<Element> rows = Xml.children(e, "mr");
        for (int i = 0; i < rows.size(); i++) {
          if (i > 0) {
            sb.append("\\\\");
          }
          List<Element> cells = Xml.children(rows.get(i), "e");
          for (int k = 0; k < cells.size(); k++) {
            if (k > 0) {
              sb.append('&');
            }
            sb.append(children(cells.get(k)));
          }
        }
        return sb.append("\\end{matrix}").toString();
      }
      case "eqArr": {
        StringBuilder sb = new StringBuilder();
        for (Element c : Xml.children(e, "e")) {
          if (sb.length() > 0) {
            sb.append("\\\\");
          }
          sb.append(children(c));
        }
        return sb.toString();
      }
      case "box", "borderBox", "phant", "e", "num", "den", "deg", "oMath", "oMathPara", "sub", "sup", "lim",
          "fName":
        return children(e);
      default:
        return n.endsWith("Pr") || n.equals("ctrlPr") ? "" : children(e);
    }
  }

  private static String base(Element e) {
    String b = part(e, "e").stripTrailing();
    return b.contains("\\frac") || b.contains("\\sqrt") ? "{" + b + "}" : b;
  }

  private static String unwrap(String script, String marker) {
    String p = marker + "{";
    return script.startsWith(p) && script.endsWith("}") ? script.substring(p.length(), script.length() - 1) : script;
  }

  private static String limit(Element lim) {
    if (lim == null) {
      return "";
    }
    String r = children(lim).replace("\\rightarrow", "\\to").stripTrailing();
    if (r.endsWith("\\\\")) {
      r = r.substring(0, r.length() - 2).stripTrailing();
    }
    if (!r.isEmpty() && r.chars().noneMatch(c -> "\\^_{}=+-<>()[]|".indexOf(c) >= 0)) {
      r = r.replace(" ", "\\ ");
    }
    return r;
  }

  private static String run(Element r) {
    StringBuilder raw = new StringBuilder();
    for (Element t : Xml.children(r, "t")) {
      raw.append(t.getTextContent());
    }
    StringBuilder out = new StringBuilder();
    String s = raw.toString();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      String sym = SYMBOLS.get(cp);
      if (sym != null) {
        out.append(sym);
      } else if (cp < 128 && SPECIAL.indexOf(cp) >= 0) {
        out.append(cp == '^' ? "^" : "\\" + (char) cp);
      } else if (cp >= 0x1D434 && cp <= 0x1D467) {
        // mathematical italic Latin letters
        int k = cp - 0x1D434;
        out.append((char) (k < 26 ? 'A' + k : 'a' + (k - 26)));
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(SPECIAL.indexOf(c) >= 0 ? "\\" + c : String.valueOf(c));
    }
    return sb.toString();
  }

  private static Map<Integer, String> symbols() {
    Map<Integer, String> m = new java.util.HashMap<>();
    String[] greek = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
        "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"};
    for (int i = 0; i < greek.length; i++) {
      m.put(0x03B1 + i, " \\" + greek[i] + " ");
      m.put(0x1D6FC + i, " \\" + greek[i] + " ");
    }
    String[] upper = {"A", "B", "\\Gamma", "\\Delta", "E", "Z", "H", "\\Theta", "I", "K", "\\Lambda", "M", "N",
        "\\Xi", "O", "\\Pi", "P", null, "\\Sigma", "T", "\\Upsilon", "\\Phi", "X", "\\Psi", "\\Omega"};
    for (int i = 0; i < upper.length; i++) {
      if (upper[i] != null) {
        m.put(0x0391 + i, upper[i].startsWith("\\") ? " " + upper[i] + " " : upper[i]);
      }
    }
    m.put(0x03D5, " \\phi ");
    m.put(0x03F5, " \\epsilon");
    m.put(0x03B5, " \\varepsilon ");
    m.put(0x221E, " \\infty ");
    m.put(0x2264, " \\leq ");
    m.put(0x2265, " \\geq ");
    m.put(0x2260, " \\neq ");
    m.put(0x2248, " \\approx ");
    m.put(0x2261, " \\equiv ");
    m.put(0x00B1, " \\pm ");
    m.put(0x2213, " \\mp ");
    m.put(0x00D7, "\\times ");
    m.put(0x00F7, " \\div ");
    m.put(0x22C5, " \\cdot ");
    m.put(0x00B7, " \\cdot ");
    m.put(0x2219, " \\cdot ");
    m.put(0x2212, "-");
    m.put(0x2013, "-");
    m.put(0x2014, "-");
    m.put(0x2026, " \\text{ \\textellipsis } ");
    m.put(0x22EF, " \\cdots ");
    m.put(0x2208, " \\in ");
    m.put(0x2209, " \\notin ");
    m.put(0x2202, " \\partial ");
    m.put(0x2207, " \\nabla ");
    m.put(0x2200, " \\forall ");
    m.put(0x2203, " \\exists ");
    m.put(0x2229, " \\cap ");
    m.put(0x222A, " \\cup ");
    m.put(0x2282, " \\subset ");
    m.put(0x2283, " \\supset ");
    m.put(0x2286, " \\subseteq ");
    m.put(0x2287, " \\supseteq ");
    m.put(0x2192, " \\rightarrow ");
    m.put(0x2190, " \\leftarrow ");
    m.put(0x2194, " \\leftrightarrow ");
    m.put(0x21D2, " \\Rightarrow ");
    m.put(0x21D4, " \\Leftrightarrow ");
    m.put(0x221A, " \\surd ");
    m.put(0x221D, " \\propto ");
    m.put(0x2032, "'");
    m.put(0x00B0, "^{\\circ}");
    m.put(0x2211, " \\sum ");
    m.put(0x220F, " \\prod ");
    m.put(0x222B, " \\int ");
    m.put(0x2061, "");
    m.put(0x200B, "");
    return m;
  }
}
