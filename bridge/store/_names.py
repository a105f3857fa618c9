"""Project and stack names: `[a-z0-9._-]{1,128}`, so a name can never be a path or a query.

Must not import the web framework.
"""

from __future__ import annotations

import re

from fedstack.bridge._errors import BadRequest

from fedstack.errors import FedstackError

__all__ = ["NAME_PATTERN", "check_name"]

NAME_PATTERN = r"^[a-z0-9._-]{1,128}$"
_NAME = re.compile(NAME_PATTERN)


def check_name(kind: str, value: str, *, error: type[FedstackError] = BadRequest) -> str:
    """Return `value` when it is a valid name; raise `error` saying what is allowed otherwise."""
    if not _NAME.match(value) or value in (".", ".."):
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise error(f"{kind} name {shown!r} must match [a-z0-9._-]{{1,128}} and not be '.' or '..'")
    return value
