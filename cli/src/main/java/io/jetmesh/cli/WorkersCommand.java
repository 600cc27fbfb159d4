package io.jetmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jetmesh.client.Connections;
import io.jetmesh.protocol.Json;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Subjects;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.service.Discovery;
import io.nats.service.EndpointStats;
import io.nats.service.InfoResponse;
import io.nats.service.StatsResponse;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

@Command(name = "workers", mixinStandardHelpOptions = true,
    description = {"List the live workers and each service's queue depth.",
        "Per worker (NATS Services API): host, device, models, version, in-flight jobs and recent seconds per job."},
    footer = {ExitCodes.HELP})
final class WorkersCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var options = connection.toMeshOptions("jetmesh-cli");
    try (Connection nc = Connections.connect(options, "jetmesh-workers", null)) {
      Discovery d = new Discovery(nc, 1500, 1000);
      Map<String, StatsResponse> stats = new HashMap<>();
      for (StatsResponse s : d.stats()) {
        stats.put(s.getId(), s);
      }
      List<InfoResponse> infos = d.info().stream().filter(i -> i.getName().startsWith(Subjects.SERVICE_PREFIX)).toList();
      out.printf("%-32s %-9s %-20s %-6s %-8s %-8s %-10s %-9s %s%n", "WORKER", "SERVICE", "HOST", "DEVICE", "VERSION",
          "IN-FLIGHT", "COMPLETED", "S/JOB", "OPERATIONS / MODELS");
      for (InfoResponse i : infos) {
        Map<String, String> m = i.getMetadata() == null ? Map.of() : i.getMetadata();
        JsonNode status = Json.object();
        StatsResponse s = stats.get(i.getId());
        if (s != null) {
          for (EndpointStats es : s.getEndpointStatsList()) {
            if (es.getData() != null) {
              status = Json.tree(es.getDataAsJson());
            }
          }
        }
        String models = m.getOrDefault("models", "");
        out.printf("%-32s %-9s %-20s %-6s %-8s %-8s %-10s %-9s %s%n", m.getOrDefault("worker_id", i.getId()),
            m.getOrDefault("namespace", i.getName()), m.getOrDefault("host", "?"), m.getOrDefault("device", "cpu"),
            i.getVersion(), status.path("in_flight").asText("?") + "/" + m.getOrDefault("concurrency", "?"),
            status.path("completed").asText("?"), status.path("recent_seconds_per_job").asText("?"),
            m.getOrDefault("operations", "") + (models.isEmpty() ? "" : " [" + models + "]"));
      }
      if (infos.isEmpty()) {
        out.println("(no live workers)");
      }
      out.println();
      out.printf("%-10s %-20s %-24s %8s %8s %10s%n", "SERVICE", "STREAM", "WORKER GROUP", "PENDING", "ACKPEND", "REDELIVERED");
      var jsm = nc.jetStreamManagement();
      for (NamespaceSpec ns : options.registry().namespaces()) {
        try {
          ConsumerInfo ci = jsm.getConsumerInfo(ns.stream(), ns.workerGroup());
          out.printf("%-10s %-20s %-24s %8d %8d %10d%n", ns.name(), ns.stream(), ns.workerGroup(), ci.getNumPending(),
              ci.getNumAckPending(), ci.getRedelivered());
        } catch (Exception e) {
          out.printf("%-10s %-20s %-24s %s%n", ns.name(), ns.stream(), ns.workerGroup(), "not provisioned");
        }
      }
      return ExitCodes.OK;
    }
  }
}
