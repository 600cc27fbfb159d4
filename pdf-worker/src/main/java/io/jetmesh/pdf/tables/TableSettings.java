package io.jetmesh.pdf.tables;

/**
 * Options of the table extractor.
 *
 * @param accurate docling's table mode: {@code true} = "accurate", {@code false} = "fast". Both find ruled
 *                 (lattice) and unruled (stream) tables; accurate spends more effort on unruled tables.
 */
public record TableSettings(boolean accurate) {
  public static final TableSettings DEFAULT = new TableSettings(true);
}
