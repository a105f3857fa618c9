"""`policy check` on a plan: read the plan JSON, resolve every resource, check it, build the report."""

from __future__ import annotations

from pathlib import Path

from fedstack.catalog import Catalog
from fedstack.policy._plan import read_plan
from fedstack.policy._policy import Policy
from fedstack.policy._report import PolicyReport, check_resources
from fedstack.policy._resolve import resolve_plan

__all__ = ["check_plan", "sandbox_endpoints"]


def sandbox_endpoints(home: Path) -> dict[str, str]:
    """Endpoint URL -> sandbox provider, as recorded by `fedstack sandbox up` under `home`.

    Recorded servers count even when stopped: a plan made against them still names them.
    """
    # Imported here: the engine itself needs no sandbox, only this helper of the CLI does.
    from fedstack.sandbox import read_state, state_file

    if not state_file(home).exists():
        return {}
    return {server.endpoint: name for name, server in read_state(home).items()}


def check_plan(
    path: str | Path,
    *,
    catalog: Catalog,
    policy: Policy,
    sandbox: dict[str, str] | None = None,
    strict: bool = False,
) -> PolicyReport:
    """Check every resource of a plan JSON file (`terraform show -json PLANFILE`) against a policy."""
    plan = read_plan(path)
    placed, skipped = resolve_plan(plan, catalog, sandbox)
    return check_resources(
        catalog,
        placed,
        policy=policy,
        source="<stdin>" if str(path) == "-" else str(path),
        skipped=skipped,
        strict=strict,
    )
