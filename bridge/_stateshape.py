"""Check the shape of a Terraform v4 state (and of an OpenTofu encrypted one) before it is stored.

JSON allows anything; the readers of a stored state do not: Terraform and OpenTofu read it
back, the inventory walks its resources, the version listing reads serial and lineage. A body
that would break one of them is refused with a message naming the first problem and its path.
Only the fields those readers use are checked; unknown fields pass as they are (newer Terraform
versions add some). Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fedstack.bridge._errors import BadRequest

__all__ = ["MAX_DEPTH", "check_encrypted_shape", "check_state_shape"]

MAX_DEPTH = 64
"""How deeply attribute and output values may nest (real states stay far below it)."""
_MAX_INT = 2**63 - 1
# Column widths of the inventory (fedstack.bridge.store._models) for the identity fields.
_IDENTITY_LIMITS = {"type": 128, "name": 256, "module": 2048, "provider": 1024}


def _refuse(path: str, problem: str) -> BadRequest:
    return BadRequest(f"not a Terraform state: {path} {problem}")


def _identity(value: Any, path: str, limit: int, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value):
        raise _refuse(path, "must be a non-empty string" if required else "must be a string")
    if len(value) > limit or not value.isprintable():
        raise _refuse(path, f"must be printable and at most {limit} characters")


def _integer(value: Any, path: str, *, low: int = 0) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= _MAX_INT:
        raise _refuse(path, f"must be an integer from {low} to {_MAX_INT}")


def _depth(value: Any, path: str) -> None:
    # Iterative, so a hostile nesting cannot exhaust the interpreter's stack here.
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _refuse(path, f"nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)


def check_state_shape(document: dict[str, Any]) -> None:
    """BadRequest (400) naming the first field of a v4 state its readers could not read."""
    version = document.get("version")
    if version != 4 or isinstance(version, bool):
        raise _refuse(
            "'version'", f"is {version!r}; the bridge stores format 4 (Terraform >= 0.12, OpenTofu)"
        )
    if "terraform_version" in document and not isinstance(document["terraform_version"], str):
        raise _refuse("'terraform_version'", "must be a string")
    outputs = document.get("outputs")
    if outputs is not None:
        if not isinstance(outputs, dict):
            raise _refuse("'outputs'", "must be an object")
        for name, output in outputs.items():
            where = f"outputs.{name}"
            if not isinstance(output, dict) or "value" not in output:
                raise _refuse(where, "must be an object with a 'value'")
            if not isinstance(output.get("sensitive", False), bool):
                raise _refuse(where + ".sensitive", "must be true or false")
            _depth(output["value"], where + ".value")
    resources = document.get("resources")
    if resources is not None and not isinstance(resources, list):
        raise _refuse("'resources'", "must be a list")
    for n, resource in enumerate(resources or []):
        _check_resource(resource, f"resources[{n}]")
    checks = document.get("check_results")
    if checks is not None and not isinstance(checks, list):
        raise _refuse("'check_results'", "must be a list or null")


def _check_resource(resource: Any, where: str) -> None:
    if not isinstance(resource, dict):
        raise _refuse(where, "must be an object")
    if resource.get("mode") not in ("managed", "data"):
        raise _refuse(where + ".mode", "must be 'managed' or 'data'")
    for field in ("type", "name"):
        _identity(resource.get(field), f"{where}.{field}", _IDENTITY_LIMITS[field], required=True)
    for field in ("module", "provider"):
        _identity(resource.get(field), f"{where}.{field}", _IDENTITY_LIMITS[field], required=False)
    instances = resource.get("instances")
    if not isinstance(instances, list):
        raise _refuse(where + ".instances", "must be a list")
    for n, instance in enumerate(instances):
        _check_instance(instance, f"{where}.instances[{n}]")


def _check_instance(instance: Any, where: str) -> None:
    if not isinstance(instance, dict):
        raise _refuse(where, "must be an object")
    key = instance.get("index_key")
    if isinstance(key, str):
        _identity(key, where + ".index_key", 1024, required=False)
    elif key is not None:
        _integer(key, where + ".index_key")
    if "schema_version" in instance:
        _integer(instance["schema_version"], where + ".schema_version")
    attributes = instance.get("attributes")
    if attributes is not None:
        if not isinstance(attributes, dict):
            raise _refuse(where + ".attributes", "must be an object")
        _depth(attributes, where + ".attributes")
    flat = instance.get("attributes_flat")
    if flat is not None and (
        not isinstance(flat, dict) or not all(isinstance(v, str) for v in flat.values())
    ):
        raise _refuse(where + ".attributes_flat", "must be an object of strings")
    sensitive = instance.get("sensitive_attributes")
    if sensitive is not None:
        if not isinstance(sensitive, list) or not all(isinstance(p, list) for p in sensitive):
            raise _refuse(where + ".sensitive_attributes", "must be a list of paths (lists)")
        _depth(sensitive, where + ".sensitive_attributes")
    for field in ("private", "status"):
        if field in instance and not isinstance(instance[field], str):
            raise _refuse(f"{where}.{field}", "must be a string")
    dependencies = instance.get("dependencies")
    if dependencies is not None and (
        not isinstance(dependencies, list) or not all(isinstance(d, str) for d in dependencies)
    ):
        raise _refuse(where + ".dependencies", "must be a list of strings")


def check_encrypted_shape(document: dict[str, Any]) -> None:
    """BadRequest unless an OpenTofu encrypted state has what OpenTofu needs to decrypt it."""
    data = document.get("encrypted_data")
    if not isinstance(data, str) or not data:
        raise BadRequest(
            "not an OpenTofu encrypted state: 'encrypted_data' must be a base64 string"
        )
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(
            "not an OpenTofu encrypted state: 'encrypted_data' is not base64"
        ) from None
    version = document.get("encryption_version")
    if not isinstance(version, str) or not version:
        raise BadRequest(
            "not an OpenTofu encrypted state: 'encryption_version' must be a non-empty string"
        )
    meta = document.get("meta", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise BadRequest("not an OpenTofu encrypted state: 'meta' must be an object of strings")
