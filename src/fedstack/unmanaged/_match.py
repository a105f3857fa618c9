"""Match what the providers list against the bridge's inventory, by identifier.

The inventory (`GET /v1/inventory`) holds every resource every stack manages; a listed resource
is managed when an inventory resource of the same kind at the same provider (or at a stack with
no recorded provider) carries its identifier: bucket name, instance id, VPC id, record name+type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fedstack.client import BridgeClient

__all__ = ["IDENTIFIERS", "Managed", "managed_resources"]

IDENTIFIERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "aws_s3_bucket": ("object_storage", ("bucket",)),
    "scaleway_object_bucket": ("object_storage", ("name",)),
    "opentelekomcloud_obs_bucket": ("object_storage", ("bucket",)),
    "ionoscloud_s3_bucket": ("object_storage", ("name",)),
    "stackit_objectstorage_bucket": ("object_storage", ("name",)),
    "upcloud_managed_object_storage_bucket": ("object_storage", ("name",)),
    "aws_instance": ("compute", ("id",)),
    "aws_vpc": ("network", ("id",)),
    "aws_route53_record": ("dns_record", ("fqdn", "type")),
}
"""Inventory resource type -> (kind, the attributes that identify it at the provider)."""


@dataclass(frozen=True)
class Managed:
    """Identifiers the inventory holds, per (provider or None, kind)."""

    keys: frozenset[tuple[str | None, str, str]]

    def manages(self, provider: str, kind: str, identifier: str) -> bool:
        """True when a stack at `provider` (or at no recorded provider) manages the resource."""
        return (provider, kind, identifier) in self.keys or (None, kind, identifier) in self.keys


def managed_resources(client: BridgeClient, types: Iterable[str]) -> Managed:
    """Every identifier of the given inventory types, read page by page from the bridge."""
    keys: set[tuple[str | None, str, str]] = set()
    for resource_type in types:
        kind, attributes = IDENTIFIERS[resource_type]
        for item in client.inventory_all(type=resource_type):
            identifier = _identifier(item.get("attributes") or {}, attributes)
            if identifier:
                keys.add((item.get("provider"), kind, identifier))
    return Managed(frozenset(keys))


def _identifier(attributes: dict[str, Any], names: tuple[str, ...]) -> str | None:
    values = [attributes.get(name) for name in names]
    if not all(isinstance(v, str) and v for v in values):
        return None
    if names == ("fqdn", "type"):
        return f"{str(values[0]).rstrip('.').lower()} {values[1]}"
    return " ".join(str(v) for v in values)
