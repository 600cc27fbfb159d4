"""All NATS naming lives in jetmesh/names.py, so a change of the mesh's naming touches one module."""

import ast
import unittest
from pathlib import Path

from jetmesh import MeshSettings, names

PACKAGE = Path(__file__).resolve().parents[1] / "jetmesh"
NAME_MARKERS = ("jetmesh.results", "jetmesh.progress", "jetmesh-status", "jetmesh-cancel", "jetmesh-blobs", "$KV.",
                "$O.", "$JS.", "_INBOX", "KV_", "OBJ_", "JETMESH_RESULTS")


class NamesTest(unittest.TestCase):
    def test_no_other_module_spells_a_subject_bucket_or_inbox(self):
        offenders = []
        for path in sorted(PACKAGE.glob("*.py")):
            if path.name == "names.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                          if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                          and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                    env_var = node.value.startswith(("JETMESH_", "NATS_")) and node.value != "JETMESH_RESULTS"
                    if any(m in node.value for m in NAME_MARKERS) and not env_var:
                        offenders.append(f"{path.name}:{node.lineno}: {node.value!r}")
        self.assertEqual(offenders, [])

    def test_inbox_prefix_is_configurable(self):
        s = MeshSettings.from_env({"JETMESH_INBOX_PREFIX": "_INBOX.billing-app", "JETMESH_ENV_FILE": "/nonexistent"},
                                  client_id="billing-app")
        self.assertEqual(s.names().inbox("abc"), "_INBOX.billing-app.abc")

    def test_user_inbox_prefix_by_default(self):
        s = MeshSettings.from_env({"NATS_USER": "app", "NATS_PASSWORD": "x", "JETMESH_ENV_FILE": "/nonexistent"},
                                  client_id="app")
        self.assertEqual(s.names().inbox("abc"), "_INBOX.app.abc")

    def test_documented_names(self):
        n = names.Names("billing-app")
        self.assertEqual(n.job_subject("pdf.docling.convert"), "pdf.docling.convert.billing-app")
        self.assertEqual(n.job_msg_id("J1"), "billing-app.J1")
        self.assertEqual(n.status_key("J1"), "billing-app.J1")
        self.assertEqual(n.cancel_key("J1"), "billing-app.J1")
        self.assertEqual(n.result_subject("J1"), "jetmesh.results.billing-app.J1")
        self.assertEqual(n.results_wildcard(), "jetmesh.results.billing-app.*")
        self.assertEqual(n.progress_wildcard(), "jetmesh.progress.billing-app.*")
        self.assertEqual(n.status_subject("J1"), "$KV.jetmesh-status.billing-app.J1")
        self.assertEqual(names.obj_meta_subject("jetmesh-blobs", "uploads/J1/a.pdf"),
                         "$O.jetmesh-blobs.M.dXBsb2Fkcy9KMS9hLnBkZg==")
        self.assertEqual(names.parse_object_uri("nats-object://jetmesh-blobs/a/b/c.json"), ("jetmesh-blobs", "a/b/c.json"))
        for bad in ("s3://x/y", "nats-object://bucket", "nats-object:///name"):
            with self.assertRaises(ValueError):
                names.parse_object_uri(bad)


if __name__ == "__main__":
    unittest.main()
