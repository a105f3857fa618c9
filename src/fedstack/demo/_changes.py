"""Change deployed resources behind Terraform's back, as someone in a provider's console would.

Uses boto3 against the sandbox endpoints (the S3 and EC2 APIs moto speaks): retags the assets
bucket and the server instance. Only the sandbox's dummy credentials are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fedstack.catalog import Catalog
from fedstack.errors import FedstackError
from fedstack.sandbox import SANDBOX_CREDENTIALS

__all__ = ["OutOfBandChange", "change_out_of_band", "sandbox_client"]


@dataclass(frozen=True)
class OutOfBandChange:
    """One change made outside Terraform: where, to what, and how."""

    provider: str
    resource: str
    change: str


def sandbox_client(service: str, catalog: Catalog, provider: str, endpoint: str) -> Any:
    """A boto3 client for `service` at a sandbox provider's moto server, in its first region."""
    import boto3  # moto's dependency; loaded only when the demo changes something

    region_name, region = next(iter(catalog.provider(provider).regions.items()))
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region.api_region or region_name,
        aws_access_key_id=SANDBOX_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=SANDBOX_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _bucket_of(s3: Any, component: str) -> str:
    for bucket in s3.list_buckets()["Buckets"]:
        tags = s3.get_bucket_tagging(Bucket=bucket["Name"])["TagSet"]
        if {"Key": "fedstack:component", "Value": component} in tags:
            return str(bucket["Name"])
    raise FedstackError(f"no bucket of component {component} to change")


def change_out_of_band(
    catalog: Catalog, endpoints: dict[str, str], *, bucket: tuple[str, str], server: tuple[str, str]
) -> list[OutOfBandChange]:
    """Retag the bucket and the instance of two components, each given as (provider, component)."""
    bucket_provider, bucket_component = bucket
    s3 = sandbox_client("s3", catalog, bucket_provider, endpoints[bucket_provider])
    bucket_name = _bucket_of(s3, bucket_component)
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket_name)["TagSet"]}
    tags["team"] = "marketing"
    tags["cost-center"] = "cc-4711"
    s3.put_bucket_tagging(
        Bucket=bucket_name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
    )
    changes = [
        OutOfBandChange(
            bucket_provider,
            f"bucket {bucket_name}",
            "tag team=marketing, new tag cost-center=cc-4711",
        )
    ]
    server_provider, server_component = server
    ec2 = sandbox_client("ec2", catalog, server_provider, endpoints[server_provider])
    found = ec2.describe_instances(
        Filters=[
            {"Name": "tag:fedstack:component", "Values": [server_component]},
            {"Name": "instance-state-name", "Values": ["running"]},
        ]
    )
    instances = [i for r in found["Reservations"] for i in r["Instances"]]
    if not instances:
        raise FedstackError(
            f"no running instance of {server_component} at {server_provider} to change"
        )
    instance_id = instances[0]["InstanceId"]
    ec2.create_tags(Resources=[instance_id], Tags=[{"Key": "patched-by", "Value": "night-shift"}])
    changes.append(
        OutOfBandChange(
            server_provider, f"instance {instance_id}", "new tag patched-by=night-shift"
        )
    )
    return changes
