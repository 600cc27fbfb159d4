package io.jetmesh.cli;

import io.jetmesh.cli.support.CliLogging;
import io.jetmesh.cli.support.ExitCodes;
import io.jetmesh.cli.support.HelpLayout;
import io.jetmesh.runtime.EmbeddedMesh;
import io.jetmesh.runtime.WorkerStartException;
import io.jetmesh.runtime.cli.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jetmesh} command. */
@Command(name = "jetmesh", mixinStandardHelpOptions = true, versionProvider = JetmeshCli.Version.class,
    description = {"A message-driven processing mesh on NATS JetStream.", "",
        "Commands that need a mesh use --nats-url / NATS_URL (also from ./.env); without one, run, convert, submit "
            + "--wait, bench and demo start the embedded default: a local nats-server child process with the workers "
            + "the command needs in this process. Results go to stdout, progress and logs to stderr."},
    subcommands = {
        ProvisionCommand.class, SubmitCommand.class, StatusCommand.class, ResultCommand.class, CancelCommand.class,
        WorkersCommand.class, DlqCommand.class, DevCommand.class, RunCommand.class, ConvertCommand.class,
        DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
    footer = {ExitCodes.HELP})
public final class JetmeshCli {
  /** {@code jetmesh --version}: the build's version (the POM's, see {@link io.jetmesh.protocol.JetmeshVersion}). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"jetmesh " + io.jetmesh.protocol.JetmeshVersion.get()};
    }
  }

  /** Builds the command line with the worker subcommand and exit-code handling (tests call this). */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new JetmeshCli());
    cl.addSubcommand("worker", WorkerCommand.groupCommandLine(EmbeddedMesh.discoverModules()));
    GatewaySupport.register(cl);
    new ExitCodes().alsoUnavailable(WorkerStartException.class).install(cl);
    return HelpLayout.apply(cl);
  }

  public static void main(String[] args) {
    // One-shot commands print results on stdout and keep stderr quiet (warnings only); the long-running ones
    // (worker, gateway, dev) log their job lines at INFO. JETMESH_LOG_LEVEL wins. Before any logger exists.
    String command = args.length > 0 ? args[0] : "";
    CliLogging.init(command.equals("worker") || command.equals("gateway") || command.equals("dev")
        ? CliLogging.LONG_RUNNING : CliLogging.ONE_SHOT);
    io.jetmesh.runtime.RuntimeDefaults.apply();
    System.exit(ExitCodes.execute(commandLine(), args));
  }
}
