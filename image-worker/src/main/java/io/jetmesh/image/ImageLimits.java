package io.jetmesh.image;

/**
 * Decoding limits: checked against the image header before any pixel is decoded, so a decompression bomb fails
 * with {@code TOO_LARGE} instead of exhausting the heap.
 *
 * @param maxPixels largest width x height of one page/frame
 * @param maxPages most pages/frames read from one file
 */
public record ImageLimits(long maxPixels, int maxPages) {
  /** 100 megapixels (a 400 MB ARGB raster at most) and 500 pages. */
  public static final ImageLimits DEFAULT = new ImageLimits(100_000_000L, 500);

  public ImageLimits {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("max_pixels must be >= 1: " + maxPixels);
    }
    if (maxPages < 1) {
      throw new IllegalArgumentException("max_pages must be >= 1: " + maxPages);
    }
  }

  /** These limits lowered by a job's {@code max_pixels}/{@code max_pages} options; a job can never raise them. */
  public ImageLimits lowered(long jobMaxPixels, int jobMaxPages) {
    return new ImageLimits(jobMaxPixels > 0 ? Math.min(maxPixels, jobMaxPixels) : maxPixels,
        jobMaxPages > 0 ? Math.min(maxPages, jobMaxPages) : maxPages);
  }
}
