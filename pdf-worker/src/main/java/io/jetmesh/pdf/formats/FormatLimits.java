package io.jetmesh.pdf.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jetmesh.worker.JobException;

/**
 * Bounds on what a conversion may unpack, so that a ZIP bomb, a sheet with a billion cells or a page of ten million
 * elements fails with {@code TOO_LARGE} instead of exhausting the worker. A job's options may lower each limit
 * ({@code max_zip_entries}, {@code max_uncompressed_size}, {@code max_cells}, {@code max_items}); asking for more
 * than the worker's limit is refused ({@code INVALID_INPUT}), never granted.
 *
 * @param maxZipEntries entries an OOXML container may have
 * @param maxUncompressedBytes bytes an OOXML container may inflate to, all parts together
 * @param maxCompressionRatio uncompressed/compressed ratio above which a part counts as a bomb (checked past 1 MiB)
 * @param maxCells spreadsheet and table cells a document may have (empty cells included within a sheet's used range)
 * @param maxItems items (texts, groups, tables, pictures) a document may have
 * @param maxTextBytes bytes of a text input (HTML, Markdown, CSV, AsciiDoc, plain text)
 */
public record FormatLimits(long maxZipEntries, long maxUncompressedBytes, double maxCompressionRatio, long maxCells,
                           long maxItems, long maxTextBytes) {
  public static final FormatLimits DEFAULT = new FormatLimits(20_000, 1L << 30, 200, 2_000_000, 2_000_000, 256L << 20);

  public FormatLimits {
    require(maxZipEntries, "maxZipEntries");
    require(maxUncompressedBytes, "maxUncompressedBytes");
    require(maxCells, "maxCells");
    require(maxItems, "maxItems");
    require(maxTextBytes, "maxTextBytes");
    if (!(maxCompressionRatio >= 1)) {
      throw new IllegalArgumentException("maxCompressionRatio must be >= 1: " + maxCompressionRatio);
    }
  }

  private static void require(long v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1: " + v);
    }
  }

  /** These limits, lowered where the job's options ask for less. */
  public FormatLimits tightenedBy(ObjectNode options) throws JobException {
    return new FormatLimits(
        lower(options, "max_zip_entries", maxZipEntries),
        lower(options, "max_uncompressed_size", maxUncompressedBytes),
        maxCompressionRatio,
        lower(options, "max_cells", maxCells),
        lower(options, "max_items", maxItems),
        maxTextBytes);
  }

  private static long lower(ObjectNode o, String field, long limit) throws JobException {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return limit;
    }
    if (!v.canConvertToLong() || v.asLong() < 1) {
      throw JobException.invalidInput(field + " must be a positive integer: " + v);
    }
    if (v.asLong() > limit) {
      throw JobException.invalidInput(field + " may only lower this worker's limit of " + limit + ", not raise it to "
          + v.asLong());
    }
    return v.asLong();
  }
}
