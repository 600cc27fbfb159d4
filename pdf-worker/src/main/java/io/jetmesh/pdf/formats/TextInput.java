package io.jetmesh.pdf.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a text input whole, bounded by {@link FormatLimits#maxTextBytes()}: UTF-8 (BOM dropped), UTF-16 by BOM, else Latin-1. */
public final class TextInput {
  private TextInput() {}

  public static String read(Path file, FormatLimits limits) throws IOException {
    long size = Files.size(file);
    if (size > limits.maxTextBytes()) {
      throw new LimitExceededException("the text input has " + size + " bytes, more than the limit of "
          + limits.maxTextBytes());
    }
    byte[] b;
    try (InputStream in = Files.newInputStream(file)) {
      b = in.readAllBytes();
    }
    return decode(b);
  }

  static String decode(byte[] b) {
    if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
      return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
    }
    if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
      return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
    }
    int off = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b, off, b.length - off))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(b, off, b.length - off, StandardCharsets.ISO_8859_1);
    }
  }
}
