"""Small value types of the CDK layer that carry no cdktf objects."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fedstack.errors import FedstackError

__all__ = ["Placement", "PolicyViolation", "check_name"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class PolicyViolation(FedstackError):
    """A component or stack sits where the policy forbids; names the rule and the construct path."""


@dataclass(frozen=True)
class Placement:
    """Where a stack or component lives: catalog provider, region and the region's country."""

    provider: str
    region: str
    country: str


def check_name(kind: str, name: str) -> str:
    """`name` when it is a valid workload/component/project name, else a FedstackError."""
    if not _NAME.match(name):
        raise FedstackError(
            f"{kind} name {name!r} must be 1 to 41 lower-case letters, digits and hyphens "
            "(it becomes part of stack, bucket and state names)"
        )
    return name
