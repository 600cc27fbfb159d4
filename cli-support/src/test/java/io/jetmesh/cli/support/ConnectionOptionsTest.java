package io.jetmesh.cli.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jetmesh.client.Env;
import io.jetmesh.client.MeshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags over the process environment over {@code .env}: the precedence every jetmesh executable shares. */
class ConnectionOptionsTest {
  @TempDir Path tmp;

  @Command(name = "client")
  static final class Client {
    @Mixin ConnectionOptions connection;
    @Option(names = "--limit") int limit;
  }

  @Command(name = "server", defaultValueProvider = EnvDefaults.class)
  static final class Server {
    @Mixin NatsConnectionOptions connection;
    @Option(names = "--client-id", defaultValue = "${env:SERVER_CLIENT_ID:-server}") String clientId;
  }

  private static ConnectionOptions parse(String... args) {
    Client c = new Client();
    new CommandLine(c).parseArgs(args);
    return c.connection;
  }

  /** As {@link Env#load()} merges them: the process environment over the {@code .env} file. */
  private Map<String, String> env(String dotEnv, Map<String, String> process) throws Exception {
    Path file = Files.writeString(tmp.resolve(".env"), dotEnv);
    Map<String, String> merged = new HashMap<>(Env.parseDotEnv(file));
    merged.putAll(process);
    return merged;
  }

  @Test
  void flagBeatsEnvironmentBeatsDotEnv() throws Exception {
    Map<String, String> onlyFile = env("NATS_URL=nats://from-file:4222\nNATS_TOKEN=file-token\n", Map.of());
    MeshOptions fromFile = parse().toMeshOptions("t", onlyFile);
    assertThat(fromFile.servers()).containsExactly("nats://from-file:4222");
    assertThat(new String(fromFile.token())).isEqualTo("file-token");

    Map<String, String> both = env("NATS_URL=nats://from-file:4222\n", Map.of("NATS_URL", "nats://from-env:4222"));
    assertThat(parse().toMeshOptions("t", both).servers()).containsExactly("nats://from-env:4222");
    assertThat(parse("--nats-url", "nats://from-flag:4222").toMeshOptions("t", both).servers())
        .containsExactly("nats://from-flag:4222");
  }

  @Test
  void anExplicitCredentialReplacesTheEnvironmentsCredentials() throws Exception {
    Path seed = Files.writeString(tmp.resolve("user.nk"), "SUAEXAMPLE\n");
    for (String dotEnv : List.of("NATS_TOKEN=file-token\n", "NATS_USER=alice\nNATS_PASSWORD=pw\n",
        "NATS_CREDS=" + tmp.resolve("x.creds") + "\n")) {
      MeshOptions o = parse("--nkey-seed-file", seed.toString()).toMeshOptions("t", env(dotEnv, Map.of()));
      assertThat(o.nkeySeedFile()).as(dotEnv).isEqualTo(seed);
      assertThat(o.token()).as(dotEnv).isNull();
      assertThat(o.user()).as(dotEnv).isNull();
      assertThat(o.credsFile()).as(dotEnv).isNull();
    }
    MeshOptions user = parse("--user", "bob", "--password", "pw2").toMeshOptions("t", env("NATS_TOKEN=t\n", Map.of()));
    assertThat(user.user()).isEqualTo("bob");
    assertThat(user.token()).isNull();
  }

  @Test
  void nkeyAndTlsComeFromTheEnvironmentToo() throws Exception {
    Path seed = tmp.resolve("user.nk");
    Map<String, String> env = env("NATS_NKEY_SEED_FILE=" + seed + "\nNATS_TLS_CA=" + tmp.resolve("ca.pem") + "\n",
        Map.of());
    MeshOptions o = parse().toMeshOptions("t", env);
    assertThat(o.nkeySeedFile()).isEqualTo(seed);
    assertThat(o.tlsCa()).isEqualTo(tmp.resolve("ca.pem"));
  }

  @Test
  void tlsFlagsSetCaCertificateAndKey() {
    MeshOptions o = parse("--tls-ca", "ca.pem", "--tls-cert", "me.pem", "--tls-key", "me.key")
        .toMeshOptions("t", Map.of());
    assertThat(o.tlsCa()).isEqualTo(Path.of("ca.pem"));
    assertThat(o.tlsCert()).isEqualTo(Path.of("me.pem"));
    assertThat(o.tlsKey()).isEqualTo(Path.of("me.key"));
  }

  @Test
  void clientIdFlagWinsAndTheConnectionNameIsTheCallers() {
    MeshOptions o = parse("--client-id", "batch-7").toMeshOptions("jetmesh-cli", Map.of("JETMESH_CLIENT_ID", "env-id"));
    assertThat(o.clientId()).isEqualTo("batch-7");
    assertThat(o.connectionName()).isEqualTo("jetmesh-cli");
  }

  @Test
  void passwordWithoutUserIsAUsageErrorNamingThePdfPasswordOption() {
    assertThatThrownBy(() -> parse("--password", "x").toMeshOptions("t", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--user").hasMessageContaining("--pdf-password");
  }

  @Test
  void serverWithoutClientIdDeclaresItsOwnAndReadsItFromDotEnv() throws Exception {
    Server s = new Server();
    CommandLine cl = new CommandLine(s);
    cl.setDefaultValueProvider(EnvDefaults.of(env("SERVER_CLIENT_ID=from-file\n", Map.of())));
    cl.parseArgs("--nats-url", "nats://h:4222");
    assertThat(s.clientId).isEqualTo("from-file");
    assertThat(s.connection.toMeshOptions("srv", Map.of()).servers()).containsExactly("nats://h:4222");

    Server fallback = new Server();
    CommandLine plain = new CommandLine(fallback);
    plain.setDefaultValueProvider(EnvDefaults.of(Map.of()));
    plain.parseArgs();
    assertThat(fallback.clientId).isEqualTo("server");

    Server flag = new Server();
    CommandLine withFlag = new CommandLine(flag);
    withFlag.setDefaultValueProvider(EnvDefaults.of(Map.of("SERVER_CLIENT_ID", "env")));
    withFlag.parseArgs("--client-id", "mine");
    assertThat(flag.clientId).isEqualTo("mine");
  }

  @Test
  void helpPutsTheCommandsOptionsFirstAndTheConnectionOptionsUnderTheirHeading() {
    String help = HelpLayout.apply(new CommandLine(new Client())).getUsageMessage(CommandLine.Help.Ansi.OFF);
    int heading = help.indexOf("Connection (each falls back");
    assertThat(help.indexOf("--limit")).isBetween(0, heading);
    for (String option : List.of("--nats-url", "--nkey-seed-file", "--tls-ca", "--client-id")) {
      assertThat(help.indexOf(option)).as(option).isGreaterThan(heading);
    }
    assertThat(HelpLayout.connectionOptionNames()).contains("--nats-url", "--creds", "--client-id", "--namespaces");
  }
}
