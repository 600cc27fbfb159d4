package io.jetmesh.cli.support;

import io.jetmesh.client.Env;
import io.jetmesh.client.MeshOptions;
import io.jetmesh.protocol.MeshRegistry;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The picocli mixin of how to reach the mesh: servers, credentials (token, user/password, creds file, NKey seed),
 * TLS and the registry, without a client identity. The gateway mixes in this class and declares its own
 * {@code --client-id} (default {@code gateway}, shared by all gateways of a mesh); {@code jetmesh} and the workers
 * use {@link ConnectionOptions}, which adds the per-client {@code --client-id}.
 *
 * <p>Each option falls back to its environment variable, which may also come from a {@code .env} file in the working
 * directory (or {@code JETMESH_ENV_FILE}, see {@link Env#load()}); an explicit option wins, and an explicit
 * credential replaces every credential of the environment.
 */
public class NatsConnectionOptions {
  @Option(names = "--nats-url", paramLabel = "URL",
      description = "NATS server URL(s), comma-separated for a cluster (env NATS_URL; default nats://127.0.0.1:4222)")
  String natsUrl;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Shared token (env NATS_TOKEN)")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the token (env NATS_TOKEN_FILE)")
  Path tokenFile;

  @Option(names = "--user", paramLabel = "USER", description = "User name (env NATS_USER)")
  String user;

  @Option(names = "--password", paramLabel = "PASSWORD", description = "Password of --user (env NATS_PASSWORD); an encrypted PDF's is convert --pdf-password")
  String password;

  @Option(names = "--creds", paramLabel = "FILE", description = "NATS credentials file, JWT + NKey (env NATS_CREDS)")
  Path creds;

  @Option(names = "--nkey-seed-file", paramLabel = "FILE", description = "NKey seed file (env NATS_NKEY_SEED_FILE)")
  Path nkeySeed;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "CA certificate PEM to trust (env NATS_TLS_CA)")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "Client certificate PEM (env NATS_TLS_CERT)")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "Client key, PKCS#8 PEM (env NATS_TLS_KEY)")
  Path tlsKey;

  @Option(names = "--namespaces", paramLabel = "FILE",
      description = "namespaces.yaml to use (env JETMESH_NAMESPACES; default: the bundled copy)")
  Path namespaces;

  /** The environment (process env over .env) used for fallbacks. */
  public Map<String, String> environment() {
    return Env.load();
  }

  /** True when a server was named by option or environment (else commands may start the embedded mesh). */
  public boolean serverConfigured() {
    String env = environment().get("NATS_URL");
    return natsUrl != null || env != null && !env.isBlank();
  }

  public MeshRegistry registry() {
    return MeshRegistry.resolve(namespaces);
  }

  /**
   * Checks what the options cannot express: {@code --password} is the NATS user's password and needs {@code --user}
   * (the password of an encrypted PDF is {@code jetmesh convert --pdf-password}).
   *
   * @throws IllegalArgumentException naming the option to use instead (a usage error, exit 2)
   */
  public void validate() {
    if (password != null && user == null) {
      throw new IllegalArgumentException("--password is the NATS password and needs --user; for an encrypted PDF"
          + " use --pdf-password (jetmesh convert) or --options '{\"password\":\"...\"}' (jetmesh submit/run)");
    }
  }

  /** The mesh options of these flags over {@link #environment()}. */
  public MeshOptions toMeshOptions(String connectionName) {
    return toMeshOptions(connectionName, environment());
  }

  /**
   * The mesh options of these flags over {@code env} (the process environment merged over {@code .env}, as
   * {@link Env#load()} gives it).
   */
  public MeshOptions toMeshOptions(String connectionName, Map<String, String> env) {
    validate();
    MeshOptions.Builder b = MeshOptions.builder().applyEnvironment(env).connectionName(connectionName);
    if (namespaces != null) {
      b.registry(MeshRegistry.load(namespaces));
    }
    if (natsUrl != null) {
      b.servers(natsUrl);
    }
    if (token != null || tokenFile != null || user != null || creds != null || nkeySeed != null) {
      // an explicit credential replaces whatever the environment gave
      MeshOptions fromEnv = b.build();
      b = fromEnv.newBuilder().token(null).userPassword(null, null).credsFile(null).nkeySeedFile(null);
      if (token != null) {
        b.token(token);
      } else if (tokenFile != null) {
        b.token(Env.readSecretFile(tokenFile, "--token-file"));
      } else if (user != null) {
        b.userPassword(user, password);
      } else if (creds != null) {
        b.credsFile(creds);
      } else {
        b.nkeySeedFile(nkeySeed);
      }
    }
    if (tlsCa != null || tlsCert != null || tlsKey != null) {
      b.tls(tlsCa, tlsCert, tlsKey);
    }
    customize(b);
    return b.build();
  }

  /** What a subclass adds to the options (after the flags above, before {@code build()}). */
  protected void customize(MeshOptions.Builder b) {}
}
