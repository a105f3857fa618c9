"""Check a module's HCL against provider resource schemas (`terraform providers schema -json`
shape): every resource and data source type exists, every argument and nested block exists, and
every required argument or block is set.

Static: python-hcl2 reads the module, no provider binary runs. A schema holds only what it was
extracted from (see tests/catalog/schemas/README.md); a provider's own value validators are not
in it. Pure Python: must not import cdktf, jsii or the web framework.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fedstack.catalog._hcl import read_module

__all__ = ["check_module_schema", "load_schema", "lower_bound"]

# Arguments and blocks Terraform itself defines on every resource or data block.
_META = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}


def load_schema(path: Path) -> dict[str, Any]:
    """One provider's schema file: {provider, provider_version, resource_schemas, data_source_schemas}."""
    return dict(json.loads(path.read_text()))


def lower_bound(version: str) -> str:
    """The lower bound of a constraint such as `>= 2.1, < 4.0` or `~> 0.63`."""
    first = version.split(",")[0].strip()
    return first.lstrip(">=~ ").strip()


def check_module_schema(folder: Path, schemas: dict[str, dict[str, Any]]) -> list[str]:
    """Problems of every resource and data block of the module; `schemas` maps provider source
    (namespace/type) to its schema. Types of providers without a schema are reported too."""
    import hcl2

    spec = read_module(folder)
    by_local = {name: req.source.lower() for name, req in spec.providers.items()}
    problems: list[str] = []
    for tf in sorted(folder.glob("*.tf")):
        parsed = hcl2.loads(tf.read_text())
        for kind, key in (("resource", "resource_schemas"), ("data", "data_source_schemas")):
            for entry in parsed.get(kind, []):
                for raw_type, named in entry.items():
                    type_ = raw_type.strip('"')
                    source = by_local.get(type_.split("_", 1)[0], "")
                    schema = schemas.get(source)
                    for raw_name, body in named.items():
                        where = f"{tf}: {kind} {type_}.{raw_name.strip(chr(34))}"
                        if schema is None:
                            problems.append(f"{where}: no schema for provider {source or '?'}")
                            continue
                        block = schema.get(key, {}).get(type_)
                        if block is None:
                            version = schema.get("provider_version", "?")
                            problems.append(
                                f"{where}: {source} {version} has no {kind} type {type_}"
                            )
                            continue
                        problems += _check_block(where, body, block, top=True)
    return problems


def _check_block(where: str, body: dict[str, Any], schema: dict[str, Any], top: bool) -> list[str]:
    attributes = schema.get("attributes", {})
    blocks = schema.get("block_types", {})
    problems = []
    present = set()
    for name, value in body.items():
        if name.startswith("__"):
            continue
        if top and name in _META:
            continue
        if name == "dynamic":
            for entry in value:
                for label, dyn in entry.items():
                    label = label.strip('"')
                    present.add(label)
                    if label not in blocks:
                        problems.append(f"{where}: no nested block {label!r} (dynamic)")
                        continue
                    for content in dyn.get("content", []):
                        problems += _check_block(
                            f"{where}.{label}", content, blocks[label]["block"], False
                        )
            continue
        present.add(name)
        is_block = (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and v.get("__is_block__") for v in value)
        )
        if is_block:
            if name not in blocks:
                kind = "an argument, not a block" if name in attributes else "no such block"
                problems.append(f"{where}: nested block {name!r}: {kind}")
                continue
            for item in value:
                problems += _check_block(f"{where}.{name}", item, blocks[name]["block"], False)
        elif name not in attributes:
            kind = "a block, not an argument" if name in blocks else "no such argument"
            problems.append(f"{where}: argument {name!r}: {kind}")
        elif attributes[name].get("computed") and not (
            attributes[name].get("optional") or attributes[name].get("required")
        ):
            problems.append(f"{where}: argument {name!r} is computed only (read-only)")
    for name, attribute in attributes.items():
        if attribute.get("required") and name not in present:
            problems.append(f"{where}: required argument {name!r} is not set")
    for name, nested in blocks.items():
        if (nested.get("min_items") or 0) > 0 and name not in present:
            problems.append(f"{where}: required block {name!r} is missing")
    return problems
