package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.jetmesh.client.JobRequest;
import io.jetmesh.client.MeshClient;
import io.jetmesh.protocol.Json;
import io.jetmesh.worker.HandlerRegistry;
import io.jetmesh.worker.HandlerResult;
import io.jetmesh.worker.WorkerModule;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Over a real nats-server: closing a worker never closes its module under a running handler. A handler that
 * ignores the interrupt keeps the module open until it returns; one that honours it lets close() close the module.
 */
class ModuleCloseSafetyTest {

  /** A diag module whose {@code sleep} blocks until released and which records a close under a running handler. */
  static final class BlockingModule implements WorkerModule {
    final boolean ignoreInterrupt;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicBoolean inside = new AtomicBoolean();
    final AtomicBoolean closedUnderHandler = new AtomicBoolean();

    BlockingModule(boolean ignoreInterrupt) {
      this.ignoreInterrupt = ignoreInterrupt;
    }

    @Override
    public String namespace() {
      return "diag";
    }

    @Override
    public void register(HandlerRegistry registry) {
      registry.handle("sleep", ctx -> {
        inside.set(true);
        entered.countDown();
        try {
          while (true) {
            try {
              release.await();
              break;
            } catch (InterruptedException e) {
              if (!ignoreInterrupt) {
                Thread.currentThread().interrupt();
                break;
              }
            }
          }
        } finally {
          inside.set(false);
        }
        return HandlerResult.of(Json.object().put("ok", true));
      });
    }

    @Override
    public void close() {
      if (inside.get()) {
        closedUnderHandler.set(true);
      }
      closed.countDown();
    }
  }

  private static void runUntilHandlerEntered(EmbeddedMesh mesh, BlockingModule module) throws Exception {
    try (MeshClient client = MeshClient.connect(mesh.options())) {
      client.submit(JobRequest.builder("diag.sleep").inline(new byte[0], null, null).build()).stored().get(30, TimeUnit.SECONDS);
    }
    assertThat(module.entered.await(60, TimeUnit.SECONDS)).as("the handler started").isTrue();
  }

  @Test
  void aStuckHandlerKeepsTheModuleOpenUntilItReturns() throws Exception {
    BlockingModule module = new BlockingModule(true);
    EmbeddedMesh mesh = EmbeddedMesh.builder().modules(List.of(module)).concurrency(2).start();
    try {
      runUntilHandlerEntered(mesh, module);
    } finally {
      mesh.close(); // waits Worker.MODULE_CLOSE_WAIT for the handler, then leaves the module open
    }
    assertThat(module.closed.getCount()).as("module closed while its handler still ran").isEqualTo(1);
    module.release.countDown();
    assertThat(module.closed.await(60, TimeUnit.SECONDS)).as("the returning handler closes the module").isTrue();
    assertThat(module.closedUnderHandler).isFalse();
  }

  @Test
  void aHandlerThatHonoursTheInterruptLetsCloseCloseTheModule() throws Exception {
    BlockingModule module = new BlockingModule(false);
    EmbeddedMesh mesh = EmbeddedMesh.builder().modules(List.of(module)).concurrency(2).start();
    try {
      runUntilHandlerEntered(mesh, module);
    } finally {
      mesh.close();
    }
    assertThat(module.closed.getCount()).as("closed by close() itself").isZero();
    assertThat(module.closedUnderHandler).isFalse();
  }
}
