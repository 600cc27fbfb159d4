package io.jetmesh.client;

import io.jetmesh.protocol.Subjects;
import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens NATS connections from {@link MeshOptions} with start-up errors a person can act on: a bad URL, an
 * unreachable server and refused credentials each get their own message and exception type.
 */
public final class Connections {
  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private Connections() {}

  /**
   * Connects, failing fast if the first connect does not succeed (later losses reconnect forever by default).
   *
   * @throws MeshAuthenticationException the server refused the credentials
   * @throws MeshException the server could not be reached, or the URL/TLS settings are unusable
   */
  public static Connection connect(MeshOptions options, String name, ConnectionListener listener) throws MeshException {
    for (String url : options.servers()) {
      try {
        URI uri = URI.create(url);
        if (uri.getHost() == null || uri.getScheme() == null
            || !(uri.getScheme().equals("nats") || uri.getScheme().equals("tls") || uri.getScheme().equals("ws") || uri.getScheme().equals("wss"))) {
          throw new MeshException("bad NATS URL '" + url + "': expected nats://host:port (or tls://)");
        }
      } catch (IllegalArgumentException e) {
        throw new MeshException("bad NATS URL '" + url + "': " + e.getMessage(), e);
      }
    }
    Options.Builder b = Options.builder()
        .servers(options.servers().toArray(new String[0]))
        .connectionName(name)
        .connectionTimeout(options.connectTimeout())
        .maxReconnects(options.maxReconnects())
        .reconnectWait(options.reconnectWait())
        .reconnectBufferSize(64L * 1024 * 1024)
        .pingInterval(java.time.Duration.ofSeconds(10))
        .errorListener(new QuietErrorListener(name))
        .noRandomize();
    if (listener != null) {
      b.connectionListener(listener);
    }
    if (options.token() != null) {
      b.token(options.token());
    } else if (options.user() != null) {
      b.userInfo(options.user().toCharArray(), options.password() == null ? new char[0] : options.password());
      // per-user replies: setup.sh lets a user subscribe only to its own _INBOX.<user>.>
      b.inboxPrefix(Subjects.inboxPrefix(options.user()));
    } else if (options.credsFile() != null) {
      if (!Files.isReadable(options.credsFile())) {
        throw new MeshException("credentials file not readable: " + options.credsFile());
      }
      b.authHandler(Nats.credentials(options.credsFile().toString()));
    } else if (options.nkeySeedFile() != null) {
      try {
        String seed = Files.readString(options.nkeySeedFile()).strip();
        b.authHandler(Nats.staticCredentials(null, seed.toCharArray()));
      } catch (IOException e) {
        throw new MeshException("nkey seed file not readable: " + options.nkeySeedFile() + ": " + e.getMessage(), e);
      }
    }
    if (options.tlsCa() != null || options.tlsCert() != null) {
      b.sslContext(sslContext(options));
    }
    try {
      return Nats.connect(b.build());
    } catch (AuthenticationException e) {
      throw new MeshAuthenticationException("NATS at " + options.describe() + " refused the credentials: "
          + e.getMessage() + " (check NATS_TOKEN / NATS_USER / NATS_CREDS)", e);
    } catch (IOException e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (msg.contains("Authorization Violation") || msg.contains("authorization")) {
        throw new MeshAuthenticationException("NATS at " + options.describe() + " refused the credentials: " + msg, e);
      }
      throw new MeshException("cannot connect to NATS at " + options.describe() + ": " + msg
          + " (is nats-server running and reachable? set --nats-url or NATS_URL)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException("interrupted while connecting to " + options.describe(), e);
    }
  }

  static SSLContext sslContext(MeshOptions o) throws MeshException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      TrustManagerFactory tmf = null;
      if (o.tlsCa() != null) {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(o.tlsCa())))) {
          trust.setCertificateEntry("ca" + i++, c);
        }
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (o.tlsCert() != null) {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Collection<? extends Certificate> chain = cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(o.tlsCert())));
        PrivateKey key = readPkcs8Key(Files.readString(o.tlsKey(), StandardCharsets.US_ASCII));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
      }
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new MeshException("cannot set up TLS from NATS_TLS_CA/CERT/KEY: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readPkcs8Key(String pem) throws GeneralSecurityException {
    if (!pem.contains("BEGIN PRIVATE KEY")) {
      throw new GeneralSecurityException("the TLS key must be PKCS#8 PEM (BEGIN PRIVATE KEY); convert with "
          + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem'");
    }
    String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64));
    for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException ignored) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("unsupported private key algorithm (RSA, EC and Ed25519 are supported)");
  }

  /** Logs NATS errors once through SLF4J instead of jnats' default stderr output. */
  private static final class QuietErrorListener implements ErrorListener {
    private final String name;

    QuietErrorListener(String name) {
      this.name = name;
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
      LOG.warn("{} - NATS error: {}", name, error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
      LOG.debug("{} - NATS exception: {}", name, exp.toString());
    }

    @Override
    public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
      LOG.warn("{} - slow consumer detected", name);
    }
  }
}
