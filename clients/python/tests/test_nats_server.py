"""The NATS layer against a real nats-server of its own: every authentication mode, refused credentials, TLS,
request/reply, and reconnection (subscriptions restored) across a server restart."""

import asyncio
import base64
import hashlib
import json
import os
import shutil
import subprocess
import time
import unittest

from jetmesh import MeshAuthenticationError, MeshConnectionError, MeshError, MeshSettings
from jetmesh import nkeys
from jetmesh.natsconn import NatsConnection, NoRespondersError

from .support import NatsServer

SEED = nkeys.KeyPair.from_secret(os.urandom(32))


async def echo_round_trip(nc: NatsConnection, subject: str = "t.echo") -> bytes:
    sid = nc.subscribe(subject, lambda m: asyncio.ensure_future(nc.publish(m.reply, b"re:" + m.data)))
    try:
        msg = await nc.request(subject, b"hello", timeout=5)
        return msg.data
    finally:
        nc.unsubscribe(sid)


class AuthTest(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = NatsServer("authorization { users = [\n"
                                "  { user: alice, password: \"pa ss\" }\n"
                                f"  {{ nkey: {SEED.public_key} }}\n"
                                "] }")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    async def connect(self, **kw) -> NatsConnection:
        nc = await NatsConnection.connect(MeshSettings(servers=[self.server.url], connect_timeout=5, **kw))
        self.addAsyncCleanup(nc.close)
        return nc

    async def test_user_password(self):
        nc = await self.connect(user="alice", password="pa ss")
        self.assertEqual(await echo_round_trip(nc), b"re:hello")

    async def test_nkey_seed_signs_the_nonce(self):
        seed_file = self.server.dir / "user.nk"
        seed_file.write_text(SEED.seed + "\n")
        nc = await self.connect(nkey_seed_file=str(seed_file))
        self.assertEqual(await echo_round_trip(nc), b"re:hello")

    async def test_wrong_password_and_unknown_nkey_are_refused_clearly(self):
        with self.assertRaisesRegex(MeshAuthenticationError, "refused the credentials"):
            await self.connect(user="alice", password="wrong")
        other = self.server.dir / "other.nk"
        other.write_text(nkeys.KeyPair.from_secret(os.urandom(32)).seed)
        with self.assertRaises(MeshAuthenticationError):
            await self.connect(nkey_seed_file=str(other))

    async def test_no_responders_is_reported(self):
        nc = await self.connect(user="alice", password="pa ss")
        with self.assertRaises(NoRespondersError):
            await nc.request("nobody.listens", b"x", timeout=5)


class TokenAndReconnectTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.server = NatsServer("authorization { token: \"tok-123\" }")
        self.addCleanup(self.server.close)

    async def test_token_and_refused_token(self):
        nc = await NatsConnection.connect(MeshSettings(servers=[self.server.url], token="tok-123"))
        self.addAsyncCleanup(nc.close)
        self.assertEqual(await echo_round_trip(nc), b"re:hello")
        with self.assertRaises(MeshAuthenticationError):
            await NatsConnection.connect(MeshSettings(servers=[self.server.url], token="nope"))

    async def test_unreachable_server_fails_fast_with_a_clear_error(self):
        port = self.server.port
        self.server.stop()
        with self.assertRaisesRegex(MeshConnectionError, "is nats-server running"):
            await NatsConnection.connect(MeshSettings(servers=[f"nats://127.0.0.1:{port}"], token="tok-123",
                                                      connect_timeout=2))

    async def test_reconnects_after_a_server_restart_and_restores_subscriptions(self):
        nc = await NatsConnection.connect(MeshSettings(servers=[self.server.url], token="tok-123",
                                                       reconnect_wait=0.05, reconnect_max_wait=0.3))
        self.addAsyncCleanup(nc.close)
        got = []
        nc.subscribe("t.events", lambda m: got.append(m.data))
        reconnected = asyncio.Event()

        async def on_reconnect():
            reconnected.set()
        nc.on_reconnect(on_reconnect)
        self.server.stop()
        await asyncio.sleep(0.5)
        self.assertFalse(nc.is_connected)
        self.server.start()
        await asyncio.wait_for(reconnected.wait(), 20)
        self.assertEqual(nc.reconnects, 1)
        # the subscription made before the restart works again, and so does request/reply (the inbox)
        other = await NatsConnection.connect(MeshSettings(servers=[self.server.url], token="tok-123"))
        self.addAsyncCleanup(other.close)
        await other.publish("t.events", b"after")
        await other.flush()
        for _ in range(100):
            if got:
                break
            await asyncio.sleep(0.05)
        self.assertEqual(got, [b"after"])
        self.assertEqual(await echo_round_trip(nc), b"re:hello")

    async def test_a_message_above_max_payload_is_refused_before_it_costs_the_connection(self):
        nc = await NatsConnection.connect(MeshSettings(servers=[self.server.url], token="tok-123"))
        self.addAsyncCleanup(nc.close)
        with self.assertRaisesRegex(MeshError, "max_payload"):
            await nc.publish("t.big", b"x" * (nc.max_payload + 1))
        self.assertEqual(await echo_round_trip(nc), b"re:hello")
        self.assertEqual(nc.reconnects, 0)

    async def test_a_dropped_socket_reconnects(self):
        nc = await NatsConnection.connect(MeshSettings(servers=[self.server.url], token="tok-123",
                                                       reconnect_wait=0.05))
        self.addAsyncCleanup(nc.close)
        nc.drop()
        await nc.wait_connected(10)
        self.assertEqual(await echo_round_trip(nc), b"re:hello")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _jwt(claims: dict, signer: nkeys.KeyPair) -> str:
    """A NATS JWT (v2) signed by ``signer``, as nsc would issue it."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "ed25519-nkey"}).encode())
    body = dict(claims, iat=int(time.time()), iss=signer.public_key)
    body["jti"] = base64.b32encode(hashlib.sha256(json.dumps(body, sort_keys=True).encode()).digest()).decode().rstrip("=")
    payload = _b64(json.dumps(body).encode())
    return f"{header}.{payload}.{_b64(signer.sign(f'{header}.{payload}'.encode()))}"


class CredsTest(unittest.IsolatedAsyncioTestCase):
    """A ``.creds`` file (user JWT + seed) against a server in operator mode: the JWT chain operator -> account ->
    user is built here with the same Ed25519 signer, and the server verifies every link and the nonce signature."""

    async def asyncSetUp(self):
        self.operator = nkeys.KeyPair.from_secret(os.urandom(32), 14 << 3)
        self.account = nkeys.KeyPair.from_secret(os.urandom(32), 0)
        op_jwt = _jwt({"name": "op", "sub": self.operator.public_key, "nats": {"type": "operator", "version": 2}},
                      self.operator)
        limits = {"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1, "wildcards": True, "conn": -1,
                  "leaf": -1}
        acc_jwt = _jwt({"name": "acc", "sub": self.account.public_key,
                        "nats": {"limits": limits, "type": "account", "version": 2}}, self.operator)
        self.server = NatsServer(f'operator: "{op_jwt}"\nresolver: MEMORY\n'
                                 f'resolver_preload: {{ {self.account.public_key}: "{acc_jwt}" }}')
        self.addCleanup(self.server.close)

    def creds(self, issuer: nkeys.KeyPair, name: str) -> str:
        user = nkeys.KeyPair.from_secret(os.urandom(32), 20 << 3)
        user_jwt = _jwt({"name": name, "sub": user.public_key, "nats": {"pub": {}, "sub": {}, "subs": -1, "data": -1,
                                                                        "payload": -1, "type": "user", "version": 2}},
                        issuer)
        path = self.server.dir / f"{name}.creds"
        path.write_text(f"-----BEGIN NATS USER JWT-----\n{user_jwt}\n------END NATS USER JWT------\n\n"
                        "************************* IMPORTANT *************************\n"
                        f"-----BEGIN USER NKEY SEED-----\n{user.seed}\n------END USER NKEY SEED------\n")
        return str(path)

    async def test_creds_file_authenticates(self):
        nc = await NatsConnection.connect(MeshSettings(servers=[self.server.url], creds_file=self.creds(self.account, "app")))
        self.addAsyncCleanup(nc.close)
        self.assertEqual(await echo_round_trip(nc), b"re:hello")

    async def test_a_user_of_an_unknown_account_is_refused(self):
        stranger = nkeys.KeyPair.from_secret(os.urandom(32), 0)
        with self.assertRaises(MeshAuthenticationError):
            await NatsConnection.connect(MeshSettings(servers=[self.server.url], creds_file=self.creds(stranger, "x")))


@unittest.skipUnless(shutil.which("openssl"), "openssl not installed: TLS test skipped")
class TlsTest(unittest.IsolatedAsyncioTestCase):
    async def test_tls_with_a_private_ca(self):
        import tempfile
        from pathlib import Path
        tmp = Path(tempfile.mkdtemp(prefix="jetmesh-py-tls-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(tmp / "key.pem"),
                        "-out", str(tmp / "cert.pem")], check=True, capture_output=True, timeout=60)
        server = NatsServer(f"tls {{ cert_file: \"{tmp / 'cert.pem'}\", key_file: \"{tmp / 'key.pem'}\" }}\n"
                            "authorization { token: \"tls-tok\" }")
        self.addCleanup(server.close)
        nc = await NatsConnection.connect(MeshSettings(servers=[f"tls://127.0.0.1:{server.port}"], token="tls-tok",
                                                       tls_ca=str(tmp / "cert.pem")))
        self.addAsyncCleanup(nc.close)
        self.assertEqual(await echo_round_trip(nc), b"re:hello")
        # without the CA the certificate is not trusted: a clear connection error, no silent plaintext
        with self.assertRaises(MeshConnectionError):
            await NatsConnection.connect(MeshSettings(servers=[f"tls://127.0.0.1:{server.port}"], token="tls-tok"))


if __name__ == "__main__":
    unittest.main()
