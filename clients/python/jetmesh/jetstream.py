"""The JetStream API calls the client needs, over :class:`~jetmesh.natsconn.NatsConnection`: publish with PubAck,
stream message get and direct get, key-value get/put, and the NATS object store (chunked put/get with SHA-256
digests, compatible with the Go and Java clients' object stores).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Any, Dict, Optional, Union

from . import names
from .errors import BlobNotFoundError, MeshError
from .natsconn import Msg, NatsConnection, decode_headers

#: object store chunk size, as the Java BlobClient (jnats default) writes
CHUNK_SIZE = 128 * 1024
ERR_NO_MESSAGE = 10037
ERR_STREAM_NOT_FOUND = 10059
ERR_MAX_MESSAGES = 10077
ERR_NO_STREAM_MATCHES_SUBJECT = 10060


class JetStreamApiError(MeshError):
    """An error answer of the JetStream API: ``code`` is HTTP-like, ``err_code`` JetStream's own."""

    def __init__(self, code: int, err_code: int, description: str):
        self.code = code
        self.err_code = err_code
        self.description = description
        super().__init__(f"JetStream error {code}/{err_code}: {description}")


@dataclass
class StoredMsg:
    """A message read back from a stream."""

    subject: str
    seq: int
    data: bytes
    headers: Dict[str, str]


def _check(body: Dict[str, Any]) -> Dict[str, Any]:
    err = body.get("error")
    if err:
        raise JetStreamApiError(int(err.get("code", 0)), int(err.get("err_code", 0)), str(err.get("description", "")))
    return body


def _json(msg: Msg) -> Dict[str, Any]:
    try:
        return json.loads(msg.data.decode("utf-8")) if msg.data else {}
    except ValueError as e:
        raise MeshError(f"malformed JetStream API answer: {msg.data[:200]!r}") from e


def now_rfc3339() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class JetStream:
    """JetStream requests on one connection."""

    def __init__(self, nc: NatsConnection, timeout: Optional[float] = None):
        self.nc = nc
        self.timeout = timeout or nc.settings.request_timeout

    async def publish(self, subject: str, data: bytes, headers: Optional[Dict[str, str]] = None,
                      msg_id: Optional[str] = None, expected_stream: Optional[str] = None,
                      expected_last_subject_seq: Optional[int] = None, timeout: Optional[float] = None) -> Dict[str, Any]:
        """Publishes to a stream and returns the PubAck (``{"stream":..,"seq":..,"duplicate":..}``)."""
        h = dict(headers or {})
        if msg_id is not None:
            h["Nats-Msg-Id"] = msg_id
        if expected_stream is not None:
            h["Nats-Expected-Stream"] = expected_stream
        if expected_last_subject_seq is not None:
            h["Nats-Expected-Last-Subject-Sequence"] = str(expected_last_subject_seq)
        reply = await self.nc.request(subject, data, h or None, timeout or self.timeout)
        return _check(_json(reply))

    async def api(self, subject: str, body: Dict[str, Any], timeout: Optional[float] = None) -> Dict[str, Any]:
        reply = await self.nc.request(subject, json.dumps(body).encode("utf-8"), None, timeout or self.timeout)
        return _check(_json(reply))

    async def stream_info(self, stream: str) -> Dict[str, Any]:
        return await self.api(names.api_stream_info(stream), {})

    async def msg_get(self, stream: str, query: Dict[str, Any]) -> Optional[StoredMsg]:
        """``$JS.API.STREAM.MSG.GET``: ``{"last_by_subj":..}`` or ``{"seq":..,"next_by_subj":..}``; None if none."""
        try:
            body = await self.api(names.api_msg_get(stream), query)
        except JetStreamApiError as e:
            if e.err_code == ERR_NO_MESSAGE or e.code == 404 and e.err_code != ERR_STREAM_NOT_FOUND:
                return None
            raise
        m = body.get("message") or {}
        hdrs: Dict[str, str] = {}
        if m.get("hdrs"):
            hdrs, _, _ = decode_headers(base64.b64decode(m["hdrs"]))
        return StoredMsg(str(m.get("subject", "")), int(m.get("seq", 0)),
                         base64.b64decode(m["data"]) if m.get("data") else b"", hdrs)

    async def last_msg(self, stream: str, subject: str) -> Optional[StoredMsg]:
        return await self.msg_get(stream, {"last_by_subj": subject})

    async def direct_get_last(self, stream: str, subject: str) -> Optional[StoredMsg]:
        """``$JS.API.DIRECT.GET`` (any replica answers; the stream needs ``allow_direct``); None if no message."""
        reply = await self.nc.request(names.api_direct_get(stream),
                                      json.dumps({"last_by_subj": subject}).encode("utf-8"), None, self.timeout)
        if reply.status == 404:
            return None
        if reply.status is not None and reply.status >= 400:
            raise JetStreamApiError(reply.status, 0, reply.description)
        return StoredMsg(reply.headers.get("Nats-Subject", subject), int(reply.headers.get("Nats-Sequence", "0") or 0),
                         reply.data, reply.headers)

    # ------------------------------------------------------------------------------------------------ key-value

    async def kv_get(self, bucket: str, key: str) -> Optional[bytes]:
        """The value of ``key``, or None when absent or deleted. Uses direct get as the KV buckets allow it."""
        m = await self.direct_get_last(names.kv_stream(bucket), names.kv_subject(bucket, key))
        if m is None or m.headers.get("KV-Operation") in ("DEL", "PURGE"):
            return None
        return m.data

    async def kv_put(self, bucket: str, key: str, value: bytes) -> int:
        ack = await self.publish(names.kv_subject(bucket, key), value)
        return int(ack.get("seq", 0))


BlobRef = Dict[str, Any]


class ObjectStore:
    """The NATS object store protocol (ADR-20): chunks on ``$O.<bucket>.C.<nuid>``, the object's metadata (size,
    chunk count, ``SHA-256=`` digest) on ``$O.<bucket>.M.<base64url name>`` with ``Nats-Rollup: sub``."""

    def __init__(self, js: JetStream):
        self.js = js

    async def info(self, bucket: str, name: str) -> Optional[Dict[str, Any]]:
        """The object's metadata, or None when it does not exist (or was deleted)."""
        try:
            m = await self.js.last_msg(names.obj_stream(bucket), names.obj_meta_subject(bucket, name))
        except JetStreamApiError as e:
            if e.err_code == ERR_STREAM_NOT_FOUND:
                raise BlobNotFoundError(f"object store bucket '{bucket}' does not exist: run 'jetmesh provision'") from e
            raise
        if m is None:
            return None
        info = json.loads(m.data.decode("utf-8"))
        return None if info.get("deleted") else info

    async def put(self, bucket: str, name: str, data: Union[bytes, IO[bytes]], content_type: Optional[str] = None,
                  chunk_size: int = CHUNK_SIZE) -> BlobRef:
        """Stores ``data`` (bytes or a binary file object) as object ``name``; returns the blob reference
        ``{uri, size, content_type, sha256}`` (hex digest, as results carry it)."""
        stream = names.obj_stream(bucket)
        old = await self.info(bucket, name)
        nuid = secrets.token_hex(11)
        chunk_subject = names.obj_chunk_subject(bucket, nuid)
        sha = hashlib.sha256()
        size = 0
        chunks = 0
        reader = data.read if hasattr(data, "read") else None  # type: ignore[union-attr]
        view = memoryview(data) if reader is None else None  # type: ignore[arg-type]
        try:
            while True:
                if reader is not None:
                    chunk = reader(chunk_size)
                else:
                    chunk = bytes(view[size:size + chunk_size])  # type: ignore[index]
                if not chunk:
                    break
                sha.update(chunk)
                await self._publish_retrying(chunk_subject, chunk, None)
                size += len(chunk)
                chunks += 1
            digest = "SHA-256=" + base64.urlsafe_b64encode(sha.digest()).decode("ascii")
            meta: Dict[str, Any] = {"name": name, "bucket": bucket, "nuid": nuid, "size": size, "chunks": chunks,
                                    "mtime": now_rfc3339(), "digest": digest,
                                    "options": {"max_chunk_size": chunk_size}}
            if content_type:
                meta["headers"] = {"Content-Type": [content_type]}
            await self._publish_retrying(names.obj_meta_subject(bucket, name), json.dumps(meta).encode("utf-8"),
                                         {"Nats-Rollup": "sub"})
        except JetStreamApiError as e:
            await self._purge_quietly(stream, chunk_subject)
            if e.err_code == ERR_NO_STREAM_MATCHES_SUBJECT or e.code == 404:
                raise MeshError(f"object store bucket '{bucket}' does not exist: run 'jetmesh provision'") from e
            raise MeshError(f"cannot store blob {name} in {bucket}: {e}") from e
        except Exception:
            await self._purge_quietly(stream, chunk_subject)
            raise
        if old is not None and old.get("nuid") and old["nuid"] != nuid:
            await self._purge_quietly(stream, names.obj_chunk_subject(bucket, old["nuid"]))
        return {"uri": names.object_uri(bucket, name), "size": size, "content_type": content_type,
                "sha256": sha.hexdigest()}

    async def _publish_retrying(self, subject: str, data: bytes, headers: Optional[Dict[str, str]]) -> None:
        last: Optional[Exception] = None
        for _ in range(5):
            try:
                await self.js.publish(subject, data, headers)
                return
            except JetStreamApiError:
                raise
            except MeshError as e:  # a timeout or a lost connection: the same chunk again is harmless
                last = e
                await self.js.nc.wait_connected(self.js.timeout * 2)
        assert last is not None
        raise last

    async def _purge_quietly(self, stream: str, subject: str) -> None:
        try:
            await self.js.api(names.api_stream_purge(stream), {"filter": subject})
        except MeshError:
            pass

    async def get(self, uri: str, out: Optional[IO[bytes]] = None) -> bytes:
        """Reads ``nats-object://bucket/name`` chunk by chunk (one message get per chunk, as the Java client's
        ObjectChunkStream), checking size, chunk count and digest. Returns the bytes, or writes them to ``out``
        (then returns ``b""``)."""
        bucket, name = names.parse_object_uri(uri)
        info = await self.info(bucket, name)
        if info is None:
            raise BlobNotFoundError(f"no such object: {uri}")
        if info.get("options", {}).get("link"):
            raise MeshError(f"object {uri} is a link; links are not followed")
        stream = names.obj_stream(bucket)
        chunk_subject = names.obj_chunk_subject(bucket, info["nuid"])
        want_chunks = int(info.get("chunks", 0))
        want_size = int(info.get("size", 0))
        sha = hashlib.sha256()
        parts = []
        size = 0
        seq = 0
        for index in range(want_chunks):
            m = None
            for attempt in range(5):
                try:
                    m = await self.js.msg_get(stream, {"seq": seq + 1, "next_by_subj": chunk_subject})
                    break
                except JetStreamApiError:
                    raise
                except MeshError:
                    if attempt == 4:
                        raise
                    await self.js.nc.wait_connected(self.js.timeout * 2)
            if m is None:
                raise MeshError(f"object {uri} lost its chunk {index + 1} of {want_chunks} (expired or purged while read)")
            seq = m.seq
            sha.update(m.data)
            size += len(m.data)
            if size > want_size:
                raise MeshError(f"object {uri} has more than its recorded {want_size} bytes")
            if out is not None:
                out.write(m.data)
            else:
                parts.append(m.data)
        if size != want_size:
            raise MeshError(f"object {uri} has {size} bytes, its metadata says {want_size}")
        digest = str(info.get("digest", ""))
        if digest[:8].upper() == "SHA-256=":
            encoded = digest[8:]
            try:
                want = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            except ValueError:
                want = None
            if want is not None and want != sha.digest():
                raise MeshError(f"object {uri} does not match its SHA-256 digest (altered or corrupt)")
        return b"".join(parts)
