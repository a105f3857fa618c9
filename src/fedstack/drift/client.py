"""Post a drift run to the bridge: `POST {bridge}/v1/drift-runs` with a bearer token, over httpx.

The token comes from FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD (the same bridge token
Terraform's http backend uses); it is never printed. FEDSTACK_BRIDGE_PROJECT, when set, names
the project (`?project=`) for a token valid on every project. Must not import the web framework.
"""

from __future__ import annotations

from typing import Any

from fedstack.drift.errors import BridgeError
from fedstack.drift.schema import DriftReport

from fedstack import config

__all__ = ["DRIFT_RUNS_PATH", "bridge_token", "post_run"]

DRIFT_RUNS_PATH = "/v1/drift-runs"


def bridge_token() -> str | None:
    """FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD, else None."""
    return config.setting("FEDSTACK_BRIDGE_TOKEN") or config.setting("TF_HTTP_PASSWORD")


def post_run(
    bridge_url: str, report: DriftReport, *, token: str | None = None, timeout: float = 30.0
) -> dict[str, Any]:
    """Send the report; returns the bridge's JSON answer (empty when it sent none)."""
    import httpx  # here, not at import time: `fedstack --help` stays fast

    url = bridge_url.rstrip("/") + DRIFT_RUNS_PATH
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    # Only needed with an all-projects token: a project's own token names its project.
    project = config.setting("FEDSTACK_BRIDGE_PROJECT")
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
