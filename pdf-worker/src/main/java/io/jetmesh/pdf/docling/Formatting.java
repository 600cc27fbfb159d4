package io.jetmesh.pdf.docling;

/**
 * Character formatting of a text item, as docling's {@code Formatting}: bold, italic, underline, strikethrough and
 * the vertical script ({@code baseline}, {@code sub}, {@code super}).
 */
public record Formatting(boolean bold, boolean italic, boolean underline, boolean strikethrough, String script) {
  public static final Formatting PLAIN = new Formatting(false, false, false, false, "baseline");

  public Formatting {
    script = script == null ? "baseline" : script;
  }

  public boolean isPlain() {
    return equals(PLAIN);
  }

  public Formatting withBold(boolean b) {
    return new Formatting(b, italic, underline, strikethrough, script);
  }

  public Formatting withItalic(boolean i) {
    return new Formatting(bold, i, underline, strikethrough, script);
  }

  public Formatting withUnderline(boolean u) {
    return new Formatting(bold, italic, u, strikethrough, script);
  }

  public Formatting withStrikethrough(boolean s) {
    return new Formatting(bold, italic, underline, s, script);
  }

  public Formatting withScript(String s) {
    return new Formatting(bold, italic, underline, strikethrough, s);
  }
}
