"""Drift runs on the bridge: check access first, post one run per project, record placements.

Built on the one bridge client (fedstack.client); must not import the web framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fedstack.client import BridgeClient, BridgeClientError
from fedstack.drift.engine import exit_code
from fedstack.drift.schema import DriftReport, Summary

__all__ = ["check_bridge", "post_runs", "put_placements", "split_by_project"]


def check_bridge(
    bridge_url: str, projects: Sequence[str | None], *, token: str | None = None
) -> None:
    """Raise BridgeClientError unless the bridge answers and the token may post to `projects`."""
    with BridgeClient(bridge_url, token, timeout=10.0) as client:
        for project in dict.fromkeys(projects):
            client.check_drift_access(project)


def split_by_project(report: DriftReport) -> list[tuple[str | None, DriftReport]]:
    """One report per project of its stacks (the bridge files a run under one project).

    A shard of a run group is never split: its shards must make one run, filed under the
    token's project (or FEDSTACK_BRIDGE_PROJECT).
    """
    if report.run_group:
        return [(None, report)]
    projects = list(dict.fromkeys(stack.project for stack in report.stacks)) or [None]
    if len(projects) == 1:
        return [(projects[0], report)]
    parts = []
    for project in projects:
        stacks = [s for s in report.stacks if s.project == project]
        drift = [r for s in stacks for r in s.drift]
        summary = Summary(
            stacks=len(stacks),
            in_sync=sum(s.status == "in_sync" for s in stacks),
            drifted=sum(s.status == "drift" for s in stacks),
            errored=sum(s.status == "error" for s in stacks),
            resources_drifted=sum(not r.ignored for r in drift),
            resources_ignored=sum(r.ignored for r in drift),
        )
        part = report.model_copy(
            update={
                "run_id": f"{report.run_id}-{project or 'default'}"[:128],
                "stacks": stacks,
                "summary": summary,
            }
        )
        parts.append(
            (project, part.model_copy(update={"exit_code": exit_code(part, part.fail_on)}))
        )
    return parts


def post_runs(
    bridge_url: str, report: DriftReport, *, token: str | None = None
) -> list[dict[str, Any]]:
    """Send the report, one run per project of its stacks; returns the bridge's answers."""
    with BridgeClient(bridge_url, token) as client:
        return [
            client.post_drift_run(part, project=project)
            for project, part in split_by_project(report)
        ]


def put_placements(
    bridge_url: str, stacks: Sequence[tuple[str, str, str, str]], *, token: str | None = None
) -> list[tuple[str, str]]:
    """Record (project, stack, provider, region) on the bridge; (project/stack, outcome) each.

    Outcome: "set", "unchanged", "unknown" (the bridge holds no state for it: a drift run must
    not create state records) or "refused: <reason>".
    """
    outcomes = []
    with BridgeClient(bridge_url, token, timeout=10.0) as client:
        for project, stack, provider, region in stacks:
            try:
                known = client.stack(project, stack)
                if known is None:
                    outcome = "unknown"
                elif (known.get("provider"), known.get("region")) == (provider, region):
                    outcome = "unchanged"
                else:
                    client.set_placement(project, stack, provider, region)
                    outcome = "set"
            except BridgeClientError as exc:
                if exc.status is None:
                    raise
                outcome = f"refused: {exc}"
            outcomes.append((f"{project}/{stack}", outcome))
    return outcomes
