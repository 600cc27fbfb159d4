"""Every NATS subject, key-value key, bucket and inbox name the client uses, in one place.

The mesh's naming (docs/PROTOCOL.md section 2) may be narrowed for least-privilege permissions; keeping all of it
here means such a change touches this module only. Nothing else in the package builds a subject from strings.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, replace

#: A job id or client id is one NATS subject token (PROTOCOL.md section 1).
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")

RESULTS_STREAM = "JETMESH_RESULTS"
RESULTS_PREFIX = "jetmesh.results"
PROGRESS_PREFIX = "jetmesh.progress"
STATUS_BUCKET = "jetmesh-status"
CANCEL_BUCKET = "jetmesh-cancel"
BLOB_BUCKET = "jetmesh-blobs"
OBJECT_SCHEME = "nats-object"
DEFAULT_INBOX_PREFIX = "_INBOX"


def is_token(value: str) -> bool:
    """True when ``value`` can be a job id or client id (one subject token)."""
    return bool(value) and TOKEN_RE.match(value) is not None


def require_token(value: str, what: str) -> str:
    """Returns ``value`` or raises ValueError naming ``what`` when it is not a subject token."""
    if not is_token(value):
        raise ValueError(f"{what} must match [A-Za-z0-9_-]{{1,128}}: {value!r}")
    return value


@dataclass(frozen=True)
class Names:
    """The names of one client: results and progress routing, status and cancel keys, blob bucket, inbox prefix."""

    client: str
    inbox_prefix: str = DEFAULT_INBOX_PREFIX
    blob_bucket: str = BLOB_BUCKET
    status_bucket: str = STATUS_BUCKET
    cancel_bucket: str = CANCEL_BUCKET
    results_stream: str = RESULTS_STREAM

    # -- jobs
    def job_subject(self, subject: str) -> str:
        """The subject a job for ``<subject_prefix>.<operation>`` is published to: ``<subject>.<client>`` (workers
        send the result to the client named by the subject; PROTOCOL.md section 2)."""
        return f"{subject}.{self.client}"

    # -- results and progress
    def result_subject(self, job_id: str) -> str:
        return f"{RESULTS_PREFIX}.{self.client}.{job_id}"

    def results_wildcard(self) -> str:
        return f"{RESULTS_PREFIX}.{self.client}.*"

    def any_client_result(self, job_id: str) -> str:
        """Matches the result of ``job_id`` whichever client submitted it."""
        return f"{RESULTS_PREFIX}.*.{job_id}"

    def progress_wildcard(self) -> str:
        return f"{PROGRESS_PREFIX}.{self.client}.*"

    def owns_result_subject(self, subject: str) -> bool:
        return subject.startswith(f"{RESULTS_PREFIX}.{self.client}.")

    @staticmethod
    def job_id_of(subject: str) -> str:
        """The job id of a result or progress subject (its last token)."""
        return subject.rsplit(".", 1)[-1]

    def job_msg_id(self, job_id: str) -> str:
        """The ``Nats-Msg-Id`` of a job, ``<client>.<job id>`` (de-duplication within the stream's duplicate window)."""
        return f"{self.client}.{job_id}"

    # -- status and cancel records
    def status_key(self, job_id: str) -> str:
        """``<client>.<job id>``: per-user credentials may read and write only their own keys."""
        return f"{self.client}.{job_id}"

    def status_subject(self, job_id: str) -> str:
        """Where a status record is written (the client's ``queued``)."""
        return kv_subject(self.status_bucket, self.status_key(job_id))

    def cancel_key(self, job_id: str) -> str:
        return f"{self.client}.{job_id}"

    @staticmethod
    def any_client_key(job_id: str) -> str:
        """Matches the status or cancel key of ``job_id`` whichever client owns it (only without per-user
        credentials, which may read their own keys only)."""
        return f"*.{job_id}"

    @staticmethod
    def client_of_key_subject(bucket: str, subject: str) -> "str | None":
        """The owner (``<client>``) of a ``$KV.<bucket>.<client>.<job id>`` subject."""
        prefix = kv_subject(bucket, "")
        if not subject.startswith(prefix):
            return None
        key = subject[len(prefix):]
        return key.split(".", 1)[0] if "." in key else None

    def for_client(self, client: str) -> "Names":
        """The same names for another client (the owner of a job this process did not submit)."""
        return replace(self, client=client)

    # -- blobs
    def upload_name(self, job_id: str, file_name: str) -> str:
        return f"uploads/{job_id}/{file_name}"

    # -- inbox
    def inbox(self, nuid: str) -> str:
        """A private reply subject prefix (the connection subscribes to ``<inbox>.*``)."""
        return f"{self.inbox_prefix}.{nuid}"


def inbox_prefix_of(user: "str | None", configured: str) -> str:
    """The inbox prefix of a connection: the configured one, else ``_INBOX.<user>`` for a user name (setup.sh lets a
    user subscribe only to its own ``_INBOX.<user>.>``), else ``_INBOX``."""
    if configured != DEFAULT_INBOX_PREFIX or not user or not is_token(user):
        return configured
    return f"{DEFAULT_INBOX_PREFIX}.{user}"


# ---------------------------------------------------------------- JetStream API and storage naming (fixed by NATS)

def kv_stream(bucket: str) -> str:
    return f"KV_{bucket}"


def kv_subject(bucket: str, key: str) -> str:
    return f"$KV.{bucket}.{key}"


def obj_stream(bucket: str) -> str:
    return f"OBJ_{bucket}"


def obj_chunk_subject(bucket: str, nuid: str) -> str:
    return f"$O.{bucket}.C.{nuid}"


def obj_meta_subject(bucket: str, name: str) -> str:
    # base64url with padding, as the Go and Java clients encode object names
    return f"$O.{bucket}.M.{base64.urlsafe_b64encode(name.encode('utf-8')).decode('ascii')}"


def api_msg_get(stream: str) -> str:
    return f"$JS.API.STREAM.MSG.GET.{stream}"


def api_direct_get(stream: str) -> str:
    return f"$JS.API.DIRECT.GET.{stream}"


def api_stream_info(stream: str) -> str:
    return f"$JS.API.STREAM.INFO.{stream}"


def api_stream_purge(stream: str) -> str:
    return f"$JS.API.STREAM.PURGE.{stream}"


def object_uri(bucket: str, name: str) -> str:
    return f"{OBJECT_SCHEME}://{bucket}/{name}"


def parse_object_uri(uri: str) -> "tuple[str, str]":
    """``nats-object://bucket/name/with/slashes`` -> ``(bucket, name)``; ValueError for anything else."""
    prefix = OBJECT_SCHEME + "://"
    if not uri.startswith(prefix):
        raise ValueError(f"not a nats-object:// reference: {uri}")
    rest = uri[len(prefix):]
    bucket, sep, name = rest.partition("/")
    if not bucket or not sep or not name:
        raise ValueError(f"expected nats-object://bucket/name: {uri}")
    return bucket, name
