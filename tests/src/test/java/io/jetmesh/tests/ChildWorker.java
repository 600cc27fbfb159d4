package io.jetmesh.tests;

import io.jetmesh.client.MeshOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker in its own JVM (the real {@code worker} command), so tests can kill it with SIGKILL mid-job or stop it
 * with SIGTERM and watch it drain.
 */
final class ChildWorker implements AutoCloseable {
  private final Process process;
  private final Path log;

  private ChildWorker(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildWorker start(MeshOptions mesh, String namespace, String workerId, Path dir, String... extra) throws IOException {
    Path log = dir.resolve(workerId + ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + System.getProperty("jetmesh.test.workerHeap", "64m"),
        "-cp", System.getProperty("java.class.path"),
        "io.jetmesh.runtime.cli.WorkerCommand", namespace,
        "--nats-url", String.join(",", mesh.servers()), "--token", new String(mesh.token()),
        "--worker-id", workerId, "--scratch-dir", dir.resolve("scratch").toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("NATS_URL");
    Process p = pb.start();
    ChildWorker w = new ChildWorker(p, log);
    w.awaitLine("serving", 90); // a JVM start on a machine other builds load can take half a minute
    return w;
  }

  void awaitLine(String text, int seconds) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IOException("worker exited (" + process.exitValue() + "): " + Files.readString(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("worker did not print '" + text + "' within " + seconds + "s: " + Files.readString(log));
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM; returns the exit code. */
  int terminate(int waitSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(waitSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  static String classpathSeparator() {
    return File.pathSeparator;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
