"""Copy an object store's data from one S3 endpoint to another: resumable, verified, complete.

Each object is read once, written with its metadata, content headers and tags, and checked:
the MD5 of the bytes read must equal the source's ETag (for objects the source stored in one
part) and the destination's ETag what S3 computes from the bytes sent. An object larger than
the part size goes up as a multipart upload, one ranged read and one part at a time, each
part's ETag checked against the MD5 of its bytes and the whole upload's ETag against the MD5
of the part digests. Every verified key is appended to a journal (one JSON line: key, source
and target ETag, size, SHA-256), so a rerun skips what was already copied; a started
multipart upload is journaled too, so a rerun re-reads its parts, checks the ones the target
already holds and uploads only the rest. At most one part is held in memory. Works on any
boto3-style S3 client.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fedstack.exit._plan import ExitError

__all__ = [
    "DEFAULT_PART_SIZE",
    "MIN_PART_SIZE",
    "CopyJournal",
    "CopyReport",
    "copy_bucket",
    "verify_copy",
]

MIN_PART_SIZE = 5 * 1024 * 1024
"""S3's smallest part but the last: a smaller part size is refused."""

DEFAULT_PART_SIZE = 16 * 1024 * 1024
"""Objects up to this size are copied in one request; larger ones as multipart uploads."""

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
    """The record of one copy (a JSON-lines file), read on resume: the verified keys and the
    multipart uploads started and not yet finished."""

    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self.done: dict[str, str] = {}
        self.stored: dict[str, str] = {}
        self.uploads: dict[str, tuple[str, str]] = {}
        lines = self.file.read_text().splitlines() if self.file.is_file() else []
        for number, line in enumerate(lines, 1):
            try:
                self._read(json.loads(line))
            except (ValueError, KeyError, TypeError, AttributeError):
                # Only the last line may be cut (an interruption): that key is copied again.
                if number != len(lines):
                    raise ExitError(f"{self.file}:{number}: not a copy journal line") from None
                # Drop it, or the next record would be appended to its half.
                self.file.write_text("".join(f"{kept}\n" for kept in lines[:-1]))

    def _read(self, entry: dict[str, Any]) -> None:
        key, etag = str(entry["key"]), str(entry["etag"])
        if "upload" in entry:
            self.uploads[key] = (etag, str(entry["upload"]))
            return
        self.done[key] = etag
        self.stored[key] = str(entry.get("target_etag", etag))
        self.uploads.pop(key, None)

    def has(self, key: str, etag: str) -> bool:
        """True when `key` was copied and verified with this source ETag."""
        return self.done.get(key) == etag

    def upload_of(self, key: str, etag: str) -> str | None:
        """The multipart upload started for `key` at this source ETag, if one is unfinished."""
        started = self.uploads.get(key)
        return started[1] if started is not None and started[0] == etag else None

    def started(self, key: str, etag: str, upload: str) -> None:
        """Record a multipart upload begun for `key` (so a rerun carries on with it)."""
        self._append({"key": key, "etag": etag, "upload": upload})

    def record(self, key: str, etag: str, size: int, sha256: str, target_etag: str) -> None:
        """Append one verified key (flushed at once: an interruption loses at most this line)."""
        self._append(
            {"key": key, "etag": etag, "size": size, "sha256": sha256, "target_etag": target_etag}
        )

    def _append(self, entry: dict[str, Any]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        with self.file.open("a") as out:
            out.write(json.dumps(entry) + "\n")
        self._read(entry)


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
    part_size: int = DEFAULT_PART_SIZE,
    on_object: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every object of `source_bucket` to `target_bucket`, skipping journaled keys.

    Objects larger than `part_size` bytes go up in parts of that size. Raises ExitError
    naming the key when a checksum does not match (the key is not journaled, so a rerun tries
    it again).
    """
    if part_size < MIN_PART_SIZE:
        raise ExitError(f"part size {part_size} is below S3's minimum of {MIN_PART_SIZE} bytes")
    started = time.monotonic()
    report = CopyReport(source_bucket, target_bucket)
    ends = _Ends(source, source_bucket, target, target_bucket)
    for item in _listing(source, source_bucket):
        key, etag, size = str(item["Key"]), _etag(str(item["ETag"])), int(item["Size"])
        if journal.has(key, etag):
            report.skipped += 1
            continue
        if size > part_size:
            _copy_in_parts(ends, key, etag, size, part_size, journal)
        else:
            _copy_object(ends, key, etag, journal)
        report.copied += 1
        report.copied_bytes += size
        if on_object is not None:
            on_object(key, size)
    report.verified, report.problems = verify_copy(
        source, source_bucket, target, target_bucket, journal
    )
    report.seconds = time.monotonic() - started
    return report


@dataclass(frozen=True)
class _Ends:
    source: Any
    source_bucket: str
    target: Any
    target_bucket: str

    def described(self, key: str) -> dict[str, Any]:
        """What the target's write takes besides the body: metadata, content headers, tags."""
        head = self.source.head_object(Bucket=self.source_bucket, Key=key)
        return self.extra(key, head)

    def extra(self, key: str, got: dict[str, Any]) -> dict[str, Any]:
        """The same, from a `get_object` or `head_object` answer."""
        tags = self.source.get_object_tagging(Bucket=self.source_bucket, Key=key)
        extra: dict[str, Any] = {name: got[name] for name in _HEADERS if got.get(name)}
        extra["Metadata"] = got.get("Metadata", {})
        if tags.get("TagSet"):
            extra["Tagging"] = urlencode({t["Key"]: t["Value"] for t in tags["TagSet"]})
        return extra


def _copy_object(ends: _Ends, key: str, etag: str, journal: CopyJournal) -> None:
    got = ends.source.get_object(Bucket=ends.source_bucket, Key=key)
    body = got["Body"].read()
    md5 = hashlib.md5(body, usedforsecurity=False).hexdigest()
    where = f"{ends.source_bucket}/{key}"
    if "-" not in etag and md5 != etag:
        raise ExitError(f"{where}: read {md5}, the source says {etag}: not copied")
    put = ends.target.put_object(
        Bucket=ends.target_bucket, Key=key, Body=body, **ends.extra(key, got)
    )
    stored = _etag(str(put["ETag"]))
    if stored != md5:
        raise ExitError(f"{ends.target_bucket}/{key}: stored {stored}, sent {md5}: not verified")
    journal.record(key, etag, len(body), hashlib.sha256(body).hexdigest(), stored)


def _copy_in_parts(
    ends: _Ends, key: str, etag: str, size: int, part_size: int, journal: CopyJournal
) -> None:
    target, bucket = ends.target, ends.target_bucket
    upload = journal.upload_of(key, etag)
    held = _parts_held(target, bucket, key, upload) if upload else None
    if upload is None or held is None:
        begun = target.create_multipart_upload(Bucket=bucket, Key=key, **ends.described(key))
        upload, held = str(begun["UploadId"]), {}
        journal.started(key, etag, upload)
    whole, sha, digests, parts = hashlib.md5(usedforsecurity=False), hashlib.sha256(), [], []
    for number, start in enumerate(range(0, size, part_size), 1):
        span = f"bytes={start}-{min(start + part_size, size) - 1}"
        # IfMatch: a source object changed mid-copy fails the read instead of mixing versions.
        got = ends.source.get_object(Bucket=ends.source_bucket, Key=key, Range=span, IfMatch=etag)
        body = got["Body"].read()
        digest = hashlib.md5(body, usedforsecurity=False)
        whole.update(body)
        sha.update(body)
        if held.get(number) != digest.hexdigest():
            sent = target.upload_part(
                Bucket=bucket,
                Key=key,
                UploadId=upload,
                PartNumber=number,
                Body=body,
                ContentMD5=base64.b64encode(digest.digest()).decode(),
            )
            if _etag(str(sent["ETag"])) != digest.hexdigest():
                raise ExitError(
                    f"{bucket}/{key}: part {number} stored {sent['ETag']}: not verified"
                )
        digests.append(digest.digest())
        parts.append({"PartNumber": number, "ETag": f'"{digest.hexdigest()}"'})
    if "-" not in etag and whole.hexdigest() != etag:
        target.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
        raise ExitError(
            f"{ends.source_bucket}/{key}: read {whole.hexdigest()}, the source says {etag}: "
            "not copied"
        )
    done = target.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts}
    )
    expected = f"{hashlib.md5(b''.join(digests), usedforsecurity=False).hexdigest()}-{len(parts)}"
    if _etag(str(done["ETag"])) != expected:
        raise ExitError(f"{bucket}/{key}: stored {done['ETag']}, sent {expected}: not verified")
    journal.record(key, etag, size, sha.hexdigest(), expected)


def _parts_held(target: Any, bucket: str, key: str, upload: str) -> dict[int, str] | None:
    """Part number -> ETag of the parts an unfinished upload holds; None when it is gone."""
    try:
        pages = target.get_paginator("list_parts").paginate(Bucket=bucket, Key=key, UploadId=upload)
        return {
            int(p["PartNumber"]): _etag(str(p["ETag"]))
            for page in pages
            for p in page.get("Parts", [])
        }
    except target.exceptions.NoSuchUpload:
        return None


def verify_copy(
    source: Any,
    source_bucket: str,
    target: Any,
    target_bucket: str,
    journal: CopyJournal | None = None,
) -> tuple[int, list[str]]:
    """(objects that match, problems): every source key at the target, same size and checksum
    (the source's ETag, or for an object copied in parts the ETag the journal recorded for it),
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
        expected = _expected_etag(key, _etag(str(item["ETag"])), journal)
        if expected is not None and _etag(str(other["ETag"])) != expected:
            problems.append(f"{key}: checksum differs at {target_bucket}")
            continue
        if _described(source, source_bucket, key) != _described(target, target_bucket, key):
            problems.append(f"{key}: metadata or tags differ at {target_bucket}")
            continue
        matched += 1
    return matched, problems


def _expected_etag(key: str, etag: str, journal: CopyJournal | None) -> str | None:
    """The target's ETag a verified copy has; None when nothing says (a multipart source
    without a journal: its ETag depends on the part size the source was written with)."""
    if journal is not None and journal.has(key, etag):
        return journal.stored[key]
    return None if "-" in etag else etag


def _described(s3: Any, bucket: str, key: str) -> tuple[Any, ...]:
    head = s3.head_object(Bucket=bucket, Key=key)
    tags = s3.get_object_tagging(Bucket=bucket, Key=key).get("TagSet", [])
    return (
        head.get("Metadata", {}),
        tuple(head.get(name) for name in _HEADERS),
        sorted((t["Key"], t["Value"]) for t in tags),
    )
