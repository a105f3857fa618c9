"""Helpers shared by the drift tests: a hand-built report, and checks against the shipped schemas."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import xmlschema
from fedstack.drift.schema import (
    AttributeChange,
    DriftReport,
    ExpiredRule,
    ResourceDrift,
    SourceLocation,
    StackResult,
    Summary,
)

DATA = Path(__file__).resolve().parent.parent / "data"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
JUNIT_XSD = DATA / "junit-10.xsd"


def validate_sarif(text: str) -> dict:
    """Parse SARIF text and validate it against the official SARIF 2.1.0 JSON schema."""
    document = json.loads(text)
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    return document


def validate_junit(path_or_text: str | Path) -> None:
    """Validate JUnit XML against the Jenkins xunit-plugin JUnit XSD."""
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(path_or_text))


def sample_report(*, extra_stacks: int = 0, hostile: str = "") -> DriftReport:
    """A report with a drifted, an in-sync, a failed and an ignored stack (plus optional filler)."""
    now = dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.UTC)
    drifted = StackResult(
        name="web-fr",
        path="stacks/web-fr",
        file="stacks/web-fr/main.tf",
        source="folder",
        provider="sandbox-fr",
        region="fr-par",
        country="FR",
        status="drift",
        duration_seconds=12.5,
        resources_checked=["aws_instance.vm", "module.bucket.aws_s3_bucket.this"],
        drift=[
            ResourceDrift(
                address="module.bucket.aws_s3_bucket.this",
                type="aws_s3_bucket",
                name="this",
                module="module.bucket",
                terraform_provider="registry.terraform.io/hashicorp/aws",
                kind="update",
                provider="sandbox-fr",
                region="fr-par",
                country="FR",
                changes=[
                    AttributeChange(path="tags.owner", before="alice", after=f"mallory{hostile}"),
                    AttributeChange(
                        path="tags.token", before="(sensitive)", after="(sensitive)", sensitive=True
                    ),
                ],
                location=SourceLocation(file="stacks/web-fr/main.tf", line=7),
            ),
            ResourceDrift(
                address="aws_route53_record.www",
                type="aws_route53_record",
                name="www",
                terraform_provider="registry.terraform.io/hashicorp/aws",
                kind="delete",
                provider="sandbox-fr",
                region="fr-par",
                country="FR",
            ),
        ],
    )
    ignored = StackResult(
        name="logs-de",
        path="stacks/logs-de",
        file="stacks/logs-de/main.tf",
        source="folder",
        provider="sandbox-de",
        region="de-fra",
        country="DE",
        status="in_sync",
        duration_seconds=9.0,
        resources_checked=["aws_instance.vm"],
        drift=[
            ResourceDrift(
                address="aws_instance.vm",
                type="aws_instance",
                name="vm",
                terraform_provider="registry.terraform.io/hashicorp/aws",
                kind="update",
                changes=[
                    AttributeChange(
                        path="tags.Name",
                        before="a",
                        after="b",
                        ignored=True,
                        ignore_reason="ops rename",
                    )
                ],
                ignored=True,
                ignore_reason="ops rename",
            )
        ],
    )
    failed = StackResult(
        name="broken",
        path="stacks/broken",
        file="stacks/broken/main.tf",
        source="folder",
        status="error",
        error="terraform init failed in stacks/broken: Argument or block definition required",
        duration_seconds=0.8,
    )
    filler = [
        StackResult(
            name=f"filler-{i:03d}",
            path=f"stacks/filler-{i:03d}",
            file=f"stacks/filler-{i:03d}/main.tf",
            source="folder",
            status="drift",
            duration_seconds=1.0,
            drift=[
                ResourceDrift(
                    address=f"aws_s3_bucket.b{j}",
                    type="aws_s3_bucket",
                    name=f"b{j}",
                    terraform_provider="registry.terraform.io/hashicorp/aws",
                    kind="update",
                    changes=[AttributeChange(path="tags.owner", before="x" * 50, after="y" * 50)],
                )
                for j in range(10)
            ],
        )
        for i in range(extra_stacks)
    ]
    stacks = [drifted, ignored, failed, *filler]
    return DriftReport(
        run_id="00000000-0000-4000-8000-000000000001",
        started_at=now,
        finished_at=now + dt.timedelta(seconds=14),
        fedstack_version="0.1.0",
        terraform_version="1.11.4",
        exit_code=1,
        summary=Summary(
            stacks=len(stacks),
            in_sync=1,
            drifted=1 + extra_stacks,
            errored=1,
            resources_drifted=2 + 10 * extra_stacks,
            resources_ignored=1,
        ),
        stacks=stacks,
        expired_rules=[
            ExpiredRule(
                address="aws_instance.old",
                attributes=[],
                reason="hotfix",
                expires=dt.date(2026, 1, 1),
            )
        ],
    )
