package io.jetmesh.gateway;

import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param id stable identity used for limits and logs: {@code key:<name>} or {@code jwt:<sub>}
 * @param scopes what it may do
 * @param limits its upload, concurrency and rate limits
 */
public record Caller(String id, Set<Scope> scopes, Limits limits) {
  public Caller {
    scopes = Set.copyOf(scopes);
  }

  public boolean may(Scope scope) {
    return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
  }
}
