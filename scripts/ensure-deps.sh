#!/usr/bin/env bash
# Installs the system packages jetmesh needs on a Debian/Ubuntu machine, if they are missing.
#   nats-server          the embedded mesh and every test start it as a child process
#   tesseract-ocr(-eng,-osd)  OCR (the CLI benchmark compares with it; the engine itself ships natives via Maven)
#   poppler-utils        pdftotext/pdftoppm: PDF speed comparisons and test fixtures
#   fonts-dejavu-core    Java2D text rendering for generated test images
#   chromium, chromium-driver  the gateway's web page is tested in a real headless browser
#   python3              the Python client's tests (clients/python) run with Debian's python3
#   fonts-noto-core, fonts-droid-fallback  Latin, Hebrew, Arabic and CJK fonts that the PDF worker's generated table
#                        tests embed (fonts-noto-cjk is CFF-flavoured OpenType, which PDFBox 3 cannot embed)
#   fonts-nanum          a Korean TrueType font for the generated text tests (Droid Sans Fallback has no Hangul)
# Usage: scripts/ensure-deps.sh [--test|--bench]   (--test adds what the test suite needs: chromium, openssl, curl, python3;
#   --bench also adds the peers of the benchmarks and of pdf-worker/scripts/pdf-quality.sh: redis, celery,
#   pdfminer, PyMuPDF)
set -euo pipefail

pkgs=(nats-server tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd poppler-utils fonts-dejavu-core)
if [[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]]; then
  pkgs+=(chromium chromium-driver openssl curl python3 fonts-noto-core fonts-droid-fallback fonts-nanum)
fi
if [[ "${1:-}" == "--bench" ]]; then
  pkgs+=(redis-server python3-celery python3-redis python3-pdfminer python3-fitz)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "jetmesh: installing missing packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null; then
  SUDO=(sudo)
else
  echo "jetmesh: need root (or sudo) to run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
