"""Enumerate what exists at one provider through its own API (boto3 against S3-compatible, EC2
and Route 53 endpoints), region by region, with the user's credentials.

Credentials are passed to boto3 directly and never appear in a message or a log line; a failing
API becomes a ProviderFailure with one line naming the provider, the service and the endpoint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fedstack.catalog import Provider
from fedstack.errors import FedstackError

__all__ = ["Endpoint", "ProviderFailure", "Seen", "enumerate_provider"]

_GLOBAL = "global"


class ProviderFailure(FedstackError):
    """A provider's API failed (unreachable, refused the keys, answered an error)."""


@dataclass(frozen=True)
class Seen:
    """One resource the provider's API listed, with what an import block needs."""

    kind: str
    region: str
    resource_type: str
    identifier: str
    import_id: str
    arguments: dict[str, Any] = field(default_factory=dict)
    """Required arguments of the resource skeleton, read from the provider."""


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach one provider: S3 endpoint per region, one for EC2/Route 53."""

    access_key: str
    secret_key: str
    s3: dict[str, str]
    """Catalog region -> S3 endpoint URL."""
    api: str | None = None
    """The EC2 and Route 53 endpoint (sandbox providers: the moto server)."""


def enumerate_provider(
    provider: Provider,
    regions: Sequence[str],
    kinds: Sequence[str],
    endpoint: Endpoint,
    bucket_type: str,
) -> tuple[list[Seen], list[tuple[str, str]]]:
    """Every resource of `kinds` in `regions`; also the (region, kind) scopes listed completely."""
    seen: list[Seen] = []
    scopes: list[tuple[str, str]] = []
    if "object_storage" in kinds:
        storage = [r for r in regions if provider.offers("object_storage", r) and r in endpoint.s3]
        seen += _buckets(provider, storage, endpoint, bucket_type)
        scopes += [(r, "object_storage") for r in storage]
    for kind in ("compute", "network"):
        if kind in kinds and endpoint.api:
            for region in regions:
                if provider.offers(kind, region):
                    seen += _ec2(kind, region, provider.region_api_name(region), endpoint)
                    scopes.append((region, kind))
    if "dns_record" in kinds and endpoint.api and regions:
        seen += _records(provider.region_api_name(regions[0]), endpoint)
        scopes.append((_GLOBAL, "dns_record"))
    return seen, scopes


def _client(service: str, url: str, api_region: str, endpoint: Endpoint) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=url,
        region_name=api_region,
        aws_access_key_id=endpoint.access_key,
        aws_secret_access_key=endpoint.secret_key,
        config=Config(
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 2, "mode": "standard"},
            s3={"addressing_style": "path"},
        ),
    )


def _call(service: str, url: str, call: Any, **kwargs: Any) -> Any:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return call(**kwargs)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise ProviderFailure(
            f"{service} at {url} answered {error.get('Code', 'an error')}: "
            f"{error.get('Message', '')}".rstrip(": ")
        ) from None
    except BotoCoreError as exc:
        raise ProviderFailure(f"{service} at {url}: {_one_line(str(exc))}") from None


def _listed(
    service: str, url: str, client: Any, operation: str, key: str, **kwargs: Any
) -> list[Any]:
    """Every item of a paginated listing (bounded by the provider's own page tokens)."""

    def every_page() -> list[Any]:
        items: list[Any] = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            items += page.get(key, [])
        return items

    return list(_call(service, url, every_page))


def _buckets(
    provider: Provider, regions: Sequence[str], endpoint: Endpoint, bucket_type: str
) -> list[Seen]:
    by_url: dict[str, list[str]] = {}
    for region in regions:
        by_url.setdefault(endpoint.s3[region], []).append(region)
    found: dict[str, Seen] = {}
    for url, shared in by_url.items():
        api_names = {provider.region_api_name(r): r for r in shared}
        s3 = _client("s3", url, provider.region_api_name(shared[0]), endpoint)
        listed = _call("S3 ListBuckets", url, s3.list_buckets).get("Buckets", [])
        for bucket in listed:
            name = bucket["Name"]
            region = shared[0]
            if len(shared) > 1:  # one endpoint for several regions: ask where the bucket lives
                location = _call("S3 GetBucketLocation", url, s3.get_bucket_location, Bucket=name)
                api_region = location.get("LocationConstraint") or "us-east-1"
                if api_region not in api_names:
                    continue  # a region outside the selection
                region = api_names[api_region]
            found.setdefault(name, _bucket(name, region, bucket_type))
    return list(found.values())


def _bucket(name: str, region: str, bucket_type: str) -> Seen:
    if bucket_type == "scaleway_object_bucket":  # imported as <region>/<name>
        arguments = {"name": name, "region": region}
        return Seen("object_storage", region, bucket_type, name, f"{region}/{name}", arguments)
    return Seen("object_storage", region, bucket_type, name, name, {"bucket": name})


def _ec2(kind: str, region: str, api_region: str, endpoint: Endpoint) -> list[Seen]:
    assert endpoint.api is not None
    ec2 = _client("ec2", endpoint.api, api_region, endpoint)
    if kind == "network":
        vpcs = _listed("EC2 DescribeVpcs", endpoint.api, ec2, "describe_vpcs", "Vpcs")
        return [
            Seen(
                "network", region, "aws_vpc", v["VpcId"], v["VpcId"], {"cidr_block": v["CidrBlock"]}
            )
            for v in vpcs
            if not v.get("IsDefault")  # made by the provider with the account, not by anyone
        ]
    seen = []
    live = ["pending", "running", "stopping", "stopped"]
    reservations = _listed(
        "EC2 DescribeInstances",
        endpoint.api,
        ec2,
        "describe_instances",
        "Reservations",
        Filters=[{"Name": "instance-state-name", "Values": live}],
    )
    for reservation in reservations:
        for instance in reservation.get("Instances", []):
            arguments = {"ami": instance["ImageId"], "instance_type": instance["InstanceType"]}
            if instance.get("SubnetId"):
                arguments["subnet_id"] = instance["SubnetId"]
            instance_id = instance["InstanceId"]
            seen.append(
                Seen("compute", region, "aws_instance", instance_id, instance_id, arguments)
            )
    return seen


def _records(api_region: str, endpoint: Endpoint) -> list[Seen]:
    assert endpoint.api is not None
    route53 = _client("route53", endpoint.api, api_region, endpoint)
    zones = _listed(
        "Route 53 ListHostedZones", endpoint.api, route53, "list_hosted_zones", "HostedZones"
    )
    seen = []
    for zone in zones:
        zone_id = zone["Id"].rsplit("/", 1)[-1]
        apex = zone["Name"].rstrip(".").lower()
        records = _listed(
            "Route 53 ListResourceRecordSets",
            endpoint.api,
            route53,
            "list_resource_record_sets",
            "ResourceRecordSets",
            HostedZoneId=zone_id,
        )
        for record in records:
            name = record["Name"].rstrip(".").lower()
            kind = record["Type"]
            if name == apex and kind in ("SOA", "NS"):
                continue  # the zone's own records, made with the zone
            arguments: dict[str, Any] = {"zone_id": zone_id, "name": name, "type": kind}
            if "ResourceRecords" in record:
                arguments["ttl"] = record.get("TTL", 300)
                arguments["records"] = [r["Value"] for r in record["ResourceRecords"]]
            seen.append(
                Seen(
                    "dns_record",
                    _GLOBAL,
                    "aws_route53_record",
                    f"{name} {kind}",
                    f"{zone_id}_{name}_{kind}",
                    arguments,
                )
            )
    return seen


def _one_line(text: str) -> str:
    return " ".join(text.split())
