package io.jetmesh.gateway;

import java.util.Locale;
import java.util.Set;

/**
 * The content types blobs are downloaded with. A stored content type comes from whoever stored the blob (a caller's
 * upload, a worker's artifact) and a link's {@code type} parameter from whoever wrote the link, so neither is sent
 * as it is: a {@code text/html} or {@code image/svg+xml} answer from the gateway's own origin would run its scripts
 * with the page's rights. Types outside this list go out as {@code application/octet-stream}; every download is
 * also an attachment with {@code nosniff} and a sandboxing {@code Content-Security-Policy}.
 */
final class DownloadTypes {
  static final String FALLBACK = "application/octet-stream";
  static final Set<String> ALLOWED = Set.of(
      "application/json", "application/pdf", "application/zip", FALLBACK,
      "text/plain", "text/markdown", "text/csv", "text/tab-separated-values",
      "image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "image/bmp",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation");

  private DownloadTypes() {}

  /** The type to send for {@code requested} (null, unknown or unsafe: {@link #FALLBACK}); text types get UTF-8. */
  static String of(String requested) {
    if (requested == null) {
      return FALLBACK;
    }
    int semi = requested.indexOf(';');
    String base = (semi < 0 ? requested : requested.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    if (!ALLOWED.contains(base)) {
      return FALLBACK;
    }
    return base.startsWith("text/") ? base + "; charset=utf-8" : base;
  }
}
