package io.jetmesh.runtime;

import io.jetmesh.client.BlobClient;
import io.jetmesh.protocol.InputRef;
import io.jetmesh.protocol.JobEnvelope;
import io.jetmesh.protocol.JobError;
import io.jetmesh.protocol.JobState;
import io.jetmesh.protocol.MeshRegistry;
import io.jetmesh.protocol.NamespaceSpec;
import io.jetmesh.protocol.Progress;
import io.nats.client.Message;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test doubles for the runtime's pure parts: an {@link ExecutionHost} that records status writes, and a JetStream
 * {@link Message} that records the acknowledgement calls made on it. The end-to-end suites (MeshCoreTest, tests/)
 * run the same parts against a real nats-server; these only let the time- and state-driven logic run without one.
 */
final class Fakes {
  private Fakes() {
  }

  static final NamespaceSpec DIAG = MeshRegistry.bundled().require("diag");

  /** An execution host that records what a job reported. */
  static final class Host implements ExecutionHost {
    final Ticker ticker;
    final List<String> statuses = new CopyOnWriteArrayList<>();
    volatile RuntimeException failStatusWrites;

    Host(Ticker ticker) {
      this.ticker = ticker;
    }

    @Override public String workerId() { return "diag-test"; }
    @Override public NamespaceSpec namespace() { return DIAG; }
    @Override public Path scratchRoot() { return Path.of(System.getProperty("java.io.tmpdir")); }
    @Override public InputStores inputs() { return null; }
    @Override public BlobClient blobs() { return null; }
    @Override public Ticker ticker() { return ticker; }
    final List<Progress> progress = new CopyOnWriteArrayList<>();

    @Override
    public void publishProgress(Execution ex, Progress p) {
      progress.add(p);
    }

    @Override
    public void writeStatus(Execution ex, JobState state, JobError error) {
      if (failStatusWrites != null) {
        throw failStatusWrites;
      }
      statuses.add(ex.envelope.id() + ":" + state.wire());
    }
  }

  /** The acknowledgement calls made on a {@link #message}: "ack", "nak", "term", "inProgress", "nakWithDelay". */
  static final class Acks {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile RuntimeException failInProgress;

    long count(String call) {
      return calls.stream().filter(call::equals).count();
    }
  }

  /** A message whose ack calls are recorded in {@code acks}; any other method is not expected here and throws. */
  static Message message(Acks acks) {
    return (Message) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {Message.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "ack", "nak", "term", "nakWithDelay" -> {
              acks.calls.add(method.getName());
              return null;
            }
            case "inProgress" -> {
              if (acks.failInProgress != null) {
                throw acks.failInProgress;
              }
              acks.calls.add("inProgress");
              return null;
            }
            case "toString" -> {
              return "FakeMessage";
            }
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "equals" -> {
              return proxy == args[0];
            }
            default -> throw new UnsupportedOperationException("not used by the code under test: " + method.getName());
          }
        });
  }

  static JobEnvelope envelope(String id) {
    return JobEnvelope.builder("diag.echo", InputRef.inline(new byte[0], null, null)).id(id).client("c1").build();
  }

  static Execution execution(ExecutionHost host, Acks acks, String id, long timeoutMs) {
    return new Execution(host, message(acks), envelope(id), 1, 7, timeoutMs);
  }
}
