"""Typed errors. A job that ended without output raises :class:`JobFailedError` carrying the protocol's error code."""

from __future__ import annotations

from typing import Any, Dict, Optional

#: The protocol's error codes (PROTOCOL.md section 4.1) and whether the mesh retries them.
ERROR_CODES: Dict[str, bool] = {
    "INVALID_INPUT": False,
    "INPUT_NOT_FOUND": False,
    "UNSUPPORTED": False,
    "TOO_LARGE": False,
    "TIMEOUT": False,
    "CANCELLED": False,
    "UNAVAILABLE": True,
    "INTERNAL": True,
}


class MeshError(Exception):
    """Something between this client and the mesh went wrong (not the job itself)."""


class MeshAuthenticationError(MeshError):
    """The NATS server refused the credentials."""


class MeshConnectionError(MeshError):
    """The NATS server could not be reached, or the connection was lost and not regained in time."""


class MeshBackpressureError(MeshError):
    """The service's stream holds its ``max_pending`` jobs: submit again later."""


class MeshTimeoutError(MeshError, TimeoutError):
    """No answer within the time limit (a request, or a job's result past its timeout plus grace)."""


class BlobNotFoundError(MeshError):
    """The referenced object does not exist in the object store."""


class JobFailedError(MeshError):
    """A job ended ``failed``, ``dead`` or ``cancelled``.

    ``code`` is the protocol's error code (an unknown code reads as ``INTERNAL``), ``retryable`` tells whether
    submitting the same job again later could succeed, ``status`` is the result's status and ``result`` the whole
    result body.
    """

    def __init__(self, result: Dict[str, Any]):
        self.result: Dict[str, Any] = result
        err = result.get("error") or {}
        code = err.get("code") or ("CANCELLED" if result.get("status") == "cancelled" else "INTERNAL")
        self.code: str = code if code in ERROR_CODES else "INTERNAL"
        self.retryable: bool = bool(err.get("retryable", ERROR_CODES.get(self.code, True)))
        self.status: str = str(result.get("status", "failed"))
        self.job_id: str = str(result.get("id", ""))
        self.error_message: str = str(err.get("message", ""))
        self.stage: Optional[str] = err.get("stage")
        super().__init__(f"job {self.job_id} {self.status}: {self.code}: {self.error_message}")
