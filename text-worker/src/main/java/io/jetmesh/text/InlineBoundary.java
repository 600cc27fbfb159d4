package io.jetmesh.text;

import io.jetmesh.text.DoclingTree.Node;
import io.jetmesh.text.DoclingTree.Type;

/**
 * Whether two consecutive parts of an inline group are joined with a space: docling-core's
 * {@code _join_inline_parts} / {@code _classify_inline_boundary} ({@code transforms/serializer/common.py}). Source
 * signals decide first (whitespace at the end or start of {@code orig}, the gap between the character spans of the
 * two items on one page); then the styling of adjacent words (a styled word next to plain text, a single styled
 * letter); code, formulas and links are kept apart from words. Everything undecided is joined without a space.
 */
final class InlineBoundary {
  private InlineBoundary() {}

  private enum Kind { SPACE, JOIN, UNKNOWN }

  static boolean space(String prevText, Node prevItem, String text, Node item) {
    return classify(prevText, prevItem, text, item) == Kind.SPACE;
  }

  private static Kind classify(String prevText, Node prev, String text, Node item) {
    int prevTail = prevText.codePointBefore(prevText.length());
    int currHead = text.codePointAt(0);
    if (PyText.isSpace(prevTail) || PyText.isSpace(currHead)) {
      return Kind.JOIN;
    }
    if (prev == null || item == null) {
      return Kind.UNKNOWN;
    }
    Kind source = source(prev, item);
    if (source != Kind.UNKNOWN) {
      return source;
    }
    boolean prevText_ = prev.type.isText();
    boolean currText = item.type.isText();
    if (prevText_ && currText && !atom(prev) && !atom(item)) {
      Kind t = textBoundary(prev, item);
      if (t != Kind.UNKNOWN) {
        return t;
      }
    }
    String prevRaw = prevText_ ? prev.text : prevText;
    String currRaw = currText ? item.text : text;
    int prevRawTail = prevRaw.isEmpty() ? prevTail : prevRaw.codePointBefore(prevRaw.length());
    int currRawHead = currRaw.isEmpty() ? currHead : currRaw.codePointAt(0);
    if (prevText_ && atom(item)) {
      return isAlnum(prevRawTail) || prevRawTail == ':' || prevRawTail == ';' || prevRawTail == ',' || prevRawTail == '&'
          ? Kind.SPACE : Kind.UNKNOWN;
    }
    if (atom(prev) && currText) {
      return isAlnum(currRawHead) || currRawHead == '(' || currRawHead == '&' ? Kind.SPACE : Kind.UNKNOWN;
    }
    return Kind.UNKNOWN;
  }

  private static Kind source(Node prev, Node item) {
    if (!prev.orig.isEmpty() && PyText.isSpace(prev.orig.codePointBefore(prev.orig.length()))
        || !item.orig.isEmpty() && PyText.isSpace(item.orig.codePointAt(0))) {
      return Kind.SPACE;
    }
    if (prev.lastProv != null && item.firstProv != null && prev.lastProv[0] == item.firstProv[0]) {
      int gap = item.firstProv[1] - prev.lastProv[2];
      if (gap == 0) {
        return Kind.JOIN;
      }
      if (gap > 0) {
        return Kind.SPACE;
      }
    }
    return Kind.UNKNOWN;
  }

  private static Kind textBoundary(Node prev, Node item) {
    String p = prev.text;
    String c = item.text;
    if (p.isEmpty() || c.isEmpty()) {
      return Kind.UNKNOWN;
    }
    int pTail = p.codePointBefore(p.length());
    int cHead = c.codePointAt(0);
    boolean pStyled = styled(prev);
    boolean cStyled = styled(item);
    if (c.equals("&") && isAlnum(pTail) && pStyled) {
      return Kind.SPACE;
    }
    if (p.equals("&") && isAlnum(cHead) && cStyled) {
      return Kind.SPACE;
    }
    if ((pTail == ':' || pTail == ';' || pTail == ',') && cStyled) {
      return Kind.SPACE;
    }
    if (!(isAlnum(pTail) && isAlnum(cHead))) {
      return Kind.UNKNOWN;
    }
    if (PyText.length(p) == 1 && pStyled && !cStyled || PyText.length(c) == 1 && cStyled && !pStyled) {
      return Kind.JOIN;
    }
    if (pStyled && hasSpace(p) || cStyled && hasSpace(c)) {
      return Kind.SPACE;
    }
    if (pStyled && cStyled) {
      return Kind.SPACE;
    }
    if (pStyled != cStyled) {
      // no source positions: join a short lowercase continuation ("Pars" + "ing"), else separate
      return isAlpha(c) && isLower(c) && PyText.length(c) <= 3 ? Kind.JOIN : Kind.SPACE;
    }
    return Kind.UNKNOWN;
  }

  private static boolean styled(Node n) {
    DoclingTree.Formatting f = n.formatting;
    return f.bold() || f.italic() || f.underline() || f.strikethrough() || n.scripted || n.hyperlink != null;
  }

  /** Code, formulas and links stay visually apart from words. */
  private static boolean atom(Node n) {
    return n.type == Type.CODE || n.type == Type.FORMULA || n.type.isText() && n.hyperlink != null;
  }

  private static boolean hasSpace(String s) {
    return s.codePoints().anyMatch(PyText::isSpace);
  }

  /** Python's {@code str.isalnum()} for one character: letters and numbers of any script. */
  static boolean isAlnum(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int t = Character.getType(cp);
    return t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
  }

  private static boolean isAlpha(String s) {
    return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
  }

  /** Python's {@code str.islower()}: a cased character and no upper- or titlecase one. */
  private static boolean isLower(String s) {
    boolean cased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
        return false;
      }
      cased |= Character.isLowerCase(cp);
      i += Character.charCount(cp);
    }
    return cased;
  }
}
