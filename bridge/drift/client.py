"""Post a drift run to the bridge: `POST {bridge}/v1/drift-runs` with a bearer token, over httpx.

The token comes from FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD (the same bridge token
Terraform's http backend uses); it is never printed. FEDSTACK_BRIDGE_PROJECT, when set, names
the project (`?project=`) for a token valid on every project. Must not import the web framework.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fedstack.bridge.drift.engine import exit_code
from fedstack.bridge.drift.errors import BridgeError
from fedstack.bridge.drift.schema import DriftReport, Summary

from fedstack import config

__all__ = [
    "DRIFT_RUNS_PATH",
    "bridge_token",
    "check_bridge",
    "post_run",
    "post_runs",
    "put_placements",
    "split_by_project",
]

DRIFT_RUNS_PATH = "/v1/drift-runs"


def bridge_token() -> str | None:
    """FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD, else None."""
    return config.setting("FEDSTACK_BRIDGE_TOKEN") or config.setting("TF_HTTP_PASSWORD")


def _headers(token: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def check_bridge(
    bridge_url: str,
    projects: Sequence[str | None],
    *,
    token: str | None = None,
    timeout: float = 10.0,
) -> None:
    """Raise BridgeError unless the bridge answers and the token may post runs to `projects`.

    Posts an empty object to /v1/drift-runs per project: the bridge checks the caller's scope
    before the body, so 400 (not a report) means allowed and nothing is stored.
    """
    import httpx

    url = bridge_url.rstrip("/") + DRIFT_RUNS_PATH
    for project in dict.fromkeys(projects):
        target = project or config.setting("FEDSTACK_BRIDGE_PROJECT")
        params = {"project": target} if target else None
        try:
            response = httpx.post(
                url, content=b"{}", headers=_headers(token), params=params, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise BridgeError(
                f"cannot reach the bridge at {bridge_url} ({exc}); nothing was checked"
            ) from None
        where = f"project {target!r}" if target else "the token's project"
        if response.status_code == 401:
            raise BridgeError(
                f"the bridge at {bridge_url} refused the token ({_reason(response)}): set "
                "FEDSTACK_BRIDGE_TOKEN (or TF_HTTP_PASSWORD) to a valid drift:write token"
            )
        if response.status_code == 403:
            raise BridgeError(
                f"the token may not post drift runs for {where} at {bridge_url} "
                f"({_reason(response)}): use a drift:write token of that project"
            )
        if response.status_code == 404:
            raise BridgeError(f"{bridge_url} is not a fedstack bridge (no {DRIFT_RUNS_PATH})")


def _reason(response: Any) -> str:
    try:
        detail = response.json().get("detail") or response.json().get("error")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else f"HTTP {response.status_code}"


def split_by_project(report: DriftReport) -> list[tuple[str | None, DriftReport]]:
    """One report per project of its stacks (the bridge files a run under one project)."""
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
            update={"run_id": f"{report.run_id}-{project or 'default'}"[:128], "stacks": stacks}
        )
        part = part.model_copy(update={"summary": summary})
        parts.append(
            (project, part.model_copy(update={"exit_code": exit_code(part, part.fail_on)}))
        )
    return parts


def post_runs(
    bridge_url: str, report: DriftReport, *, token: str | None = None, timeout: float = 30.0
) -> list[dict[str, Any]]:
    """Send the report, one run per project of its stacks; returns the bridge's answers."""
    return [
        post_run(bridge_url, part, token=token, timeout=timeout, project=project)
        for project, part in split_by_project(report)
    ]


def put_placements(
    bridge_url: str, stacks: Sequence[tuple[str, str, str, str]], *, token: str | None = None
) -> list[tuple[str, str]]:
    """Record (project, stack, provider, region) on the bridge; (project/stack, outcome) each.

    Outcome: "set", "unchanged", "unknown" (the bridge holds no state for it: a drift run must
    not create state records) or "refused: <reason>".
    """
    import httpx

    outcomes = []
    for project, stack, provider, region in stacks:
        url = f"{bridge_url.rstrip('/')}/v1/stacks/{project}/{stack}"
        try:
            known = httpx.get(url, headers=_headers(token), timeout=10)
            if known.status_code != 200:
                outcome = "unknown" if known.status_code == 404 else f"refused: {_reason(known)}"
            elif (known.json().get("provider"), known.json().get("region")) == (provider, region):
                outcome = "unchanged"
            else:
                response = httpx.put(
                    url,
                    json={"provider": provider, "region": region},
                    headers=_headers(token),
                    timeout=10,
                )
                ok = response.status_code < 400
                outcome = "set" if ok else f"refused: {_reason(response)}"
        except httpx.HTTPError as exc:
            raise BridgeError(f"cannot reach the bridge at {bridge_url}: {exc}") from None
        outcomes.append((f"{project}/{stack}", outcome))
    return outcomes


def post_run(
    bridge_url: str,
    report: DriftReport,
    *,
    token: str | None = None,
    timeout: float = 30.0,
    project: str | None = None,
) -> dict[str, Any]:
    """Send the report; returns the bridge's JSON answer (empty when it sent none)."""
    import httpx  # here, not at import time: `fedstack --help` stays fast

    url = bridge_url.rstrip("/") + DRIFT_RUNS_PATH
    headers = _headers(token)
    # Only needed with an all-projects token: a project's own token names its project.
    project = project or config.setting("FEDSTACK_BRIDGE_PROJECT")
    params = {"project": project} if project else None
    try:
        response = httpx.post(
            url, content=report.model_dump_json(), headers=headers, params=params, timeout=timeout
        )
    except httpx.HTTPError as exc:
        raise BridgeError(f"cannot post the drift run to {url}: {exc}") from None
    if response.status_code in (401, 403):
        raise BridgeError(
            f"the bridge at {url} refused the drift run (HTTP {response.status_code}): set "
            "FEDSTACK_BRIDGE_TOKEN (or TF_HTTP_PASSWORD) to a token with the drift:write scope"
        )
    if response.status_code >= 400:
        body = " ".join(response.text.split())[:200]
        raise BridgeError(
            f"the bridge at {url} refused the drift run: HTTP {response.status_code} {body}"
        )
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
