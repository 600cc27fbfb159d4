#!/usr/bin/env python3
"""Scores the predictions that pdf-quality.sh wrote, for every corpus set and every tool, with the shared scorers,
and prints one Markdown table (rows: set and metric; columns: tools). Also writes OUT/quality.json.

Usage: quality-table.py OUT_DIR SHARED_DIR

OUT_DIR/<tool>/<set>/ holds a tool's predictions for a set: <stem>.md/.txt (text), <stem>.json (tables), and for
the hostile set summary.txt (a robustness.py SUMMARY line). A tool without a directory for a set shows "-".
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

TOOLS = [("jetmesh", "jetmesh"), ("pdftotext", "pdftotext"), ("pymupdf", "PyMuPDF"), ("pdfminer", "pdfminer"),
         ("tika", "Tika"), ("tabula-lattice", "tabula lattice"), ("tabula-stream", "tabula stream")]

# set id, label, [(kind, ground-truth dir relative to corpus/)]
SETS = [
    ("docling", "docling (7 PDFs)", [("text", "docling/groundtruth"), ("tables", "docling/groundtruth")]),
    ("printed-html", "printed/html (11)", [("text", "printed/html/groundtruth")]),
    ("printed-docx", "printed/docx (15)", [("text", "printed/docx/groundtruth")]),
    ("icdar2013", "icdar2013 (36 docs)", [("tables", "icdar2013")]),
    ("tabula", "tabula (11 docs)", [("tables", "tabula/expected")]),
    ("docling-ocr", "docling-ocr (2 scans)", [("ocr", "docling-ocr/groundtruth")]),
    ("hostile", "hostile (48 files)", [("robustness", None)]),
]

METRICS = {
    "text": [("word_f1", "word F1"), ("order", "reading order"), ("head_f1", "heading F1")],
    "tables": [("cellF1", "table cell F1"), ("adjF1", "table adjacency F1")],
    "ocr": [("BoW-F1", "OCR bag-of-words F1"), ("CER", "OCR CER (lower is better)")],
    "robustness": [("outcome", "ok / clean error / crash / timeout")],
}

SCORERS = {"text": "score_text.py", "tables": "score_tables.py", "ocr": "score_ocr.py"}


def summary(script: Path, pred: Path, gt: Path) -> dict:
    out = subprocess.run([sys.executable, str(script), str(pred), str(gt)], capture_output=True, text=True)
    line = next((l for l in out.stdout.splitlines() if l.startswith("SUMMARY")), None)
    if line is None:
        raise SystemExit(f"{script.name} {pred}: no SUMMARY line\n{out.stdout}\n{out.stderr}")
    return dict(re.findall(r"(\S+)=(\S+)", line))


def has_predictions(d: Path) -> bool:
    return d.is_dir() and any(p.suffix in (".md", ".txt", ".json", ".csv") for p in d.iterdir())


def main():
    out, shared = Path(sys.argv[1]), Path(sys.argv[2])
    corpus, evaldir = shared / "corpus", shared / "eval"
    results = {}
    rows = []
    for set_id, label, kinds in SETS:
        for kind, gt in kinds:
            for metric, mlabel in METRICS[kind]:
                rows.append((set_id, label, kind, gt, metric, mlabel))
    for set_id, _label, kinds in SETS:
        for kind, gt in kinds:
            for tool, _ in TOOLS:
                d = out / tool / set_id
                if kind == "robustness":
                    f = d / "summary.txt"
                    if f.exists():
                        s = dict(re.findall(r"(\S+)=(\S+)", f.read_text()))
                        s["outcome"] = f"{s['ok']} / {s['error']} / {s['crash']} / {s['timeout']}"
                        results[(set_id, kind, tool)] = s
                    continue
                if kind == "tables" and tool not in ("jetmesh", "tabula-lattice", "tabula-stream"):
                    continue
                if kind != "tables" and tool.startswith("tabula"):
                    continue
                if has_predictions(d):
                    results[(set_id, kind, tool)] = summary(evaldir / SCORERS[kind], d, corpus / gt)
    head = "| set | metric | " + " | ".join(name for _, name in TOOLS) + " |"
    print(head)
    print("|" + "---|" * (len(TOOLS) + 2))
    table = []
    for set_id, label, kind, _gt, metric, mlabel in rows:
        cells = []
        for tool, _ in TOOLS:
            r = results.get((set_id, kind, tool))
            v = "-" if r is None else r.get(metric, "-")
            cells.append(v)
        table.append({"set": set_id, "metric": metric, **{t: c for (t, _), c in zip(TOOLS, cells)}})
        bold = [f"**{c}**" if i == 0 and c != "-" else c for i, c in enumerate(cells)]
        print(f"| {label} | {mlabel} | " + " | ".join(bold) + " |")
    (out / "quality.json").write_text(json.dumps(table, indent=1))


if __name__ == "__main__":
    main()
