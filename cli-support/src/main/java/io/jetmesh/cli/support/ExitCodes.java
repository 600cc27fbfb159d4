package io.jetmesh.cli.support;

import io.jetmesh.client.MeshAuthenticationException;
import io.jetmesh.client.MeshException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Exit codes of the jetmesh commands, the workers and the gateway (documented in their --help). A failure maps to
 * {@link #UNAVAILABLE} when it is a {@link MeshException} or one of the types a caller registers with
 * {@link #alsoUnavailable} (the worker runtime registers its start failure), and to {@link #AUTH} when that failure
 * says the server refused the credentials.
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
  public static final int OK = 0;
  /** Some jobs failed (run, convert, submit --wait). */
  public static final int JOBS_FAILED = 1;
  /** Bad command line. */
  public static final int USAGE = 2;
  /** The mesh could not be reached, or is not provisioned. */
  public static final int UNAVAILABLE = 3;
  /** Credentials refused. */
  public static final int AUTH = 4;
  /** Anything else. */
  public static final int ERROR = 5;

  public static final String HELP = "%nExit codes: 0 ok, 1 some jobs failed, 2 usage error, 3 mesh unreachable or not provisioned,"
      + " 4 credentials refused, 5 other error.";

  private final List<Class<? extends Throwable>> unavailable;

  /** The mapper that knows the mesh client's exceptions only. */
  public ExitCodes() {
    this(List.of(MeshException.class));
  }

  private ExitCodes(List<Class<? extends Throwable>> unavailable) {
    this.unavailable = List.copyOf(unavailable);
  }

  /** A mapper that also exits {@link #UNAVAILABLE} (or {@link #AUTH}) for {@code type}, e.g. a failed worker start. */
  public ExitCodes alsoUnavailable(Class<? extends Throwable> type) {
    List<Class<? extends Throwable>> types = new java.util.ArrayList<>(unavailable);
    types.add(type);
    return new ExitCodes(types);
  }

  /**
   * Installs this mapper, {@link #printMessage()} and {@link #usageErrors()} on {@code cl} and its subcommands (call
   * after adding them: picocli hands these settings to the subcommands present at the time).
   */
  public CommandLine install(CommandLine cl) {
    cl.setExitCodeExceptionMapper(this);
    cl.setExecutionExceptionHandler(printMessage());
    cl.setParameterExceptionHandler(usageErrors());
    return cl;
  }

  @Override
  public int getExitCode(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CommandLine.ParameterException) {
        return USAGE;
      }
      if (c instanceof MeshAuthenticationException) {
        return AUTH;
      }
      if (isUnavailable(c)) {
        return c.getMessage() != null && c.getMessage().contains("refused the credentials") ? AUTH : UNAVAILABLE;
      }
      if (c instanceof IllegalArgumentException) {
        return USAGE;
      }
    }
    return ERROR;
  }

  private boolean isUnavailable(Throwable t) {
    for (Class<? extends Throwable> type : unavailable) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs a command line as a process entry point does and returns its exit code, after flushing its stdout and
   * stderr writers: picocli's writers do not flush on {@code print}, and {@link System#exit} does not flush them,
   * so a result printed without a trailing {@code println} would be lost.
   */
  public static int execute(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } finally {
      flushAll(cl);
      System.out.flush();
      System.err.flush();
    }
  }

  /** Each subcommand has writers of its own unless they were set after it was added. */
  private static void flushAll(CommandLine cl) {
    cl.getOut().flush();
    cl.getErr().flush();
    for (CommandLine sub : cl.getSubcommands().values()) {
      flushAll(sub);
    }
  }

  /**
   * Prints a usage error as one line naming the problem (with picocli's suggestions for a mistyped command or option)
   * and where the help is, instead of the whole usage text; exit {@link #USAGE}.
   */
  public static CommandLine.IParameterExceptionHandler usageErrors() {
    return (ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
      err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
      err.flush();
      return USAGE;
    };
  }

  /** Prints the message of an execution failure without a stack trace (the message names the problem). */
  public static CommandLine.IExecutionExceptionHandler printMessage() {
    return (ex, cmd, parseResult) -> {
      String msg = ex.getMessage() != null ? ex.getMessage() : ex.toString();
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + msg));
      if (Boolean.getBoolean("jetmesh.debug")) {
        ex.printStackTrace(cmd.getErr());
      }
      cmd.getErr().flush();
      return cmd.getExitCodeExceptionMapper() != null ? cmd.getExitCodeExceptionMapper().getExitCode(ex) : ERROR;
    };
  }
}
