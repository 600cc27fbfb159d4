package io.jetmesh.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.MeshAuthenticationException;
import io.jetmesh.client.MeshException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ExitCodesTest {
  /** A start failure of some other module (as the worker runtime's WorkerStartException is). */
  static final class StartFailed extends Exception {
    StartFailed(String message) {
      super(message);
    }
  }

  @Command(name = "fails")
  static final class Fails implements Callable<Integer> {
    @Option(names = "--with") String with;

    @Override
    public Integer call() throws Exception {
      switch (with) {
        case "usage" -> throw new IllegalArgumentException("--with: bad");
        case "mesh" -> throw new MeshException("cannot reach nats://h:4222");
        default -> throw new IllegalStateException("boom");
      }
    }
  }

  @Test
  void meshFailuresAreUnavailableOrAuthAndOtherTypesOnlyWhenRegistered() {
    ExitCodes codes = new ExitCodes();
    assertThat(codes.getExitCode(new MeshException("cannot reach nats://h:4222"))).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(codes.getExitCode(new MeshAuthenticationException("nope", null))).isEqualTo(ExitCodes.AUTH);
    assertThat(codes.getExitCode(new RuntimeException(new MeshException("x")))).as("a cause counts")
        .isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(codes.getExitCode(new StartFailed("w1 - no stream"))).isEqualTo(ExitCodes.ERROR);
    assertThat(codes.getExitCode(new IllegalArgumentException("bad"))).isEqualTo(ExitCodes.USAGE);
    assertThat(codes.getExitCode(new IllegalStateException("bad"))).isEqualTo(ExitCodes.ERROR);

    ExitCodes runtime = codes.alsoUnavailable(StartFailed.class);
    assertThat(runtime.getExitCode(new StartFailed("w1 - no stream"))).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(runtime.getExitCode(new StartFailed("w1 - NATS refused the credentials"))).isEqualTo(ExitCodes.AUTH);
    assertThat(codes.getExitCode(new StartFailed("x"))).as("the original is unchanged").isEqualTo(ExitCodes.ERROR);
  }

  @Test
  void installedOnACommandLineTheCodesAndOneLineMessagesApply() {
    StringWriter err = new StringWriter();
    CommandLine cl = new ExitCodes().install(new CommandLine(new Fails()));
    cl.setErr(new PrintWriter(err, true));
    assertThat(ExitCodes.execute(cl, "--with", "usage")).isEqualTo(ExitCodes.USAGE);
    assertThat(ExitCodes.execute(cl, "--with", "mesh")).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(ExitCodes.execute(cl, "--with", "other")).isEqualTo(ExitCodes.ERROR);
    assertThat(ExitCodes.execute(cl, "--nosuch")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("error: --with: bad", "error: cannot reach nats://h:4222", "error: boom",
        "Run 'fails --help' for the options.").doesNotContain("\tat ");
  }
}
