package io.jetmesh.infra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A nats-server child process started with a configuration file that setup.sh generated. */
final class NatsServerProcess implements AutoCloseable {
  private final Path log;
  private final Process process;
  private final int clientPort;

  private NatsServerProcess(Path log, Process process, int clientPort) {
    this.log = log;
    this.process = process;
    this.clientPort = clientPort;
  }

  static NatsServerProcess start(Path config, int clientPort, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(System.getProperty("nats.server.bin", "nats-server"), "-c", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    NatsServerProcess server = new NatsServerProcess(log, p, clientPort);
    server.awaitClientPort(Duration.ofSeconds(10));
    return server;
  }

  private void awaitClientPort(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nats-server exited at start:\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", clientPort), 100);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("nats-server did not open port " + clientPort + ":\n" + Files.readString(log), e);
        }
        Thread.sleep(20);
      }
    }
  }

  String url() {
    return "nats://127.0.0.1:" + clientPort;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the node vanishes without a clean JetStream shutdown, as on a crash or power loss. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }
}
