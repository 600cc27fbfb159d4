"""NATS NKeys (seed decoding, public keys) with a pure-Python Ed25519 signer, so NKEY and ``.creds`` authentication
need no package.

The Ed25519 code follows the reference implementation in RFC 8032 section 6 (extended twisted Edwards coordinates)
and is checked against the RFC's section 7.1 test vectors (``tests/test_nkeys.py``) and against a real
nats-server that verifies its signatures. It is **not constant-time**: it signs only the server's connect nonce
with the client's own seed, on the client's machine; where timing side channels on that host matter, run the
client where other users cannot measure it. A signature takes a few milliseconds, once per (re)connect.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Optional, Tuple

# ------------------------------------------------------------------------------------------ Ed25519 (RFC 8032 §6)

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

Point = Tuple[int, int, int, int]


def _inv(x: int) -> int:
    return pow(x, _P - 2, _P)


def _add(a: Point, b: Point) -> Point:
    A = (a[1] - a[0]) * (b[1] - b[0]) % _P
    B = (a[1] + a[0]) * (b[1] + b[0]) % _P
    C = 2 * a[3] * b[3] * _D % _P
    D = 2 * a[2] * b[2] % _P
    E, F, G, H = B - A, D - C, D + C, B + A
    return (E * F % _P, G * H % _P, F * G % _P, E * H % _P)


def _mul(s: int, p: Point) -> Point:
    q: Point = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, p)
        p = _add(p, p)
        s >>= 1
    return q


def _equal(a: Point, b: Point) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _recover_x(y: int, sign: int) -> Optional[int]:
    if y >= _P:
        return None
    x2 = (y * y - 1) * _inv(_D * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * _inv(5) % _P
_GX = _recover_x(_GY, 0)
assert _GX is not None
_G: Point = (_GX, _GY, 1, _GX * _GY % _P)


def _compress(p: Point) -> bytes:
    zi = _inv(p[2])
    x, y = p[0] * zi % _P, p[1] * zi % _P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _decompress(s: bytes) -> Optional[Point]:
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


def _expand(secret: bytes) -> Tuple[int, bytes]:
    if len(secret) != 32:
        raise ValueError("an Ed25519 secret key is 32 bytes")
    h = hashlib.sha512(secret).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def _hash_q(data: bytes) -> int:
    return int.from_bytes(hashlib.sha512(data).digest(), "little") % _Q


def ed25519_public_key(secret: bytes) -> bytes:
    """The 32-byte public key of a 32-byte Ed25519 secret key (seed)."""
    a, _ = _expand(secret)
    return _compress(_mul(a, _G))


def ed25519_sign(secret: bytes, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message`` (RFC 8032 §5.1.6)."""
    a, prefix = _expand(secret)
    public = _compress(_mul(a, _G))
    r = _hash_q(prefix + message)
    rs = _compress(_mul(r, _G))
    h = _hash_q(rs + public + message)
    s = (r + h * a) % _Q
    return rs + int.to_bytes(s, 32, "little")


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public`` (RFC 8032 §5.1.7)."""
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _Q:
        return False
    h = _hash_q(signature[:32] + public + message)
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


# ------------------------------------------------------------------------------------------------------ NKeys

_PREFIX_SEED = 18 << 3  # 'S'
_PREFIX_USER = 20 << 3  # 'U'
_PREFIXES = {
    14 << 3: "operator", 2 << 3: "server", 16 << 3: "cluster", 0: "account", _PREFIX_USER: "user",
}


def _crc16(data: bytes) -> int:
    """CRC-16/XMODEM, the checksum of NKey encodings."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _b32decode(text: str) -> bytes:
    pad = "=" * (-len(text) % 8)
    return base64.b32decode(text + pad)


def _b32encode(raw: bytes) -> str:
    return base64.b32encode(raw).decode("ascii").rstrip("=")


def _with_crc(raw: bytes) -> bytes:
    return raw + _crc16(raw).to_bytes(2, "little")


class KeyPair:
    """An NKey from its seed (``SU...`` for users): the public key and the signer of connect nonces."""

    def __init__(self, seed: str):
        seed = seed.strip()
        try:
            raw = _b32decode(seed)
        except (ValueError, TypeError) as e:
            raise ValueError("not an NKey seed (base32 expected)") from e
        if len(raw) != 36 or _crc16(raw[:-2]) != int.from_bytes(raw[-2:], "little"):
            raise ValueError("not an NKey seed (bad length or checksum)")
        if raw[0] & 248 != _PREFIX_SEED:
            raise ValueError("not an NKey seed (a seed starts with 'S')")
        self.prefix: int = ((raw[0] & 7) << 5) | ((raw[1] & 248) >> 3)
        if self.prefix not in _PREFIXES:
            raise ValueError("unknown NKey type in seed")
        self._secret = raw[2:34]
        self.public_key: str = _b32encode(_with_crc(bytes([self.prefix]) + ed25519_public_key(self._secret)))

    @classmethod
    def from_secret(cls, secret: bytes, prefix: int = _PREFIX_USER) -> "KeyPair":
        """The seed encoding of a 32-byte secret (e.g. to create a user NKey)."""
        b1 = _PREFIX_SEED | (prefix >> 5)
        b2 = (prefix & 31) << 3
        return cls(_b32encode(_with_crc(bytes([b1, b2]) + secret)))

    @property
    def seed(self) -> str:
        b1 = _PREFIX_SEED | (self.prefix >> 5)
        b2 = (self.prefix & 31) << 3
        return _b32encode(_with_crc(bytes([b1, b2]) + self._secret))

    def sign(self, data: bytes) -> bytes:
        return ed25519_sign(self._secret, data)

    def sign_nonce(self, nonce: str) -> str:
        """The CONNECT ``sig`` field: the nonce's signature, base64url without padding."""
        return base64.urlsafe_b64encode(self.sign(nonce.encode("utf-8"))).decode("ascii").rstrip("=")


_CREDS_BLOCK = re.compile(r"-{3,}[^\n]*BEGIN[^\n]*-{3,}\s*\n(.+?)\n\s*-{3,}[^\n]*END[^\n]*-{3,}", re.S)


def read_creds(text: str) -> Tuple[str, KeyPair]:
    """(user JWT, key pair) from a ``.creds`` file: its first block is the JWT, its second the user seed."""
    blocks = [b.strip() for b in _CREDS_BLOCK.findall(text)]
    if len(blocks) < 2:
        raise ValueError("a .creds file holds a JWT block and an NKEY SEED block")
    return blocks[0], KeyPair(blocks[1])
