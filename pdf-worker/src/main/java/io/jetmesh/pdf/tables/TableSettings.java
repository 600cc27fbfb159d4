package io.jetmesh.pdf.tables;

/**
 * Options of the table extractor.
 *
 * @param accurate docling's table mode: {@code true} = "accurate", {@code false} = "fast". Accepted so that
 *                 docling options map one to one, and deliberately without effect (undocumented in
 *                 docs/pdf-worker.md): both modes run the full lattice + stream algorithm, because it costs about
 *                 half a millisecond of CPU per page (see {@code IcdarEval}), so a cheaper "fast" variant would buy
 *                 nothing, and no slower variant has been found that scores better.
 */
public record TableSettings(boolean accurate) {
  public static final TableSettings DEFAULT = new TableSettings(true);
  public static final TableSettings FAST = new TableSettings(false);
}
