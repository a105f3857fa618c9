"""What the provider block configures: the catalog, the policy loader and the bridge client.

Each is built on first use, so a plan that reads no bridge data never loads httpx, and schema
calls load neither the catalog nor pydantic models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fedstack import config
from fedstack.provider._diagnostics import InputError

if TYPE_CHECKING:
    from fedstack.client import BridgeClient
    from fedstack.catalog import Catalog, Provider
    from fedstack.policy import Policy

__all__ = ["Context"]


@dataclass
class Context:
    """The provider's configuration (`provider "fedstack" {...}`), with lazily built clients."""

    bridge_url: str | None = None
    token: str | None = None
    catalog_path: str | None = None
    _catalog: Catalog | None = field(default=None, repr=False)
    _bridge: BridgeClient | None = field(default=None, repr=False)

    def catalog(self) -> Catalog:
        """The catalog the provider block names, else the shipped one."""
        if self._catalog is None:
            from fedstack.catalog import load_catalog

            self._catalog = load_catalog(self.catalog_path or None)
        return self._catalog

    def policy(self, name_or_path: str, path: str = "policy") -> Policy:
        """A preset or a policy YAML file; a wrong one is an error at `path`."""
        from fedstack.policy import PolicyError, load_policy

        try:
            return load_policy(name_or_path)
        except PolicyError as exc:
            raise InputError("unknown or invalid policy", str(exc), [path]) from None

    def provider(self, name: str, path: str = "provider_name") -> Provider:
        """A catalog provider; an unknown name is an error at `path` naming the known ones."""
        from fedstack.errors import CatalogError

        try:
            return self.catalog().provider(name)
        except CatalogError as exc:
            raise InputError("unknown provider", str(exc), [path]) from None

    def region(self, provider: str, region: str, path: str = "region") -> None:
        """Raise at `path` unless the catalog provider has `region`."""
        entry = self.provider(provider)
        if region not in entry.regions:
            raise InputError(
                "unknown region",
                f"provider {provider!r} has no region {region!r}; it has "
                + ", ".join(entry.regions),
                [path],
            )

    def bridge(self, needed_by: str) -> BridgeClient:
        """The bridge client; no bridge configured is an error naming who needs it."""
        if self._bridge is None:
            url = self.bridge_url or config.bridge_url()
            if not url:
                raise InputError(
                    f"{needed_by} needs the fedstack bridge, and none is configured",
                    'set bridge_url in provider "fedstack" {} or FEDSTACK_BRIDGE_URL',
                )
            from fedstack.client import BridgeClient

            self._bridge = BridgeClient(url, self.token, timeout=15.0)
        return self._bridge
