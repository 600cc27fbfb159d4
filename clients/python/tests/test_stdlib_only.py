"""The package imports nothing outside the standard library (its one promise besides the protocol)."""

import ast
import subprocess
import sys
import unittest
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "jetmesh"

# Python 3.9 has no sys.stdlib_module_names: the modules the package may use, all in 3.9's standard library.
STDLIB_39 = {
    "__future__", "argparse", "ast", "asyncio", "base64", "binascii", "collections", "contextlib", "dataclasses",
    "datetime", "enum", "functools", "hashlib", "inspect", "io", "itertools", "json", "logging", "math", "os",
    "pathlib", "random", "re", "secrets", "socket", "ssl", "string", "struct", "sys", "tempfile", "threading", "time",
    "types", "typing", "urllib", "uuid", "zlib",
}


def stdlib_names():
    return set(getattr(sys, "stdlib_module_names", STDLIB_39))


def imported_top_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__"):
            yield node.lineno, "<dynamic import>"


class StdlibOnlyTest(unittest.TestCase):
    def test_every_import_is_standard_library(self):
        allowed = stdlib_names()
        files = sorted(PACKAGE.rglob("*.py"))
        self.assertGreater(len(files), 5)
        bad = [f"{f.name}:{line}: {mod}" for f in files for line, mod in imported_top_modules(f) if mod not in allowed]
        self.assertEqual(bad, [], "imports outside the standard library")

    def test_fallback_list_is_standard_library_where_it_can_be_checked(self):
        if hasattr(sys, "stdlib_module_names"):
            self.assertEqual(STDLIB_39 - set(sys.stdlib_module_names), set())

    def test_package_imports_in_an_isolated_interpreter_without_site_packages(self):
        # -I: no user site, no PYTHONPATH; -S: no site-packages at all. Only the stdlib and this package are visible.
        code = ("import sys; sys.path.insert(0, sys.argv[1]); import jetmesh, jetmesh.blocking, jetmesh.__main__; print('ok')")
        r = subprocess.run([sys.executable, "-I", "-S", "-c", code, str(PACKAGE.parent)], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ok", r.stdout)


if __name__ == "__main__":
    unittest.main()
