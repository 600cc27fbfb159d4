#!/usr/bin/env bash
# Quality of the PDF worker against its peers on every set of ../shared/corpus, in one run, as one table.
#   pdf-worker/scripts/pdf-quality.sh [OUT_DIR]        (from anywhere; default OUT_DIR pdf-worker/target/pdf-quality)
# Sets: docling (text + tables), printed/html and printed/docx (text), icdar2013 and tabula (tables), docling-ocr
# (OCR), hostile (robustness: a result or a clean error within 30 s per file).
# Tools: jetmesh (the convert handler in-process, io.jetmesh.pdf.eval.CorpusEval), pdftotext (poppler, default
# mode), PyMuPDF and pdfminer.six (Debian python3-fitz, python3-pdfminer), Apache Tika 3.2.2 (tika-app, no OCR),
# tabula-java 1.0.5 lattice (-l) and stream (-t -g), each in its own JVM with its own PDFBox 2.
# Scores come from ../shared/eval (score_text.py, score_tables.py, score_ocr.py, robustness.py); the table is
# printed and written to OUT_DIR/quality.md (and quality.json). Quality is deterministic; speed is measured by
# bench/pdf-peers.sh, not here. Needs Maven Central once for tika-app and tabula (then cached in ~/.m2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED="$(cd "${JETMESH_SHARED:-$ROOT/../shared}" && pwd)"
OUT="${1:-$ROOT/pdf-worker/target/pdf-quality}"
case "${1:-}" in -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
CORPUS="$SHARED/corpus"
[[ -d "$CORPUS" && -d "$SHARED/eval" ]] || { echo "pdf-quality.sh: no corpus at $CORPUS" >&2; exit 2; }
"$ROOT/scripts/ensure-deps.sh" --bench
rm -rf "$OUT"; mkdir -p "$OUT"
PY=/usr/bin/python3 # Debian's, which has fitz and pdfminer (a pyenv python3 on the PATH may not)
LOG="-Dlogback.configurationFile=$ROOT/pdf-worker/src/test/resources/logback-test.xml"
tools_dir="$OUT/.tools"; mkdir -p "$tools_dir"

# set id -> PDF directory (relative to the corpus)
declare -A PDFS=([docling]=docling/pdf [printed-html]=printed/html/pdf [printed-docx]=printed/docx/pdf
  [icdar2013]=icdar2013 [tabula]=tabula/pdf [docling-ocr]=docling-ocr/pdf [hostile]=hostile)
TEXT_SETS=(docling printed-html printed-docx docling-ocr)
TABLE_SETS=(docling icdar2013 tabula)
pdfs() { find "$CORPUS/${PDFS[$1]}" -type f -iname '*.pdf' | sort; }

echo "== jetmesh (convert handler, in-process)" >&2
CP=$("$ROOT/pdf-worker/scripts/eval-classpath.sh")
java $LOG -cp "$CP" io.jetmesh.pdf.eval.CorpusEval "$SHARED" "$OUT/jetmesh" >&2

echo "== tika-app 3.2.2 and tabula-java 1.0.5 from Maven Central" >&2
mvn -q -B -ntp dependency:copy -Dartifact=org.apache.tika:tika-app:3.2.2 -DoutputDirectory="$tools_dir" >&2
TIKA="$tools_dir/tika-app-3.2.2.jar"
# Tika runs Tesseract on PDF pages when tesseract is on the PATH: text extraction is compared without OCR
cat > "$tools_dir/no-ocr.xml" <<'XML'
<properties><parsers><parser class="org.apache.tika.parser.DefaultParser">
  <parser-exclude class="org.apache.tika.parser.ocr.TesseractOCRParser"/>
</parser></parsers></properties>
XML
# tabula with its own dependencies (PDFBox 2.0.24: its CommandLineApp does not run on PDFBox 3)
cat > "$tools_dir/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.quality</groupId><artifactId>tabula-peer</artifactId><version>1</version>
  <dependencies><dependency><groupId>technology.tabula</groupId><artifactId>tabula</artifactId>
    <version>1.0.5</version></dependency></dependencies></project>
XML
(cd "$tools_dir" && mvn -q -B -ntp dependency:build-classpath -Dmdep.outputFile=tabula-cp.txt >&2)
TABULA_CP=$(cat "$tools_dir/tabula-cp.txt")
tabula() { java -cp "$TABULA_CP" technology.tabula.CommandLineApp "$@"; }

fitz_py='
import sys, fitz, pathlib
out = pathlib.Path(sys.argv[1])
for f in sys.argv[2:]:
    try:
        text = "".join(p.get_text() for p in fitz.open(f))
    except Exception as e:  # a file the tool cannot read scores as missing
        print(f, e, file=sys.stderr); continue
    (out / (pathlib.Path(f).stem + ".txt")).write_text(text, encoding="utf-8")'
pdfminer_py='
import sys, pathlib
from pdfminer.high_level import extract_text
out = pathlib.Path(sys.argv[1])
for f in sys.argv[2:]:
    try:
        text = extract_text(f)
    except Exception as e:  # a file the tool cannot read scores as missing
        print(f, e, file=sys.stderr); continue
    (out / (pathlib.Path(f).stem + ".txt")).write_text(text, encoding="utf-8")'

for set in "${TEXT_SETS[@]}"; do
  echo "== text peers: $set" >&2
  mapfile -t files < <(pdfs "$set")
  for tool in pdftotext pymupdf pdfminer tika; do mkdir -p "$OUT/$tool/$set"; done
  for f in "${files[@]}"; do pdftotext -q "$f" "$OUT/pdftotext/$set/$(basename "${f%.*}").txt" || true; done
  $PY -c "$fitz_py" "$OUT/pymupdf/$set" "${files[@]}"
  $PY -c "$pdfminer_py" "$OUT/pdfminer/$set" "${files[@]}"
  java -jar "$TIKA" --config="$tools_dir/no-ocr.xml" -t -i "$CORPUS/${PDFS[$set]}" -o "$OUT/tika/$set" \
    >"$tools_dir/tika-$set.log" 2>&1
  for t in "$OUT/tika/$set"/*.pdf.txt; do mv "$t" "${t%.pdf.txt}.txt"; done
done

for set in "${TABLE_SETS[@]}"; do
  echo "== tabula: $set" >&2
  for mode in lattice stream; do
    work="$tools_dir/tabula-$set-$mode"; mkdir -p "$work" "$OUT/tabula-$mode/$set"
    pdfs "$set" | while read -r f; do ln -sf "$f" "$work/"; done  # batch mode writes beside its inputs
    flags=(-l); [[ $mode == stream ]] && flags=(-t -g)
    tabula -b "$work" -f JSON -p all "${flags[@]}" >"$tools_dir/tabula-$set-$mode.log" 2>&1 || true
    mv "$work"/*.json "$OUT/tabula-$mode/$set/" 2>/dev/null || true
  done
done

echo "== robustness: hostile" >&2
robust() { # tool command-template
  mkdir -p "$OUT/$1/hostile"
  $PY "$SHARED/eval/robustness.py" "$CORPUS/hostile" "$tools_dir/robust-$1" --timeout 30 --label "$1" --cmd "$2" \
    | grep '^SUMMARY' > "$OUT/$1/hostile/summary.txt"
}
robust pdftotext 'pdftotext -q {in} {out}'
robust pymupdf "$PY -c 'import sys, fitz; open(sys.argv[2], \"w\").write(\"\".join(p.get_text() for p in fitz.open(sys.argv[1])))' {in} {out}"
robust pdfminer "$PY -c 'import sys; from pdfminer.high_level import extract_text; open(sys.argv[2], \"w\").write(extract_text(sys.argv[1]))' {in} {out}"
robust tika "java -jar $TIKA --config=$tools_dir/no-ocr.xml -t {in} > {out}"
robust tabula-lattice "java -cp $TABULA_CP technology.tabula.CommandLineApp -l -f JSON -p all -o {out} {in}"
robust tabula-stream "java -cp $TABULA_CP technology.tabula.CommandLineApp -t -g -f JSON -p all -o {out} {in}"

echo "== scores (../shared/eval), $(date -u +%Y-%m-%d)" >&2
$PY "$ROOT/pdf-worker/scripts/quality-table.py" "$OUT" "$SHARED" | tee "$OUT/quality.md"
