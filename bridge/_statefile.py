"""Read a Terraform/OpenTofu state body: checksum, lineage and serial, or "encrypted".

Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import orjson
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from fedstack.bridge._compression import Packed, pack
from fedstack.bridge._errors import BadRequest
from fedstack.bridge._stateshape import check_encrypted_shape, check_state_shape

__all__ = ["ParsedState", "check_content_md5", "parse_state", "receive_state", "with_serial"]


@dataclass(frozen=True)
class ParsedState:
    """One state body as received, with what the bridge needs to check and index it."""

    body: bytes
    sha256: str
    md5: str
    encrypted: bool
    serial: int | None
    lineage: str | None
    document: dict[str, Any]
    # The body as it will be stored (`receive_state`); None: packed when it is stored.
    packed: Packed | None = None

    @property
    def size(self) -> int:
        """Body length in bytes."""
        return len(self.body)


def receive_state(body: bytes) -> ParsedState:
    """`parse_state` for a body that is to be stored: its compression runs beside the parse."""
    if len(body) < _PARALLEL_HASH_BYTES:
        state = parse_state(body)
        return replace(state, packed=pack(body))
    packed = _in_thread(pack, body)
    return replace(parse_state(body), packed=packed.result())


def parse_state(body: bytes) -> ParsedState:
    """Check that `body` is a state document; BadRequest says what is wrong with it."""
    if not body:
        raise BadRequest("the request body is empty; send the state as JSON")
    # hashlib releases the GIL on large buffers, orjson holds it: the MD5 and SHA-256 of a large
    # body run in two threads while this one parses it. Each hash has started (and let the GIL
    # go) before the parse takes the GIL for its whole length; otherwise they would only start
    # once the parse is done (measured at 20 MB: 108 ms for parse and hashes one after the other,
    # about the sum of orjson's 43 ms and MD5's 44 ms).
    md5 = sha256_hex = None
    if len(body) >= _PARALLEL_HASH_BYTES:
        md5 = _in_thread(_md5_hex, body)
        sha256_hex = _in_thread(_sha256_hex, body)
    try:
        # One parse, no copy of the body: orjson reads the bytes as they came (and refuses NaN,
        # invalid UTF-8 and integers past 64 bits, which Terraform could not read back either).
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc) or "recursion" in str(exc).lower():
            raise BadRequest("the state body nests too deeply to be a Terraform state") from None
        raise BadRequest(f"the state body is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise BadRequest("the state body must be a JSON object")
    # OpenTofu state encryption: serial and lineage are inside the ciphertext, so the bridge
    # stores the body as it is and cannot check or index it.
    encrypted = "encrypted_data" in document
    if encrypted:
        check_encrypted_shape(document)
    serial = document.get("serial")
    lineage = document.get("lineage")
    if not encrypted:
        if not isinstance(serial, int) or isinstance(serial, bool) or serial < 0:
            raise BadRequest("not a Terraform state: 'serial' must be a non-negative integer")
        if (
            not isinstance(lineage, str)
            or not lineage
            or len(lineage) > 128
            or not lineage.isprintable()
        ):
            raise BadRequest(
                "not a Terraform state: 'lineage' must be a printable string of 1 to 128 characters"
            )
        if serial >= 2**63:
            raise BadRequest("not a Terraform state: 'serial' is out of range")
        check_state_shape(document)
    return ParsedState(
        body=body,
        sha256=sha256_hex.result() if sha256_hex is not None else _sha256_hex(body),
        md5=md5.result() if md5 is not None else _md5_hex(body),
        encrypted=encrypted,
        serial=serial if not encrypted else None,
        lineage=lineage if not encrypted else None,
        document=document,
    )


_PARALLEL_HASH_BYTES = 256 * 1024
T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _body_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # A received body's MD5, SHA-256 and compression at once.
            _pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="fedstack-body")
        return _pool


def _md5_hex(body: bytes) -> str:
    return hashlib.md5(body, usedforsecurity=False).hexdigest()


def _sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# How long a parse waits for a body thread to start: all busy with another large body, it parses.
_START_SECONDS = 0.05


def _in_thread(work: Callable[[bytes], T], body: bytes) -> Future[T]:
    """`work(body)` in the body pool, returned once it is under way (or after a short wait)."""
    started = threading.Event()

    def run() -> T:
        started.set()
        return work(body)

    future = _body_pool().submit(run)
    started.wait(_START_SECONDS)
    return future


def check_content_md5(body: bytes, header: str | None, *, md5_hex: str | None = None) -> None:
    """Refuse a body whose Content-MD5 header (base64 of the MD5 digest) does not match.

    `md5_hex` is the body's digest when the caller already has it (`ParsedState.md5`), so a
    large body is hashed once.
    """
    if header is None:
        return
    try:
        sent = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("the Content-MD5 header is not base64") from None
    digest = (
        bytes.fromhex(md5_hex)
        if md5_hex is not None
        else hashlib.md5(body, usedforsecurity=False).digest()
    )
    if sent != digest:
        raise BadRequest("the body does not match its Content-MD5 header (corrupted in transit?)")


def with_serial(state: ParsedState, serial: int) -> bytes:
    """The same state document with another serial (used when an old version is restored)."""
    document = dict(state.document)
    document["serial"] = serial
    return json.dumps(document, indent=2).encode() + b"\n"
