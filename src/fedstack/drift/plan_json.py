"""Read `terraform show -json` of a refresh-only plan: drifted resources as per-attribute diffs.

Every value under a sensitive path (the plan's before_sensitive/after_sensitive and the state's
sensitive_values) is replaced by MASK; so is every value the one masking rule of
`fedstack.contracts` masks (secret-named keys, URLs with a password, copies of a sensitive
value elsewhere in the plan: the inventory masks the same). The format check is the
contracts' too. Pure data: no Terraform process, no web framework.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fedstack.drift.schema import MASK, AttributeChange, DriftKind, Scalar
from fedstack.contracts import SUPPORTED_MAJOR, PlanJson, SecretValues, check_format, must_mask

__all__ = [
    "SUPPORTED_MAJOR",
    "DriftedResource",
    "check_format",
    "flatten",
    "managed_addresses",
    "provider_regions",
    "read_drift",
]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class DriftedResource:
    """One resource_drift entry, read and masked; placement is attached later by the engine."""

    address: str
    type: str
    name: str
    module: str | None
    terraform_provider: str
    kind: DriftKind
    changes: list[AttributeChange] = field(default_factory=list)
    region_attribute: str | None = None


def flatten(value: Any, prefix: Path = ()) -> dict[Path, Scalar]:
    """Leaf values by path; empty maps, empty lists and null count as absent."""
    leaves: dict[Path, Scalar] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            leaves.update(flatten(item, (*prefix, str(key))))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            leaves.update(flatten(item, (*prefix, index)))
    elif value is not None:
        leaves[prefix] = value
    return leaves


def read_drift(plan: dict[str, Any]) -> list[DriftedResource]:
    """The managed resources changed or deleted out of band, with masked per-attribute diffs.

    An update whose only differences are null against an empty collection is not drift, and
    `tags_all.x` beside `tags.x` with the same change is shown once, as the tag.
    """
    doc = PlanJson.parse(plan)
    state_marks = _state_marks(doc)
    secrets = _sensitive_values(doc, state_marks)
    found = []
    for entry in doc.resource_drift():
        if entry.get("mode", "managed") != "managed":
            continue
        resource = _read_entry(entry, state_marks.get(entry.get("address", "")), secrets)
        if resource is not None:
            found.append(resource)
    return sorted(found, key=lambda r: r.address)


def managed_addresses(plan: dict[str, Any]) -> list[str]:
    """Addresses of the managed resources in the refreshed state (what the check looked at)."""
    resources = PlanJson.parse(plan).prior_state_resources()
    return sorted(r["address"] for r in resources if r.get("mode") == "managed")


def provider_regions(plan: dict[str, Any]) -> list[str]:
    """Constant `region` values of the plan's provider configurations, in plan order."""
    regions = []
    for config in PlanJson.parse(plan).provider_configs().values():
        region = ((config.get("expressions") or {}).get("region") or {}).get("constant_value")
        if isinstance(region, str) and region:
            regions.append(region)
    return regions


# -- one entry ---------------------------------------------------------------------------------


def _read_entry(
    entry: dict[str, Any], state_marks: Any, secrets: SecretValues
) -> DriftedResource | None:
    change = entry.get("change") or {}
    actions = change.get("actions") or []
    before, after = change.get("before"), change.get("after")
    kind: DriftKind = "delete" if "delete" in actions and after is None else "update"
    marks = [change.get("before_sensitive"), change.get("after_sensitive"), state_marks]
    changes = [] if kind == "delete" else _diff(before, after, marks, secrets)
    if kind == "update" and not changes:
        return None
    region = _region_attribute(after if after is not None else before, marks)
    return DriftedResource(
        address=str(entry.get("address", "")),
        type=str(entry.get("type", "")),
        name=str(entry.get("name", "")),
        module=entry.get("module_address"),
        terraform_provider=str(entry.get("provider_name", "")),
        kind=kind,
        changes=changes,
        region_attribute=region,
    )


def _diff(
    before: Any, after: Any, marks: list[Any], secrets: SecretValues
) -> list[AttributeChange]:
    old, new = flatten(before), flatten(after)
    changes = []
    for path in sorted(old.keys() | new.keys(), key=_sort_key):
        was, now = old.get(path), new.get(path)
        if was == now and type(was) is type(now):
            continue
        if _mirrors_tags(path, old, new):
            continue
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        sensitive = (
            any(_marked(m, path) for m in marks)
            or must_mask(key, was, secrets)
            or must_mask(key, now, secrets)
        )
        changes.append(
            AttributeChange(
                path=".".join(str(part) for part in path),
                before=MASK if sensitive and was is not None else was,
                after=MASK if sensitive and now is not None else now,
                sensitive=sensitive,
            )
        )
    return changes


def _mirrors_tags(path: Path, old: dict[Path, Scalar], new: dict[Path, Scalar]) -> bool:
    """`tags_all.x` with the very change of `tags.x`: the aws provider's copy, one change shown once.

    A `tags_all` key with no matching `tags` change (a provider `default_tags` value changed out
    of band) is real drift and stays.
    """
    if len(path) < 2 or path[0] != "tags_all":
        return False
    tag = ("tags", *path[1:])
    return old.get(tag) == old.get(path) and new.get(tag) == new.get(path)


def _region_attribute(values: Any, marks: list[Any]) -> str | None:
    if not isinstance(values, dict):
        return None
    region = values.get("region")
    if not isinstance(region, str) or any(_marked(m, ("region",)) for m in marks):
        return None
    return region or None


def _sort_key(path: Path) -> tuple[tuple[int, str], ...]:
    # Numbers sort numerically ("ingress.2" before "ingress.10"), names alphabetically.
    return tuple((0, f"{p:09d}") if isinstance(p, int) else (1, p) for p in path)


# -- sensitivity -------------------------------------------------------------------------------


def _marked(marks: Any, path: Path) -> bool:
    """True when `marks` (a before_sensitive-shaped tree) marks `path` or one of its parents."""
    node = marks
    for part in path:
        if node is True:
            return True
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return node is True


def _sensitive_leaves(values: Any, marks: Any) -> Iterator[Scalar]:
    for path, leaf in flatten(values).items():
        if _marked(marks, path):
            yield leaf


def _sensitive_values(plan: PlanJson, state_marks: dict[str, Any]) -> SecretValues:
    """Every value the plan marks sensitive anywhere, to mask copies of it in unmarked places."""
    found: list[Scalar] = []
    for entry in plan.resource_drift():
        change = entry.get("change") or {}
        extra = state_marks.get(entry.get("address", ""))
        for side in ("before", "after"):
            found += _sensitive_leaves(change.get(side), change.get(f"{side}_sensitive"))
            found += _sensitive_leaves(change.get(side), extra)
    for resource in plan.prior_state_resources() + plan.planned_resources():
        found += _sensitive_leaves(resource.get("values"), resource.get("sensitive_values"))
    declared = plan.declared_variables()
    for name, variable in plan.variables().items():
        if (declared.get(name) or {}).get("sensitive"):
            found += _sensitive_leaves(variable.get("value"), True)
    for output in plan.outputs():
        if output.get("sensitive"):
            found += _sensitive_leaves(output.get("value"), True)
    # Only strings: masking every `true` or `0` because one was sensitive would hide all.
    return SecretValues(leaf for leaf in found if isinstance(leaf, str))


def _state_marks(plan: PlanJson) -> dict[str, Any]:
    return {
        r["address"]: r.get("sensitive_values")
        for r in plan.prior_state_resources()
        if "address" in r
    }
