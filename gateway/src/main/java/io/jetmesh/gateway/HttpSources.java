package io.jetmesh.gateway;

import io.jetmesh.protocol.Units;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * docling-serve's {@code kind: http} sources: documents the gateway fetches by URL. Off unless an allow-list of hosts
 * is configured, because a gateway that fetches any URL lets its callers reach whatever the gateway can reach
 * (server-side request forgery). A fetch is allowed when its host matches the list ({@code example.org} exactly,
 * {@code *.example.org} any subdomain), its scheme is http or https, and every address the host resolves to is a
 * public one: loopback, link-local (cloud metadata at 169.254.169.254), private (10/8, 172.16/12, 192.168/16,
 * fc00::/7), CGNAT (100.64/10), multicast and unspecified addresses are refused unless {@code allowPrivate}.
 * Redirects are followed by hand (at most {@value #MAX_REDIRECTS}), each target checked the same way; bodies are
 * limited while they stream to disk, and every fetch has a time limit.
 *
 * <p>The address check happens before the connection; a host whose DNS answers change between the check and the
 * connection (DNS rebinding) could still reach an address the check refused. The allow-list is what bounds that:
 * list only hosts whose DNS you trust.
 */
public final class HttpSources {
  static final int MAX_REDIRECTS = 5;
  /** Off: every http source is refused. */
  public static final HttpSources DISABLED = new HttpSources(List.of(), false, 0, Duration.ZERO);
  /** Request headers a caller may not set on a fetch (they would change what the gateway connects to or claims). */
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "connection", "content-length", "expect",
      "upgrade", "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-connection", "forwarded",
      "x-forwarded-for", "x-forwarded-host", "x-real-ip");

  private final List<String> hosts;
  private final boolean allowPrivate;
  private final long maxBytes;
  private final Duration timeout;
  private final HttpClient client;

  private HttpSources(List<String> hosts, boolean allowPrivate, long maxBytes, Duration timeout) {
    this.hosts = List.copyOf(hosts);
    this.allowPrivate = allowPrivate;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.client = hosts.isEmpty() ? null : HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout).build();
  }

  /**
   * Fetching on for the given hosts.
   *
   * @param allowList comma-separated hosts: {@code docs.example.org,*.cdn.example.org}; {@code *} alone allows any
   *     public host
   * @param allowPrivate also fetch from loopback, link-local and private addresses (a gateway inside a trusted network)
   * @param maxBytes the largest document fetched
   * @param timeout for the whole fetch of one document
   */
  public static HttpSources allow(String allowList, boolean allowPrivate, long maxBytes, Duration timeout) {
    List<String> hosts = new ArrayList<>();
    for (String h : Objects.requireNonNull(allowList, "allowList").split(",")) {
      String t = h.strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (!t.matches("\\*|(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\\[?[0-9a-f:.]+]?")) {
        throw new IllegalArgumentException("not a host name or *.domain pattern in the http source allow-list: '" + h + "'");
      }
      hosts.add(t);
    }
    if (hosts.isEmpty()) {
      return DISABLED;
    }
    if (maxBytes <= 0 || timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("http sources need a size limit and a timeout > 0");
    }
    return new HttpSources(hosts, allowPrivate, maxBytes, timeout);
  }

  public boolean enabled() {
    return !hosts.isEmpty();
  }

  String describe() {
    return enabled() ? "http sources from " + String.join(",", hosts) + (allowPrivate ? " (private addresses allowed)" : "")
        + ", up to " + Units.formatBytes(maxBytes) + " in " + timeout.toSeconds() + "s" : "http sources off";
  }

  /** A fetch that was refused or failed: the message says why and what to do. */
  static final class FetchException extends Exception {
    final int status;

    FetchException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** The fetched document in {@code dir}; {@code limit} lowers the size limit (the caller's upload limit). */
  Path fetch(String url, Map<String, String> headers, Path dir, long limit) throws FetchException {
    if (!enabled()) {
      throw new FetchException(403, "this gateway does not fetch http sources (its operator has not allowed any hosts:"
          + " jetmesh-gateway --http-sources HOSTS); send the document as a kind 'file' source (base64) or upload it"
          + " to /v1/convert/file");
    }
    long max = Math.min(limit, maxBytes);
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new FetchException(422, "not a valid URL: " + url);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      check(uri);
      HttpRequest.Builder rb = HttpRequest.newBuilder(uri).GET().timeout(remaining(deadline, url));
      if (headers != null && hop == 0) {
        headers.forEach((k, v) -> {
          if (!FORBIDDEN_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
            rb.header(k, v);
          }
        });
      }
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new FetchException(502, "cannot fetch " + redact(uri) + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FetchException(503, "interrupted while fetching " + redact(uri));
      } catch (IllegalArgumentException e) {
        throw new FetchException(422, "cannot fetch " + redact(uri) + ": " + e.getMessage());
      }
      int code = resp.statusCode();
      if (code >= 300 && code < 400 && resp.headers().firstValue("Location").isPresent()) {
        close(resp.body());
        uri = uri.resolve(resp.headers().firstValue("Location").get());
        continue;
      }
      if (code != 200) {
        close(resp.body());
        throw new FetchException(502, redact(uri) + " answered HTTP " + code);
      }
      long declared = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (declared > max) {
        close(resp.body());
        throw new FetchException(413, redact(uri) + " is " + Units.formatBytes(declared) + ", larger than the limit of "
            + Units.formatBytes(max) + " for fetched documents");
      }
      Path file = dir.resolve("fetched-" + hop + "-" + System.nanoTime());
      try (InputStream in = resp.body(); OutputStream out = Files.newOutputStream(file)) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
          total += n;
          if (total > max) {
            throw new FetchException(413, redact(uri) + " is larger than the limit of " + Units.formatBytes(max)
                + " for fetched documents");
          }
          if (System.nanoTime() > deadline) {
            throw new FetchException(504, "fetching " + redact(uri) + " took longer than " + timeout.toSeconds() + "s");
          }
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        throw new FetchException(502, "cannot fetch " + redact(uri) + ": " + e.getMessage());
      }
      return file;
    }
    throw new FetchException(502, "more than " + MAX_REDIRECTS + " redirects from " + url);
  }

  private Duration remaining(long deadline, String url) throws FetchException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new FetchException(504, "fetching " + url + " took longer than " + timeout.toSeconds() + "s");
    }
    return Duration.ofNanos(left);
  }

  /** Scheme, host on the allow-list, every address public (unless private ones are allowed). */
  void check(URI uri) throws FetchException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(422, "only http and https sources are fetched, not '" + scheme + "'");
    }
    if (uri.getUserInfo() != null) {
      throw new FetchException(422, "a source URL may not carry credentials (user:password@); send them as headers");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new FetchException(422, "the source URL has no host: " + redact(uri));
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!allowed(host)) {
      throw new FetchException(403, "host '" + host + "' is not on this gateway's allow-list for http sources ("
          + String.join(",", hosts) + "); ask its operator to add it, or send the document as a file");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    } catch (UnknownHostException e) {
      throw new FetchException(502, "cannot resolve host '" + host + "'");
    }
    if (!allowPrivate) {
      for (InetAddress a : addresses) {
        if (!isPublic(a)) {
          throw new FetchException(403, "host '" + host + "' resolves to " + a.getHostAddress() + ", a loopback,"
              + " link-local or private address; this gateway fetches only from public addresses");
        }
      }
    }
  }

  boolean allowed(String host) {
    for (String h : hosts) {
      if (h.equals("*") || h.equals(host) || h.startsWith("*.") && host.endsWith(h.substring(1))) {
        return true;
      }
    }
    return false;
  }

  static boolean isPublic(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return false;
        }
      }
      return true;
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    return !(b0 == 0 || b0 == 100 && b1 >= 64 && b1 < 128 || b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0
        || b0 >= 240);
  }

  private static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the answer is dropped anyway
    }
  }
}
