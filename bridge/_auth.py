"""Turn an Authorization header into a Principal: HTTP basic (password = token) or Bearer.

Basic auth takes the token from the password and ignores the user name, so Terraform's
`TF_HTTP_PASSWORD` works (Terraform sends basic auth only when a user name is set, so set
`TF_HTTP_USERNAME` to anything). Must not import the web framework.
"""

from __future__ import annotations

import base64
import binascii

from fedstack.bridge._errors import Unauthorized
from fedstack.bridge._principal import ANONYMOUS_ADMIN, Principal
from fedstack.bridge.store import refusal_reason, verify_token
from sqlalchemy import Connection, Engine

__all__ = ["authenticate", "presented_token"]


def presented_token(header: str | None) -> str | None:
    """The token carried by an Authorization header, or None when there is none."""
    if not header:
        return None
    kind, _, value = header.strip().partition(" ")
    kind = kind.lower()
    if kind == "bearer":
        return value.strip() or None
    if kind == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise Unauthorized("the basic Authorization header is not valid base64") from None
        user, _, password = decoded.partition(":")
        return password or user or None
    raise Unauthorized(f"unsupported Authorization scheme {kind!r}; use Basic or Bearer")


def authenticate(bind: Engine | Connection, header: str | None, *, auth: bool) -> Principal:
    """The caller behind `header`; Unauthorized (401) when it is missing or unknown. `bind`: the
    engine, or a connection the route goes on using."""
    if not auth:
        return ANONYMOUS_ADMIN
    token = presented_token(header)
    if token is None:
        raise Unauthorized(
            "authentication required: send a bridge token as the basic-auth password or a Bearer token"
        )
    principal = verify_token(bind, token)
    if principal is None:
        reason = refusal_reason(bind, token)
        if reason == "unknown":
            raise Unauthorized("the token is unknown or wrong")
        raise Unauthorized(f"the token {token.split('_')[1]} {reason}: create a new one")
    return principal
