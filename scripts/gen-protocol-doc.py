#!/usr/bin/env python3
"""Regenerates docs/PROTOCOL.md from docs/PROTOCOL.src.md, inlining each @@example.json@@ from docs/protocol-examples/.
ProtocolExamplesTest fails when PROTOCOL.md no longer contains every example verbatim."""
import pathlib, re
root = pathlib.Path(__file__).resolve().parent.parent
src = (root / "docs/PROTOCOL.src.md").read_text()
def rep(m):
    name = m.group(1)
    body = (root / "docs/protocol-examples" / name).read_text().rstrip("\n")
    return f"`docs/protocol-examples/{name}`:\n\n```json\n{body}\n```"
out = re.sub(r"@@([a-z0-9-]+\.json)@@", rep, src)
(root / "docs/PROTOCOL.md").write_text(
    "<!-- Generated from docs/PROTOCOL.src.md by scripts/gen-protocol-doc.py: edit the source and the example files, then regenerate. -->\n" + out)
