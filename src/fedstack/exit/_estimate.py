"""The data-to-copy estimate of an exit plan: objects and bytes of each moving object store.

A bucket is found at its provider by the `fedstack:component` tag the object-storage modules
set; only providers with a known S3 endpoint (the sandbox's) can be measured from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fedstack.catalog import Catalog
from fedstack.exit._plan import DataEstimate, ExitPlan

__all__ = ["bucket_of", "estimate_data", "measure_bucket"]

_CAPABILITY = "object_storage"


def bucket_of(s3: Any, component: str) -> str | None:
    """The bucket tagged `fedstack:component=component`, or None."""
    for bucket in s3.list_buckets().get("Buckets", []):
        try:
            tags = s3.get_bucket_tagging(Bucket=bucket["Name"])["TagSet"]
        except s3.exceptions.ClientError:
            continue  # an untagged bucket
        if {"Key": "fedstack:component", "Value": component} in tags:
            return str(bucket["Name"])
    return None


def measure_bucket(s3: Any, bucket: str) -> tuple[int, int]:
    """(objects, bytes) of `bucket`, current versions only."""
    objects = size = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            objects += 1
            size += int(item["Size"])
    return objects, size


def estimate_data(plan: ExitPlan, catalog: Catalog, endpoints: Mapping[str, str]) -> None:
    """Fill `plan.data` for every moving object store (a note when it cannot be measured)."""
    from fedstack.demo import sandbox_client

    for move in plan.moves:
        if move.capability != _CAPABILITY:
            continue
        provider = move.source.split("/", 1)[0]
        endpoint = endpoints.get(provider)
        if endpoint is None:
            plan.data.append(
                DataEstimate(
                    move.workload,
                    move.component,
                    None,
                    None,
                    None,
                    f"not measured: no S3 endpoint known for {provider}",
                )
            )
            continue
        s3 = sandbox_client("s3", catalog, provider, endpoint)
        try:
            bucket = bucket_of(s3, move.component)
        except Exception as exc:  # noqa: BLE001 - an unreachable endpoint is a note, not a failure
            note = f"not measured: {provider} unreachable ({type(exc).__name__})"
            plan.data.append(DataEstimate(move.workload, move.component, None, None, None, note))
            continue
        if bucket is None:
            plan.data.append(
                DataEstimate(
                    move.workload, move.component, None, 0, 0, "not deployed: nothing to copy"
                )
            )
            continue
        objects, size = measure_bucket(s3, bucket)
        plan.data.append(DataEstimate(move.workload, move.component, bucket, objects, size))
