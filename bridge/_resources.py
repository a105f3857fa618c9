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

__all__ = ["MASK", "ResourceRow", "resource_rows"]

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
    rows = []
    for resource in resources:
        if resource.get("mode", "managed") != "managed":
            continue  # data sources read things; the inventory lists what the stack manages
        for instance in resource.get("instances") or []:
            if isinstance(instance, dict):
                rows.append(_row(resource, instance, secrets))
    return rows


def _row(resource: dict[str, Any], instance: dict[str, Any], secrets: SecretValues) -> ResourceRow:
    module = str(resource.get("module") or "")
    rtype, name = str(resource.get("type", "")), str(resource.get("name", ""))
    key = instance.get("index_key")
    address = f"{module + '.' if module else ''}{rtype}.{name}{_key_suffix(key)}"
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
