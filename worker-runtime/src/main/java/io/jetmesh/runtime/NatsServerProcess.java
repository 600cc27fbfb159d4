package io.jetmesh.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code nats-server} child process with JetStream, on loopback and a free port: the embedded default mesh and the
 * test fixture. The binary is {@code $NATS_SERVER_BIN}, else {@code nats-server} on the PATH (Debian: {@code apt-get
 * install nats-server}).
 */
public final class NatsServerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatsServerProcess.class);

  private final Path dir;
  private final int port;
  private final int monitorPort;
  private final String token;
  private final Path config;
  private Process process;

  private NatsServerProcess(Builder b) throws IOException {
    this.dir = Files.createDirectories(b.dir);
    this.port = b.port > 0 ? b.port : freePort();
    this.monitorPort = b.monitorPort > 0 ? b.monitorPort : freePort();
    this.token = b.token;
    this.config = dir.resolve("nats.conf");
    String extra = b.extraConfig == null ? "" : b.extraConfig + "\n";
    Files.writeString(config, "# written by jetmesh (embedded mesh / tests)\n"
        + "server_name: " + b.serverName + "\n"
        + "listen: 127.0.0.1:" + port + "\n"
        + "http: 127.0.0.1:" + monitorPort + "\n"
        + "max_payload: " + b.maxPayload + "\n"
        + (token != null ? "authorization { token: \"" + token + "\" }\n" : "")
        + "jetstream { store_dir: \"" + dir.resolve("js") + "\", max_memory_store: " + b.maxMemory + ", max_file_store: " + b.maxFile + " }\n"
        + extra);
  }

  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  public static final class Builder {
    private final Path dir;
    private int port;
    private int monitorPort;
    private String token;
    private String serverName = "jetmesh-embedded";
    private String maxMemory = "256MB";
    private String maxFile = "4GB";
    private String maxPayload = "8MB";
    private String extraConfig;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir == null");
    }

    public Builder port(int port) { this.port = port; return this; }
    public Builder monitorPort(int port) { this.monitorPort = port; return this; }
    public Builder token(String token) { this.token = token; return this; }
    public Builder serverName(String name) { this.serverName = name; return this; }
    public Builder maxFileStore(String size) { this.maxFile = size; return this; }
    public Builder extraConfig(String conf) { this.extraConfig = conf; return this; }

    /** Writes the config and starts the server; returns once its client port accepts connections. */
    public NatsServerProcess start() throws IOException {
      NatsServerProcess p = new NatsServerProcess(this);
      p.startProcess();
      return p;
    }
  }

  public static String binary() {
    String env = System.getenv("NATS_SERVER_BIN");
    if (env != null && !env.isBlank()) {
      return env;
    }
    return System.getProperty("nats.server.bin", "nats-server");
  }

  /** Whether a nats-server binary can be run here. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder(binary(), "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts (or restarts, on the same port and store) the server process. */
  public synchronized void startProcess() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path log = dir.resolve("nats-server.log");
    List<String> cmd = new ArrayList<>(List.of(binary(), "-c", config.toString()));
    try {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new IOException("cannot run '" + binary() + "': " + e.getMessage()
          + " (install it: apt-get install nats-server, or set NATS_SERVER_BIN)", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("nats-server exited at start (code " + process.exitValue() + "): " + tail(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("nats-server did not open port " + port + " within 15s: " + tail(log));
        }
        sleep(10);
      }
    }
    LOG.debug("nats-server started on {} (store {})", url(), dir);
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10s); the store stays for a restart. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /** Kills the process with SIGKILL (fault tests). */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public int monitorPort() {
    return monitorPort;
  }

  public String token() {
    return token;
  }

  public Path dir() {
    return dir;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    stop();
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
