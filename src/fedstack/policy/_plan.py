"""Read the JSON of `terraform show -json PLAN` (Terraform or OpenTofu): resources and provider configs.

Only what placement needs: each managed resource that will exist after the plan, its planned
arguments, and the provider configuration it uses (with constant or variable expressions).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.contracts import PlanFormatError, PlanJson, load_plan_json

__all__ = ["Plan", "PlannedResource", "ProviderConfig", "parse_plan", "read_plan"]

_INDEX = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class ProviderConfig:
    """One `provider` block of the plan's configuration, with the values we could evaluate."""

    key: str
    source: str
    values: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        """An evaluated top-level argument (None when unset or not a constant)."""
        return self.values.get(name)

    def endpoints(self) -> dict[str, str]:
        """The `endpoints` block as {service: url} (aws provider and its S3-compatible uses)."""
        raw = self.values.get("endpoints")
        blocks = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
        found: dict[str, str] = {}
        for block in blocks:
            if isinstance(block, dict):
                found.update({k: v for k, v in block.items() if isinstance(v, str) and v})
        return found


@dataclass(frozen=True)
class PlannedResource:
    """A managed resource as it will be after the plan."""

    address: str
    type: str
    source: str
    actions: tuple[str, ...]
    after: dict[str, Any]
    config_key: str | None
    config_address: str = ""
    references: tuple[str, ...] = ()

    def argument(self, name: str) -> str | None:
        """A planned string argument (None when unset or known only after apply)."""
        value = self.after.get(name)
        return value if isinstance(value, str) and value else None


@dataclass(frozen=True)
class Plan:
    """The parts of a plan that placement needs."""

    format_version: str
    resources: list[PlannedResource]
    providers: dict[str, ProviderConfig]

    def provider_for(self, resource: PlannedResource) -> ProviderConfig | None:
        """The provider configuration the resource uses, when the configuration names it."""
        if resource.config_key is None:
            return None
        key = resource.config_key
        return self.providers.get(key) or self.providers.get(f"module.{key}")


def read_plan(path: str | Path) -> Plan:
    """Read a plan JSON file (`-` reads standard input); errors name the file."""
    text = sys.stdin.read() if str(path) == "-" else None
    doc = load_plan_json(path, text)
    try:
        return _from_document(doc)
    except PlanFormatError as exc:
        raise PlanFormatError(f"{Path(path)}: {exc}") from None


def parse_plan(data: Any) -> Plan:
    """Parse `terraform show -json` output of a saved plan (format 1.x)."""
    return _from_document(PlanJson.parse(data))


def _from_document(doc: PlanJson) -> Plan:
    if not doc.is_plan:
        raise PlanFormatError(
            "this is not a plan (no resource_changes); run `terraform show -json PLANFILE`"
        )
    configuration = doc.configuration()
    variables = {name: entry.get("value") for name, entry in doc.variables().items()}
    providers = {
        key: _provider_config(key, block, variables if ":" not in key else {})
        for key, block in doc.provider_configs().items()
    }
    config_keys = _config_keys(configuration.get("root_module") or {}, "")
    resources = [
        _resource(change, config_keys)
        for change in doc.resource_changes()
        if change.get("mode") == "managed"
        and (change.get("change") or {}).get("actions") not in (["delete"], ["forget"])
    ]
    return Plan(format_version=doc.format_version, resources=resources, providers=providers)


def _resource(change: dict[str, Any], config: dict[str, _Configured]) -> PlannedResource:
    module = _INDEX.sub("", change.get("module_address") or "")
    config_address = f"{module}.{change['type']}.{change['name']}".lstrip(".")
    body = change.get("change") or {}
    configured = config.get(config_address)
    return PlannedResource(
        address=change["address"],
        type=change["type"],
        source=change.get("provider_name", ""),
        actions=tuple(body.get("actions") or ()),
        after=body.get("after") or {},
        config_key=configured.provider_key if configured else None,
        config_address=config_address,
        references=configured.references if configured else (),
    )


@dataclass(frozen=True)
class _Configured:
    provider_key: str | None
    references: tuple[str, ...]


def _config_keys(module: dict[str, Any], prefix: str) -> dict[str, _Configured]:
    """Each configured resource (address without indices): its provider key and the resources it references."""
    found = {
        f"{prefix}{r['address']}": _Configured(
            r.get("provider_config_key"),
            tuple(sorted({f"{prefix}{ref}" for ref in _resource_refs(r.get("expressions"))})),
        )
        for r in module.get("resources") or []
        if "address" in r
    }
    for name, call in (module.get("module_calls") or {}).items():
        found.update(_config_keys(call.get("module") or {}, f"{prefix}module.{name}."))
    return found


_NOT_RESOURCES = {"var", "local", "module", "data", "each", "count", "path", "terraform", "self"}


def _resource_refs(expressions: Any) -> set[str]:
    """Addresses (`type.name`) of the managed resources an expression tree references."""
    refs: set[str] = set()
    if isinstance(expressions, list):
        for item in expressions:
            refs |= _resource_refs(item)
    elif isinstance(expressions, dict):
        for key, value in expressions.items():
            if key == "references" and isinstance(value, list):
                for ref in value:
                    parts = _INDEX.sub("", str(ref)).split(".")
                    if len(parts) >= 2 and parts[0] not in _NOT_RESOURCES:
                        refs.add(f"{parts[0]}.{parts[1]}")
            else:
                refs |= _resource_refs(value)
    return refs


def _provider_config(key: str, block: dict[str, Any], variables: dict[str, Any]) -> ProviderConfig:
    expressions = block.get("expressions") or {}
    return ProviderConfig(
        key=key,
        source=block.get("full_name") or block.get("name", ""),
        values={name: _evaluate(expr, variables) for name, expr in expressions.items()},
    )


def _evaluate(expr: Any, variables: dict[str, Any]) -> Any:
    """A constant, a root variable (`var.x`) or a nested block of them; None otherwise."""
    if isinstance(expr, list):
        return [_evaluate(item, variables) for item in expr]
    if not isinstance(expr, dict):
        return None
    refs = expr.get("references")
    if isinstance(refs, list):
        # Only a bare root variable can be evaluated. Terraform's JSON syntax also reports the
        # raw template as constant_value ("${var.x}"), so the template must be exactly that.
        template = expr.get("constant_value", f"${{{refs[0] if refs else ''}}}")
        if len(refs) == 1 and str(refs[0]).startswith("var.") and template == f"${{{refs[0]}}}":
            return variables.get(str(refs[0])[4:])
        return None
    if "constant_value" in expr:
        return expr["constant_value"]
    return {name: _evaluate(inner, variables) for name, inner in expr.items()}
