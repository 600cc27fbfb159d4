package io.jetmesh.pdf.tables;

/**
 * Options of the table extractor.
 *
 * @param accurate docling's table mode: {@code true} = "accurate", {@code false} = "fast". Accepted so that
 *                 docling options map one to one; both modes currently run the full lattice + stream algorithm,
 *                 because it costs well under a millisecond of CPU per page (see {@code IcdarEval}), so a cheaper
 *                 "fast" variant would buy nothing.
 */
public record TableSettings(boolean accurate) {
  public static final TableSettings DEFAULT = new TableSettings(true);
  public static final TableSettings FAST = new TableSettings(false);
}
