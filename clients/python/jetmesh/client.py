"""The generic asyncio mesh client: submit jobs, receive results and progress, look jobs up, cancel them, read blobs.

Follows docs/PROTOCOL.md section 3: results and progress of this client arrive on one core subscription each
(``jetmesh.results.<client>.*``, ``jetmesh.progress.<client>.*``), made before any job is published. A core
subscription misses what was published while the connection was down, so pending jobs are re-checked against the
results stream after every reconnect and, for jobs waiting long, periodically.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, Iterable, List, Optional, Union

from . import names
from .config import MeshSettings
from .errors import (BlobNotFoundError, JobFailedError, MeshBackpressureError, MeshConnectionError, MeshError,
                     MeshTimeoutError)
from .jetstream import (ERR_MAX_MESSAGES, ERR_NO_STREAM_MATCHES_SUBJECT, ERR_STREAM_NOT_FOUND, BlobRef, JetStream,
                        JetStreamApiError, ObjectStore, now_rfc3339)
from .natsconn import Msg, NatsConnection, NoRespondersError

LOG = logging.getLogger("jetmesh.client")
PROTOCOL_VERSION = 1
#: extra time past a job's own limit before the client gives up waiting (the worker reports TIMEOUT itself)
TIMEOUT_GRACE = 10.0
SWEEP_AGE = 20.0
#: the services' default ``max_inline_size``; larger inline inputs are uploaded instead
DEFAULT_MAX_INLINE = 256 * 1024

ProgressCallback = Callable[[Dict[str, Any]], Any]
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_job_id() -> str:
    """A 26-character time-ordered id in Crockford base32 (48 bits of milliseconds, 80 random bits)."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    out = []
    for _ in range(26):
        out.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(out))


@dataclass(frozen=True)
class JobResult:
    """A job's result body (PROTOCOL.md section 4); ``raw`` is the whole body as received."""

    raw: Dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def status(self) -> str:
        return str(self.raw.get("status", ""))

    @property
    def succeeded(self) -> bool:
        return self.status == "completed"

    @property
    def output(self) -> Any:
        """The inline output (None when stored by reference: see :meth:`MeshClient.output`)."""
        return self.raw.get("output")

    @property
    def output_ref(self) -> Optional[BlobRef]:
        return self.raw.get("output_ref")

    @property
    def artifacts(self) -> Dict[str, BlobRef]:
        return dict(self.raw.get("artifacts") or {})

    @property
    def error(self) -> Optional[Dict[str, Any]]:
        return self.raw.get("error")

    @property
    def worker(self) -> Optional[str]:
        return self.raw.get("worker")

    @property
    def attempts(self) -> int:
        return int(self.raw.get("attempts", 0))

    @property
    def stages(self) -> List[Dict[str, Any]]:
        return list(self.raw.get("stages") or [])


@dataclass
class _Pending:
    job_id: str
    future: "asyncio.Future[JobResult]"
    result_subject: Optional[str]
    listeners: List[ProgressCallback] = field(default_factory=list)
    queues: List["asyncio.Queue[Optional[Dict[str, Any]]]"] = field(default_factory=list)
    created: float = field(default_factory=time.monotonic)
    last_check: float = field(default_factory=time.monotonic)
    extra_subs: List[int] = field(default_factory=list)


class Job:
    """A submitted job: ``await job`` (or :meth:`result`) gives its :class:`JobResult` or raises
    :class:`JobFailedError`; :meth:`events` iterates its progress events; :meth:`cancel` cancels it."""

    def __init__(self, client: "MeshClient", job_id: str, pending: _Pending):
        self.client = client
        self.job_id = job_id
        self._pending = pending

    def __await__(self):  # type: ignore[no-untyped-def]
        return asyncio.shield(self._pending.future).__await__()

    async def result(self, timeout: Optional[float] = None) -> JobResult:
        return await asyncio.wait_for(asyncio.shield(self._pending.future), timeout)

    def done(self) -> bool:
        return self._pending.future.done()

    async def events(self) -> AsyncIterator[Dict[str, Any]]:
        """Progress events of this job as they arrive; ends when the job ends (without raising its failure)."""
        q: "asyncio.Queue[Optional[Dict[str, Any]]]" = asyncio.Queue()
        if self._pending.future.done():
            return
        self._pending.queues.append(q)
        try:
            while True:
                ev = await q.get()
                if ev is None:
                    return
                yield ev
        finally:
            if q in self._pending.queues:
                self._pending.queues.remove(q)

    async def cancel(self) -> None:
        await self.client.cancel(self.job_id)

    async def output(self) -> Any:
        """The job's output JSON, fetched from the object store when the result holds ``output_ref``."""
        return await self.client.output(await self)


class MeshClient:
    """One NATS connection to the mesh. ``client = await MeshClient.connect()`` or ``async with MeshClient() as c``.

    Every call raises :class:`~jetmesh.errors.MeshError` subclasses: :class:`JobFailedError` (the job ended without
    output: ``code``/``retryable`` say why), :class:`MeshBackpressureError` (service backed up),
    :class:`MeshConnectionError`/:class:`MeshAuthenticationError` (mesh unreachable / credentials refused),
    :class:`MeshTimeoutError` (no answer in time).
    """

    def __init__(self, settings: Optional[MeshSettings] = None):
        self.settings = settings or MeshSettings.from_env()
        self.names = self.settings.names()
        self.nc: Optional[NatsConnection] = None
        self.js: Optional[JetStream] = None
        self.objects: Optional[ObjectStore] = None
        self._pending: Dict[str, _Pending] = {}
        self._sweeper: Optional["asyncio.Task[None]"] = None
        self._tasks: "set[asyncio.Task[Any]]" = set()
        self._closed = False
        #: the services' inline input limit (PROTOCOL.md: max_inline_size); override for other registries
        self.max_inline_size = DEFAULT_MAX_INLINE

    @classmethod
    async def connect(cls, settings: Optional[MeshSettings] = None) -> "MeshClient":
        c = cls(settings)
        await c.start()
        return c

    async def start(self) -> None:
        """Connects, subscribes to this client's results and progress, and checks that the mesh is provisioned."""
        if self.nc is not None:
            return
        nc = await NatsConnection.connect(self.settings)
        self.nc = nc
        self.js = JetStream(nc)
        self.objects = ObjectStore(self.js)
        nc.subscribe(self.names.results_wildcard(), self._on_result)
        nc.subscribe(self.names.progress_wildcard(), self._on_progress)
        nc.on_reconnect(self._after_reconnect)
        await nc.flush()
        await self._require_provisioned()
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_loop())

    async def _require_provisioned(self) -> None:
        assert self.js is not None
        try:
            await self.js.stream_info(self.names.results_stream)
        except JetStreamApiError as e:
            if e.err_code == ERR_STREAM_NOT_FOUND:
                await self.close()
                raise MeshError(f"the mesh at {self.settings.describe()} is not provisioned (stream "
                                f"{self.names.results_stream} missing): run 'jetmesh provision'") from e
            # a least-privilege client may not read stream info; the mesh may well be there
        except NoRespondersError as e:
            await self.close()
            raise MeshError(f"JetStream is not available at {self.settings.describe()} "
                            "(nats-server without -js, or no JetStream permission)") from e
        except MeshTimeoutError:
            LOG.debug("cannot verify the results stream (no answer); jobs will fail visibly later")

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._sweeper is not None:
            self._sweeper.cancel()
        for t in list(self._tasks):
            t.cancel()
        for p in list(self._pending.values()):
            if not p.future.done():
                p.future.set_exception(MeshError(f"client closed while waiting for job {p.job_id}"))
                p.future.exception()  # mark retrieved: nobody may be waiting any more
        if self.nc is not None:
            await self.nc.close()

    async def __aenter__(self) -> "MeshClient":
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def _spawn(self, coro: Any) -> None:
        t = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    def _require(self) -> NatsConnection:
        if self.nc is None or self._closed:
            raise MeshError("client is not connected (call setup()/start() first) or already closed")
        return self.nc

    # ------------------------------------------------------------------------------------------------ submit

    async def submit(self, subject: str, *, input_uri: Optional[str] = None, data: Optional[bytes] = None,
                     file: Optional[Union[str, Path]] = None, name: Optional[str] = None,
                     content_type: Optional[str] = None, options: Optional[Dict[str, Any]] = None,
                     timeout: Optional[float] = None, pipeline: Optional[List[Dict[str, Any]]] = None,
                     job_id: Optional[str] = None, progress: Optional[ProgressCallback] = None) -> Job:
        """Submits one job to ``subject`` (``<subject_prefix>.<operation>``) and returns once the mesh stored it
        (the PubAck): from then on the job is not lost. Exactly one of ``input_uri`` (``s3://``,
        ``nats-object://``), ``data`` (inline bytes; uploaded when above ``max_inline_size``) and ``file``
        (uploaded to the object store first). ``timeout`` (seconds) is the job's time limit. Submitting an id
        again within the stream's duplicate window stores it once and answers both with the one result."""
        self._require()
        if sum(x is not None for x in (input_uri, data, file)) != 1:
            raise ValueError("give exactly one of input_uri, data and file")
        names.require_token(subject.replace(".", "_"), "subject")
        jid = names.require_token(job_id, "job id") if job_id else new_job_id()
        existing = self._pending.get(jid)
        if existing is not None:
            if progress is not None:
                existing.listeners.append(progress)
            return Job(self, jid, existing)
        p = _Pending(jid, asyncio.get_running_loop().create_future(), self.names.result_subject(jid))
        if progress is not None:
            p.listeners.append(progress)
        self._pending[jid] = p
        p.future.add_done_callback(lambda f, jid=jid, p=p: self._forget(jid, p))
        try:
            if file is not None:
                path = Path(file)
                ref = await self.upload(path, job_id=jid)
                job_input: Dict[str, Any] = {"uri": ref["uri"], "name": path.name}
            elif data is not None and len(data) > self.max_inline_size:
                ref = await self.upload_bytes(data, self.names.upload_name(jid, name or "input"), content_type)
                job_input = {"uri": ref["uri"]}
            elif data is not None:
                job_input = {"data": base64.b64encode(data).decode("ascii")}
            else:
                job_input = {"uri": input_uri}
            if name and "name" not in job_input:
                job_input["name"] = name
            if content_type:
                job_input["content_type"] = content_type
            envelope: Dict[str, Any] = {"v": PROTOCOL_VERSION, "id": jid, "subject": subject, "input": job_input}
            if options:
                envelope["options"] = options
            envelope["client"] = self.settings.client_id
            envelope["submitted_at"] = now_rfc3339()
            if timeout is not None:
                envelope["timeout_ms"] = int(timeout * 1000)
            envelope["pipeline"] = list(pipeline or [])
            ack = await self._publish_job(envelope)
        except BaseException as e:
            if not p.future.done():
                p.future.set_exception(e if isinstance(e, Exception) else MeshError("submission interrupted"))
                p.future.exception()
            raise
        if ack.get("duplicate"):
            self._spawn(self._check_stored(p))  # submitted before: its result may already be stored
        if timeout is not None:
            asyncio.get_running_loop().call_later(timeout + TIMEOUT_GRACE, self._time_out, p, timeout)
        return Job(self, jid, p)

    def _time_out(self, p: _Pending, timeout: float) -> None:
        if not p.future.done():
            p.future.set_exception(MeshTimeoutError(
                f"no result for job {p.job_id} within {timeout:g}s (+{TIMEOUT_GRACE:g}s grace)"))

    def _forget(self, jid: str, p: _Pending) -> None:
        if not p.future.cancelled():
            p.future.exception()  # marks a failure as retrieved: the caller may never await this job
        if self._pending.get(jid) is p:
            del self._pending[jid]
        for q in p.queues:
            q.put_nowait(None)
        if self.nc is not None:
            for sid in p.extra_subs:
                self.nc.unsubscribe(sid)

    def _queued_status(self, envelope: Dict[str, Any]) -> bytes:
        at = envelope["submitted_at"]
        return json.dumps({"v": PROTOCOL_VERSION, "id": envelope["id"], "state": "queued",
                           "subject": envelope["subject"], "result_subject": self.names.result_subject(envelope["id"]),
                           "attempts": 0, "submitted_at": at, "updated_at": at}).encode("utf-8")

    async def _publish_job(self, envelope: Dict[str, Any]) -> Dict[str, Any]:
        nc, js = self._require(), self.js
        assert js is not None
        jid, subject = envelope["id"], envelope["subject"]
        body = json.dumps(envelope).encode("utf-8")
        headers = {"Jetmesh-Version": str(PROTOCOL_VERSION), "Jetmesh-Job-Id": jid, "Content-Type": "application/json"}
        attempts = max(1, self.settings.publish_attempts)
        for attempt in range(1, attempts + 1):
            try:
                if attempt == 1:
                    # written before the job on the same connection, so a worker's "running" cannot be overtaken
                    await nc.publish(self.names.status_subject(jid),
                                     self._queued_status(envelope))
                return await js.publish(self.names.job_subject(subject), body, headers,
                                        msg_id=self.names.job_msg_id(jid))
            except JetStreamApiError as e:
                if e.err_code == ERR_MAX_MESSAGES or "maximum messages exceeded" in e.description \
                        or "maximum bytes exceeded" in e.description:
                    raise MeshBackpressureError(f"the service of {subject} is backed up (its stream holds "
                                                f"max_pending jobs); retry later") from e
                if e.err_code == ERR_NO_STREAM_MATCHES_SUBJECT:
                    raise MeshError(f"no stream takes {subject}: unknown service or operation, or run "
                                    "'jetmesh provision'") from e
                raise MeshError(f"cannot submit job {jid} to {subject}: {e}") from e
            except (NoRespondersError, MeshTimeoutError, MeshConnectionError) as e:
                if attempt == attempts or self._closed:
                    hint = " (no JetStream responder: is the mesh provisioned and the subject right?)" \
                        if isinstance(e, NoRespondersError) else ""
                    raise MeshError(f"cannot submit job {jid} to {subject} after {attempt} attempts: {e}{hint}") from e
                # same Nats-Msg-Id on every attempt: de-duplication makes the retry safe
                delay = min(5.0, 0.1 * (2 ** min(attempt, 6))) + random.random() * 0.05
                LOG.debug("publish of job %s failed (%s), retry %d in %.2fs", jid, e, attempt, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------------------------- results and progress

    def _on_result(self, msg: Msg) -> None:
        p = self._pending.get(names.Names.job_id_of(msg.subject))
        if p is not None and not p.future.done():
            self._complete(p, msg.data)

    def _complete(self, p: _Pending, data: bytes) -> None:
        if p.future.done():
            return
        try:
            body = json.loads(data.decode("utf-8"))
        except ValueError as e:
            p.future.set_exception(MeshError(f"malformed result for job {p.job_id}: {e}"))
            return
        if body.get("status") == "completed":
            p.future.set_result(JobResult(body))
        else:
            p.future.set_exception(JobFailedError(body))

    def _on_progress(self, msg: Msg) -> None:
        p = self._pending.get(names.Names.job_id_of(msg.subject))
        if p is None or (not p.listeners and not p.queues):
            return
        try:
            ev = json.loads(msg.data.decode("utf-8"))
        except ValueError:
            return
        for q in p.queues:
            q.put_nowait(ev)
        for cb in p.listeners:
            try:
                r = cb(ev)
                if asyncio.iscoroutine(r):
                    self._spawn(r)
            except Exception:
                LOG.debug("progress callback of %s failed", p.job_id, exc_info=True)

    async def _after_reconnect(self) -> None:
        LOG.info("jetmesh client %s reconnected; re-checking %d pending jobs", self.settings.client_id,
                 len(self._pending))
        await self._recheck(all_jobs=True)

    async def _sweep_loop(self) -> None:
        while not self._closed:
            await asyncio.sleep(5.0)
            try:
                await self._recheck(all_jobs=False)
            except Exception:
                LOG.debug("sweep failed", exc_info=True)

    async def _recheck(self, all_jobs: bool) -> None:
        now = time.monotonic()
        for p in list(self._pending.values()):
            if p.future.done():
                continue
            if all_jobs or (now - p.created > SWEEP_AGE and now - p.last_check > SWEEP_AGE):
                await self._check_stored(p)

    async def _check_stored(self, p: _Pending) -> None:
        p.last_check = time.monotonic()
        try:
            m = await self._stored_result_msg(p.result_subject or self.names.any_client_result(p.job_id))
        except MeshError as e:
            LOG.debug("result check for %s failed: %s", p.job_id, e)
            return
        if m is not None:
            self._complete(p, m)

    async def _stored_result_msg(self, subject: str) -> Optional[bytes]:
        assert self.js is not None
        m = await self.js.last_msg(self.names.results_stream, subject)
        return None if m is None or not m.data else m.data

    # ------------------------------------------------------------------------------------------------- queries

    async def _with_retry(self, what: str, fn: Callable[[], Any]) -> Any:
        """Retries a read that timed out for up to twice the request timeout (a cluster electing a stream leader
        answers nothing for a few seconds)."""
        deadline = time.monotonic() + 2 * self.settings.request_timeout
        backoff = 0.1
        while True:
            try:
                return await fn()
            except (MeshTimeoutError, MeshConnectionError, NoRespondersError) as e:
                if time.monotonic() + backoff > deadline or self._closed:
                    raise MeshError(f"cannot read {what}: {e}") from e
                await asyncio.sleep(backoff)
                backoff = min(2.0, backoff * 2)

    async def _locate(self, job_id: str) -> "tuple[names.Names, Optional[Dict[str, Any]]]":
        """The names of the job's owner and its status record. The owner is the client part of the record's key
        (never its ``result_subject`` field); without a user name another client's record is found by ``*.<id>``."""
        assert self.js is not None
        raw = await self.js.kv_get(self.names.status_bucket, self.names.status_key(job_id))
        if raw:
            return self.names, json.loads(raw.decode("utf-8"))
        if self.settings.user:
            return self.names, None
        bucket = self.names.status_bucket
        m = await self.js.direct_get_last(names.kv_stream(bucket),
                                          names.kv_subject(bucket, names.Names.any_client_key(job_id)))
        if m is None or not m.data or m.headers.get("KV-Operation") in ("DEL", "PURGE"):
            return self.names, None
        owner = names.Names.client_of_key_subject(bucket, m.subject)
        return (self.names.for_client(owner) if owner else self.names), json.loads(m.data.decode("utf-8"))

    async def _status_record(self, job_id: str) -> Optional[Dict[str, Any]]:
        return (await self._locate(job_id))[1]

    async def _stored_result(self, job_id: str, subject: Optional[str]) -> Optional[Dict[str, Any]]:
        raw = await self._stored_result_msg(subject or self.names.any_client_result(job_id))
        return json.loads(raw.decode("utf-8")) if raw else None

    async def status(self, job_id: str) -> Optional[Dict[str, Any]]:
        """The job's status (PROTOCOL.md section 6): the stored result when there is one (``state`` completed,
        failed, dead, cancelled), else the status record (queued, running); ``cancel_requested`` when a cancel was
        asked for. None when the id is unknown or expired."""
        self._require()
        assert self.js is not None

        async def lookup() -> Optional[Dict[str, Any]]:
            owner, rec = await self._locate(job_id)
            res = await self._stored_result(job_id, owner.result_subject(job_id))
            if res is None and rec is None and not self.settings.user:
                res = await self._stored_result(job_id, None)  # any client's result subject for this id
            cancel = await self.js.kv_get(owner.cancel_bucket, owner.cancel_key(job_id)) is not None  # type: ignore[union-attr]
            if res is not None:
                out = {"v": PROTOCOL_VERSION, "id": job_id, "state": res.get("status"), "subject": res.get("subject")}
                out["result_subject"] = owner.result_subject(job_id)
                for k in ("attempts", "worker", "submitted_at", "started_at", "finished_at", "error"):
                    if res.get(k) is not None:
                        out[k] = res[k]
                if res.get("finished_at"):
                    out["updated_at"] = res["finished_at"]
                if rec and rec.get("progress"):
                    out["progress"] = rec["progress"]
            elif rec is not None:
                out = dict(rec)
            else:
                return None
            if cancel:
                out["cancel_requested"] = True
            return out

        return await self._with_retry(f"status of {job_id}", lookup)

    async def result(self, job_id: str) -> Optional[JobResult]:
        """The stored result of any job by id (this client's or another's), or None while there is none."""
        self._require()

        async def lookup() -> Optional[JobResult]:
            own = await self._stored_result(job_id, self.names.result_subject(job_id))
            if own is not None:
                return JobResult(own)
            # Another client's job: its owner is the client of its status key, never the record's result_subject
            # (a field anyone who could write the record could point elsewhere; PROTOCOL.md section 6).
            owner, rec = await self._locate(job_id)
            if owner is not self.names:
                other = await self._stored_result(job_id, owner.result_subject(job_id))
            elif rec is None and not self.settings.user:
                other = await self._stored_result(job_id, None)  # any client's result subject for this id
            else:
                return None
            return JobResult(other) if other is not None else None

        return await self._with_retry(f"result of {job_id}", lookup)

    def job(self, job_id: str, progress: Optional[ProgressCallback] = None) -> Job:
        """A handle on any job by id (e.g. submitted by another process): awaiting it waits for its result."""
        nc = self._require()
        p = self._pending.get(job_id)
        if p is not None:
            if progress is not None:
                p.listeners.append(progress)
            return Job(self, job_id, p)
        p = _Pending(job_id, asyncio.get_running_loop().create_future(), None)
        if progress is not None:
            p.listeners.append(progress)
        self._pending[job_id] = p
        p.future.add_done_callback(lambda f, p=p: self._forget(job_id, p))

        async def look_up() -> None:
            try:
                owner, rec = await self._with_retry(f"status of {job_id}", lambda: self._locate(job_id))
                # the owner is the client of the record's key, never its result_subject field
                subject = owner.result_subject(job_id) if rec is not None else None
                if subject and not self.names.owns_result_subject(subject):
                    # another client's job: listen on its result subject directly
                    p.extra_subs.append(nc.subscribe(subject, lambda m: self._complete(p, m.data)))
                p.result_subject = subject or self.names.any_client_result(job_id)
                await self._check_stored(p)
            except MeshError as e:
                if not p.future.done():
                    p.future.set_exception(MeshError(f"cannot look up job {job_id}: {e}"))

        self._spawn(look_up())
        return Job(self, job_id, p)

    async def cancel(self, job_id: str, reason: Optional[str] = None) -> None:
        """Asks the mesh to cancel the job (PROTOCOL.md section 7); its result will be ``cancelled`` unless it
        finished first."""
        self._require()
        assert self.js is not None
        body = json.dumps({"v": PROTOCOL_VERSION, "id": job_id,
                           "reason": reason or f"cancelled by client {self.settings.client_id}",
                           "ts": now_rfc3339()}).encode("utf-8")
        async def put() -> int:
            owner, _ = await self._locate(job_id)
            return await self.js.kv_put(owner.cancel_bucket, owner.cancel_key(job_id), body)  # type: ignore[union-attr]
        await self._with_retry(f"cancel of {job_id}", put)

    # --------------------------------------------------------------------------------------------------- blobs

    async def output(self, result: JobResult) -> Any:
        """The result's output JSON: inline, or downloaded from the object store (``output_ref``) and parsed."""
        if result.output is not None or not result.output_ref:
            return result.output
        return json.loads((await self.get_blob(result.output_ref["uri"])).decode("utf-8"))

    async def upload(self, path: Union[str, Path], job_id: Optional[str] = None,
                     content_type: Optional[str] = None) -> BlobRef:
        """Uploads a local file to the blob bucket as ``uploads/<job id>/<file name>``; returns its reference."""
        self._require()
        assert self.objects is not None
        path = Path(path)
        if not path.is_file():
            raise MeshError(f"no such file: {path}")
        with path.open("rb") as f:
            return await self.objects.put(self.names.blob_bucket, self.names.upload_name(job_id or new_job_id(),
                                                                                        path.name), f, content_type)

    async def upload_bytes(self, data: bytes, name: str, content_type: Optional[str] = None) -> BlobRef:
        self._require()
        assert self.objects is not None
        return await self.objects.put(self.names.blob_bucket, name, data, content_type)

    async def get_blob(self, uri: str) -> bytes:
        """The bytes of a ``nats-object://`` reference (an output, an artifact), size and digest checked."""
        self._require()
        assert self.objects is not None
        return await self.objects.get(uri)

    async def save_blob(self, uri: str, path: Union[str, Path]) -> Path:
        """Writes a ``nats-object://`` reference to ``path`` chunk by chunk; returns the path."""
        self._require()
        assert self.objects is not None
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        try:
            with tmp.open("wb") as f:
                await self.objects.get(uri, f)
            tmp.replace(path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path

    # --------------------------------------------------------------------------------------------------- batch

    def batch(self, max_in_flight: int) -> "Batch":
        return Batch(self, max_in_flight)


class Batch:
    """Submits many jobs with at most ``max_in_flight`` unfinished at a time: :meth:`submit` waits while the limit
    is reached, the backpressure that keeps a loop over thousands of documents bounded on both sides."""

    def __init__(self, client: MeshClient, max_in_flight: int):
        if max_in_flight < 1:
            raise ValueError(f"max_in_flight < 1: {max_in_flight}")
        self.client = client
        self._slots = asyncio.Semaphore(max_in_flight)
        self.jobs: List[Job] = []
        self.completed = 0
        self.failed = 0

    async def submit(self, subject: str, **kwargs: Any) -> Job:
        await self._slots.acquire()
        try:
            job = await self.client.submit(subject, **kwargs)
        except BaseException:
            self._slots.release()
            raise
        job._pending.future.add_done_callback(self._done)
        self.jobs.append(job)
        return job

    def _done(self, f: "asyncio.Future[JobResult]") -> None:
        if f.cancelled() or f.exception() is not None:
            self.failed += 1
        else:
            self.completed += 1
        self._slots.release()

    async def wait(self) -> List[Job]:
        """Waits until every job submitted so far has ended (successfully or not); never raises a job's failure."""
        await asyncio.gather(*(j._pending.future for j in self.jobs), return_exceptions=True)
        return list(self.jobs)


async def as_completed(jobs: Iterable[Job]) -> AsyncIterator[Job]:
    """Yields the jobs as they end (check ``await job`` for the result or failure)."""
    by_future = {asyncio.ensure_future(asyncio.shield(j._pending.future)): j for j in jobs}
    pending = set(by_future)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for f in done:
            f.exception() if not f.cancelled() else None
            yield by_future[f]
