"""Bridge tokens: created once and shown once; only a SHA-256 of the secret is stored.

A token reads `fst_<id>_<secret>`: the id finds the row, the secret is compared in constant
time. The secret has 256 bits of entropy, so a plain hash is enough (no password stretching).
A token may carry an expiry (`expires_at`, NULL = never); past it, it is refused like a revoked
one. Must not import the web framework.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any
from datetime import UTC, datetime

from fedstack.bridge._principal import ALL_PROJECTS, SCOPES, Principal, Scope
from fedstack.bridge.store._engine import connected, write_transaction
from fedstack.bridge.store._models import tokens
from fedstack.bridge.store._names import check_name
from fedstack.bridge.store._periods import aware
from sqlalchemy import Connection, Engine, select

from fedstack.contracts import future_expiry
from fedstack.errors import ConfigError

__all__ = [
    "NewToken",
    "TokenInfo",
    "create_token",
    "list_tokens",
    "refusal_reason",
    "revoke_token",
    "verify_token",
]

_TOKEN = re.compile(r"^fst_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class TokenInfo:
    """What the bridge keeps of a token: never its secret, only its id, grants and dates (UTC)."""

    id: str
    project: str
    scope: Scope
    description: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    """A freshly created token: `secret` is the whole token, shown to the user once."""

    id: str
    project: str
    scope: Scope
    secret: str
    expires_at: datetime | None = None


def _expired(row: Any, now: datetime) -> bool:
    return row.expires_at is not None and aware(row.expires_at) <= now


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    engine: Engine,
    project: str,
    scope: str,
    description: str = "",
    *,
    expires_at: datetime | None = None,
) -> NewToken:
    """Store a new token for `project` (or `*`) with `scope`; return it with its secret.

    `expires_at` (must lie ahead) ends the token's life; None means it never expires.
    """
    if expires_at is not None:
        expires_at = future_expiry(expires_at)
    if scope not in SCOPES:
        raise ConfigError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}")
    if project != ALL_PROJECTS:
        check_name("project", project, error=ConfigError)
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        conn.execute(
            tokens.insert().values(
                id=token_id,
                project=project,
                scope=scope,
                secret_sha256=_digest(secret),
                description=description[:256],
                created_at=datetime.now(UTC),
                expires_at=expires_at,
            )
        )
    return NewToken(token_id, project, scope, f"fst_{token_id}_{secret}", expires_at)  # type: ignore[arg-type]


def verify_token(bind: Engine | Connection, presented: str) -> Principal | None:
    """The principal behind a presented token, or None when it is unknown, wrong, revoked or
    expired. `bind` may be a connection the caller goes on using (a read after the check)."""
    match = _TOKEN.match(presented.strip())
    if match is None:
        return None
    token_id, secret = match.groups()
    with connected(bind) as conn:
        row = conn.execute(select(tokens).where(tokens.c.id == token_id)).first()
    if row is None or row.revoked_at is not None or _expired(row, datetime.now(UTC)):
        return None
    if not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return None
    return Principal(token_id=row.id, project=row.project, scope=row.scope)


def refusal_reason(bind: Engine | Connection, presented: str) -> str:
    """Why verify_token refused `presented`: "was revoked on <date>" or "expired on <date>" for
    a real token, else "unknown".

    Revocation and expiry are named only to whoever holds the secret, so the answer reveals
    nothing about which token ids exist.
    """
    match = _TOKEN.match(presented.strip())
    if match is None:
        return "unknown"
    token_id, secret = match.groups()
    with connected(bind) as conn:
        row = conn.execute(select(tokens).where(tokens.c.id == token_id)).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return "unknown"
    if row.revoked_at is not None:
        return f"was revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC"
    if _expired(row, datetime.now(UTC)):
        return f"expired on {aware(row.expires_at):%Y-%m-%d %H:%M} UTC"
    return "unknown"


def list_tokens(engine: Engine) -> list[TokenInfo]:
    """Every token's id, project, scope and dates, in UTC (never a secret or its hash)."""
    with engine.connect() as conn:
        rows = conn.execute(select(tokens).order_by(tokens.c.created_at)).all()
    return [
        TokenInfo(
            id=r.id,
            project=r.project,
            scope=r.scope,
            description=r.description,
            created_at=aware(r.created_at),
            revoked_at=aware(r.revoked_at) if r.revoked_at else None,
            expires_at=aware(r.expires_at) if r.expires_at else None,
        )
        for r in rows
    ]


def revoke_token(engine: Engine, token_id: str) -> bool:
    """Revoke a token by id; False when there is no such active token."""
    with write_transaction(engine) as conn:
        done = conn.execute(
            tokens.update()
            .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    return done.rowcount == 1
