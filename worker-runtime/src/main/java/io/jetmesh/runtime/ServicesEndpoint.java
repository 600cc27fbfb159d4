package io.jetmesh.runtime;

import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.worker.WorkerModule;
import io.nats.client.Connection;
import io.nats.client.support.JsonParser;
import io.nats.service.Service;
import io.nats.service.ServiceBuilder;
import io.nats.service.ServiceEndpoint;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's entry in the NATS Services API ({@code $SRV.*}): discovery metadata (what a client in any language
 * needs to find the service's subjects, PROTOCOL.md 10.1) and a {@code status} endpoint.
 *
 * <p>Threads: started and stopped by the worker's lifecycle; jnats calls the status supplier on its dispatcher
 * thread, and the supplier only reads thread-safe counters.
 */
final class ServicesEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final String VERSION = io.jetmesh.protocol.JetmeshVersion.get();

  private volatile Service service;

  /** Registers the service; {@code statusJson} answers the status endpoint and the endpoint's stats data. */
  void start(Connection connection, String workerId, String host, NamespaceSpec ns, int concurrency,
      Collection<String> operations, WorkerModule module, Supplier<String> statusJson) throws WorkerStartException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("worker_id", workerId);
    meta.put("host", host);
    meta.put("namespace", ns.name());
    // What a client in any language needs to find this service's subjects (PROTOCOL.md 10.1).
    meta.put("subject_prefix", ns.subjectPrefix());
    meta.put("stream", ns.stream());
    meta.put("dead_letters", Subjects.DLQ_PREFIX + "." + ns.name() + ".>");
    meta.put("operations", String.join(",", operations));
    meta.put("concurrency", String.valueOf(concurrency));
    meta.put("java", System.getProperty("java.version"));
    meta.putIfAbsent("device", "cpu");
    try {
      meta.putAll(module.serviceMetadata());
    } catch (RuntimeException e) {
      LOG.warn("{} - module metadata failed: {}", workerId, e.toString());
    }
    ServiceEndpoint status = ServiceEndpoint.builder()
        .endpointName("status")
        .endpointSubject("jetmesh.worker." + workerId + ".status")
        .handler(m -> m.respond(connection, statusJson.get()))
        .statsDataSupplier(() -> JsonParser.parseUnchecked(statusJson.get()))
        .build();
    try {
      service = new ServiceBuilder().connection(connection).name(Subjects.SERVICE_PREFIX + ns.name()).version(VERSION)
          .description(ns.description()).metadata(meta).addServiceEndpoint(status).build();
      service.startService();
    } catch (RuntimeException e) {
      throw new WorkerStartException(workerId + " - cannot register with the NATS Services API: " + e.getMessage(), e);
    }
  }

  void stop() {
    if (service != null) {
      try {
        service.stop(false);
      } catch (RuntimeException ignored) {
        // closing anyway
      }
    }
  }
}
