#!/usr/bin/env bash
# Mesh overhead: jetmesh no-op round trip (p50/p99) and throughput with 1 and 2 workers, beside raw jnats
# request/reply, each on a fresh nats-server (file storage); then, in the same sitting, the bare JetStream job cycle
# (../shared/bench/jsmin) when it is present. Keep the machine otherwise idle.
#   bench/mesh-bench.sh [--reps 3] [--lat-jobs 3000] [--jobs 30000] [--inflight 2048] [--worker-concurrency 256]
#                       [--worker-processes]   (also: 1 and 2 workers as separate JVMs, the real worker command)
#                       [--latency-only]       (only the one-at-a-time scenarios, core and jetmesh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/ensure-deps.sh"
(cd "$root" && mvn -q -B -ntp -DskipTests -pl bench -am package)
echo "load before: $(uptime)"
java -Xms1g -Xmx2g -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" io.jetmesh.bench.MeshBench "$@"
echo "load after: $(uptime)"
jsmin="$root/../shared/bench/jsmin"
if [[ -d "$jsmin" && "${SKIP_JSMIN:-0}" != 1 ]]; then
  echo "--- bare JetStream job cycle (shared/bench/jsmin), same sitting"
  tmp=$(mktemp -d); cp -r "$jsmin"/. "$tmp"/
  (cd "$tmp" && mvn -q -B -ntp package && java -Xms1g -Xmx2g -jar target/jsmin-0.1.jar --reps 1 --jobs 30000 --lat-jobs 3000 \
      --scenarios js-file-tput-1,js-file-tput-2,js-file-lat,core-lat --out "$tmp/results.jsonl" --summary "$tmp/summary.md")
else
  echo "(../shared/bench/jsmin not present: bare JetStream comparison skipped)"
fi
