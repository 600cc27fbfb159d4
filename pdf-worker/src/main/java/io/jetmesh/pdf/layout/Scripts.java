package io.jetmesh.pdf.layout;

/**
 * Which scripts write words without spaces between them. Chinese and Japanese (Han, kana, their punctuation and
 * full-width forms) run characters together, so a gap between two of their glyphs (letter spacing of justified text)
 * and a line end inside a sentence are not word boundaries. Korean writes spaces between words and is not among
 * them.
 */
final class Scripts {
  private Scripts() {}

  /** Whether {@code c} belongs to a script written without spaces between words. */
  static boolean unspaced(int c) {
    if (c < 0x2e80) {
      return false;
    }
    if (c >= 0x3000 && c <= 0x303f || c >= 0xff00 && c <= 0xff60 || c >= 0xffe0 && c <= 0xffe6) {
      return true; // CJK punctuation, full-width forms
    }
    Character.UnicodeScript s = Character.UnicodeScript.of(c);
    return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
        || s == Character.UnicodeScript.KATAKANA || c == 0x30fc;
  }

  /** Whether text ending in {@code before} and text starting with {@code after} join without a space. */
  static boolean closeUp(CharSequence before, CharSequence after) {
    if (before.length() == 0 || after.length() == 0) {
      return false;
    }
    int a = Character.codePointBefore(before, before.length());
    int b = Character.codePointAt(after, 0);
    return unspaced(a) && unspaced(b);
  }
}
