"""The one masking rule: which values the inventory, drift reports and pages never show.

A value is masked when Terraform marks it sensitive (the caller knows where), when its key
names a secret (`password`, `secret`, `token`, `private_key`, a connection string, ...) even
unmarked, when it is a URL carrying a password (`postgresql://app:pw@db/x`), or when it
repeats a value marked sensitive elsewhere (providers copy inputs into unmarked attributes
such as `tags_all`). Pure data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["MASK", "SecretValues", "has_credentials", "is_secret_name", "must_mask"]

MASK = "(sensitive)"
"""What every report, page and inventory row shows in place of a masked value."""

_SECRET_NAME = re.compile(
    r"(password|passwd|passphrase|secret|token|private_key|api_key|access_key"
    r"|connection_string|conn_str|credentials?)",
    re.IGNORECASE,
)
# scheme://user:password@host : a connection string that carries its credentials.
_URL_WITH_PASSWORD = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.IGNORECASE)

# A copied sensitive value is masked where it is the whole value from this length on, and
# inside a longer value from _SUBSTRING_MIN on: shorter ones ("1", "true") would mask half
# of every report and protect nothing.
_EQUAL_MIN = 4
_SUBSTRING_MIN = 8


def is_secret_name(key: str) -> bool:
    """True when an attribute or map key names a secret (`db_password`, `auth_token`, ...)."""
    return bool(_SECRET_NAME.search(key))


def has_credentials(value: object) -> bool:
    """True for a string holding a URL with a password in it."""
    return isinstance(value, str) and bool(_URL_WITH_PASSWORD.search(value))


class SecretValues:
    """Values marked sensitive somewhere in a document, to mask their unmarked copies."""

    def __init__(self, values: Iterable[object] = ()) -> None:
        found = {
            str(v) for v in values if isinstance(v, (str, int, float)) and not isinstance(v, bool)
        }
        self._values = frozenset(v for v in found if len(v) >= _EQUAL_MIN)
        self._long = tuple(v for v in self._values if len(v) >= _SUBSTRING_MIN)

    def __bool__(self) -> bool:
        return bool(self._values)

    def leaks(self, value: object) -> bool:
        """True when `value` is, or (for long secrets) contains, a known sensitive value."""
        if value is None or isinstance(value, bool) or not self._values:
            return False
        text = str(value)
        return text in self._values or (
            isinstance(value, str) and any(s in text for s in self._long)
        )


def must_mask(key: str, value: Any, secrets: SecretValues | None = None) -> bool:
    """The rule for one unmarked leaf under `key` (the nearest attribute or map key)."""
    if value is None or isinstance(value, bool) or value == "" or value == MASK:
        return False
    if is_secret_name(key) or has_credentials(value):
        return True
    return secrets is not None and secrets.leaks(value)
