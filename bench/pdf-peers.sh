#!/usr/bin/env bash
# PDF text extraction: jetmesh's `text` path (SpeedBench, in-JVM, warm) against pdftotext, PyMuPDF and pdfminer.six
# (Debian packages) and Apache Tika (tika-app 3.2.2 from Maven Central, one JVM for all files) on the same files, in
# the same sitting. Pages/s = pages / wall time over all files, best of 3 (process start included for the peers).
#   bench/pdf-peers.sh [DIR...]    (default: ../shared/corpus/docling/pdf and icdar2013)
#   bench/pdf-peers.sh --large PAGES [--seed N]
#       the same comparison on one large generated document instead: a PAGES-page report (title, numbered sections,
#       prose, bullet lists, ruled tables, two-column pages, running header and footer) written by
#       io.jetmesh.pdf.eval.ReportGenerator into a temp dir (e.g. --large 1000). Prints pages/s for every tool and the
#       ratio jetmesh text / tool. pdfminer.six takes one run instead of best of 3 above 200 pages (about 20-25
#       pages/s), and says so.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
large=0 seed=1 dirs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --large) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "pdf-peers.sh: --large takes a page count" >&2; exit 2; }
      large=$2; shift 2 ;;
    --seed) [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "pdf-peers.sh: --seed takes a number" >&2; exit 2; }
      seed=$2; shift 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
if (( large > 0 && ${#dirs[@]} > 0 )); then
  echo "pdf-peers.sh: --large and DIR... exclude each other" >&2; exit 2
fi
[[ ${#dirs[@]} -eq 0 ]] && dirs=("$shared/corpus/docling/pdf" "$shared/corpus/icdar2013/eu" "$shared/corpus/icdar2013/us")
"$root/scripts/ensure-deps.sh" --bench
best() { # command... -> best wall seconds of 3 runs
  local b=999999 s e t
  for i in 1 2 3; do s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); t=$(echo "$e - $s" | bc); if (( $(echo "$t < $b" | bc) )); then b=$t; fi; done
  echo "$b"
}
once() { # command... -> wall seconds of 1 run
  local s e
  s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc
}
tika_setup() { # -> sets tika_dir with tika-app-3.2.2.jar and no-ocr.xml
  tika_dir=$(mktemp -d)
  mvn -q -B -ntp dependency:copy -Dartifact=org.apache.tika:tika-app:3.2.2 -DoutputDirectory="$tika_dir" >/dev/null
  # Tika runs Tesseract on PDF pages when tesseract is on the PATH; for a text-extraction comparison OCR is excluded.
  cat > "$tika_dir/no-ocr.xml" <<'XML'
<properties><parsers><parser class="org.apache.tika.parser.DefaultParser">
  <parser-exclude class="org.apache.tika.parser.ocr.TesseractOCRParser"/>
</parser></parsers></properties>
XML
}
pdf_worker_cp() { # builds pdf-worker and the classpath of its evaluation tools (SpeedBench, ReportGenerator live in src/test)
  cp=$("$root/pdf-worker/scripts/eval-classpath.sh")
}
fitz_py="
import sys, fitz
for f in sys.argv[1:]:
    d = fitz.open(f); ''.join(p.get_text() for p in d)"
pdfminer_py="
import sys
from pdfminer.high_level import extract_text
for f in sys.argv[1:]:
    try: extract_text(f)
    except Exception: pass"

if (( large > 0 )); then
  work=$(mktemp -d)
  trap 'rm -rf "$work" "${tika_dir:-}"' EXIT
  pdf_worker_cp
  pdf="$work/report-$large.pdf"
  java -cp "$cp" io.jetmesh.pdf.eval.ReportGenerator "$pdf" "$large" --seed "$seed"
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/{print $2}')
  echo "file: one generated report, pages: $pages, $(stat -c %s "$pdf") bytes (seed $seed); load: $(uptime | sed 's/.*load/load/')"
  t_pdftotext=$(best pdftotext -q "$pdf" -)
  t_fitz=$(best /usr/bin/python3 -c "$fitz_py" "$pdf")
  if (( pages > 200 )); then
    miner_note="one run (slow; not best of 3)"
    t_pdfminer=$(once /usr/bin/python3 -c "$pdfminer_py" "$pdf")
  else
    miner_note="best of 3"
    t_pdfminer=$(best /usr/bin/python3 -c "$pdfminer_py" "$pdf")
  fi
  tika_setup
  t_tika=$(best java -jar "$tika_dir/tika-app-3.2.2.jar" --config="$tika_dir/no-ocr.xml" -t "$pdf")
  echo "--- jetmesh (SpeedBench: text and convert, warm JVM, same file; it also re-measures pdftotext)"
  sb=$(java -Dlogback.configurationFile="$root/pdf-worker/src/test/resources/logback-test.xml" \
    -cp "$cp" io.jetmesh.pdf.eval.SpeedBench 3 "$pdf")
  echo "$sb"
  jm=$(echo "$sb" | awk '/^jetmesh text/{print $3}')
  [[ -n "$jm" ]] || { echo "pdf-peers.sh: no 'jetmesh text' line from SpeedBench" >&2; exit 1; }
  echo "--- $pages-page generated report, same sitting; ratio = jetmesh text ($jm pages/s) / tool"
  row() { # name seconds note
    local r; r=$(echo "$pages / $2" | bc -l)
    printf "%-48s %9.1f pages/s   jetmesh text / tool %6.2fx   (%s)\n" "$1" "$r" "$(echo "$jm / $r" | bc -l)" "$3"
  }
  row "pdftotext (one process)" "$t_pdftotext" "best of 3"
  row "PyMuPDF 1.21 (one process)" "$t_fitz" "best of 3"
  row "pdfminer.six (one process)" "$t_pdfminer" "$miner_note"
  row "Apache Tika 3.2.2, no OCR (one JVM)" "$t_tika" "best of 3, JVM start included"
  exit 0
fi

files=$(find "${dirs[@]}" -name '*.pdf' | sort)
pages=0; for f in $files; do n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'); pages=$((pages + ${n:-0})); done
echo "files: $(echo "$files" | wc -l), pages: $pages"
t_pdftotext=$(best bash -c "for f in $(echo $files | tr '\n' ' '); do pdftotext -q \"\$f\" - ; done")
t_fitz=$(best /usr/bin/python3 -c "$fitz_py" $files)
t_pdfminer=$(best /usr/bin/python3 -c "$pdfminer_py" $files)
tika_setup
t_tika=$(best java -jar "$tika_dir/tika-app-3.2.2.jar" --config="$tika_dir/no-ocr.xml" -t $files)
t_tika_warm=$(best java -jar "$tika_dir/tika-app-3.2.2.jar" --config="$tika_dir/no-ocr.xml" -t $files $files $files)
printf "pdftotext (process per file): %.1f pages/s\n" "$(echo "$pages / $t_pdftotext" | bc -l)"
printf "PyMuPDF 1.21 (one process):  %.1f pages/s\n" "$(echo "$pages / $t_fitz" | bc -l)"
printf "pdfminer.six (one process):   %.1f pages/s\n" "$(echo "$pages / $t_pdfminer" | bc -l)"
printf "Apache Tika 3.2.2, no OCR (one JVM): %.1f pages/s (files read 3x in one JVM: %.1f pages/s; marginal, start-up excluded: %.1f pages/s)\n" \
  "$(echo "$pages / $t_tika" | bc -l)" "$(echo "3 * $pages / $t_tika_warm" | bc -l)" "$(echo "2 * $pages / ($t_tika_warm - $t_tika)" | bc -l)"
echo "--- jetmesh (SpeedBench: text and convert, warm JVM, same files; it also re-measures pdftotext)"
pdf_worker_cp
java -Dlogback.configurationFile="$root/pdf-worker/src/test/resources/logback-test.xml" \
  -cp "$cp" io.jetmesh.pdf.eval.SpeedBench 3 "${dirs[@]}"
