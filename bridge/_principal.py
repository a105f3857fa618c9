"""Who is calling (a token's id, project and scope) and what each scope allows.

Pure Python: must not import the web framework or the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fedstack.bridge._errors import Forbidden

__all__ = ["ALL_PROJECTS", "ANONYMOUS_ADMIN", "SCOPES", "Principal", "Scope"]

Scope = Literal["inventory:read", "state:read", "state:write", "drift:write", "admin"]
SCOPES: tuple[Scope, ...] = ("inventory:read", "state:read", "state:write", "drift:write", "admin")
ALL_PROJECTS = "*"
"""A token created for project `*` works on every project."""

# What each scope grants. `inventory:read` is for viewers (dashboard, inventory, drift and
# compliance listings, all masked): it never downloads a raw state, its versions or outputs,
# which carry every secret in clear. Every other scope reads those too; a writer can read,
# the drift runner reads states and posts runs.
_GRANTS: dict[str, frozenset[str]] = {
    "inventory:read": frozenset({"inventory:read"}),
    "state:read": frozenset({"inventory:read", "state:read"}),
    "state:write": frozenset({"inventory:read", "state:read", "state:write"}),
    "drift:write": frozenset({"inventory:read", "state:read", "drift:write"}),
    "admin": frozenset(SCOPES),
}


@dataclass(frozen=True)
class Principal:
    """The caller behind a request: a token id (or `anonymous` without auth), its project and scope."""

    token_id: str
    project: str
    scope: Scope

    def require(self, scope: Scope, project: str | None = None) -> None:
        """Raise Forbidden (403) unless this caller holds `scope` on `project`."""
        if scope not in _GRANTS[self.scope]:
            raise Forbidden(f"token {self.token_id} has scope {self.scope}; this needs {scope}")
        if project is not None and self.project not in (ALL_PROJECTS, project):
            raise Forbidden(
                f"token {self.token_id} is for project {self.project!r}, not {project!r}"
            )

    def visible_projects(self) -> list[str] | None:
        """The projects listings (stacks, inventory, audit) may show; None means all of them."""
        return None if self.project == ALL_PROJECTS else [self.project]


ANONYMOUS_ADMIN = Principal(token_id="anonymous", project=ALL_PROJECTS, scope="admin")
"""The caller of a bridge started with --no-auth (allowed on loopback only)."""
