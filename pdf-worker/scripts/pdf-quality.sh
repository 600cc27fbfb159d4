#!/usr/bin/env bash
# Converts ../shared/corpus (docling, icdar2013, docling-ocr) with the convert handler, scores it with ../shared/eval,
# then measures text/convert speed against pdftotext in the same run.
# Usage (from the repository root): pdf-worker/scripts/pdf-quality.sh [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${JETMESH_SHARED:-$ROOT/../shared}"
OUT="${1:-$ROOT/pdf-worker/target/pdf-eval}"
cd "$ROOT"
CP=$(pdf-worker/scripts/eval-classpath.sh)  # the evaluation tools live in pdf-worker/src/test
LOG="-Dlogback.configurationFile=pdf-worker/src/test/resources/logback-test.xml"
java $LOG -cp "$CP" io.jetmesh.pdf.eval.CorpusEval "$SHARED" "$OUT" | grep -v '^eu-\|^us-'
java $LOG -cp "$CP" io.jetmesh.pdf.eval.SpeedBench 3 "$SHARED/corpus/docling/pdf" "$SHARED/corpus/icdar2013/eu" \
  "$SHARED/corpus/icdar2013/us"
