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
    "NotLockHolder",
    "TooLarge",
    "Unauthorized",
    "Unavailable",
    "UnsupportedMediaType",
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


class UnsupportedMediaType(BridgeError):
    """A state-changing request with a content type a browser form can send (text/plain, forms)."""

    status = 415


class Unavailable(BridgeError):
    """The bridge cannot serve this now (a stored body sealed with a key it does not hold)."""

    status = 503


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


class NotLockHolder(LockConflict):
    """The lock is held by another token: only its holder writes or unlocks; an admin force-unlocks.

    The body is the holder's LockInfo (as for any 423) with an `error` saying why.
    """

    def body(self) -> dict[str, Any]:
        """The holder's LockInfo and the reason for the refusal."""
        return {**self.holder, "error": self.message}
