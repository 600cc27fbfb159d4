package io.jetmesh.gateway;

import java.net.URI;
import java.util.Locale;

/**
 * What keeps the browser from turning a gateway without authentication ({@code jetmesh dev}, {@code --no-auth})
 * against its own user. Binding to 127.0.0.1 is not enough: any web page the developer visits can post a form to
 * {@code http://127.0.0.1:8080/} (cross-site request), and a page on a domain the attacker re-points to 127.0.0.1
 * (DNS rebinding) can even read the answers, since the browser then takes the gateway for the page's own origin.
 *
 * <p>So without authentication every request must name a loopback host in {@code Host} (a rebound page sends its
 * own domain there), and a request a browser marks as coming from a page must come from a loopback origin
 * ({@code Origin} and {@code Sec-Fetch-Site}). Tools (curl, the Java client) send no {@code Origin} and pass.
 */
final class LocalOnlyGuard {
  private LocalOnlyGuard() {}

  /**
   * @throws ApiException 403 naming which header was refused
   */
  static void check(String host, String origin, String secFetchSite) {
    if (host == null || !isLoopbackName(hostName(host))) {
      throw new ApiException(403, "forbidden_host", "this gateway runs without authentication and answers only requests"
          + " for localhost, 127.0.0.1 or [::1] (Host was '" + host + "'); this protects it from DNS rebinding."
          + " Run it with authentication to serve other host names");
    }
    if (origin != null && !isLoopbackOrigin(origin)) {
      throw new ApiException(403, "forbidden_origin", "this gateway runs without authentication and refuses requests"
          + " from web pages of other sites (Origin '" + origin + "'): open the page from the gateway itself");
    }
    if ("cross-site".equalsIgnoreCase(secFetchSite)) {
      throw new ApiException(403, "forbidden_origin", "this gateway runs without authentication and refuses"
          + " cross-site requests (Sec-Fetch-Site: cross-site)");
    }
  }

  /** The host of a {@code Host} header value, without port and brackets, lower case. */
  static String hostName(String hostHeader) {
    String h = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && colon == h.lastIndexOf(':')) {
      h = h.substring(0, colon);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /**
   * {@code localhost}, a name under {@code .localhost} (browsers resolve those to loopback themselves, never through
   * DNS), {@code 127.x.y.z} and {@code ::1}.
   */
  static boolean isLoopbackName(String name) {
    return name.equals("localhost") || name.endsWith(".localhost") || name.equals("::1")
        || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  static boolean isLoopbackOrigin(String origin) {
    try {
      URI u = URI.create(origin.trim());
      String scheme = u.getScheme();
      String host = u.getHost();
      return ("http".equals(scheme) || "https".equals(scheme)) && host != null
          && isLoopbackName(hostName(host));
    } catch (IllegalArgumentException e) {
      return false; // "null" (sandboxed frames, file:) and anything unparsable
    }
  }
}
