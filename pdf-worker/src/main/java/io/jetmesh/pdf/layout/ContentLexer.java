package io.jetmesh.pdf.layout;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A tokenizer for page content streams that allocates only what the text pass keeps: numbers are parsed straight to
 * floats (no {@code COSFloat}, no {@code Float.parseFloat} on a string), names and strings only where an operator
 * needs them, and dictionaries (marked-content properties, inline image parameters) are skipped. Inline image data is
 * skipped up to its {@code EI}.
 *
 * <p>Lenient like PDF readers must be: a malformed token becomes an operand of no use rather than an error, and a
 * stream that ends inside a token ends the stream.
 */
final class ContentLexer {
  enum Kind { NUMBER, NAME, STRING, ARRAY, OTHER, OPERATOR, EOF }

  /** Arrays nested deeper than this (hostile content) are read flat. */
  private static final int MAX_NESTING = 32;
  /** Longest literal or hex string kept; longer strings are truncated (a text operator never needs more). */
  private static final int MAX_STRING = 1 << 20;

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int lim;

  // the current token
  Kind kind;
  float number;
  String text; // NAME (without the slash) or OPERATOR
  byte[] bytes; // STRING
  List<Object> array; // ARRAY: Float and byte[] elements (other elements dropped)

  private final StringBuilder word = new StringBuilder(16);
  private byte[] strBuf = new byte[256];

  ContentLexer(InputStream in) {
    this.in = in;
  }

  private int peek() throws IOException {
    if (pos < lim) {
      return buf[pos] & 0xff;
    }
    lim = in.read(buf, 0, buf.length);
    pos = 0;
    if (lim <= 0) {
      lim = 0;
      return -1;
    }
    return buf[0] & 0xff;
  }

  private int read() throws IOException {
    int c = peek();
    if (c >= 0) {
      pos++;
    }
    return c;
  }

  static boolean isWhitespace(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
  }

  static boolean isDelimiter(int c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/'
        || c == '%';
  }

  private void skipSpaceAndComments() throws IOException {
    while (true) {
      int c = peek();
      if (c < 0) {
        return;
      }
      if (isWhitespace(c)) {
        pos++;
      } else if (c == '%') {
        while (c >= 0 && c != '\n' && c != '\r') {
          pos++;
          c = peek();
        }
      } else {
        return;
      }
    }
  }

  /** Reads the next token into the fields above and returns its kind. */
  Kind next() throws IOException {
    kind = nextToken(0);
    return kind;
  }

  private Kind nextToken(int depth) throws IOException {
    skipSpaceAndComments();
    int c = peek();
    if (c < 0) {
      return Kind.EOF;
    }
    switch (c) {
      case '/' -> {
        pos++;
        text = readName();
        return Kind.NAME;
      }
      case '(' -> {
        pos++;
        bytes = readLiteralString();
        return Kind.STRING;
      }
      case '<' -> {
        pos++;
        if (peek() == '<') {
          pos++;
          skipDictionary(depth + 1);
          return Kind.OTHER;
        }
        bytes = readHexString();
        return Kind.STRING;
      }
      case '[' -> {
        pos++;
        array = readArray(depth + 1);
        return Kind.ARRAY;
      }
      case ']', '>', ')', '{', '}' -> {
        pos++; // stray delimiter: PDFBox skips these too
        return Kind.OTHER;
      }
      default -> {
        if (c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
          number = readNumber();
          return Kind.NUMBER;
        }
        text = readWord();
        if (text.equals("true") || text.equals("false") || text.equals("null")) {
          return Kind.OTHER;
        }
        return Kind.OPERATOR;
      }
    }
  }

  private String readWord() throws IOException {
    word.setLength(0);
    int c = peek();
    while (c >= 0 && !isWhitespace(c) && !isDelimiter(c)) {
      word.append((char) c);
      pos++;
      c = peek();
    }
    if (word.length() == 0) {
      pos++; // cannot happen for a non-delimiter; guards against a stuck loop
    }
    return word.toString();
  }

  private String readName() throws IOException {
    word.setLength(0);
    int c = peek();
    while (c >= 0 && !isWhitespace(c) && !isDelimiter(c)) {
      pos++;
      if (c == '#') {
        int h1 = hex(peek());
        if (h1 >= 0) {
          pos++;
          int h2 = hex(peek());
          if (h2 >= 0) {
            pos++;
            c = h1 * 16 + h2;
          } else {
            c = h1;
          }
        }
      }
      word.append((char) c);
      c = peek();
    }
    return word.toString();
  }

  private static int hex(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** A number as PDF writes them: sign, digits, one decimal point. Malformed numbers read as far as they make sense. */
  private float readNumber() throws IOException {
    boolean negative = false;
    int c = peek();
    // PDFBox accepts repeated signs ("--5" is read as -5 by some producers' readers); take the last sign
    while (c == '+' || c == '-') {
      negative = c == '-';
      pos++;
      c = peek();
    }
    long mantissa = 0;
    int digits = 0;
    int scale = 0;
    boolean point = false;
    boolean overflow = false;
    StringBuilder slow = null;
    while (true) {
      if (c >= '0' && c <= '9') {
        if (digits < 18) {
          mantissa = mantissa * 10 + (c - '0');
          if (mantissa != 0) {
            digits++;
          }
          if (point) {
            scale++;
          }
        } else {
          overflow = true;
          if (!point) {
            scale--;
          }
        }
        pos++;
      } else if (c == '.' && !point) {
        point = true;
        pos++;
      } else if (c == '.' || c == '-' || c == '+') {
        pos++; // "1.2.3" or "5-3": malformed; PDFBox also reads the leading part
        while ((c = peek()) >= 0 && ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+')) {
          pos++;
        }
        break;
      } else {
        break;
      }
      c = peek();
    }
    double v = mantissa;
    if (scale > 0) {
      v = scale < POWERS.length ? v / POWERS[scale] : v / Math.pow(10, scale);
    } else if (scale < 0) {
      v = v * Math.pow(10, -scale);
    }
    if (overflow && Double.isInfinite(v)) {
      v = Double.MAX_VALUE;
    }
    float f = (float) (negative ? -v : v);
    return f;
  }

  private static final double[] POWERS = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
      1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private void putByte(int n, int b) {
    if (n >= strBuf.length) {
      strBuf = java.util.Arrays.copyOf(strBuf, strBuf.length * 2);
    }
    strBuf[n] = (byte) b;
  }

  private byte[] readLiteralString() throws IOException {
    int n = 0;
    int depth = 1;
    while (true) {
      int c = read();
      if (c < 0) {
        break;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        if (--depth == 0) {
          break;
        }
      } else if (c == '\\') {
        c = read();
        switch (c) {
          case 'n' -> c = '\n';
          case 'r' -> c = '\r';
          case 't' -> c = '\t';
          case 'b' -> c = '\b';
          case 'f' -> c = '\f';
          case '\r' -> {
            if (peek() == '\n') {
              pos++;
            }
            continue; // line continuation
          }
          case '\n' -> {
            continue;
          }
          case -1 -> {
            c = -1;
          }
          default -> {
            if (c >= '0' && c <= '7') {
              int v = c - '0';
              for (int k = 0; k < 2; k++) {
                int d = peek();
                if (d >= '0' && d <= '7') {
                  v = v * 8 + (d - '0');
                  pos++;
                } else {
                  break;
                }
              }
              c = v & 0xff;
            }
            // any other escaped character stands for itself: \( \) \\ and unknown escapes
          }
        }
        if (c < 0) {
          break;
        }
      }
      if (n < MAX_STRING) {
        putByte(n++, c);
      }
    }
    return java.util.Arrays.copyOf(strBuf, n);
  }

  private byte[] readHexString() throws IOException {
    int n = 0;
    int hi = -1;
    while (true) {
      int c = read();
      if (c < 0 || c == '>') {
        break;
      }
      int h = hex(c);
      if (h < 0) {
        continue; // whitespace and junk inside hex strings are ignored
      }
      if (hi < 0) {
        hi = h;
      } else {
        if (n < MAX_STRING) {
          putByte(n++, hi * 16 + h);
        }
        hi = -1;
      }
    }
    if (hi >= 0 && n < MAX_STRING) {
      putByte(n++, hi * 16);
    }
    return java.util.Arrays.copyOf(strBuf, n);
  }

  private List<Object> readArray(int depth) throws IOException {
    List<Object> out = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      int c = peek();
      if (c < 0) {
        return out;
      }
      if (c == ']') {
        pos++;
        return out;
      }
      if (c == '[' && depth >= MAX_NESTING) {
        pos++; // read deeply nested arrays flat
        continue;
      }
      Kind k = nextToken(depth);
      switch (k) {
        case NUMBER -> out.add(number);
        case STRING -> out.add(bytes);
        case OPERATOR -> {
          // an operator inside an array: the array was never closed; PDFBox ends it here as well
          return out;
        }
        case EOF -> {
          return out;
        }
        default -> {
          // names, nested arrays, dictionaries: not used by TJ
        }
      }
    }
  }

  private void skipDictionary(int depth) throws IOException {
    while (true) {
      skipSpaceAndComments();
      int c = peek();
      if (c < 0) {
        return;
      }
      if (c == '>') {
        pos++;
        if (peek() == '>') {
          pos++;
        }
        return;
      }
      if (c == '<' && depth >= MAX_NESTING) {
        pos++;
        continue;
      }
      Kind k = nextToken(depth);
      if (k == Kind.EOF || k == Kind.OPERATOR) {
        return; // an operator cannot stand in a dictionary: it was never closed
      }
    }
  }

  /**
   * After {@code BI}: skips the image parameters, {@code ID}, the image data and {@code EI}. The data ends at the
   * first {@code EI} that stands alone (whitespace before, whitespace or the end after) and is followed by text that
   * looks like content operators, as in PDFBox: binary image data may contain "EI" by chance.
   */
  void skipInlineImage() throws IOException {
    // parameters: key/value tokens up to the ID operator
    while (true) {
      Kind k = nextToken(0);
      if (k == Kind.EOF) {
        return;
      }
      if (k == Kind.OPERATOR && text.equals("ID")) {
        break;
      }
    }
    if (isWhitespace(peek())) {
      pos++;
    }
    int prev2 = -1;
    int prev1 = -1;
    while (true) {
      int c = read();
      if (c < 0) {
        return;
      }
      if (prev1 == 'E' && c == 'I' && (prev2 < 0 || isWhitespace(prev2))) {
        int after = peek();
        if (after < 0 || isWhitespace(after) && followedByText()) {
          return;
        }
      }
      prev2 = prev1;
      prev1 = c;
    }
  }

  /** Whether the next bytes (as far as buffered, up to 32) are plain ASCII text, as content operators are. */
  private boolean followedByText() throws IOException {
    if (peek() < 0) {
      return true;
    }
    int end = Math.min(lim, pos + 32);
    for (int k = pos; k < end; k++) {
      int b = buf[k] & 0xff;
      if (b >= 0x80 || b < 0x20 && !isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }
}
