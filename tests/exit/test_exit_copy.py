"""The object-store copy of an exit: between two sandbox providers (two real moto servers)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from fedstack.catalog import load_catalog
from fedstack.demo import sandbox_client
from fedstack.exit import (
    CopyJournal,
    ExitError,
    ExitPlan,
    Move,
    copy_bucket,
    estimate_data,
    measure_bucket,
)
from fedstack.sandbox import SandboxServer

OBJECTS = {f"assets/{n:03d}.txt": (b"x" * n) + b"end" for n in range(12)}


@pytest.fixture(scope="module")
def stores(sandbox: dict[str, SandboxServer]) -> tuple[Any, Any]:
    catalog = load_catalog()
    old = sandbox_client("s3", catalog, "sandbox-fr", sandbox["sandbox-fr"].endpoint)
    new = sandbox_client("s3", catalog, "sandbox-de", sandbox["sandbox-de"].endpoint)
    return old, new


def _bucket(s3: Any, bucket: str) -> None:
    where = {"LocationConstraint": s3.meta.region_name}
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)


def _fill(s3: Any, bucket: str) -> None:
    _bucket(s3, bucket)
    for key, body in OBJECTS.items():
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType="text/plain",
            Metadata={"owner": "web"},
            Tagging="class=public&size=" + str(len(body)),
        )


def test_copy_keeps_every_object_with_metadata_and_tags(stores, tmp_path: Path) -> None:
    old, new = stores
    _fill(old, "copy-all")
    _bucket(new, "copy-all")
    report = copy_bucket(old, "copy-all", new, "copy-all", CopyJournal(tmp_path / "j.jsonl"))
    assert report.problems == []
    assert (report.copied, report.skipped, report.verified) == (len(OBJECTS), 0, len(OBJECTS))
    assert report.copied_bytes == sum(len(b) for b in OBJECTS.values())
    assert measure_bucket(new, "copy-all") == (len(OBJECTS), report.copied_bytes)
    got = new.get_object(Bucket="copy-all", Key="assets/005.txt")
    assert got["Body"].read() == OBJECTS["assets/005.txt"]
    assert got["Metadata"] == {"owner": "web"} and got["ContentType"] == "text/plain"
    tags = new.get_object_tagging(Bucket="copy-all", Key="assets/005.txt")["TagSet"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("class", "public"), ("size", "8")]


def test_interrupted_copy_resumes_without_copying_again(stores, tmp_path: Path) -> None:
    old, new = stores
    _fill(old, "copy-resume")
    _bucket(new, "copy-resume")
    journal_file = tmp_path / "journal.jsonl"

    class Interrupted(Exception):
        pass

    def stop_after_five(key: str, size: int) -> None:
        if len(CopyJournal(journal_file).done) == 5:
            raise Interrupted

    with pytest.raises(Interrupted):
        copy_bucket(
            old,
            "copy-resume",
            new,
            "copy-resume",
            CopyJournal(journal_file),
            on_object=stop_after_five,
        )
    with journal_file.open("a") as out:
        out.write('{"key": "assets/cut')  # the line an interruption cut short
    copied: list[str] = []
    report = copy_bucket(
        old,
        "copy-resume",
        new,
        "copy-resume",
        CopyJournal(journal_file),
        on_object=lambda key, size: copied.append(key),
    )
    assert (report.skipped, report.copied) == (5, len(OBJECTS) - 5)
    assert not set(copied) & set(list(CopyJournal(journal_file).done)[:5])
    assert report.verified == len(OBJECTS) and report.problems == []
    again = copy_bucket(old, "copy-resume", new, "copy-resume", CopyJournal(journal_file))
    assert (again.copied, again.skipped) == (0, len(OBJECTS))


def test_verification_reports_an_object_changed_at_the_target(stores, tmp_path: Path) -> None:
    old, new = stores
    _fill(old, "copy-verify")
    _bucket(new, "copy-verify")
    journal = CopyJournal(tmp_path / "j.jsonl")
    copy_bucket(old, "copy-verify", new, "copy-verify", journal)
    new.put_object(Bucket="copy-verify", Key="assets/003.txt", Body=b"tampered")
    report = copy_bucket(old, "copy-verify", new, "copy-verify", journal)
    assert report.problems == ["assets/003.txt: 8 bytes at copy-verify, 6 here"]
    assert report.verified == len(OBJECTS) - 1


def test_source_checksum_mismatch_stops_before_writing(stores, tmp_path: Path) -> None:
    old, new = stores

    class Corrupting:
        """Wraps the real moto client; corrupts one body in transit (what a bad link does)."""

        def __getattr__(self, name: str) -> Any:
            return getattr(old, name)

        def get_object(self, **kwargs: Any) -> Any:
            got = old.get_object(**kwargs)
            got["Body"].read()

            class Body:
                def read(self) -> bytes:
                    return b"corrupt"

            return {**got, "Body": Body()}

    _fill(old, "copy-bad")
    _bucket(new, "copy-bad")
    with pytest.raises(ExitError, match="copy-bad/assets/000.txt: read .* the source says"):
        copy_bucket(Corrupting(), "copy-bad", new, "copy-bad", CopyJournal(tmp_path / "j"))
    assert measure_bucket(new, "copy-bad") == (0, 0)


def test_estimate_measures_the_tagged_bucket_of_a_moving_store(
    stores, sandbox: dict[str, SandboxServer]
) -> None:
    old, _ = stores
    _fill(old, "estimate-assets")
    old.put_bucket_tagging(
        Bucket="estimate-assets",
        Tagging={"TagSet": [{"Key": "fedstack:component", "Value": "estimated"}]},
    )
    plan = ExitPlan("shop", "eu-sovereign", "sandbox-fr", None)
    plan.moves.append(
        Move("shop", "estimated", "object_storage", "sandbox-fr/fr-par", "sandbox-de/de-fra", "")
    )
    plan.moves.append(
        Move("shop", "gone", "object_storage", "sandbox-fr/fr-par", "sandbox-de/de-fra", "")
    )
    endpoints = {name: server.endpoint for name, server in sandbox.items()}
    estimate_data(plan, load_catalog(), endpoints)
    size = sum(len(b) for b in OBJECTS.values())
    assert [(d.bucket, d.objects, d.bytes) for d in plan.data] == [
        ("estimate-assets", len(OBJECTS), size),
        (None, 0, 0),
    ]
    assert plan.data[1].note == "not deployed: nothing to copy"


PART = 5 * 1024 * 1024
BIG = bytes(range(256)) * (11 * 1024 * 4)  # 11 MiB: two full 5 MiB parts and a 1 MiB last part


def _put_big(s3: Any, bucket: str) -> None:
    _bucket(s3, bucket)
    s3.put_object(
        Bucket=bucket,
        Key="media/big.bin",
        Body=BIG,
        ContentType="application/octet-stream",
        Metadata={"owner": "web"},
        Tagging="class=media",
    )


def test_object_over_the_part_size_is_copied_in_verified_parts(stores, tmp_path: Path) -> None:
    old, new = stores
    _put_big(old, "copy-big")
    _bucket(new, "copy-big")
    journal = CopyJournal(tmp_path / "j.jsonl")
    report = copy_bucket(old, "copy-big", new, "copy-big", journal, part_size=PART)
    assert report.problems == [] and (report.copied, report.verified) == (1, 1)
    head = new.head_object(Bucket="copy-big", Key="media/big.bin")
    assert head["ETag"].strip('"').endswith("-3")  # S3 says: three parts
    assert head["ContentLength"] == len(BIG) and head["Metadata"] == {"owner": "web"}
    assert head["ContentType"] == "application/octet-stream"
    assert new.get_object(Bucket="copy-big", Key="media/big.bin")["Body"].read() == BIG
    tags = new.get_object_tagging(Bucket="copy-big", Key="media/big.bin")["TagSet"]
    assert tags == [{"Key": "class", "Value": "media"}]
    [line] = (tmp_path / "j.jsonl").read_text().splitlines()[1:]  # after the upload's line
    assert hashlib.sha256(BIG).hexdigest() in line


def test_multipart_copy_interrupted_mid_object_uploads_only_the_missing_parts(
    stores, tmp_path: Path
) -> None:
    old, new = stores
    _put_big(old, "copy-parts")
    _bucket(new, "copy-parts")
    journal_file = tmp_path / "j.jsonl"
    sent: list[int] = []
    cut: list[bool] = []

    class Interrupted(Exception):
        pass

    class CutAfterTwoParts:
        """The real moto client; the link drops after two parts were stored."""

        def __getattr__(self, name: str) -> Any:
            return getattr(new, name)

        def upload_part(self, **kwargs: Any) -> Any:
            if len(sent) == 2 and not cut:
                cut.append(True)
                raise Interrupted
            sent.append(kwargs["PartNumber"])
            return new.upload_part(**kwargs)

    with pytest.raises(Interrupted):
        copy_bucket(
            old,
            "copy-parts",
            CutAfterTwoParts(),
            "copy-parts",
            CopyJournal(journal_file),
            part_size=PART,
        )
    assert sent == [1, 2] and measure_bucket(new, "copy-parts") == (0, 0)
    report = copy_bucket(
        old,
        "copy-parts",
        CutAfterTwoParts(),
        "copy-parts",
        CopyJournal(journal_file),
        part_size=PART,
    )
    assert sent == [1, 2, 3]  # parts 1 and 2 were checked against the target, not sent again
    assert report.problems == [] and report.verified == 1
    assert new.get_object(Bucket="copy-parts", Key="media/big.bin")["Body"].read() == BIG


def test_a_part_size_below_the_s3_minimum_is_refused(stores, tmp_path: Path) -> None:
    old, new = stores
    with pytest.raises(ExitError, match="below S3's minimum of 5242880 bytes"):
        copy_bucket(old, "any", new, "any", CopyJournal(tmp_path / "j"), part_size=PART - 1)
