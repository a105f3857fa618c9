"""Small value types of the CDK layer that carry no cdktf objects (Placement is the contracts')."""

from __future__ import annotations

import re
from fedstack.contracts import Placement
from fedstack.errors import FedstackError

__all__ = ["Placement", "PolicyViolation", "check_name"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class PolicyViolation(FedstackError):
    """A component or stack sits where the policy forbids; names the rule and the construct path."""


def check_name(kind: str, name: str) -> str:
    """`name` when it is a valid workload/component/project name, else a FedstackError."""
    if not _NAME.match(name):
        raise FedstackError(
            f"{kind} name {name!r} must be 1 to 41 lower-case letters, digits and hyphens "
            "(it becomes part of stack, bucket and state names)"
        )
    return name
