"""Connection settings from the same environment variables and ``.env`` file as the Java client.

============================  ==========================================  ===============================
setting                       environment                                 default
============================  ==========================================  ===============================
servers                       ``NATS_URL`` (comma-separated)              ``nats://127.0.0.1:4222``
token                         ``NATS_TOKEN``, ``NATS_TOKEN_FILE``         none
user / password               ``NATS_USER``, ``NATS_PASSWORD``            none
credentials file (JWT+NKey)   ``NATS_CREDS``                              none
NKey seed file                ``NATS_NKEY_SEED_FILE``                     none
TLS CA / client cert / key    ``NATS_TLS_CA``, ``NATS_TLS_CERT``,         none (``tls://`` URLs use the
                              ``NATS_TLS_KEY`` (PEM)                      system trust store)
client id                     ``JETMESH_CLIENT_ID``                       user name, else random
default S3 bucket             ``JETMESH_S3_BUCKET``                       none (bare keys are refused)
inbox prefix                  ``JETMESH_INBOX_PREFIX``                    ``_INBOX``
============================  ==========================================  ===============================

The ``.env`` file (``KEY=VALUE`` lines, ``#`` comments, optional ``export`` and quotes) is read from the working
directory or from ``JETMESH_ENV_FILE``; real environment variables win over it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote
from typing import Dict, List, Mapping, Optional

from . import names
from .errors import MeshError

DEFAULT_URL = "nats://127.0.0.1:4222"


def parse_dotenv(path: Path) -> Dict[str, str]:
    """Parses a ``.env`` file the way the Java client's ``Env.parseDotEnv`` does."""
    out: Dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].strip()
        key, eq, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key:
            continue
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[key] = value
    return out


def load_env(environ: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The environment merged over the ``.env`` file (``JETMESH_ENV_FILE`` or ``./.env``)."""
    env = dict(os.environ if environ is None else environ)
    explicit = env.get("JETMESH_ENV_FILE", "").strip()
    path = Path(explicit) if explicit else Path(".env")
    merged: Dict[str, str] = {}
    if path.is_file():
        merged.update(parse_dotenv(path))
    merged.update(env)
    return merged


def _secret_file(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as e:
        raise MeshError(f"{what}: cannot read {path}: {e}") from e


@dataclass(frozen=True)
class MeshSettings:
    """How to reach the mesh. Immutable: derive variants with :meth:`with_`."""

    servers: List[str] = field(default_factory=lambda: [DEFAULT_URL])
    token: Optional[str] = None
    user: Optional[str] = None
    password: Optional[str] = None
    creds_file: Optional[str] = None
    nkey_seed_file: Optional[str] = None
    tls_ca: Optional[str] = None
    tls_cert: Optional[str] = None
    tls_key: Optional[str] = None
    client_id: str = ""
    s3_bucket: Optional[str] = None
    inbox_prefix: str = names.DEFAULT_INBOX_PREFIX
    connection_name: str = "jetmesh-python"
    connect_timeout: float = 5.0
    request_timeout: float = 5.0
    #: first reconnect delay; doubles per failed attempt up to ``reconnect_max_wait``, with jitter
    reconnect_wait: float = 0.25
    reconnect_max_wait: float = 2.0
    #: ``-1`` reconnects forever
    max_reconnects: int = -1
    ping_interval: float = 10.0
    max_pings_out: int = 2
    publish_attempts: int = 5

    def __post_init__(self) -> None:
        modes = sum(x is not None for x in (self.token, self.user, self.creds_file, self.nkey_seed_file))
        if modes > 1:
            raise MeshError("choose one authentication: token, user/password, creds file or nkey seed")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise MeshError("TLS client certificate and key must be given together (NATS_TLS_CERT, NATS_TLS_KEY)")
        if not self.client_id:
            cid = self.user if self.user and names.is_token(self.user) else "c" + secrets.token_hex(6)
            object.__setattr__(self, "client_id", cid)
        names.require_token(self.client_id, "client id (JETMESH_CLIENT_ID)")

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **overrides: object) -> "MeshSettings":
        """Settings from the environment (and ``.env``) as in the module comment, then ``overrides``."""
        env = load_env(environ)
        kw: Dict[str, object] = {}

        def get(key: str) -> Optional[str]:
            v = env.get(key)
            return v.strip() if v is not None and v.strip() else None

        if get("NATS_URL"):
            kw["servers"] = [u.strip() for u in get("NATS_URL").split(",") if u.strip()]  # type: ignore[union-attr]
        if get("NATS_TOKEN"):
            kw["token"] = get("NATS_TOKEN")
        elif get("NATS_TOKEN_FILE"):
            kw["token"] = _secret_file(get("NATS_TOKEN_FILE"), "NATS_TOKEN_FILE")  # type: ignore[arg-type]
        if get("NATS_USER"):
            kw["user"] = get("NATS_USER")
            kw["password"] = env.get("NATS_PASSWORD", "")
        if get("NATS_CREDS"):
            kw["creds_file"] = get("NATS_CREDS")
        if get("NATS_NKEY_SEED_FILE"):
            kw["nkey_seed_file"] = get("NATS_NKEY_SEED_FILE")
        for key, attr in (("NATS_TLS_CA", "tls_ca"), ("NATS_TLS_CERT", "tls_cert"), ("NATS_TLS_KEY", "tls_key")):
            if get(key):
                kw[attr] = get(key)
        if get("JETMESH_CLIENT_ID"):
            kw["client_id"] = get("JETMESH_CLIENT_ID")
        if get("JETMESH_S3_BUCKET"):
            kw["s3_bucket"] = get("JETMESH_S3_BUCKET")
        if get("JETMESH_INBOX_PREFIX"):
            kw["inbox_prefix"] = get("JETMESH_INBOX_PREFIX")
        kw.update(overrides)
        return cls(**kw)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> "MeshSettings":
        """A copy with ``changes`` applied (validated again)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def names(self) -> names.Names:
        return names.Names(client=self.client_id, inbox_prefix=names.inbox_prefix_of(self.user, self.inbox_prefix))

    def describe(self) -> str:
        """The servers and the kind of authentication, never the secret itself."""
        auth = ("token" if self.token is not None else f"user {self.user}" if self.user is not None
                else "creds" if self.creds_file else "nkey" if self.nkey_seed_file else "no auth")
        tls = ", tls" if self.tls_ca or self.tls_cert or any(s.startswith("tls://") for s in self.servers) else ""
        return f"{','.join(self.servers)} ({auth}{tls})"

    def resolve_input(self, uri: Optional[str] = None, s3_key: Optional[str] = None) -> str:
        """An input reference: ``s3://`` and ``nats-object://`` pass; a bare key needs ``JETMESH_S3_BUCKET``."""
        ref = uri if uri is not None else s3_key
        if not ref:
            raise ValueError("no input: give an s3://bucket/key or nats-object:// reference, or a bare key")
        if ref.startswith("s3://") or ref.startswith(names.OBJECT_SCHEME + "://"):
            return ref
        if "://" in ref:
            raise ValueError(f"unsupported input reference {ref!r}: use s3://bucket/key or nats-object://bucket/name")
        if not self.s3_bucket:
            raise ValueError(f"a bare key ({ref!r}) needs a default bucket: set JETMESH_S3_BUCKET or pass s3://bucket/key")
        # A bare key is a literal S3 key: every byte outside [A-Za-z0-9-._~/] is percent-encoded (UTF-8, upper-case
        # hex), exactly as the Java client's MeshOptions.resolveInput does, so spaces, '+', '%', '?' and '#' reach
        # S3 as typed.
        return f"s3://{self.s3_bucket}/{quote(ref.lstrip('/'), safe='/-._~')}"
