#!/usr/bin/env bash
# Compiles MODULE with its test classes and prints the classpath that runs the evaluation and benchmark tools kept in
# its src/test (outside the module's jar): io.jetmesh.ocr.OcrBenchmark, io.jetmesh.text.TextBenchmark,
# io.jetmesh.pdf.eval.* ... They need the test classes and the test-scope dependencies (e.g. worker-runtime's test-jar).
#   java -cp "$(scripts/test-classpath.sh ocr)" io.jetmesh.ocr.OcrBenchmark --images DIR ...
# Extra arguments go to Maven (e.g. -Ppytorch). The reactor resolves the sibling modules; nothing is installed.
set -euo pipefail
module="${1:?usage: scripts/test-classpath.sh MODULE [maven args...]}"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -ntp -o -Dstyle.color=never -pl "$module" -am "$@" test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test-cp.txt >&2
echo "$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/test-cp.txt")"
