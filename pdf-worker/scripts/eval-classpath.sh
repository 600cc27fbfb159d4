#!/usr/bin/env bash
# The classpath that runs pdf-worker's evaluation and benchmark tools (io.jetmesh.pdf.eval.CorpusEval, SpeedBench,
# ReportGenerator, QualityReport; io.jetmesh.pdf.tables.eval.IcdarEval): they live in src/test, outside the worker's
# jar. See scripts/test-classpath.sh.
#   java -cp "$(pdf-worker/scripts/eval-classpath.sh)" io.jetmesh.pdf.eval.SpeedBench 3 DIR...
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/test-classpath.sh" pdf-worker "$@"
