package io.jetmesh.worker.batch;

import java.util.List;

/** Runs a whole batch at once (one forward pass); returns one output per input, in order. */
@FunctionalInterface
public interface BatchFunction<I, O> {
  List<O> apply(List<I> inputs) throws Exception;
}
