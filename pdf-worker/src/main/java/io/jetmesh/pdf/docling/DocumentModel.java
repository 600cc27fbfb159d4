package io.jetmesh.pdf.docling;

import java.util.List;
import java.util.Map;

/**
 * A converted document: the body in reading order (furniture items are included and flagged), and the page sizes.
 *
 * @param pages page number -> {width, height} in points
 */
public record DocumentModel(String name, String filename, java.math.BigInteger binaryHash, List<DocNode> body,
                            Map<Integer, float[]> pages) {}
