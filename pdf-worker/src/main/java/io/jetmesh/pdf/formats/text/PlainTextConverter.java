package io.jetmesh.pdf.formats.text;

import io.jetmesh.pdf.docling.DocTree;
import io.jetmesh.pdf.formats.ConversionContext;
import io.jetmesh.pdf.formats.Detection;
import io.jetmesh.pdf.formats.TextInput;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import java.nio.file.Path;

/** Plain text: paragraphs separated by blank lines become text items, their lines joined by spaces. */
public final class PlainTextConverter {
  private PlainTextConverter() {}

  public static void convert(Path file, Detection detection, ConversionContext cx, DocTree tree)
      throws IOException, JobException {
    String text = TextInput.read(file, cx.limits()).replace("\r\n", "\n").replace('\r', '\n');
    int n = 0;
    for (String para : text.split("\\n\\s*\\n")) {
      String t = para.strip().replaceAll("\\s*\\n\\s*", " ");
      if (!t.isEmpty()) {
        tree.text("text", t);
      }
      if ((++n & 1023) == 0) {
        cx.checkCancelled();
      }
    }
  }
}
