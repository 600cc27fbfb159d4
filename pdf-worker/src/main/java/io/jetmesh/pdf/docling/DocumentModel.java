package io.jetmesh.pdf.docling;

import java.util.List;
import java.util.Map;

/**
 * A converted document: the body in reading order (furniture items are included and flagged), and the page sizes.
 *
 * @param pages page number -> {width, height} in points (slides: EMU; sheets: columns x rows); empty for documents
 *     without pages (DOCX, HTML, Markdown, CSV)
 * @param mimetype the input's media type, for {@code origin.mimetype}
 */
public record DocumentModel(String name, String filename, java.math.BigInteger binaryHash, List<DocNode> body,
                            Map<Integer, float[]> pages, String mimetype) {
  /** A PDF's model. */
  public DocumentModel(String name, String filename, java.math.BigInteger binaryHash, List<DocNode> body,
                       Map<Integer, float[]> pages) {
    this(name, filename, binaryHash, body, pages, "application/pdf");
  }
}
