"""Read a Terraform module folder (variables, outputs, required providers) with python-hcl2.

Static reading only: no Terraform binary, no provider. python-hcl2 is imported lazily, so that
loading the catalog does not pay for the HCL parser.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.errors import CatalogError

__all__ = ["ModuleSpec", "OutputSpec", "ProviderRequirement", "Variable", "read_module"]


@dataclass(frozen=True)
class Variable:
    """One `variable` block: its type expression, description and default."""

    name: str
    type: str | None
    description: str
    required: bool
    default: Any = None
    sensitive: bool = False
    conditions: tuple[str, ...] = ()

    @property
    def needed(self) -> bool:
        """Required, or optional in type only: a validation refuses its null default."""
        return self.required or f"var.{self.name} != null" in self.conditions


@dataclass(frozen=True)
class OutputSpec:
    """One `output` block."""

    name: str
    description: str
    sensitive: bool = False


@dataclass(frozen=True)
class ProviderRequirement:
    """One entry of `required_providers`."""

    name: str
    source: str
    version: str


@dataclass(frozen=True)
class ModuleSpec:
    """What a module declares: its inputs, outputs, provider requirements and provider blocks."""

    path: Path
    variables: dict[str, Variable]
    outputs: dict[str, OutputSpec]
    required_version: str | None
    providers: dict[str, ProviderRequirement]
    provider_blocks: list[str] = field(default_factory=list)
    locals: dict[str, Any] = field(default_factory=dict)
    resource_types: frozenset[str] = frozenset()
    data_types: frozenset[str] = frozenset()
    resources: frozenset[str] = frozenset()
    data_sources: frozenset[str] = frozenset()
    text: str = ""


def read_module(path: Path) -> ModuleSpec:
    """Parse every *.tf file of the module folder `path` (cached while the files are unchanged)."""
    files = tuple(
        (tf.name, tf.stat().st_mtime_ns, tf.stat().st_size) for tf in sorted(path.glob("*.tf"))
    )
    return _read_module(path, files)


@functools.lru_cache(maxsize=256)
def _read_module(path: Path, files: tuple[tuple[str, int, int], ...]) -> ModuleSpec:
    # `files` (names, mtimes, sizes) is the cache key: an edited module is parsed again.
    import hcl2  # lazy: the parser is only needed for module checks and docs
    from lark.exceptions import LarkError

    variables: dict[str, Variable] = {}
    outputs: dict[str, OutputSpec] = {}
    providers: dict[str, ProviderRequirement] = {}
    provider_blocks: list[str] = []
    local_values: dict[str, Any] = {}
    resource_types: set[str] = set()
    data_types: set[str] = set()
    addresses: dict[str, set[str]] = {"resource": set(), "data": set()}
    texts: list[str] = []
    required_version = None
    for tf in sorted(path.glob("*.tf")):
        try:
            with tf.open() as handle:
                doc = hcl2.load(handle)
        except (LarkError, ValueError, OSError) as exc:
            raise CatalogError(f"{tf}: cannot parse HCL: {str(exc).splitlines()[0]}") from None
        for block in doc.get("variable", []):
            for name, body in block.items():
                variables[_str(name)] = _variable(_str(name), body)
        for block in doc.get("output", []):
            for name, body in block.items():
                outputs[_str(name)] = OutputSpec(
                    _str(name),
                    _str(body.get("description", "")),
                    bool(body.get("sensitive", False)),
                )
        texts.append(_without_comments(tf.read_text()))
        for kind, types in (("resource", resource_types), ("data", data_types)):
            for block in doc.get(kind, []):
                for type_, named in block.items():
                    types.add(_str(type_))
                    addresses[kind].update(f"{_str(type_)}.{_str(name)}" for name in named)
        for block in doc.get("provider", []):
            provider_blocks.extend(_str(name) for name in block)
        for block in doc.get("locals", []):
            local_values.update(
                {_str(k): _value(v) for k, v in block.items() if not k.startswith("__")}
            )
        for block in doc.get("terraform", []):
            if "required_version" in block:
                required_version = _str(block["required_version"])
            for entry in block.get("required_providers", []):
                for name, spec in entry.items():
                    if isinstance(spec, dict):
                        providers[_str(name)] = ProviderRequirement(
                            _str(name), _str(spec.get("source", "")), _str(spec.get("version", ""))
                        )
    return ModuleSpec(
        path,
        variables,
        outputs,
        required_version,
        providers,
        provider_blocks,
        local_values,
        frozenset(resource_types),
        frozenset(data_types),
        frozenset(addresses["resource"]),
        frozenset(addresses["data"]),
        "\n".join(texts),
    )


def _without_comments(text: str) -> str:
    # Whole-line comments only: enough for scanning references, and never cuts a string.
    return "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith(("#", "//"))
    )


def _variable(name: str, body: dict[str, Any]) -> Variable:
    type_ = body.get("type")
    return Variable(
        name=name,
        type=_expression(type_) if type_ is not None else None,
        description=_str(body.get("description", "")),
        required="default" not in body,
        default=_value(body.get("default")),
        sensitive=bool(body.get("sensitive", False)),
        conditions=tuple(
            _expression(rule.get("condition", "")) for rule in body.get("validation", [])
        ),
    )


def _str(text: Any) -> str:
    """A python-hcl2 string literal ("\"x\"") as the string it denotes."""
    if isinstance(text, str) and len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return json.loads(text)
    return str(text)


def _expression(text: Any) -> str:
    """A python-hcl2 expression ("${map(string)}" or "string") as Terraform source text."""
    text = str(text)
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


def _value(value: Any) -> Any:
    """A default or local as plain data: literal strings unquoted, expressions kept as ${...}."""
    if isinstance(value, dict):
        return {_str(k): _value(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, str):
        return _str(value)
    return value
