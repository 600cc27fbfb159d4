package io.jetmesh.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The gateway's Prometheus metrics, in a registry of its own (workers in the same JVM keep theirs). */
final class GatewayMetrics {
  final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter requests = Counter.builder()
      .name("jetmesh_gateway_http_requests_total").help("HTTP requests by method, route template and status")
      .labelNames("method", "route", "status").register(registry);
  final Histogram latency = Histogram.builder()
      .name("jetmesh_gateway_http_request_duration_seconds").help("HTTP request latency by method and route template")
      .labelNames("method", "route").register(registry);
  final Counter jobs = Counter.builder()
      .name("jetmesh_gateway_jobs_submitted_total").help("Jobs submitted through the gateway by subject")
      .labelNames("subject").register(registry);
  final Counter uploadBytes = Counter.builder()
      .name("jetmesh_gateway_upload_bytes_total").help("Bytes of uploaded files stored in the object store").register(registry);
  final Gauge sseStreams = Gauge.builder()
      .name("jetmesh_gateway_sse_streams").help("Open Server-Sent Events streams").register(registry);

  String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
