package io.jetmesh.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process works: 200 unless handlers are wedged), {@code /readyz} (connected, consuming, not
 * draining) and Prometheus {@code /metrics}, on the JDK's built-in HTTP server: no extra dependency on a worker host.
 */
final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  HealthServer(int port, BooleanSupplier healthy, BooleanSupplier ready, Supplier<String> describe) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 16);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "jetmesh-health-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/healthz", ex -> respond(ex, healthy.getAsBoolean() ? 200 : 503,
        "text/plain", (healthy.getAsBoolean() ? "ok\n" : "unhealthy\n") + describe.get()));
    server.createContext("/readyz", ex -> respond(ex, ready.getAsBoolean() ? 200 : 503,
        "text/plain", (ready.getAsBoolean() ? "ready\n" : "not ready\n") + describe.get()));
    server.createContext("/metrics", ex -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new PrometheusTextFormatWriter(false).write(out, RuntimeMetrics.REGISTRY.scrape());
      respond(ex, 200, PrometheusTextFormatWriter.CONTENT_TYPE, out.toString(StandardCharsets.UTF_8));
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
