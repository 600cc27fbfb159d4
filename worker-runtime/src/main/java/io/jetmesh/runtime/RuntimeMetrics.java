package io.jetmesh.runtime;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The worker metrics exported on {@code /metrics} (names are relied on by deploy/grafana and the KEDA docs):
 * {@code jetmesh_jobs_total{namespace,operation,outcome}}, {@code jetmesh_job_duration_seconds{namespace,operation}},
 * {@code jetmesh_jobs_in_flight{namespace}}, {@code jetmesh_redeliveries_total{namespace}},
 * {@code jetmesh_consumer_pending{namespace}}, {@code jetmesh_dlq_messages}, {@code jetmesh_batch_size{batcher}},
 * {@code jetmesh_stuck_handlers{namespace}}. One set per JVM (the embedded mesh runs several workers in one).
 */
final class RuntimeMetrics {
  static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

  static final Counter JOBS = Counter.builder()
      .name("jetmesh_jobs_total")
      .help("Jobs handled, by outcome: completed, failed, retried, dead, cancelled, skipped_duplicate")
      .labelNames("namespace", "operation", "outcome")
      .register(REGISTRY);

  static final Histogram DURATION = Histogram.builder()
      .name("jetmesh_job_duration_seconds")
      .help("Handler run time per job attempt")
      .labelNames("namespace", "operation")
      .classicUpperBounds(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
      .register(REGISTRY);

  static final Gauge IN_FLIGHT = Gauge.builder()
      .name("jetmesh_jobs_in_flight")
      .help("Jobs held by this worker (running or fetched ahead)")
      .labelNames("namespace")
      .register(REGISTRY);

  static final Counter REDELIVERIES = Counter.builder()
      .name("jetmesh_redeliveries_total")
      .help("Deliveries with a delivery count above 1 (a previous attempt failed, timed out or its worker died)")
      .labelNames("namespace")
      .register(REGISTRY);

  static final Gauge CONSUMER_PENDING = Gauge.builder()
      .name("jetmesh_consumer_pending")
      .help("Jobs waiting in the worker group's consumer (lag), sampled by each worker")
      .labelNames("namespace")
      .register(REGISTRY);

  static final Gauge DLQ_MESSAGES = Gauge.builder()
      .name("jetmesh_dlq_messages")
      .help("Dead letters stored in JETMESH_DLQ")
      .register(REGISTRY);

  static final Histogram BATCH_SIZE = Histogram.builder()
      .name("jetmesh_batch_size")
      .help("Items per dynamic batch")
      .labelNames("batcher")
      .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128)
      .register(REGISTRY);

  static final Gauge STUCK = Gauge.builder()
      .name("jetmesh_stuck_handlers")
      .help("Handler threads that ignored a timeout and were abandoned")
      .labelNames("namespace")
      .register(REGISTRY);

  private RuntimeMetrics() {}
}
