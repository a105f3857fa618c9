"""Turn a state document into inventory rows, with every sensitive value masked.

A value is masked when the state marks its path sensitive (`sensitive_attributes`), and
otherwise by the one masking rule of `fedstack.contracts` (the drift report's too): its key
names a secret, it is a URL with a password, or it repeats a value marked sensitive anywhere
in the state (Terraform copies inputs to outputs without the mark, `terraform_data.output`).
Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fedstack.contracts import MASK, SecretValues, must_mask
from fedstack.drift.plan_json import flatten

__all__ = ["MASK", "AttributeDiff", "ResourceRow", "diff_states", "resource_rows"]

_PROVIDER = re.compile(r'provider\["(?:[^"/]+/)?([^"]+)"\]')


@dataclass(frozen=True)
class ResourceRow:
    """One managed resource instance as the inventory stores it (attributes already masked)."""

    address: str
    type: str
    name: str
    module: str
    index_key: str | None
    terraform_provider: str
    attributes: dict[str, Any]

    @property
    def region(self) -> str | None:
        """The `region` attribute, when the resource has one."""
        value = self.attributes.get("region")
        return value if isinstance(value, str) and value != MASK else None

    def search_text(self) -> str:
        """Lower-case text the inventory's `q` filter matches against."""
        return f"{self.address} {json.dumps(self.attributes, sort_keys=True)}".lower()


def resource_rows(document: dict[str, Any]) -> list[ResourceRow]:
    """Every managed resource instance of a v4 state, attributes masked."""
    resources = [r for r in document.get("resources") or [] if isinstance(r, dict)]
    secrets = _sensitive_values(resources, document.get("outputs") or {})
    return [_row(resource, instance, secrets) for resource, instance in _instances(resources)]


@dataclass(frozen=True)
class AttributeDiff:
    """One difference between two state versions: a resource added or removed, or one leaf
    attribute changed (values masked; a masked value that changed shows as changed, masked)."""

    address: str
    change: str  # "added", "removed" or "changed"
    path: str = ""
    before: Any = None
    after: Any = None


def diff_states(before: dict[str, Any], after: dict[str, Any]) -> list[AttributeDiff]:
    """What changed from state `before` to `after`, by resource address and attribute path.

    Raw values are compared (so a changed secret is found), masked values are shown.
    """
    old, new = _by_address(before), _by_address(after)
    diffs: list[AttributeDiff] = []
    for address in sorted(old.keys() | new.keys()):
        if address not in new:
            diffs.append(AttributeDiff(address, "removed"))
        elif address not in old:
            diffs.append(AttributeDiff(address, "added"))
        else:
            (raw_a, shown_a), (raw_b, shown_b) = old[address], new[address]
            for path in sorted(raw_a.keys() | raw_b.keys(), key=str):
                if raw_a.get(path) != raw_b.get(path):
                    diffs.append(
                        AttributeDiff(
                            address,
                            "changed",
                            ".".join(str(p) for p in path),
                            _shown(shown_a, path),
                            _shown(shown_b, path),
                        )
                    )
    return diffs


_Leaves = dict[tuple[str | int, ...], Any]


def _by_address(document: dict[str, Any]) -> dict[str, tuple[_Leaves, _Leaves]]:
    resources = [r for r in document.get("resources") or [] if isinstance(r, dict)]
    masked = {row.address: row for row in resource_rows(document)}
    found = {}
    for resource, instance in _instances(resources):
        address = _address(resource, instance)
        raw = instance.get("attributes")
        found[address] = (
            flatten(raw if isinstance(raw, dict) else {}),
            flatten(masked[address].attributes),
        )
    return found


def _shown(masked: _Leaves, path: tuple[str | int, ...]) -> Any:
    # A masked container is one MASK leaf: a path below it shows the mask, never the raw value.
    for depth in range(len(path), 0, -1):
        if path[:depth] in masked:
            return masked[path[:depth]] if depth == len(path) else MASK
    return None


def _instances(
    resources: list[dict[str, Any]],
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for resource in resources:
        if resource.get("mode", "managed") != "managed":
            continue  # data sources read things; the inventory lists what the stack manages
        for instance in resource.get("instances") or []:
            if isinstance(instance, dict):
                yield resource, instance


def _address(resource: dict[str, Any], instance: dict[str, Any]) -> str:
    module = str(resource.get("module") or "")
    rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
    return f"{module + '.' if module else ''}{rtype}.{name}{_key_suffix(instance.get('index_key'))}"


def _row(resource: dict[str, Any], instance: dict[str, Any], secrets: SecretValues) -> ResourceRow:
    module = str(resource.get("module") or "")
    rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
    key = instance.get("index_key")
    address = _address(resource, instance)
    attributes = instance.get("attributes")
    attributes = attributes if isinstance(attributes, dict) else {}
    for path in instance.get("sensitive_attributes") or []:
        attributes = _mask_path(attributes, _steps(path))
    match = _PROVIDER.search(str(resource.get("provider", "")))
    return ResourceRow(
        address=address,
        type=rtype,
        name=name,
        module=module,
        index_key=None if key is None else str(key),
        terraform_provider=match.group(1) if match else "",
        attributes=_mask_values(attributes, secrets),
    )


def _key_suffix(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(str(key))}]"


def _steps(path: Any) -> list[Any]:
    """A sensitive_attributes path ([{"type": "get_attr", "value": "x"}, ...]) as plain keys."""
    steps: list[Any] = []
    for step in path if isinstance(path, list) else []:
        if not isinstance(step, dict):
            continue
        value = step.get("value")
        if step.get("type") == "index" and isinstance(value, dict):
            value = value.get("value")
        steps.append(value)
    return steps


def _is_dynamic(node: Any) -> bool:
    # Attributes of dynamic type (terraform_data.input) are stored as {"value": ..., "type": ...}.
    return isinstance(node, dict) and set(node) == {"value", "type"}


def _mask_path(node: Any, steps: list[Any]) -> Any:
    if not steps:
        return MASK
    head, rest = steps[0], steps[1:]
    if _is_dynamic(node) and not (isinstance(head, str) and head in ("value", "type")):
        return {**node, "value": _mask_path(node["value"], steps)}
    if isinstance(node, dict) and str(head) in node:
        return {**node, str(head): _mask_path(node[str(head)], rest)}
    if isinstance(node, list) and isinstance(head, int) and 0 <= head < len(node):
        copy = list(node)
        copy[head] = _mask_path(node[head], rest)
        return copy
    if isinstance(node, list) and isinstance(head, (int, float)) and 0 <= int(head) < len(node):
        return _mask_path(node, [int(head), *rest])
    return node


def _sensitive_values(resources: list[dict[str, Any]], outputs: dict[str, Any]) -> SecretValues:
    found: set[str] = set()
    for resource in resources:
        for instance in resource.get("instances") or []:
            if not isinstance(instance, dict) or not isinstance(instance.get("attributes"), dict):
                continue
            for path in instance.get("sensitive_attributes") or []:
                found.update(_leaves(_follow(instance["attributes"], _steps(path))))
    for output in outputs.values() if isinstance(outputs, dict) else []:
        if isinstance(output, dict) and output.get("sensitive"):
            found.update(_leaves(output.get("value")))
    return SecretValues(found)


def _follow(node: Any, steps: list[Any]) -> Any:
    for step in steps:
        if _is_dynamic(node) and step not in ("value", "type"):
            node = node["value"]
        if isinstance(node, dict):
            node = node.get(str(step))
        elif (
            isinstance(node, list) and isinstance(step, (int, float)) and 0 <= int(step) < len(node)
        ):
            node = node[int(step)]
        else:
            return None
    return node


def _leaves(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)
    elif isinstance(node, (str, int, float)) and not isinstance(node, bool):
        yield str(node)


def _mask_values(node: Any, secrets: SecretValues, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _mask_values(v, secrets, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_values(v, secrets, key) for v in node]
    return MASK if must_mask(key, node, secrets) else node
