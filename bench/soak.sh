#!/usr/bin/env bash
# Long soak: issue 7's process faults (tests/.../SoakFaultTest) at a size you choose. The same test class runs at CI
# size in scripts/test; this command runs only it, through Maven, with larger sizes, and prints its summary lines.
#   bench/soak.sh [--long] [--kills N] [--jobs N] [--queued N] [--restarts N] [--restart-jobs N]
#                 [--worker-heap SIZE] [--only kills|queued|restarts] [-- MAVEN_ARGS...]
# See --help. Every test starts its own nats-server on loopback and stops by itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'EOF'
Usage: bench/soak.sh [options] [-- extra Maven arguments]

Runs io.jetmesh.tests.SoakFaultTest (tests module) alone, with the sizes below, and prints its summary lines:
  1. worker processes (the real `worker diag` command, -Xmx64m) SIGKILLed one after another while a run of
     diag.sleep jobs is processed; every job must be answered exactly once, some of them redelivered;
  2. diag.noop jobs queued first, then drained by 2 worker processes with -Xmx64m each; no OutOfMemoryError,
     both alive; prints the client JVM's heap after GC with all the futures still held;
  3. nats-server (file store) stopped and restarted repeatedly while diag.sleep jobs run (an in-process worker and
     a worker process); every job answered exactly once, client and workers reconnect by themselves.

Options (defaults are the CI sizes, as in scripts/test):
  --kills N          worker processes killed with SIGKILL in test 1          (default 50)
  --jobs N           diag.sleep jobs (50-300 ms) in test 1                   (default 400)
  --queued N         diag.noop jobs queued in test 2                         (default 10000)
  --restarts N       nats-server restarts in test 3                          (default 3)
  --restart-jobs N   diag.sleep jobs (100 ms) in test 3                      (default 100 per restart)
  --long             preset: --kills 500 --jobs 4000 --queued 100000 --restarts 30 --restart-jobs 3000
                     (options after --long override it)
  --worker-heap SIZE -Xmx of the worker processes                            (default 64m)
  --only WHICH       run one test: kills, queued or restarts
  -h, --help         this text

Timeouts inside the test scale with the sizes. The Maven log is kept in tests/target/soak-<time>.log.
Example (a quick check): bench/soak.sh --kills 3 --jobs 40 --queued 500 --restarts 1
EOF
}

kills=50 jobs=400 queued=10000 restarts=3 restart_jobs="" heap=64m only="" mvn_extra=()
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "soak.sh: $1 needs a value (see --help)" >&2; exit 2; }; }
num() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "soak.sh: $1 needs a whole number, got '$2'" >&2; exit 2; }; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --long) kills=500 jobs=4000 queued=100000 restarts=30 restart_jobs=3000; shift ;;
    --kills) need "$@"; num "$1" "$2"; kills=$2; shift 2 ;;
    --jobs) need "$@"; num "$1" "$2"; jobs=$2; shift 2 ;;
    --queued) need "$@"; num "$1" "$2"; queued=$2; shift 2 ;;
    --restarts) need "$@"; num "$1" "$2"; restarts=$2; shift 2 ;;
    --restart-jobs) need "$@"; num "$1" "$2"; restart_jobs=$2; shift 2 ;;
    --worker-heap) need "$@"; [[ "$2" =~ ^[0-9]+[kKmMgG]$ ]] || { echo "soak.sh: --worker-heap takes e.g. 64m" >&2; exit 2; }
      heap=$2; shift 2 ;;
    --only) need "$@"
      case "$2" in
        kills) only="#killedWorkersLoseAndDuplicateNothing" ;;
        queued) only="#queuedJobsAreDrainedByTwoMemoryCappedWorkers" ;;
        restarts) only="#jobsSurviveRepeatedNatsServerRestarts" ;;
        *) echo "soak.sh: --only takes kills, queued or restarts" >&2; exit 2 ;;
      esac
      shift 2 ;;
    --) shift; mvn_extra=("$@"); break ;;
    *) echo "soak.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$restart_jobs" ]] || restart_jobs=$((100 * restarts))
(( jobs > 0 && queued > 0 && restart_jobs > 0 )) || { echo "soak.sh: job counts must be positive" >&2; exit 2; }

"$root/scripts/ensure-deps.sh"
mkdir -p "$root/tests/target"
log="$root/tests/target/soak-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "soak: kills=$kills jobs=$jobs queued=$queued restarts=$restarts restart-jobs=$restart_jobs worker heap=-Xmx$heap${only:+ only=${only#\#}}"
echo "soak: load before: $(uptime)"
echo "soak: Maven log: $log"
start=$(date +%s)
status=0
(cd "$root" && OMP_THREAD_LIMIT=1 mvn -B -ntp -pl tests -am verify \
  -Dtest="SoakFaultTest$only" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djetmesh.soak.kills="$kills" -Djetmesh.soak.jobs="$jobs" -Djetmesh.soak.queued="$queued" \
  -Djetmesh.soak.restarts="$restarts" -Djetmesh.soak.restartJobs="$restart_jobs" -Djetmesh.test.workerHeap="$heap" \
  "${mvn_extra[@]}") >"$log" 2>&1 || status=$?
echo "soak: load after: $(uptime)"
echo "--- summary ($(( $(date +%s) - start )) s, Maven exit $status)"
grep -E '^SoakFaultTest: ' "$log" || echo "(no summary line: see the log)"
grep -E 'Tests run: .*SoakFaultTest|^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures' "$log" | tail -n 2 || true
if (( status != 0 )); then
  echo "--- FAILED; last lines of $log:"
  grep -E '^\[ERROR\]' "$log" | head -n 40 || tail -n 40 "$log"
fi
exit "$status"
