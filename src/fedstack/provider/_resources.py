"""The resources, against the bridge: a project's live-state policy and a bridge token.

Both import by id (`terraform import fedstack_project_policy.x shop`, `... fedstack_token.x ID`).
A token with `expires_in` is read back as gone once it has expired, so the next apply makes a
new one (as for a token revoked out of band).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from tf.iface import (
    Config,
    CreateContext,
    DeleteContext,
    ImportContext,
    PlanContext,
    ReadContext,
    Resource,
    State,
    UpdateContext,
)
from tf.schema import Attribute, Schema
from tf.types import Unknown
from tf.utils import Diagnostics

from fedstack.provider._diagnostics import InputError, diagnose
from fedstack.provider._types import BOOL, STRING

if TYPE_CHECKING:
    from fedstack.client import BridgeClient
    from fedstack.provider._server import FedstackProvider

__all__ = ["RESOURCES"]


class _Base(Resource):
    name: ClassVar[str]
    schema: ClassVar[Schema]

    def __init__(self, provider: FedstackProvider) -> None:
        self.context = provider.context

    @classmethod
    def get_name(cls) -> str:
        return cls.name

    @classmethod
    def get_schema(cls) -> Schema:
        return cls.schema

    def bridge(self) -> BridgeClient:
        return self.context.bridge(f"fedstack_{self.name}")


def _missing(exc: Exception) -> bool:
    return getattr(exc, "status", None) == 404


class ProjectPolicy(_Base):
    """`fedstack_project_policy`: the policy the bridge checks a project's live state against."""

    name = "project_policy"
    schema = Schema(
        description="A project's live-state sovereignty policy in the bridge (admin token).",
        attributes=[
            Attribute("project", STRING, "Bridge project.", required=True, requires_replace=True),
            Attribute("policy", STRING, "A preset name or a policy as YAML text.", required=True),
            Attribute("policy_name", STRING, "The policy's name.", computed=True),
        ],
    )

    def plan(self, ctx: PlanContext, current: State | None, planned: State) -> State | None:
        if "policy" in ctx.changed_fields:
            planned["policy_name"] = Unknown  # the new policy may carry another name
        return planned

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        with diagnose(ctx.diagnostics):
            return self._put(planned)
        return None

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        with diagnose(ctx.diagnostics):
            return self._put(planned)
        return current

    def read(self, ctx: ReadContext, current: State) -> State | None:
        with diagnose(ctx.diagnostics):
            return self._get(current["project"], current.get("policy"))
        return current

    def delete(self, ctx: DeleteContext, current: State) -> State | None:
        with diagnose(ctx.diagnostics):
            try:
                self.bridge().delete_project_policy(current["project"])
            except Exception as exc:
                if not _missing(exc):
                    raise
        return None

    def import_(self, ctx: ImportContext, id: str) -> State | None:
        with diagnose(ctx.diagnostics):
            return self._get(id, None)
        return None

    def _put(self, planned: State) -> State:
        from fedstack.policy import PRESETS

        policy = planned["policy"]
        if policy.strip() in PRESETS:
            answer = self.bridge().set_project_policy(planned["project"], preset=policy.strip())
        else:
            answer = self.bridge().set_project_policy(planned["project"], yaml=policy)
        return {"project": planned["project"], "policy": policy, "policy_name": answer["name"]}

    def _get(self, project: str, known: str | None) -> State | None:
        try:
            answer = self.bridge().project_policy(project)
        except Exception as exc:
            if _missing(exc):
                return None  # gone: Terraform plans to create it again
            raise
        document = answer["document"]
        # Keep the configured text when it is what the bridge holds (YAML spelled differently).
        policy = known if known is not None and _same_policy(known, document) else document
        return {"project": project, "policy": policy, "policy_name": answer["name"]}


def _same_policy(a: str, b: str) -> bool:
    return a.strip() == b.strip()


class Token(_Base):
    """`fedstack_token`: a bridge token; the secret is known at create only; destroy revokes it."""

    name = "token"
    schema = Schema(
        description="A bridge token (needs an admin token in the provider).",
        attributes=[
            Attribute(
                "project", STRING, "Project, or * for all.", required=True, requires_replace=True
            ),
            Attribute(
                "scope",
                STRING,
                "state:read, state:write, drift:write or admin.",
                required=True,
                requires_replace=True,
            ),
            Attribute(
                "description",
                STRING,
                "Who or what uses the token.",
                optional=True,
                requires_replace=True,
            ),
            Attribute(
                "expires_in",
                STRING,
                "How long the token lives from its creation: 30d, 12h or 90m (as "
                "`fedstack token create --expires`); unset, it never expires. Once expired, the "
                "next apply replaces it.",
                optional=True,
                requires_replace=True,
            ),
            Attribute("token_id", STRING, "The token's id.", computed=True),
            Attribute(
                "token", STRING, "The token (known at create only).", computed=True, sensitive=True
            ),
            Attribute(
                "expires_at",
                STRING,
                "When the token expires (RFC 3339, UTC); null when it never does.",
                computed=True,
            ),
            Attribute("revoked", BOOL, "True once revoked out of band.", computed=True),
        ],
    )

    def validate(self, diags: Diagnostics, type_name: str, config: Config) -> None:
        super().validate(diags, type_name, config)
        expires_in = config.get("expires_in")
        if isinstance(expires_in, str):
            with diagnose(diags, ["expires_in"]):
                _duration(expires_in)

    def plan(self, ctx: PlanContext, current: State | None, planned: State) -> State | None:
        if current is None:
            planned["expires_at"] = None if planned.get("expires_in") is None else Unknown
        return planned

    def create(self, ctx: CreateContext, planned: State) -> State | None:
        with diagnose(ctx.diagnostics):
            new = self.bridge().create_token(
                planned["project"],
                planned["scope"],
                planned.get("description") or "",
                expires_in=planned.get("expires_in"),
            )
            return {
                "project": new["project"],
                "scope": new["scope"],
                "description": planned.get("description"),
                "expires_in": planned.get("expires_in"),
                "token_id": new["id"],
                "token": new["token"],
                "expires_at": new.get("expires_at"),
                "revoked": False,
            }
        return None

    def read(self, ctx: ReadContext, current: State) -> State | None:
        with diagnose(ctx.diagnostics):
            return self._get(current["token_id"], current)
        return current

    def update(self, ctx: UpdateContext, current: State, planned: State) -> State | None:
        return planned  # every argument forces a new token; nothing changes in place

    def delete(self, ctx: DeleteContext, current: State) -> State | None:
        with diagnose(ctx.diagnostics):
            try:
                self.bridge().revoke_token(current["token_id"])
            except Exception as exc:
                if not _missing(exc):
                    raise
        return None

    def import_(self, ctx: ImportContext, id: str) -> State | None:
        with diagnose(ctx.diagnostics):
            return self._get(id, None)
        return None

    def _get(self, token_id: str, current: State | None) -> State | None:
        try:
            answer = self.bridge().token(token_id)
        except Exception as exc:
            if _missing(exc):
                return None
            raise
        if answer["revoked"] or answer.get("expired"):
            return None  # revoked out of band, or expired: Terraform plans a new one
        description = answer["description"] or None
        if current is not None and current.get("description") == "" and description is None:
            description = ""
        return {
            "project": answer["project"],
            "scope": answer["scope"],
            "description": description,
            # The bridge keeps the moment, not the duration: an imported token has none.
            "expires_in": current.get("expires_in") if current else None,
            "token_id": answer["id"],
            "token": current.get("token") if current else None,
            "expires_at": answer.get("expires_at"),
            "revoked": False,
        }


def _duration(text: str) -> None:
    """Refuse an `expires_in` the bridge would refuse, before anything is created."""
    from fedstack.contracts import parse_duration
    from fedstack.errors import ConfigError

    try:
        parse_duration(text)
    except ConfigError as exc:
        raise InputError("invalid expires_in", str(exc), path=["expires_in"]) from None


RESOURCES: list[type[Resource]] = [ProjectPolicy, Token]
