"""What to register in Fulcrum core: one service type per capability, the agent type, the tags.

Service types follow Fulcrum's ServiceType documentation (docs/SERVICE_TYPE.md): the property
schema comes from the capability's common interface (with the descriptions of the provider's
module variables, when a provider is given), module outputs become agent-written properties
(sensitive ones vault-stored secrets), and the lifecycle has error transitions matched on the
kind that starts every agent error message (see JobFailure). Pure data: no HTTP here.
"""

from __future__ import annotations

from typing import Any

from fedstack.catalog import EEA, EU, INTERFACES, Catalog, read_module

__all__ = [
    "AGENT_TYPE_NAME",
    "AGENT_SET_INPUTS",
    "SERVICE_TYPE_PREFIX",
    "agent_type_definition",
    "capability_of",
    "lifecycle_schema",
    "placement_tags",
    "service_type_definition",
]

SERVICE_TYPE_PREFIX = "fedstack."
"""A service type's name is this prefix and the capability: `fedstack.object_storage`."""

AGENT_TYPE_NAME = "fedstack Terraform agent"

AGENT_SET_INPUTS = frozenset({"endpoint"})
"""Module variables the agent fills itself from its placement (never a user property)."""

_IMMUTABLE = frozenset({"name", "location", "zone"})
"""Inputs whose change would replace the resource: Fulcrum refuses to update them."""

_USER = [{"type": "actor", "config": {"actors": ["user"]}}]
_AGENT = [{"type": "actor", "config": {"actors": ["agent"]}}]


def capability_of(service_type_name: str) -> str | None:
    """The capability a fedstack service type name stands for, or None for another type."""
    if not service_type_name.startswith(SERVICE_TYPE_PREFIX):
        return None
    capability = service_type_name.removeprefix(SERVICE_TYPE_PREFIX)
    return capability if capability in INTERFACES else None


def service_type_definition(
    capability: str, catalog: Catalog, provider: str | None = None
) -> dict[str, Any]:
    """A CreateServiceTypeReq body for `capability`."""
    interface = INTERFACES[capability]
    variables = {}
    if provider is not None:
        variables = read_module(catalog.module_path(provider, capability)).variables
    properties: dict[str, Any] = {}
    for item in interface.inputs:
        described = variables.get(item.name)
        prop: dict[str, Any] = {
            "type": _fulcrum_type(item.type),
            "label": (described.description if described else "") or item.description,
            "required": item.required and item.name != "location",
            "authorizers": _USER,
        }
        if item.name in _IMMUTABLE:
            prop["immutable"] = True
        if described is not None and not described.required and described.default is not None:
            prop["default"] = described.default
        properties[item.name] = prop
    inputs = {i.name for i in interface.inputs}
    for out in interface.outputs:
        if out.name in inputs:
            continue  # the input already holds the value (location, cidr)
        prop = {
            "type": _fulcrum_type(out.type),
            "label": out.description,
            "authorizers": _AGENT,
        }
        if out.sensitive:
            # Fulcrum stores the value in its vault and keeps only a vault:// reference.
            prop["secret"] = {"type": "persistent"}
        properties[out.name] = prop
    return {
        "name": SERVICE_TYPE_PREFIX + capability,
        "propertySchema": {"properties": properties},
        "lifecycleSchema": lifecycle_schema(),
    }


def lifecycle_schema() -> dict[str, Any]:
    """New -> Ready -> Deleted, with Refused (policy) and Error (anything else) on failures.

    A quota or lock failure leaves the service where it was: the consumer may retry later
    (nothing was changed). `reconcile`
    applies the service's properties again (it repairs drift).
    """

    def errors(source: str, *, refused: str) -> list[dict[str, Any]]:
        return [
            {"from": source, "to": refused, "onError": True, "onErrorRegexp": "^policy:"},
            {"from": source, "to": source, "onError": True, "onErrorRegexp": "^(quota|locked):"},
            {"from": source, "to": "Error", "onError": True},
        ]

    return {
        "states": [{"name": s} for s in ("New", "Ready", "Refused", "Error", "Deleted")],
        "initialState": "New",
        "terminalStates": ["Deleted"],
        "runningStates": ["Ready"],
        "actions": [
            {
                "name": "create",
                "transitions": [{"from": "New", "to": "Ready"}, *errors("New", refused="Refused")],
            },
            {
                "name": "update",
                "requestSchemaType": "properties",
                "transitions": [
                    {"from": "Ready", "to": "Ready"},
                    {"from": "Error", "to": "Ready"},
                    *errors("Ready", refused="Ready"),
                ],
            },
            {
                "name": "reconcile",
                "transitions": [
                    {"from": "Ready", "to": "Ready"},
                    {"from": "Error", "to": "Ready"},
                    *errors("Ready", refused="Ready"),
                ],
            },
            {
                "name": "delete",
                "transitions": [
                    {"from": state, "to": "Deleted"} for state in ("Ready", "Error", "Refused")
                ]
                + [{"from": "Ready", "to": "Error", "onError": True}],
            },
        ],
    }


def agent_type_definition(service_type_ids: list[str] | None = None) -> dict[str, Any]:
    """A CreateAgentTypeReq body: the agent's configuration is its placement and its bridge."""

    def text(label: str, *, required: bool = True) -> dict[str, Any]:
        return {"type": "string", "label": label, "required": required}

    return {
        "name": AGENT_TYPE_NAME,
        "serviceTypeIds": list(service_type_ids or []),
        "configurationSchema": {
            "properties": {
                "provider": text("fedstack catalog provider"),
                "region": text("region of that provider"),
                "bridge": text("fedstack bridge URL (Terraform state)"),
                "policy": text("sovereignty policy: preset name or file", required=False),
            }
        },
        "configTemplate": (
            "FEDSTACK_AGENT_PROVIDER={{.provider}}\n"
            "FEDSTACK_AGENT_REGION={{.region}}\n"
            "FEDSTACK_BRIDGE_URL={{.bridge}}\n"
        ),
        "configContentType": "text/plain",
    }


def placement_tags(catalog: Catalog, provider: str, region: str) -> list[str]:
    """Agent tags for the placement's sovereignty facts; unverified facts give no tag.

    Fulcrum places a service on an agent carrying every tag the service asks for, so a
    consumer writes `agentTags: ["location:eu", "cert:secnumcloud"]` for what the policy says.
    """
    entry = catalog.provider(provider)
    country = entry.regions[region].country
    tags = [
        f"fedstack:{provider}",
        f"region:{region}",
        f"country:{country.lower()}",
        f"headquarters:{entry.headquarters.lower()}",
    ]
    if country in EU:
        tags.append("location:eu")
    if country in EEA:
        tags.append("location:eea")
    if entry.headquarters in EU:
        tags.append("headquarters:eu")
    facts = entry.facts
    if _known(facts.non_eu_control) and facts.non_eu_control.value is False:  # type: ignore[union-attr]
        tags.append("control:eu-only")
    if _known(facts.gaia_x_label) and facts.gaia_x_label.value != "none":  # type: ignore[union-attr]
        tags.append(f"gaia-x:{facts.gaia_x_label.value}")  # type: ignore[union-attr]
    for name in ("secnumcloud", "bsi_c5"):
        fact = getattr(facts, name)
        if _known(fact) and fact.value is True:
            tags.append(f"cert:{name.replace('_', '-')}")
    if _known(facts.cispe_member) and facts.cispe_member.value is True:  # type: ignore[union-attr]
        tags.append("cispe:member")
    tags += [f"capability:{name}" for name in entry.capabilities if entry.offers(name, region)]
    return tags


def _known(fact: Any) -> bool:
    return fact is not None and not fact.unverified


def _fulcrum_type(terraform_type: str) -> str:
    return {"string": "string", "bool": "boolean", "number": "number"}.get(terraform_type, "json")
