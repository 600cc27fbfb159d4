package io.jetmesh.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The page, its scripts and styles, the API page and the OpenAPI document: classpath resources under {@code web/}. */
final class StaticAssets {
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png");
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  void serve(Context ctx, String file) {
    if (!file.matches("[A-Za-z0-9_-]+\\.(html|js|css|json|svg|png)")) {
      throw ApiException.notFound("not_found", "no asset '" + file + "'");
    }
    byte[] data = cache.computeIfAbsent(file, f -> {
      try (InputStream in = StaticAssets.class.getResourceAsStream("/web/" + f)) {
        return in == null ? new byte[0] : in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    if (data.length == 0) {
      cache.remove(file);
      throw ApiException.notFound("not_found", "no asset '" + file + "'");
    }
    String ext = file.substring(file.lastIndexOf('.') + 1);
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    if (ext.equals("html")) {
      ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    }
    ctx.contentType(TYPES.get(ext)).result(data);
  }
}
