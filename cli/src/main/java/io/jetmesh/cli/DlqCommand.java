package io.jetmesh.cli;

import io.jetmesh.client.Connections;
import io.jetmesh.client.DeadLetterQueue;
import io.jetmesh.cli.support.ConnectionOptions;
import io.jetmesh.cli.support.ExitCodes;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
    description = "Inspect and replay dead letters (jobs that failed on every allowed delivery).",
    subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
final class DlqCommand {
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters, oldest first.", footer = {ExitCodes.HELP})
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(names = "--limit", defaultValue = "1000", description = "At most this many (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      var options = connection.toMeshOptions("jetmesh-cli");
      try (Connection nc = Connections.connect(options, "jetmesh-dlq", null)) {
        List<DeadLetterQueue.Entry> entries = new DeadLetterQueue(nc, options.registry()).list(limit);
        out.printf("%-28s %-22s %-8s %-22s %s%n", "JOB", "SUBJECT", "ATTEMPTS", "WHEN", "REASON");
        for (DeadLetterQueue.Entry e : entries) {
          var d = e.letter();
          out.printf("%-28s %-22s %-8d %-22s %s%n", d.id(), d.subject(), d.attempts(), d.ts(), d.reason());
        }
        out.printf("%d dead letters%n", entries.size());
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "replay", mixinStandardHelpOptions = true,
      description = "Resubmit dead letters unchanged (same job id; clients waiting for it get the new result).",
      footer = {ExitCodes.HELP})
  static final class ReplayCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(arity = "0..*", paramLabel = "JOB_ID", description = "Jobs to replay")
    List<String> jobIds;

    @Option(names = "--all", description = "Replay every dead letter")
    boolean all;

    @Override
    public Integer call() throws Exception {
      if ((jobIds == null || jobIds.isEmpty()) == !all) {
        throw new CommandLine.ParameterException(spec.commandLine(), "give job ids or --all");
      }
      PrintWriter out = spec.commandLine().getOut();
      var options = connection.toMeshOptions("jetmesh-cli");
      int missing = 0;
      try (Connection nc = Connections.connect(options, "jetmesh-dlq", null)) {
        DeadLetterQueue dlq = new DeadLetterQueue(nc, options.registry());
        List<DeadLetterQueue.Entry> entries;
        if (all) {
          entries = dlq.list(Integer.MAX_VALUE);
        } else {
          entries = new java.util.ArrayList<>();
          for (String id : jobIds) {
            var e = dlq.find(id);
            if (e.isPresent()) {
              entries.add(e.get());
            } else {
              spec.commandLine().getErr().println("no dead letter for " + id);
              missing++;
            }
          }
        }
        for (DeadLetterQueue.Entry e : entries) {
          try {
            var env = dlq.replay(e).envelope();
            out.printf("replayed %s to %s (replay %d)%n", env.id(), env.subject(), env.replayCount());
          } catch (IllegalArgumentException ex) {
            spec.commandLine().getErr().println("skipped: " + ex.getMessage());
            missing++;
          }
        }
      }
      return missing == 0 ? ExitCodes.OK : ExitCodes.JOBS_FAILED;
    }
  }
}
