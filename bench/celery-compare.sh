#!/usr/bin/env bash
# jetmesh vs Celery 5 + Redis (Debian packages), same machine, same sitting: the no-op job round trip and
# throughput of both, then the ratios. Uses ../shared/bench/celery (the peer's own harness) unchanged.
#   bench/celery-compare.sh [--reps 3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps=3
[[ "${1:-}" == "--reps" ]] && reps="$2"
celery_dir="$root/../shared/bench/celery"
[[ -d "$celery_dir" ]] || { echo "../shared/bench/celery not present: nothing to compare with" >&2; exit 2; }
"$root/scripts/ensure-deps.sh" --bench

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" --daemonize yes --pidfile "$work/redis.pid"
trap 'kill "$(cat "$work/redis.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5

echo "=== Celery 5 + Redis (threads pool, 8 threads: the fastest Celery configuration measured here)"
for profile in default reliable; do
  (cd "$celery_dir" && REDIS_PORT=$port BENCH_REDIS_URL="redis://127.0.0.1:$port" RESULTS_DIR="$work/celery" \
    sh run_config.sh "$profile" threads 8 "$profile-threads-c8" --reps "$reps" --tp-n 20000 --lat-n 2000)
done
/usr/bin/python3 "$celery_dir/summarize.py" "$work/celery" | tee "$work/celery-summary.md"

echo "=== jetmesh (file storage, workers in one JVM as in jsmin; the client waits for every result)"
(cd "$root" && mvn -q -B -ntp -DskipTests -pl bench -am package)
java -Xms1g -Xmx2g -cp "$root/bench/target/classes:$(cat "$root/bench/target/classpath.txt")" io.jetmesh.bench.MeshBench --reps "$reps"
