"""State bodies as stored: compressed with zstd (level 1) where that makes them smaller.

The bridge compresses each body itself, before it is sealed, instead of leaving it to the
database: SQLite stores blobs as they come, and PostgreSQL's TOAST compression (lz4, migration
0011) made every read decompress the body in the server, most of a 1 MB GET, and could do
nothing for sealed bodies. zstd at level 1 measured on state-like JSON here: 1 MB in 1.0 ms to a
seventh of its size, opened again in 0.4 ms; 20 MB in 24-29 ms, in a thread beside the parse
(libzstd runs without the GIL). Pure Python: must not import the web framework or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import zstandard

__all__ = ["ZSTD", "Packed", "pack", "unpack"]

ZSTD = "zstd"
"""The `codec` of a body stored zstd-compressed (a NULL codec: stored as it came)."""

_LEVEL = 1


@dataclass(frozen=True)
class Packed:
    """A body in the form it is stored (before sealing): the bytes and their codec."""

    data: bytes
    codec: str | None


def pack(body: bytes) -> Packed:
    """`body` compressed when that makes it smaller, else as it is (high-entropy bodies)."""
    # One compressor per call: a ZstdCompressor is not safe to share between threads, and
    # making one costs about 10 microseconds.
    compressed = zstandard.ZstdCompressor(level=_LEVEL).compress(body)
    if len(compressed) < len(body):
        return Packed(compressed, ZSTD)
    return Packed(body, None)


def unpack(data: bytes, codec: str | None, size: int) -> bytes:
    """The body that was packed; ValueError when `data` does not open to `size` bytes."""
    if codec is None:
        return data
    if codec != ZSTD:
        raise ValueError(f"unknown codec {codec!r}")
    try:
        # The frame's header says how large the body is; memory is only spent when that is the
        # size the row records (a changed header must not make the bridge allocate gigabytes).
        claimed = zstandard.frame_content_size(data)
        if claimed != size:
            raise ValueError(f"its header says {claimed} bytes, not the {size} recorded")
        body = zstandard.ZstdDecompressor().decompress(data)
    except zstandard.ZstdError as exc:
        raise ValueError(f"not a zstd body: {exc}") from None
    if len(body) != size:
        raise ValueError(f"opens to {len(body)} bytes, not the {size} recorded")
    return body
