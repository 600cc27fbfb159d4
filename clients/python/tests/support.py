"""Shared test helpers: the mesh under test (from the environment) and a private nats-server for auth tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
from pathlib import Path
from typing import Optional

from jetmesh import MeshSettings

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "docs" / "protocol-examples"


def require_mesh() -> MeshSettings:
    """Settings of the mesh under test (NATS_URL etc., set by PythonClientTest in scripts/test). Without
    JETMESH_TEST_MESH the test is skipped, visibly; with JETMESH_TEST_REQUIRE=1 it fails instead."""
    if not os.environ.get("JETMESH_TEST_MESH"):
        if os.environ.get("JETMESH_TEST_REQUIRE"):
            raise AssertionError("JETMESH_TEST_MESH is not set but JETMESH_TEST_REQUIRE=1")
        raise unittest.SkipTest("no mesh under test: set JETMESH_TEST_MESH=1 and NATS_URL/NATS_TOKEN "
                                "(scripts/test runs these through tests/.../PythonClientTest)")
    return MeshSettings.from_env()


def nats_server_binary() -> str:
    path = os.environ.get("JETMESH_NATS_SERVER") or shutil.which("nats-server")
    if not path:
        if os.environ.get("JETMESH_TEST_REQUIRE"):
            raise AssertionError("nats-server not found (JETMESH_NATS_SERVER or PATH)")
        raise unittest.SkipTest("nats-server not installed: auth and reconnect tests skipped")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NatsServer:
    """A nats-server process of its own with the given config body (port and JetStream store filled in)."""

    def __init__(self, config: str = "", jetstream: bool = False):
        self.binary = nats_server_binary()
        self.dir = Path(tempfile.mkdtemp(prefix="jetmesh-py-nats-"))
        self.port = free_port()
        js = f"jetstream {{ store_dir: \"{self.dir / 'js'}\" }}\n" if jetstream else ""
        self.conf = self.dir / "server.conf"
        self.conf.write_text(f"listen: 127.0.0.1:{self.port}\n{js}{config}\n", encoding="utf-8")
        self.proc: Optional[subprocess.Popen] = None
        self.start()

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.dir / "server.log", "ab") as log:
            self.proc = subprocess.Popen([self.binary, "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                    if s.recv(4).startswith(b"INFO"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nats-server did not start: " + (self.dir / "server.log").read_text())

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class CuttableProxy:
    """A TCP proxy (on the test's event loop) to a NATS server that can cut every connection and refuse new ones
    for a while: a network partition between the client and the mesh, with the mesh going on meanwhile."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0
        self.cut = False
        self._server = None
        self._writers = []

    async def start(self) -> "CuttableProxy":
        import asyncio
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    async def _handle(self, reader, writer) -> None:
        import asyncio
        if self.cut:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers += [writer, up_writer]

        async def pump(src, dst):
            try:
                while True:
                    data = await src.read(65536)
                    if not data or self.cut:
                        break
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.close()
        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    def cut_all(self) -> None:
        self.cut = True
        for w in self._writers:
            transport = w.transport
            if transport is not None:
                transport.abort()
        self._writers = []

    def restore(self) -> None:
        self.cut = False

    async def close(self) -> None:
        self.cut_all()
        if self._server is not None:
            self._server.close()
