"""The exit plan of a plain Terraform estate: from the bridge's inventory, no app needed.

Which resources sit at the provider, which fedstack modules could take each elsewhere (the
placement engine's accepted candidates under the policy, with the provider excluded), and
what a move needs. Nothing is carried out: without an app there is nothing to synthesize.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fedstack.catalog import Catalog
from fedstack.client import BridgeClient
from fedstack.placement import ComponentRequest, PlacementError, Placer
from fedstack.policy import Policy

__all__ = ["EstatePlan", "EstateResource", "inventory_at", "plan_estate_exit"]

_NEEDS = {
    "object_storage": "a new bucket from the module, then the data copied (fedstack.exit.copy_bucket)",
    "compute": "a new instance from the module (rebuilt from its image), then its DNS re-pointed",
    "network": "a new network from the module, before the instances that use it",
    "dns_record": "the record re-created in a zone at the new provider, then the delegation changed",
}


@dataclass(frozen=True)
class EstateResource:
    """One resource at the provider, where it could go and what the move needs."""

    project: str
    stack: str
    address: str
    type: str
    region: str | None
    capability: str | None
    target: str | None
    modules: tuple[str, ...]
    needs: str


@dataclass
class EstatePlan:
    """Leaving `provider` (or its region) for every stack of the bridge's inventory."""

    provider: str
    region: str | None
    policy: str
    resources: list[EstateResource] = field(default_factory=list)

    @property
    def blocked(self) -> list[EstateResource]:
        """Resources with no module elsewhere under the policy (or no fedstack capability)."""
        return [r for r in self.resources if r.target is None]

    def summary(self) -> str:
        """One line: how many resources, how many can move."""
        leaving = f"{self.provider}/{self.region}" if self.region else self.provider
        return (
            f"{len(self.resources)} resource(s) at {leaving} in the inventory: "
            f"{len(self.resources) - len(self.blocked)} could move, {len(self.blocked)} cannot"
        )

    def to_json(self) -> dict[str, Any]:
        """The plain-JSON form of `fedstack exit --estate --json`."""
        return {
            "provider": self.provider,
            "region": self.region,
            "policy": self.policy,
            "summary": self.summary(),
            "resources": [{**vars(r), "modules": list(r.modules)} for r in self.resources],
        }


def inventory_at(client: BridgeClient, provider: str) -> list[dict[str, Any]]:
    """Every inventory resource the bridge places at `provider`."""
    return client.inventory_all(provider=provider)


def plan_estate_exit(
    items: Iterable[dict[str, Any]],
    catalog: Catalog,
    policy: Policy,
    provider: str,
    region: str | None = None,
) -> EstatePlan:
    """The estate's exit plan from inventory `items` (as `GET /v1/inventory` gives them)."""
    from fedstack.unmanaged import IDENTIFIERS

    leaving = f"{provider}/{region}" if region else provider
    plan = EstatePlan(provider, region, policy.name)
    here = [i for i in items if i.get("provider") == provider and region in (None, i.get("region"))]
    placed: dict[tuple[str, str, str], EstateResource] = {}
    later = []
    for item in here:
        capability = IDENTIFIERS.get(str(item["type"]), (None, ()))[0]
        if capability is None:
            later.append(item)
            continue
        resource = _place(item, capability, catalog, policy, leaving)
        plan.resources.append(resource)
        if item.get("module"):
            placed.setdefault((resource.project, resource.stack, str(item["module"])), resource)
    for item in later:
        base = (str(item["project"]), str(item["stack"]), str(item["address"]), str(item["type"]))
        owner = placed.get((base[0], base[1], str(item.get("module") or "")))
        if owner is not None:
            needs = f"part of {item['module']}: moves with {owner.address}"
            plan.resources.append(
                EstateResource(
                    *base, item.get("region"), owner.capability, owner.target, owner.modules, needs
                )
            )
            continue
        needs = f"no fedstack capability for {item['type']}: moved by hand"
        plan.resources.append(EstateResource(*base, item.get("region"), None, None, (), needs))
    return plan


def _place(
    item: dict[str, Any], capability: str, catalog: Catalog, policy: Policy, leaving: str
) -> EstateResource:
    base = (str(item["project"]), str(item["stack"]), str(item["address"]), str(item["type"]))
    placer = Placer(catalog, policy, workload=base[1], exclude=(leaving,))
    try:
        decision = placer.place(ComponentRequest(base[2], capability))
    except PlacementError as exc:
        return EstateResource(*base, item.get("region"), capability, None, (), str(exc))
    accepted = dict.fromkeys(c.provider for c in decision.candidates if c.accepted)
    modules = tuple(
        f"{p}: modules/{catalog.providers[p].capabilities[capability].module}" for p in accepted
    )
    target = f"{decision.provider}/{decision.region}"
    return EstateResource(
        *base, item.get("region"), capability, target, modules, _NEEDS[capability]
    )
