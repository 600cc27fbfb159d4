package io.jetmesh.gateway;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code s3://} buckets callers of this gateway may name as a job's input, per service (namespace). Workers fetch
 * S3 inputs with their own credentials, so without this list a caller could have a worker read any bucket those
 * credentials reach (a confused deputy). The default is no bucket at all: uploads and the caller's own
 * {@code nats-object://} blobs still work.
 *
 * <p>Written as {@code <namespace>=<bucket>[,<bucket>...]} entries separated by {@code ;} (or whitespace), with
 * {@code *} for every service: {@code pdf=reports,archive;image=scans;*=shared-inputs}.
 *
 * @param byNamespace namespace (or {@code *}) to its allowed bucket names
 */
record S3Buckets(Map<String, Set<String>> byNamespace) {
  static final String ALL = "*";
  static final S3Buckets NONE = new S3Buckets(Map.of());

  S3Buckets {
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    byNamespace.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
    byNamespace = Map.copyOf(copy);
  }

  /**
   * Parses the setting's text; blank means {@link #NONE}.
   *
   * @throws IllegalArgumentException an entry is not {@code namespace=bucket,...} or a bucket name is not valid
   */
  static S3Buckets parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Map<String, Set<String>> map = new LinkedHashMap<>();
    for (String entry : spec.trim().split("[;\\s]+")) {
      int eq = entry.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("S3 bucket allow-list entry '" + entry + "' is not <namespace>=<bucket>[,<bucket>...]"
            + " (use * for every service)");
      }
      String ns = entry.substring(0, eq).trim();
      Set<String> buckets = map.computeIfAbsent(ns, k -> new TreeSet<>());
      for (String b : entry.substring(eq + 1).split(",")) {
        String bucket = b.trim();
        if (bucket.isEmpty()) {
          continue;
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
          throw new IllegalArgumentException("'" + bucket + "' in the S3 bucket allow-list is not an S3 bucket name"
              + " (3-63 characters: a-z, 0-9, '.', '-'; no wildcards)");
        }
        buckets.add(bucket);
      }
    }
    return new S3Buckets(map);
  }

  /** Throws unless every namespace named here (besides {@code *}) is one of {@code known}. */
  S3Buckets requireNamespaces(Collection<String> known) {
    for (String ns : byNamespace.keySet()) {
      if (!ALL.equals(ns) && !known.contains(ns)) {
        throw new IllegalArgumentException("the S3 bucket allow-list names service '" + ns + "', which namespaces.yaml"
            + " does not define (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    return this;
  }

  boolean allows(String namespace, String bucket) {
    return byNamespace.getOrDefault(namespace, Set.of()).contains(bucket)
        || byNamespace.getOrDefault(ALL, Set.of()).contains(bucket);
  }

  /** The buckets a caller may name for this service, sorted. */
  Set<String> allowed(String namespace) {
    Set<String> out = new TreeSet<>(byNamespace.getOrDefault(namespace, Set.of()));
    out.addAll(byNamespace.getOrDefault(ALL, Set.of()));
    return out;
  }

  /** A short description for the start-up log. */
  String describe() {
    if (byNamespace.isEmpty()) {
      return "no S3 input buckets";
    }
    StringBuilder sb = new StringBuilder("S3 input buckets ");
    byNamespace.forEach((ns, b) -> sb.append(ns).append('=').append(String.join(",", new TreeSet<>(b))).append(' '));
    return sb.toString().trim();
  }
}
