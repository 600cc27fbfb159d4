#!/usr/bin/env bash
# Office, web and text formats: jetmesh's converters (FormatsBench: detection, conversion, Markdown and DoclingDocument
# JSON, one JVM) against Apache Tika (tika-app 3.2.2 from Maven Central, Tika.parseToString: text, no OCR, one JVM)
# on the same files, in the same sitting. Each tool runs once over the files (JVM start included) and three times in
# one JVM; documents/s is reported for both runs and as the marginal rate (start-up excluded: 2 x files / (t3 - t1)),
# with the ratio jetmesh / Tika of the marginal rates. Best of 3 per measurement. Wall times need a quiet machine;
# so the script then runs both tools in one JVM in alternating passes (FormatsBench --cpu --tika) and prints CPU
# milliseconds per document of each (the converting thread per phase and format, and the whole process), which a
# loaded machine disturbs far less: compare tools by that ratio when others share the cores.
#   bench/formats-peers.sh [DIR...]   (default: ../shared/corpus/formats/*/src: docling's DOCX, PPTX, XLSX, HTML,
#                                      Markdown and CSV test documents)
#   bench/formats-peers.sh --quick    one CSV and one Markdown file, one run each: checks that the script works
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
quick=0 dirs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --quick) quick=1; shift ;;
    *) dirs+=("$1"); shift ;;
  esac
done
[[ ${#dirs[@]} -eq 0 ]] && dirs=("$shared"/corpus/formats/*/src)
for d in "${dirs[@]}"; do [[ -d "$d" ]] || { echo "formats-peers.sh: no such directory: $d" >&2; exit 2; }; done
mapfile -t files < <(find "${dirs[@]}" -type f | sort)
if (( quick )); then
  files=("$(printf '%s\n' "${files[@]}" | grep '\.csv$' | head -1)" "$(printf '%s\n' "${files[@]}" | grep '\.md$' | head -1)")
fi
(( ${#files[@]} > 0 )) || { echo "formats-peers.sh: no files" >&2; exit 2; }
runs=$(( quick ? 1 : 3 ))
best() { # command... -> best wall seconds of $runs runs
  local b=999999 s e t i
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc); if (( $(echo "$t < $b" | bc) )); then b=$t; fi
  done
  echo "$b"
}
tika_dir=$(mktemp -d)
trap 'rm -rf "$tika_dir"' EXIT
mvn -q -B -ntp dependency:copy -Dartifact=org.apache.tika:tika-app:3.2.2 -DoutputDirectory="$tika_dir" >/dev/null
cat > "$tika_dir/no-ocr.xml" <<'XML'
<properties><parsers><parser class="org.apache.tika.parser.DefaultParser">
  <parser-exclude class="org.apache.tika.parser.ocr.TesseractOCRParser"/>
</parser></parsers></properties>
XML
(cd "$root" && mvn -q -B -ntp -pl bench -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null)
cp="$root/bench/target/classes:$(cat "$root/bench/target/cp.txt")"
jm() { java -Dlogback.configurationFile="$root/pdf-worker/src/test/resources/logback-test.xml" -cp "$cp" \
  io.jetmesh.bench.FormatsBench "$@"; }
# Tika in its own JVM through FormatsBench --tika-only (Tika's own class loader): tika-app -t with several files
# stops at the first file it cannot parse (Strict OOXML), which made earlier timings measure only the files before it
tika() { java -cp "$cp" io.jetmesh.bench.FormatsBench --tika-only --tika "$tika_dir/tika-app-3.2.2.jar" \
  --tika-config "$tika_dir/no-ocr.xml" "$@"; }
n=${#files[@]}
check=$(jm "${files[@]}" 2>&1 | tail -1)
tcheck=$(tika "${files[@]}" 2>/dev/null | tail -1)
echo "files: $n ($(printf '%s\n' "${files[@]}" | sed 's/.*\.//' | sort | uniq -c | tr -s ' ' | paste -sd, -)); jetmesh: $check;"\
  "$tcheck"
echo "load: $(uptime | sed 's/.*load/load/'); best of $runs"
t_jm1=$(best jm "${files[@]}")
t_jm3=$(best jm --repeat 3 "${files[@]}")
t_tk1=$(best tika "${files[@]}")
t_tk3=$(best tika --repeat 3 "${files[@]}")
rate() { echo "$1 / $2" | bc -l; }
marg() { local d; d=$(echo "$2 - $1" | bc -l); if (( $(echo "$d <= 0" | bc) )); then echo 0; else echo "2 * $n / $d" | bc -l; fi; }
jm_m=$(marg "$t_jm1" "$t_jm3"); tk_m=$(marg "$t_tk1" "$t_tk3")
printf "%-44s %8.1f docs/s once, %8.1f docs/s 3x, marginal %8.1f docs/s\n" "jetmesh converters (md + json, one JVM)" \
  "$(rate "$n" "$t_jm1")" "$(rate "$((3 * n))" "$t_jm3")" "$jm_m"
printf "%-44s %8.1f docs/s once, %8.1f docs/s 3x, marginal %8.1f docs/s\n" "Apache Tika 3.2.2 text, no OCR (one JVM)" \
  "$(rate "$n" "$t_tk1")" "$(rate "$((3 * n))" "$t_tk3")" "$tk_m"
if (( $(echo "$tk_m > 0" | bc) )); then
  printf "ratio jetmesh / Tika: %.2fx (marginal), %.2fx (once, JVM start included)\n" "$(echo "$jm_m / $tk_m" | bc -l)" \
    "$(echo "$t_tk1 / $t_jm1" | bc -l)"
fi
echo "in one JVM, alternating passes, CPU time (load: $(uptime | sed 's/.*load average: //')):"
jm --cpu --warmup "$(( quick ? 1 : 3 ))" --repeat "$(( quick ? 1 : 5 ))" --tika "$tika_dir/tika-app-3.2.2.jar" \
  --tika-config "$tika_dir/no-ocr.xml" "${files[@]}" 2>/dev/null
