#!/usr/bin/env bash
# PDF text extraction: jetmesh's `text` path (SpeedBench, in-JVM, warm) against pdftotext, PyMuPDF and pdfminer.six
# (Debian packages) and Apache Tika (tika-app 3.2.2 from Maven Central, one JVM for all files) on the same files, in
# the same sitting. Pages/s = pages / wall time over all files, best of 3 (process start included for the peers).
#   bench/pdf-peers.sh [DIR...]    (default: ../shared/corpus/docling/pdf and icdar2013)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
dirs=("$@")
[[ ${#dirs[@]} -eq 0 ]] && dirs=("$shared/corpus/docling/pdf" "$shared/corpus/icdar2013/eu" "$shared/corpus/icdar2013/us")
"$root/scripts/ensure-deps.sh" --bench
files=$(find "${dirs[@]}" -name '*.pdf' | sort)
pages=0; for f in $files; do n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'); pages=$((pages + ${n:-0})); done
echo "files: $(echo "$files" | wc -l), pages: $pages"
best() { # command... -> best wall seconds of 3 runs
  local b=999999 s e t
  for i in 1 2 3; do s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); t=$(echo "$e - $s" | bc); if (( $(echo "$t < $b" | bc) )); then b=$t; fi; done
  echo "$b"
}
t_pdftotext=$(best bash -c "for f in $(echo $files | tr '\n' ' '); do pdftotext -q \"\$f\" - ; done")
t_fitz=$(best /usr/bin/python3 -c "
import sys, fitz
for f in sys.argv[1:]:
    d = fitz.open(f); ''.join(p.get_text() for p in d)" $files)
t_pdfminer=$(best /usr/bin/python3 -c "
import sys
from pdfminer.high_level import extract_text
for f in sys.argv[1:]:
    try: extract_text(f)
    except Exception: pass" $files)
tika_dir=$(mktemp -d)
mvn -q -B -ntp dependency:copy -Dartifact=org.apache.tika:tika-app:3.2.2 -DoutputDirectory="$tika_dir" >/dev/null
# Tika runs Tesseract on PDF pages when tesseract is on the PATH; for a text-extraction comparison OCR is excluded.
cat > "$tika_dir/no-ocr.xml" <<'XML'
<properties><parsers><parser class="org.apache.tika.parser.DefaultParser">
  <parser-exclude class="org.apache.tika.parser.ocr.TesseractOCRParser"/>
</parser></parsers></properties>
XML
t_tika=$(best java -jar "$tika_dir/tika-app-3.2.2.jar" --config="$tika_dir/no-ocr.xml" -t $files)
t_tika_warm=$(best java -jar "$tika_dir/tika-app-3.2.2.jar" --config="$tika_dir/no-ocr.xml" -t $files $files $files)
printf "pdftotext (process per file): %.1f pages/s\n" "$(echo "$pages / $t_pdftotext" | bc -l)"
printf "PyMuPDF 1.21 (one process):  %.1f pages/s\n" "$(echo "$pages / $t_fitz" | bc -l)"
printf "pdfminer.six (one process):   %.1f pages/s\n" "$(echo "$pages / $t_pdfminer" | bc -l)"
printf "Apache Tika 3.2.2, no OCR (one JVM): %.1f pages/s (files read 3x in one JVM: %.1f pages/s; marginal, start-up excluded: %.1f pages/s)\n" \
  "$(echo "$pages / $t_tika" | bc -l)" "$(echo "3 * $pages / $t_tika_warm" | bc -l)" "$(echo "2 * $pages / ($t_tika_warm - $t_tika)" | bc -l)"
echo "--- jetmesh (SpeedBench: text and convert, warm JVM, same files; it also re-measures pdftotext)"
(cd "$root" && mvn -q -o -pl pdf-worker -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null)
java -Dlogback.configurationFile="$root/pdf-worker/src/test/resources/logback-test.xml" \
  -cp "$root/pdf-worker/target/classes:$(cat "$root/pdf-worker/target/cp.txt")" io.jetmesh.pdf.eval.SpeedBench 3 "${dirs[@]}"
