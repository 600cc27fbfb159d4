#!/usr/bin/env bash
# Compiles pdf-worker with its test classes and prints the classpath that runs its evaluation and benchmark tools
# (io.jetmesh.pdf.eval.CorpusEval, SpeedBench, ReportGenerator, QualityReport; io.jetmesh.pdf.tables.eval.IcdarEval):
# they live in src/test, outside the worker's jar, so they need the test classes and test-scope dependencies.
#   java -cp "$(pdf-worker/scripts/eval-classpath.sh)" io.jetmesh.pdf.eval.SpeedBench 3 DIR...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -B -ntp -o -Dstyle.color=never -pl pdf-worker -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/eval-cp.txt >&2
echo "$root/pdf-worker/target/test-classes:$root/pdf-worker/target/classes:$(cat "$root/pdf-worker/target/eval-cp.txt")"
