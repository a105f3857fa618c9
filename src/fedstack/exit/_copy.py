"""Copy an object store's data from one S3 endpoint to another: resumable, verified, complete.

Each object is read once, written with its metadata, content headers and tags, and checked:
the destination's ETag must equal the MD5 of the bytes read, and that MD5 the source's ETag
(for objects the source stored in one part). Every verified key is appended to a journal (one
JSON line: key, source ETag, size, SHA-256), so a rerun skips what was already copied. One
object is held in memory at a time. Works on any boto3-style S3 client.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fedstack.exit._plan import ExitError

__all__ = ["CopyJournal", "CopyReport", "copy_bucket", "verify_copy"]

_HEADERS = (
    "ContentType",
    "ContentEncoding",
    "ContentLanguage",
    "ContentDisposition",
    "CacheControl",
)


@dataclass
class CopyReport:
    """What a copy did: objects and bytes copied now, objects skipped (journaled before)."""

    source: str
    target: str
    copied: int = 0
    copied_bytes: int = 0
    skipped: int = 0
    verified: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def objects(self) -> int:
        """Objects at the destination that match the source (copied now or before)."""
        return self.copied + self.skipped

    def line(self) -> str:
        """One plain line for logs."""
        return (
            f"copied {self.copied} object(s) / {self.copied_bytes} byte(s) from {self.source} "
            f"to {self.target}, {self.skipped} already copied, {self.verified} verified, "
            f"{self.seconds:.1f} s"
        )


class CopyJournal:
    """The record of verified keys of one copy (a JSON-lines file), read on resume."""

    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self.done: dict[str, str] = {}
        lines = self.file.read_text().splitlines() if self.file.is_file() else []
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
                self.done[str(entry["key"])] = str(entry["etag"])
            except (ValueError, KeyError, TypeError):
                # Only the last line may be cut (an interruption): that key is copied again.
                if number != len(lines):
                    raise ExitError(f"{self.file}:{number}: not a copy journal line") from None
                # Drop it, or the next record would be appended to its half.
                self.file.write_text("".join(f"{kept}\n" for kept in lines[:-1]))

    def has(self, key: str, etag: str) -> bool:
        """True when `key` was copied and verified with this source ETag."""
        return self.done.get(key) == etag

    def record(self, key: str, etag: str, size: int, sha256: str) -> None:
        """Append one verified key (flushed at once: an interruption loses at most this line)."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        with self.file.open("a") as out:
            out.write(json.dumps({"key": key, "etag": etag, "size": size, "sha256": sha256}))
            out.write("\n")
        self.done[key] = etag


def _listing(s3: Any, bucket: str) -> Iterator[dict[str, Any]]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        yield from page.get("Contents", [])


def _etag(value: str) -> str:
    return value.strip('"')


def copy_bucket(
    source: Any,
    source_bucket: str,
    target: Any,
    target_bucket: str,
    journal: CopyJournal,
    *,
    on_object: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every object of `source_bucket` to `target_bucket`, skipping journaled keys.

    Raises ExitError naming the key when a checksum does not match (the key is not journaled,
    so a rerun tries it again).
    """
    started = time.monotonic()
    report = CopyReport(source_bucket, target_bucket)
    for item in _listing(source, source_bucket):
        key, etag = str(item["Key"]), _etag(str(item["ETag"]))
        if journal.has(key, etag):
            report.skipped += 1
            continue
        size = _copy_object(source, source_bucket, target, target_bucket, key, etag, journal)
        report.copied += 1
        report.copied_bytes += size
        if on_object is not None:
            on_object(key, size)
    report.verified, report.problems = verify_copy(source, source_bucket, target, target_bucket)
    report.seconds = time.monotonic() - started
    return report


def _copy_object(
    source: Any,
    source_bucket: str,
    target: Any,
    target_bucket: str,
    key: str,
    etag: str,
    journal: CopyJournal,
) -> int:
    got = source.get_object(Bucket=source_bucket, Key=key)
    body = got["Body"].read()
    md5 = hashlib.md5(body, usedforsecurity=False).hexdigest()
    if "-" not in etag and md5 != etag:
        raise ExitError(f"{source_bucket}/{key}: read {md5}, the source says {etag}: not copied")
    tags = source.get_object_tagging(Bucket=source_bucket, Key=key).get("TagSet", [])
    extra = {name: got[name] for name in _HEADERS if got.get(name)}
    if tags:
        extra["Tagging"] = urlencode({t["Key"]: t["Value"] for t in tags})
    put = target.put_object(
        Bucket=target_bucket, Key=key, Body=body, Metadata=got.get("Metadata", {}), **extra
    )
    if _etag(str(put["ETag"])) != md5:
        raise ExitError(
            f"{target_bucket}/{key}: stored {_etag(str(put['ETag']))}, sent {md5}: not verified"
        )
    journal.record(key, etag, len(body), hashlib.sha256(body).hexdigest())
    return len(body)


def verify_copy(
    source: Any, source_bucket: str, target: Any, target_bucket: str
) -> tuple[int, list[str]]:
    """(objects that match, problems): every source key at the target, same size and ETag,
    the same metadata and tags."""
    copied = {str(i["Key"]): i for i in _listing(target, target_bucket)}
    problems: list[str] = []
    matched = 0
    for item in _listing(source, source_bucket):
        key = str(item["Key"])
        other = copied.get(key)
        if other is None:
            problems.append(f"{key}: missing at {target_bucket}")
            continue
        if int(other["Size"]) != int(item["Size"]):
            problems.append(f"{key}: {other['Size']} bytes at {target_bucket}, {item['Size']} here")
            continue
        etag = _etag(str(item["ETag"]))
        if "-" not in etag and _etag(str(other["ETag"])) != etag:
            problems.append(f"{key}: checksum differs at {target_bucket}")
            continue
        if _described(source, source_bucket, key) != _described(target, target_bucket, key):
            problems.append(f"{key}: metadata or tags differ at {target_bucket}")
            continue
        matched += 1
    return matched, problems


def _described(s3: Any, bucket: str, key: str) -> tuple[Any, ...]:
    head = s3.head_object(Bucket=bucket, Key=key)
    tags = s3.get_object_tagging(Bucket=bucket, Key=key).get("TagSet", [])
    return (
        head.get("Metadata", {}),
        tuple(head.get(name) for name in _HEADERS),
        sorted((t["Key"], t["Value"]) for t in tags),
    )
