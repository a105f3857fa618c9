"""Read `terraform show -json` of a refresh-only plan: drifted resources as per-attribute diffs.

Every value under a sensitive path (the plan's before_sensitive/after_sensitive and the state's
sensitive_values) is replaced by MASK; so is any value equal to a known sensitive value found
elsewhere in the plan, because providers copy values into unmarked attributes (`tags_all`).
Pure data: no Terraform process, no web framework.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fedstack.bridge.drift.errors import PlanFormatError
from fedstack.bridge.drift.schema import MASK, AttributeChange, DriftKind, Scalar

__all__ = [
    "SUPPORTED_MAJOR",
    "DriftedResource",
    "check_format",
    "flatten",
    "managed_addresses",
    "provider_regions",
    "read_drift",
]

SUPPORTED_MAJOR = 1
"""The plan JSON major version fedstack reads (Terraform and OpenTofu 1.x emit 1.x)."""

# A sensitive string at least this long is also masked where it appears inside a longer value;
# shorter ones only where they are the whole value, or every "1" in a report would vanish.
_SUBSTRING_MIN = 8

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


def check_format(plan: Any) -> None:
    """Raise PlanFormatError unless `plan` is a plan JSON object of a 1.x format_version."""
    if not isinstance(plan, dict):
        raise PlanFormatError("the plan JSON is not an object; was it made by `show -json PLAN`?")
    version = plan.get("format_version")
    if not isinstance(version, str) or not version:
        raise PlanFormatError("the plan JSON has no format_version; was it made by `show -json`?")
    major = version.split(".", 1)[0]
    if major != str(SUPPORTED_MAJOR):
        raise PlanFormatError(
            f"plan JSON format_version {version} is not supported: fedstack reads "
            f"{SUPPORTED_MAJOR}.x (Terraform or OpenTofu 1.x); upgrade fedstack"
        )


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

    An update whose only differences are null against an empty collection is not drift.
    """
    check_format(plan)
    state_marks = _state_marks(plan)
    secrets = _sensitive_values(plan, state_marks)
    found = []
    for entry in plan.get("resource_drift") or []:
        if entry.get("mode", "managed") != "managed":
            continue
        resource = _read_entry(entry, state_marks.get(entry.get("address", "")), secrets)
        if resource is not None:
            found.append(resource)
    return sorted(found, key=lambda r: r.address)


def managed_addresses(plan: dict[str, Any]) -> list[str]:
    """Addresses of the managed resources in the refreshed state (what the check looked at)."""
    check_format(plan)
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    return sorted(r["address"] for r in _state_resources(root) if r.get("mode") == "managed")


def provider_regions(plan: dict[str, Any]) -> list[str]:
    """Constant `region` values of the plan's provider configurations, in plan order."""
    configs = ((plan.get("configuration") or {}).get("provider_config") or {}).values()
    regions = []
    for config in configs:
        region = ((config.get("expressions") or {}).get("region") or {}).get("constant_value")
        if isinstance(region, str) and region:
            regions.append(region)
    return regions


# -- one entry ---------------------------------------------------------------------------------


def _read_entry(
    entry: dict[str, Any], state_marks: Any, secrets: frozenset[str]
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
    before: Any, after: Any, marks: list[Any], secrets: frozenset[str]
) -> list[AttributeChange]:
    old, new = flatten(before), flatten(after)
    changes = []
    for path in sorted(old.keys() | new.keys(), key=_sort_key):
        was, now = old.get(path), new.get(path)
        if was == now and type(was) is type(now):
            continue
        sensitive = (
            any(_marked(m, path) for m in marks) or _leaks(was, secrets) or _leaks(now, secrets)
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


def _leaks(value: Scalar, secrets: frozenset[str]) -> bool:
    if not isinstance(value, str) or not secrets:
        return False
    if value in secrets:
        return True
    return any(len(s) >= _SUBSTRING_MIN and s in value for s in secrets)


def _sensitive_leaves(values: Any, marks: Any) -> Iterator[Scalar]:
    for path, leaf in flatten(values).items():
        if _marked(marks, path):
            yield leaf


def _sensitive_values(plan: dict[str, Any], state_marks: dict[str, Any]) -> frozenset[str]:
    """Every value the plan marks sensitive anywhere, to mask copies of it in unmarked places."""
    found: set[str] = set()

    def add(leaves: Iterator[Scalar]) -> None:
        # Only strings: masking every `true` or `0` because one was sensitive would hide all.
        found.update(leaf for leaf in leaves if isinstance(leaf, str) and leaf)

    for entry in plan.get("resource_drift") or []:
        change = entry.get("change") or {}
        extra = state_marks.get(entry.get("address", ""))
        for side in ("before", "after"):
            add(_sensitive_leaves(change.get(side), change.get(f"{side}_sensitive")))
            add(_sensitive_leaves(change.get(side), extra))
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    for resource in _state_resources(root):
        add(_sensitive_leaves(resource.get("values"), resource.get("sensitive_values")))
    for resource in _state_resources((plan.get("planned_values") or {}).get("root_module") or {}):
        add(_sensitive_leaves(resource.get("values"), resource.get("sensitive_values")))
    declared = ((plan.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    for name, variable in (plan.get("variables") or {}).items():
        if (declared.get(name) or {}).get("sensitive"):
            add(_sensitive_leaves(variable.get("value"), True))
    for source in (plan.get("prior_state") or {}, plan.get("planned_values") or {}):
        outputs = (source.get("values") or source).get("outputs") or {}
        for output in outputs.values():
            if isinstance(output, dict) and output.get("sensitive"):
                add(_sensitive_leaves(output.get("value"), True))
    return frozenset(found)


def _state_marks(plan: dict[str, Any]) -> dict[str, Any]:
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    return {
        r["address"]: r.get("sensitive_values") for r in _state_resources(root) if "address" in r
    }


def _state_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources") or []
    for child in module.get("child_modules") or []:
        yield from _state_resources(child)
