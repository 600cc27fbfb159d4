package io.jetmesh.gateway;

import io.jetmesh.client.ProgressListener;
import io.jetmesh.protocol.ProgressEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Fans the mesh client's progress events out to the event streams open on this gateway. The client takes one
 * listener per job at submit/await time; this hub is that listener for every job, so streams opened later still
 * get the events.
 */
final class ProgressHub implements ProgressListener {
  private final Map<String, Set<Consumer<ProgressEvent>>> subscribers = new ConcurrentHashMap<>();

  @Override
  public void onProgress(ProgressEvent event) {
    Set<Consumer<ProgressEvent>> subs = subscribers.get(event.id());
    if (subs != null) {
      for (Consumer<ProgressEvent> s : subs) {
        s.accept(event);
      }
    }
  }

  AutoCloseable subscribe(String jobId, Consumer<ProgressEvent> consumer) {
    subscribers.computeIfAbsent(jobId, k -> ConcurrentHashMap.newKeySet()).add(consumer);
    return () -> subscribers.computeIfPresent(jobId, (k, set) -> {
      set.remove(consumer);
      return set.isEmpty() ? null : set;
    });
  }
}
