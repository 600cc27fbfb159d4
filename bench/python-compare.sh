#!/usr/bin/env bash
# The Python client of jetmesh vs Celery's Python client (Celery 5 + Redis, Debian packages), same machine, same
# sitting: the no-op job round trip and throughput of both, with Debian's /usr/bin/python3 on both sides.
# Celery through ../shared/bench/celery unchanged; jetmesh through `jetmesh dev` (embedded mesh, all workers in one
# JVM) and bench/python/bench.py. Results as JSON under a temp dir, summaries on stdout.
#   bench/python-compare.sh [--reps 3] [--lat-n 2000] [--tp-n 20000] [--skip-celery]
# Run it on an otherwise idle machine: a shared CPU makes the figures meaningless.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps=3 lat_n=2000 tp_n=20000 skip_celery=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --lat-n) lat_n="$2"; shift 2 ;;
    --tp-n) tp_n="$2"; shift 2 ;;
    --skip-celery) skip_celery=1; shift ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
py=/usr/bin/python3
celery_dir="$root/../shared/bench/celery"
work=$(mktemp -d)
dev_pid=""
cleanup() {
  [[ -n "$dev_pid" ]] && kill "$dev_pid" 2>/dev/null || true
  [[ -f "$work/redis.pid" ]] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ((skip_celery)); then
  echo "Celery skipped (--skip-celery)" >&2
elif [[ -d "$celery_dir" ]]; then
  "$root/scripts/ensure-deps.sh" --bench
  port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" \
    --daemonize yes --pidfile "$work/redis.pid"
  sleep 0.5
  echo "=== Celery 5 + Redis (threads pool, 8 threads)"
  for profile in default reliable; do
    (cd "$celery_dir" && REDIS_PORT=$port BENCH_REDIS_URL="redis://127.0.0.1:$port" RESULTS_DIR="$work/celery" \
      sh run_config.sh "$profile" threads 8 "$profile-threads-c8" --reps "$reps" --tp-n "$tp_n" --lat-n "$lat_n")
  done
  $py "$celery_dir/summarize.py" "$work/celery"
else
  echo "../shared/bench/celery not present: jetmesh's Python client only" >&2
fi

echo "=== jetmesh Python client (clients/python) against jetmesh dev"
"$root/jetmesh" dev --env-file "$work/mesh.env" --gateway-port -1 --dir "$work/mesh" > "$work/dev.log" 2>&1 &
dev_pid=$!
for _ in $(seq 1 120); do [[ -s "$work/mesh.env" ]] && break; sleep 1; done
[[ -s "$work/mesh.env" ]] || { echo "jetmesh dev did not start:" >&2; cat "$work/dev.log" >&2; exit 1; }
(set -a; . "$work/mesh.env"; set +a; JETMESH_ENV_FILE=/dev/null $py "$root/bench/python/bench.py" --reps "$reps" \
  --lat-n "$lat_n" --tp-n "$tp_n" --out "$work/jetmesh-python.json")
