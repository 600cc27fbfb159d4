package io.jetmesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.cli.support.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Configuration errors of {@code jetmesh gateway} end with exit code 2 and a message that says what to fix; an
 * unreachable mesh is 3, as for every jetmesh command (cli-support's {@code ExitCodes}).
 */
class GatewayCommandTest {
  private record Run(int code, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = GatewayCommand.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    int code = cl.execute(args);
    return new Run(code, err.toString());
  }

  @Test
  void refusesToStartWithoutAnyAuthentication() {
    Run r = run("--port", "0", "--nats-url", "nats://127.0.0.1:1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no API key, JWT secret or JWT public key", "--no-auth");
  }

  @Test
  void noAuthCannotBeMixedWithCredentials() throws Exception {
    Path keys = Files.createTempFile("keys", ".txt");
    Files.writeString(keys, "0123456789abcdef0123 alice read\n");
    Run r = run("--no-auth", "--api-keys-file", keys.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--no-auth cannot be combined");
  }

  @Test
  void badApiKeysFileLineIsReportedWithItsLineNumber() throws Exception {
    Path keys = Files.createTempFile("keys", ".txt");
    Files.writeString(keys, "# keys\n0123456789abcdef0123 alice read,fly\n");
    Run r = run("--api-keys-file", keys.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(keys + ":2", "unknown scope 'fly'");
  }

  @Test
  void shortHs256SecretIsRefused() {
    Run r = run("--jwt-hs256-secret", "short");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("at least 32 bytes");
  }

  @Test
  void unreachableNatsIsExitCode3WithTheUrl() throws Exception {
    Path keys = Files.createTempFile("keys", ".txt");
    Files.writeString(keys, "0123456789abcdef0123 alice\n");
    Run r = run("--api-keys-file", keys.toString(), "--port", "0", "--nats-url", "nats://127.0.0.1:1");
    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("127.0.0.1:1");
  }

  /** Plain HTTP on every interface must be asked for: without --host the gateway listens on this machine only. */
  @Test
  void listensOnLoopbackUnlessAHostIsGiven() {
    GatewayCommand cmd = new GatewayCommand();
    new CommandLine(cmd).parseArgs("--no-auth");
    assertThat(cmd.host).isEqualTo("127.0.0.1");
    GatewayCommand explicit = new GatewayCommand();
    new CommandLine(explicit).parseArgs("--no-auth", "--host", "0.0.0.0");
    assertThat(explicit.host).isEqualTo("0.0.0.0");
  }

  @Test
  void badSecuritySettingsAreConfigurationErrors() throws Exception {
    Path keys = Files.createTempFile("keys", ".txt");
    Files.writeString(keys, "0123456789abcdef0123 alice\n");
    Run bucket = run("--api-keys-file", keys.toString(), "--s3-buckets", "pdf=Bad_Bucket");
    assertThat(bucket.code()).isEqualTo(2);
    assertThat(bucket.err()).contains("'Bad_Bucket'", "not an S3 bucket name");
    Run unknownService = run("--api-keys-file", keys.toString(), "--s3-buckets", "nosuch=reports", "--nats-url", "nats://127.0.0.1:1");
    assertThat(unknownService.code()).isEqualTo(2);
    assertThat(unknownService.err()).contains("'nosuch'", "namespaces.yaml");
    Run adminDefault = run("--jwt-hs256-secret", "a-test-secret-of-at-least-32-bytes!!", "--jwt-default-scopes", "read,admin");
    assertThat(adminDefault.code()).isEqualTo(2);
    assertThat(adminDefault.err()).contains("cannot include admin");
    Run lifetime = run("--jwt-hs256-secret", "a-test-secret-of-at-least-32-bytes!!", "--jwt-max-lifetime", "0s");
    assertThat(lifetime.code()).isEqualTo(2);
    assertThat(lifetime.err()).contains("lifetime");
  }

  @Test
  void apiKeysFileAcceptsHashesScopesAndLimits() throws Exception {
    Path keys = Files.createTempFile("keys", ".txt");
    String hash = AuthConfig.sha256Hex("the-ops-key-000000000000");
    Files.writeString(keys, "sha256:" + hash + " ops admin max_upload=1MiB concurrent=2 rate=3/s burst=4 streams=5 # comment\n");
    AuthConfig cfg = AuthConfig.builder().apiKeysFile(keys).build();
    Caller c = new Authenticator(cfg).authenticate("the-ops-key-000000000000", null);
    assertThat(c.id()).isEqualTo("key:ops");
    assertThat(c.may(Scope.ADMIN)).isTrue();
    assertThat(c.limits()).isEqualTo(new Limits(1 << 20, 2, 3, 4, 5));
  }
}
