"""Settings from the environment and .env, as the Java client reads them."""

import tempfile
import unittest
from pathlib import Path

from jetmesh import MeshError, MeshSettings
from jetmesh.config import parse_dotenv


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())

    def test_environment_variables(self):
        tok = self.dir / "token"
        tok.write_text("s3cret\n")
        s = MeshSettings.from_env({"NATS_URL": "nats://a:4222, nats://b:4222", "NATS_TOKEN_FILE": str(tok),
                                   "JETMESH_CLIENT_ID": "billing-app", "JETMESH_S3_BUCKET": "docs",
                                   "JETMESH_ENV_FILE": str(self.dir / "none")})
        self.assertEqual(s.servers, ["nats://a:4222", "nats://b:4222"])
        self.assertEqual(s.token, "s3cret")
        self.assertEqual(s.client_id, "billing-app")
        self.assertNotIn("s3cret", s.describe())

    def test_dotenv_file_and_environment_wins(self):
        env = self.dir / ".env"
        env.write_text("# comment\nexport NATS_USER=alice\nNATS_PASSWORD='p w'\nJETMESH_CLIENT_ID=\"from-file\"\n")
        self.assertEqual(parse_dotenv(env)["NATS_PASSWORD"], "p w")
        s = MeshSettings.from_env({"JETMESH_ENV_FILE": str(env), "JETMESH_CLIENT_ID": "from-env"})
        self.assertEqual((s.user, s.password, s.client_id), ("alice", "p w", "from-env"))
        # the user name is the default client id, as in the Java client
        self.assertEqual(MeshSettings(user="alice", password="x").client_id, "alice")

    def test_one_authentication_only_and_tls_pairs(self):
        with self.assertRaises(MeshError):
            MeshSettings(token="t", user="u")
        with self.assertRaises(MeshError):
            MeshSettings(tls_cert="c.pem")
        with self.assertRaises(ValueError):
            MeshSettings(client_id="has.dot")

    def test_bare_keys_resolve_against_the_default_bucket(self):
        s = MeshSettings(s3_bucket="docs")
        self.assertEqual(s.resolve_input(s3_key="reports/q3.pdf"), "s3://docs/reports/q3.pdf")
        self.assertEqual(s.resolve_input(s3_key="s3://other/x.pdf"), "s3://other/x.pdf")
        self.assertEqual(s.resolve_input("nats-object://jetmesh-blobs/a/b"), "nats-object://jetmesh-blobs/a/b")
        with self.assertRaisesRegex(ValueError, "JETMESH_S3_BUCKET"):
            MeshSettings().resolve_input(s3_key="reports/q3.pdf")
        with self.assertRaisesRegex(ValueError, "unsupported"):
            s.resolve_input("http://x/y")

    def test_bare_keys_are_percent_encoded_as_the_java_client_does(self):
        # MeshOptions.resolveInput (Java): every byte outside [A-Za-z0-9-._~/] as %XX of its UTF-8 encoding.
        s = MeshSettings(s3_bucket="docs")
        cases = {
            "reports/q3 final+v2.pdf": "s3://docs/reports/q3%20final%2Bv2.pdf",
            "a%b?c#d.pdf": "s3://docs/a%25b%3Fc%23d.pdf",
            "r\u00e9sum\u00e9/\u62a5\u544a.pdf": "s3://docs/r%C3%A9sum%C3%A9/%E6%8A%A5%E5%91%8A.pdf",
            "/leading/slash_~-.pdf": "s3://docs/leading/slash_~-.pdf",
        }
        for key, uri in cases.items():
            self.assertEqual(s.resolve_input(s3_key=key), uri, key)


if __name__ == "__main__":
    unittest.main()
