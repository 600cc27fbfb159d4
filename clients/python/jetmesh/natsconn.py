"""A small asyncio NATS client: the core protocol (INFO/CONNECT/PUB/HPUB/SUB/UNSUB/MSG/HMSG/PING/PONG) over a
socket, TLS through :mod:`ssl`, token, user/password, NKey and ``.creds`` authentication, request/reply over one
wildcard inbox subscription, and reconnection with exponential backoff that restores every subscription.

Only what the jetmesh client needs; see https://docs.nats.io/reference/reference-protocols/nats-protocol.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import random
import secrets
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable, Dict, List, Optional, Tuple
from urllib.parse import unquote, urlsplit

from . import nkeys
from .config import MeshSettings
from .errors import MeshAuthenticationError, MeshConnectionError, MeshError, MeshTimeoutError

LOG = logging.getLogger("jetmesh.nats")
VERSION = "0.1.0"
_CRLF = b"\r\n"
_MAX_CONTROL_LINE = 64 * 1024


class NoRespondersError(MeshError):
    """A request found no subscriber (status 503): e.g. JetStream not enabled, or no stream on the subject."""


@dataclass
class Msg:
    """A received message. ``headers`` keeps the first value of each header; ``status`` is set for status messages
    (``NATS/1.0 404 Message Not Found``) with ``description`` the text after the code."""

    subject: str
    reply: Optional[str]
    data: bytes
    headers: Dict[str, str] = field(default_factory=dict)
    status: Optional[int] = None
    description: str = ""


def encode_headers(headers: Dict[str, str]) -> bytes:
    lines = ["NATS/1.0"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def decode_headers(raw: bytes) -> Tuple[Dict[str, str], Optional[int], str]:
    text = raw.decode("utf-8", "replace")
    lines = text.split("\r\n")
    first = lines[0]
    status: Optional[int] = None
    desc = ""
    parts = first.split(" ", 2)
    if len(parts) >= 2 and parts[1].isdigit():
        status = int(parts[1])
        desc = parts[2] if len(parts) > 2 else ""
    headers: Dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        k, sep, v = line.partition(":")
        if sep and k.strip() not in headers:
            headers[k.strip()] = v.strip()
    return headers, status, desc


@dataclass
class _Sub:
    sid: int
    subject: str
    callback: Callable[[Msg], None]
    queue: str = ""


class _Protocol(asyncio.Protocol):
    """Parses the server's byte stream and hands complete operations to the connection."""

    def __init__(self, conn: "NatsConnection"):
        self.conn = conn
        self.buf = bytearray()
        self.transport: Optional[asyncio.Transport] = None
        self.info: "asyncio.Future[dict]" = asyncio.get_running_loop().create_future()
        self.closed: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._pending_msg: Optional[Tuple[str, int, Optional[str], int, int]] = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        try:
            self._parse()
        except Exception as e:  # a protocol error: drop the connection, the reconnect loop takes over
            LOG.warning("NATS protocol error: %s", e)
            if self.transport is not None:
                self.transport.close()

    def connection_lost(self, exc: Optional[Exception]) -> None:
        if not self.info.done():
            self.info.set_exception(MeshConnectionError(f"connection closed before INFO: {exc or 'EOF'}"))
        if not self.closed.done():
            self.closed.set_result(None)
        self.conn._on_lost(self, exc)

    def _parse(self) -> None:
        buf = self.buf
        while True:
            if self._pending_msg is not None:
                subject, sid, reply, hdr_len, total = self._pending_msg
                if len(buf) < total + 2:
                    return
                payload = bytes(buf[:total])
                del buf[: total + 2]
                self._pending_msg = None
                headers: Dict[str, str] = {}
                status: Optional[int] = None
                desc = ""
                if hdr_len > 0:
                    headers, status, desc = decode_headers(payload[:hdr_len])
                    payload = payload[hdr_len:]
                self.conn._deliver(sid, Msg(subject, reply, payload, headers, status, desc))
                continue
            end = buf.find(_CRLF)
            if end < 0:
                if len(buf) > _MAX_CONTROL_LINE:
                    raise MeshError("control line too long")
                return
            line = bytes(buf[:end]).decode("utf-8", "replace")
            del buf[: end + 2]
            op, _, rest = line.partition(" ")
            op = op.upper()
            if op == "MSG":
                args = rest.split()
                if len(args) == 3:
                    self._pending_msg = (args[0], int(args[1]), None, 0, int(args[2]))
                else:
                    self._pending_msg = (args[0], int(args[1]), args[2], 0, int(args[3]))
            elif op == "HMSG":
                args = rest.split()
                if len(args) == 4:
                    self._pending_msg = (args[0], int(args[1]), None, int(args[2]), int(args[3]))
                else:
                    self._pending_msg = (args[0], int(args[1]), args[2], int(args[3]), int(args[4]))
            elif op == "PING":
                if self.transport is not None:
                    self.transport.write(b"PONG\r\n")
            elif op == "PONG":
                self.conn._on_pong(self)
            elif op == "INFO":
                info = json.loads(rest)
                if not self.info.done():
                    self.info.set_result(info)
                else:
                    self.conn._on_info(info)
            elif op == "+OK":
                pass
            elif op == "-ERR":
                self.conn._on_err(self, rest.strip().strip("'"))
            else:
                raise MeshError(f"unexpected protocol line {line[:80]!r}")


class NatsConnection:
    """One NATS connection that reconnects by itself. Create with :meth:`connect`; all methods run on its loop."""

    def __init__(self, settings: MeshSettings):
        self.settings = settings
        self._proto: Optional[_Protocol] = None
        self._subs: Dict[int, _Sub] = {}
        self._sid = itertools.count(1)
        self._connected = asyncio.Event()
        self._closed = False
        self._pongs: List["asyncio.Future[None]"] = []
        self._pings_out = 0
        self._inbox_prefix = settings.names().inbox(secrets.token_hex(11))
        self._inbox_sid: Optional[int] = None
        self._requests: Dict[str, "asyncio.Future[Msg]"] = {}
        self._req_ids = itertools.count(1)
        self._reconnect_task: Optional["asyncio.Task[None]"] = None
        self._ping_task: Optional["asyncio.Task[None]"] = None
        self._reconnect_listeners: List[Callable[[], Awaitable[None]]] = []
        self._server_info: dict = {}
        self._connect_error: Optional[Exception] = None
        self.reconnects = 0
        self.url: Optional[str] = None

    # ---------------------------------------------------------------------------------------------- lifecycle

    @classmethod
    async def connect(cls, settings: MeshSettings) -> "NatsConnection":
        """Connects to the first reachable server; raises at once when none answers or the credentials are refused."""
        conn = cls(settings)
        last: Optional[Exception] = None
        for url in settings.servers:
            try:
                await conn._open(url)
                break
            except MeshAuthenticationError:
                raise
            except (OSError, MeshError, asyncio.TimeoutError, ssl.SSLError) as e:
                last = e
        else:
            raise MeshConnectionError(f"cannot connect to NATS at {settings.describe()}: {last} "
                                      "(is nats-server running and reachable? set NATS_URL)") from last
        conn._inbox_sid = conn.subscribe(conn._inbox_prefix + ".*", conn._on_reply)
        conn._ping_task = asyncio.get_running_loop().create_task(conn._ping_loop())
        await conn.flush()
        return conn

    @property
    def server_info(self) -> dict:
        return self._server_info

    @property
    def is_connected(self) -> bool:
        return self._connected.is_set()

    @property
    def max_payload(self) -> int:
        return int(self._server_info.get("max_payload", 1024 * 1024))

    def on_reconnect(self, listener: Callable[[], Awaitable[None]]) -> None:
        """Runs ``listener`` after every reconnect, once subscriptions are restored."""
        self._reconnect_listeners.append(listener)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for task in (self._reconnect_task, self._ping_task):
            if task is not None:
                task.cancel()
        proto = self._proto
        if proto is not None and proto.transport is not None:
            try:
                await asyncio.wait_for(self._flush_proto(proto), 1.0)
            except Exception:
                pass
            proto.transport.close()
        self._connected.clear()
        self._fail_requests(MeshConnectionError("connection closed"))

    def drop(self) -> None:
        """Closes the socket as a network failure would (the connection then reconnects). For tests and tools."""
        proto = self._proto
        if proto is not None and proto.transport is not None:
            proto.transport.abort()
            self._on_lost(proto, ConnectionResetError("connection dropped"))

    async def _open(self, url: str) -> None:
        loop = asyncio.get_running_loop()
        parts = urlsplit(url if "://" in url else "nats://" + url)
        if parts.scheme not in ("nats", "tls"):
            raise MeshError(f"bad NATS URL '{url}': expected nats://host:port (or tls://)")
        host = parts.hostname or "127.0.0.1"
        port = parts.port or 4222
        s = self.settings
        proto_holder: List[_Protocol] = []

        def factory() -> _Protocol:
            p = _Protocol(self)
            proto_holder.append(p)
            return p

        transport, proto = await asyncio.wait_for(loop.create_connection(factory, host, port), s.connect_timeout)
        try:
            info = await asyncio.wait_for(proto.info, s.connect_timeout)
            want_tls = parts.scheme == "tls" or bool(s.tls_ca or s.tls_cert) or bool(info.get("tls_required"))
            if want_tls:
                ctx = self._ssl_context()
                new_transport = await asyncio.wait_for(
                    loop.start_tls(transport, proto, ctx, server_hostname=host), s.connect_timeout)
                if new_transport is None:
                    raise MeshConnectionError("TLS handshake failed")
                proto.transport = new_transport  # type: ignore[assignment]
            connect = self._connect_body(info, parts, want_tls)
            pong = loop.create_future()
            self._connect_error = None
            self._pongs = [pong]
            self._proto = proto
            out = [b"CONNECT " + json.dumps(connect).encode("utf-8") + _CRLF]
            for sub in self._subs.values():
                out.append(self._sub_line(sub))
            out.append(b"PING\r\n")
            proto.transport.write(b"".join(out))  # type: ignore[union-attr]
            await asyncio.wait_for(asyncio.shield(pong), s.connect_timeout)
            if self._connect_error is not None:
                raise self._connect_error
        except BaseException as e:
            if self._proto is proto:
                self._proto = None
            transport.abort()
            if isinstance(e, MeshError) and "uthoriz" in str(e):
                raise MeshAuthenticationError(f"NATS at {s.describe()} refused the credentials: {e} "
                                              "(check NATS_TOKEN / NATS_USER / NATS_CREDS)") from e
            raise
        self._server_info = info
        self._pings_out = 0
        self.url = url
        self._connected.set()
        LOG.debug("connected to %s", url)

    def _ssl_context(self) -> ssl.SSLContext:
        s = self.settings
        try:
            ctx = ssl.create_default_context(cafile=s.tls_ca) if s.tls_ca else ssl.create_default_context()
            if s.tls_cert:
                ctx.load_cert_chain(s.tls_cert, s.tls_key)
            return ctx
        except (OSError, ssl.SSLError) as e:
            raise MeshError(f"cannot set up TLS from NATS_TLS_CA/CERT/KEY: {e}") from e

    def _connect_body(self, info: dict, parts, tls: bool) -> dict:
        s = self.settings
        body = {"verbose": False, "pedantic": False, "tls_required": tls, "name": s.connection_name + "-" + s.client_id,
                "lang": "python3", "version": VERSION, "protocol": 1, "headers": True, "no_responders": True}
        if s.token is not None:
            body["auth_token"] = s.token
        elif s.user is not None:
            body["user"], body["pass"] = s.user, s.password or ""
        elif parts.username:
            if parts.password is None:
                body["auth_token"] = unquote(parts.username)
            else:
                body["user"], body["pass"] = unquote(parts.username), unquote(parts.password)
        elif s.creds_file or s.nkey_seed_file:
            nonce = info.get("nonce")
            if not nonce:
                raise MeshError("the server sent no nonce to sign: it does not expect NKey/JWT authentication")
            try:
                if s.creds_file:
                    jwt, kp = nkeys.read_creds(Path(s.creds_file).read_text(encoding="utf-8"))
                    body["jwt"] = jwt
                else:
                    kp = nkeys.KeyPair(Path(s.nkey_seed_file).read_text(encoding="utf-8"))  # type: ignore[arg-type]
                    body["nkey"] = kp.public_key
            except OSError as e:
                raise MeshError(f"credentials file not readable: {e}") from e
            except ValueError as e:
                raise MeshError(f"bad credentials file {s.creds_file or s.nkey_seed_file}: {e}") from e
            body["sig"] = kp.sign_nonce(nonce)
        return body

    # ------------------------------------------------------------------------------------------ connection events

    def _on_lost(self, proto: _Protocol, exc: Optional[Exception]) -> None:
        if proto is not self._proto:
            return
        was_connected = self._connected.is_set()
        self._proto = None
        self._connected.clear()
        for f in self._pongs:
            if not f.done():
                f.set_exception(MeshConnectionError("connection lost"))
        self._pongs = []
        self._fail_requests(MeshConnectionError(f"connection lost: {exc or 'EOF'}"))
        if was_connected and not self._closed and (self._reconnect_task is None or self._reconnect_task.done()):
            LOG.info("NATS connection to %s lost (%s); reconnecting", self.url, exc or "EOF")
            self._reconnect_task = asyncio.get_running_loop().create_task(self._reconnect_loop())

    def _on_pong(self, proto: _Protocol) -> None:
        self._pings_out = 0
        if self._pongs:
            f = self._pongs.pop(0)
            if not f.done():
                f.set_result(None)

    def _on_info(self, info: dict) -> None:
        self._server_info.update(info)

    def _on_err(self, proto: _Protocol, text: str) -> None:
        lowered = text.lower()
        if "authorization" in lowered or "authentication" in lowered:
            self._connect_error = MeshError(f"authorization violation: {text}")
            if self._pongs and not self._pongs[0].done():
                self._pongs[0].set_result(None)
        elif "permissions violation" in lowered:
            LOG.warning("NATS: %s", text)
        else:
            LOG.warning("NATS error: %s", text)

    async def _reconnect_loop(self) -> None:
        s = self.settings
        attempt = 0
        while not self._closed:
            delay = min(s.reconnect_max_wait, s.reconnect_wait * (2 ** min(attempt, 10)))
            await asyncio.sleep(delay * (0.5 + random.random() / 2))
            for url in s.servers:
                try:
                    await self._open(url)
                except (OSError, MeshError, asyncio.TimeoutError, ssl.SSLError) as e:
                    LOG.debug("reconnect to %s failed: %s", url, e)
                    continue
                self.reconnects += 1
                LOG.info("reconnected to %s", url)
                for listener in list(self._reconnect_listeners):
                    asyncio.get_running_loop().create_task(listener())
                return
            attempt += 1
            if 0 <= s.max_reconnects < attempt:
                LOG.warning("giving up reconnecting after %d attempts", attempt)
                await self.close()
                return

    async def _ping_loop(self) -> None:
        s = self.settings
        while not self._closed:
            await asyncio.sleep(s.ping_interval)
            proto = self._proto
            if proto is None or proto.transport is None:
                continue
            if self._pings_out >= s.max_pings_out:
                LOG.info("no PONG for %d PINGs: the connection is stale", self._pings_out)
                proto.transport.abort()
                continue
            self._pings_out += 1
            self._pongs.append(asyncio.get_running_loop().create_future())
            proto.transport.write(b"PING\r\n")

    # ------------------------------------------------------------------------------------------- pub/sub

    async def wait_connected(self, timeout: Optional[float] = None) -> None:
        if self._closed:
            raise MeshConnectionError("connection closed")
        if self._connected.is_set():
            return
        try:
            await asyncio.wait_for(self._connected.wait(), timeout or self.settings.request_timeout)
        except asyncio.TimeoutError:
            raise MeshConnectionError(f"not connected to NATS at {self.settings.describe()} (reconnecting)") from None

    def _write(self, data: bytes) -> None:
        proto = self._proto
        if proto is None or proto.transport is None or not self._connected.is_set():
            raise MeshConnectionError("not connected")
        proto.transport.write(data)

    async def publish(self, subject: str, data: bytes = b"", headers: Optional[Dict[str, str]] = None,
                      reply: Optional[str] = None) -> None:
        """Publishes once connected (waits up to the request timeout while reconnecting)."""
        await self.wait_connected()
        self._write(self._checked_pub(subject, data, headers, reply))

    def _checked_pub(self, subject: str, data: bytes, headers: Optional[Dict[str, str]], reply: Optional[str]) -> bytes:
        # the server closes a connection that sends more than max_payload: refuse it here instead, with a reason
        frame = self._pub_bytes(subject, data, headers, reply)
        size = len(data) + (len(encode_headers(headers)) if headers else 0)
        if size > self.max_payload:
            raise MeshError(f"message of {size} bytes to {subject} exceeds the server's max_payload "
                            f"{self.max_payload}; store large inputs in the object store instead")
        return frame

    @staticmethod
    def _pub_bytes(subject: str, data: bytes, headers: Optional[Dict[str, str]], reply: Optional[str]) -> bytes:
        r = (" " + reply) if reply else ""
        if headers:
            h = encode_headers(headers)
            return b"".join([f"HPUB {subject}{r} {len(h)} {len(h) + len(data)}\r\n".encode("utf-8"), h, data, _CRLF])
        return b"".join([f"PUB {subject}{r} {len(data)}\r\n".encode("utf-8"), data, _CRLF])

    @staticmethod
    def _sub_line(sub: _Sub) -> bytes:
        q = (" " + sub.queue) if sub.queue else ""
        return f"SUB {sub.subject}{q} {sub.sid}\r\n".encode("utf-8")

    def subscribe(self, subject: str, callback: Callable[[Msg], None], queue: str = "") -> int:
        """Subscribes ``callback`` (called on the loop for each message); kept across reconnects. Returns the sid."""
        sub = _Sub(next(self._sid), subject, callback, queue)
        self._subs[sub.sid] = sub
        if self._connected.is_set():
            self._write(self._sub_line(sub))
        return sub.sid

    def unsubscribe(self, sid: int) -> None:
        if self._subs.pop(sid, None) is not None and self._connected.is_set():
            try:
                self._write(f"UNSUB {sid}\r\n".encode("ascii"))
            except MeshConnectionError:
                pass

    def _deliver(self, sid: int, msg: Msg) -> None:
        sub = self._subs.get(sid)
        if sub is None:
            return
        try:
            sub.callback(msg)
        except Exception:  # a callback's failure must not break the connection
            LOG.exception("message callback for %s failed", sub.subject)

    async def flush(self, timeout: Optional[float] = None) -> None:
        """Waits until the server has processed everything written so far (PING/PONG)."""
        await self.wait_connected(timeout)
        proto = self._proto
        assert proto is not None
        await self._flush_proto(proto, timeout)

    async def _flush_proto(self, proto: _Protocol, timeout: Optional[float] = None) -> None:
        f = asyncio.get_running_loop().create_future()
        self._pongs.append(f)
        if proto.transport is None:
            raise MeshConnectionError("not connected")
        proto.transport.write(b"PING\r\n")
        try:
            await asyncio.wait_for(f, timeout or self.settings.request_timeout)
        except asyncio.TimeoutError:
            raise MeshTimeoutError("no PONG from the NATS server") from None

    # -------------------------------------------------------------------------------------------- request/reply

    def _on_reply(self, msg: Msg) -> None:
        token = msg.subject.rsplit(".", 1)[-1]
        f = self._requests.pop(token, None)
        if f is not None and not f.done():
            f.set_result(msg)

    def _fail_requests(self, e: Exception) -> None:
        reqs, self._requests = self._requests, {}
        for f in reqs.values():
            if not f.done():
                f.set_exception(e)

    async def request(self, subject: str, data: bytes = b"", headers: Optional[Dict[str, str]] = None,
                      timeout: Optional[float] = None) -> Msg:
        """Sends a request and returns the reply; raises :class:`NoRespondersError` for a 503 status, a
        :class:`MeshTimeoutError` when no reply comes in time, :class:`MeshConnectionError` when the connection is
        lost meanwhile."""
        timeout = timeout or self.settings.request_timeout
        await self.wait_connected(timeout)
        token = str(next(self._req_ids))
        f: "asyncio.Future[Msg]" = asyncio.get_running_loop().create_future()
        self._requests[token] = f
        try:
            self._write(self._checked_pub(subject, data, headers, f"{self._inbox_prefix}.{token}"))
            msg = await asyncio.wait_for(f, timeout)
        except asyncio.TimeoutError:
            raise MeshTimeoutError(f"no reply to {subject} within {timeout:g}s") from None
        finally:
            self._requests.pop(token, None)
        if msg.status == 503:
            raise NoRespondersError(f"no responders for {subject}")
        return msg
