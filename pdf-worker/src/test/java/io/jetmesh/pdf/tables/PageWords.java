package io.jetmesh.pdf.tables;

import io.jetmesh.pdf.PageAnalyzer;
import io.jetmesh.pdf.PdfOptions;
import io.jetmesh.worker.JobException;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;

/** A page's words and rulings as the worker's handlers give them to the table extractor (the production path). */
public final class PageWords {
  private PageWords() {
  }

  /** The content of 1-based page {@code pageNo}. */
  public static PageContent read(PDDocument doc, int pageNo) throws IOException {
    try {
      return new PageAnalyzer(doc, PdfOptions.DEFAULT, null, null).content(pageNo);
    } catch (JobException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
