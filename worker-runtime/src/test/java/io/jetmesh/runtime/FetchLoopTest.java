package io.jetmesh.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.ConsumerContext;
import io.nats.client.FetchConsumeOptions;
import io.nats.client.FetchConsumer;
import io.nats.client.Message;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The fetch loop on the test thread against a scripted consumer: it asks for exactly the free slots, returns the
 * unused ones, backs off on failures without sleeping (the sleeper only records), and hands back what arrives while
 * stopping.
 */
class FetchLoopTest {
  final HeldJobs jobs = new HeldJobs(2, 1, () -> { });
  final AtomicBoolean stopping = new AtomicBoolean();
  final List<Integer> asked = new ArrayList<>();
  final List<Long> slept = new ArrayList<>();
  final List<Message> dispatched = new ArrayList<>();
  /** One entry per fetch: the messages it delivers, or an exception it throws. After the last, the loop is stopped. */
  final Deque<Object> script = new ArrayDeque<>();

  private ConsumerContext consumer() {
    return (ConsumerContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConsumerContext.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("fetch") || !(args[0] instanceof FetchConsumeOptions o)) {
            throw new UnsupportedOperationException(method.getName());
          }
          asked.add(o.getMaxMessages());
          Object step = script.poll();
          if (script.isEmpty()) {
            stopping.set(true);
          }
          if (step instanceof Exception e) {
            throw e;
          }
          @SuppressWarnings("unchecked")
          Deque<Message> batch = new ArrayDeque<>(step == null ? List.of() : (List<Message>) step);
          return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FetchConsumer.class},
              (p, m, a) -> switch (m.getName()) {
                case "nextMessage" -> batch.poll();
                case "close", "stop" -> null;
                default -> throw new UnsupportedOperationException(m.getName());
              });
        });
  }

  private FetchLoop loop(java.util.function.Consumer<Message> dispatch) {
    return new FetchLoop("diag-test", "diag_workers", consumer(), jobs, dispatch, stopping::get,
        d -> slept.add(d.toMillis()));
  }

  @Test
  void asksForExactlyTheFreeSlots() {
    Fakes.Acks acks = new Fakes.Acks();
    script.add(List.of(Fakes.message(acks), Fakes.message(acks))); // 2 of the 3 slots now held
    script.add(List.of());
    loop(dispatched::add).run();
    assertThat(asked).containsExactly(3, 1);
    assertThat(dispatched).hasSize(2);
    assertThat(acks.calls).isEmpty();
  }

  @Test
  void failedFetchesBackOffDoublingAndASuccessResetsTheBackoff() {
    script.add(new IOException("no responders"));
    script.add(new IOException("no responders"));
    script.add(new IllegalStateException("disconnected"));
    script.add(List.of());
    script.add(new IOException("no responders"));
    script.add(List.of());
    loop(dispatched::add).run();
    assertThat(slept).containsExactly(100L, 200L, 400L, 100L);
    assertThat(asked).as("a failed fetch returns its slots").containsOnly(3);
  }

  @Test
  void messagesArrivingWhileStoppingAreHandedBack() {
    Fakes.Acks first = new Fakes.Acks();
    Fakes.Acks second = new Fakes.Acks();
    script.add(List.of(Fakes.message(first), Fakes.message(second)));
    script.add(List.of()); // not reached: the loop ends once stopping
    loop(m -> {
      dispatched.add(m);
      stopping.set(true); // the worker starts draining after the first job
    }).run();
    assertThat(dispatched).hasSize(1);
    assertThat(first.calls).isEmpty();
    assertThat(second.calls).containsExactly("nak");
  }
}
