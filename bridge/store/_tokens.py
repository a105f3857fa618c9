"""Bridge tokens: created once and shown once; only a SHA-256 of the secret is stored.

A token reads `fst_<id>_<secret>`: the id finds the row, the secret is compared in constant
time. The secret has 256 bits of entropy, so a plain hash is enough (no password stretching).
Must not import the web framework.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from fedstack.bridge._principal import ALL_PROJECTS, SCOPES, Principal, Scope
from fedstack.bridge.store._engine import write_transaction
from fedstack.bridge.store._models import tokens
from fedstack.bridge.store._names import check_name
from sqlalchemy import Engine, select

from fedstack.errors import ConfigError

__all__ = ["NewToken", "create_token", "list_tokens", "revoke_token", "verify_token"]

_TOKEN = re.compile(r"^fst_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class NewToken:
    """A freshly created token: `secret` is the whole token, shown to the user once."""

    id: str
    project: str
    scope: Scope
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(engine: Engine, project: str, scope: str, description: str = "") -> NewToken:
    """Store a new token for `project` (or `*`) with `scope`; return it with its secret."""
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
            )
        )
    return NewToken(token_id, project, scope, f"fst_{token_id}_{secret}")  # type: ignore[arg-type]


def verify_token(engine: Engine, presented: str) -> Principal | None:
    """The principal behind a presented token, or None when it is unknown, wrong or revoked."""
    match = _TOKEN.match(presented.strip())
    if match is None:
        return None
    token_id, secret = match.groups()
    with engine.connect() as conn:
        row = conn.execute(select(tokens).where(tokens.c.id == token_id)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return None
    return Principal(token_id=row.id, project=row.project, scope=row.scope)


def refusal_reason(engine: Engine, presented: str) -> str:
    """Why verify_token refused `presented`: "revoked on <date>" for a real token, else "unknown".

    Revocation is named only to whoever holds the secret, so the answer reveals nothing
    about which token ids exist.
    """
    match = _TOKEN.match(presented.strip())
    if match is None:
        return "unknown"
    token_id, secret = match.groups()
    with engine.connect() as conn:
        row = conn.execute(select(tokens).where(tokens.c.id == token_id)).first()
    if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
        return "unknown"
    if row.revoked_at is not None:
        return f"revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC"
    return "unknown"


def list_tokens(engine: Engine) -> list[dict[str, object]]:
    """Every token's id, project, scope and dates (never a secret or its hash)."""
    with engine.connect() as conn:
        rows = conn.execute(select(tokens).order_by(tokens.c.created_at)).all()
    return [
        {
            "id": r.id,
            "project": r.project,
            "scope": r.scope,
            "description": r.description,
            "created_at": r.created_at,
            "revoked_at": r.revoked_at,
        }
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
