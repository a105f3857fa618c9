"""The bridge's errors: each is a FedstackError carrying the HTTP status the API answers with.

Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

from typing import Any

from fedstack.errors import FedstackError

__all__ = [
    "BadRequest",
    "BridgeError",
    "Conflict",
    "Forbidden",
    "LockConflict",
    "NotFound",
    "TooLarge",
    "Unauthorized",
]


class BridgeError(FedstackError):
    """A request the bridge refuses; nothing was changed. `status` is the HTTP status code."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        """The JSON body of the HTTP answer."""
        return {"error": self.message}


class BadRequest(BridgeError):
    """The request is malformed: not JSON, not a state, a bad name or a bad checksum."""


class NotFound(BridgeError):
    """The stack, version or other object does not exist."""

    status = 404


class Conflict(BridgeError):
    """The write would lose or mix up state: lineage mismatch, serial not above the stored one."""

    status = 409


class TooLarge(BridgeError):
    """The request body is larger than the configured limit."""

    status = 413


class Unauthorized(BridgeError):
    """No credentials, or credentials the bridge does not know."""

    status = 401


class Forbidden(BridgeError):
    """Valid credentials without the scope or project the request needs."""

    status = 403


class LockConflict(BridgeError):
    """The stack is locked by someone else; the body is the holder's LockInfo, as Terraform expects."""

    status = 423

    def __init__(self, message: str, holder: dict[str, Any]) -> None:
        super().__init__(message)
        self.holder = holder

    def body(self) -> dict[str, Any]:
        """The holder's LockInfo, so Terraform can print who holds the lock."""
        return self.holder
