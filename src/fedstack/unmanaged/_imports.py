"""Terraform 1.5+ `import` blocks and resource skeletons that bring a found resource under a stack.

The skeleton holds the arguments the resource type requires, read from the provider, so that
`terraform plan` in a stack configured for that provider and region accepts it as is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fedstack.unmanaged._enumerate import Seen

__all__ = ["import_block", "resource_name"]

_UNSAFE = re.compile(r"[^a-z0-9_]+")


def resource_name(seen: Seen) -> str:
    """A Terraform resource name made from the identifier (letters, digits, underscores)."""
    name = _UNSAFE.sub("_", seen.identifier.lower()).strip("_") or "imported"
    return name if name[0].isalpha() else f"r_{name}"


def import_block(seen: Seen, provider: str, region: str) -> str:
    """The `import` block and the resource skeleton for one found resource, as HCL."""
    name = resource_name(seen)
    address = f"{seen.resource_type}.{name}"
    body = "\n".join(f"  {key} = {_hcl(value)}" for key, value in seen.arguments.items())
    return (
        f"# {provider} {region}: found by fedstack unmanaged; add to a stack whose provider "
        f"block points at {provider} ({region})\n"
        f"import {{\n  to = {address}\n  id = {_hcl(seen.import_id)}\n}}\n\n"
        f'resource "{seen.resource_type}" "{name}" {{\n{body}\n}}\n'
    )


def _hcl(value: Any) -> str:
    # JSON strings, numbers and lists of strings are valid HCL literals; ${ and %{ must not
    # start a template in a value read from a provider.
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
