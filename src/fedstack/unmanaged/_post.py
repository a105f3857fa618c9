"""Post an unmanaged run to the bridge: `POST {bridge}/v1/unmanaged-runs` with a bearer token.

The token is the one drift posts with (FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD), needing the
drift:write scope; it is never printed. FEDSTACK_BRIDGE_PROJECT names the project for a token
valid on every project.
"""

from __future__ import annotations

import json
from typing import Any

from fedstack import config
from fedstack.errors import FedstackError
from fedstack.unmanaged._model import UnmanagedReport, report_document

__all__ = ["UNMANAGED_RUNS_PATH", "post_unmanaged_run"]

UNMANAGED_RUNS_PATH = "/v1/unmanaged-runs"


def post_unmanaged_run(
    bridge_url: str, report: UnmanagedReport, *, token: str | None, timeout: float = 30.0
) -> dict[str, Any]:
    """Send the report; returns the bridge's JSON answer."""
    import httpx

    url = bridge_url.rstrip("/") + UNMANAGED_RUNS_PATH
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    project = config.setting("FEDSTACK_BRIDGE_PROJECT")
    try:
        response = httpx.post(
            url,
            content=json.dumps(report_document(report)),
            headers=headers,
            params={"project": project} if project else None,
            timeout=timeout,
        )
    except httpx.HTTPError as exc:
        raise FedstackError(f"cannot post the unmanaged run to {url}: {exc}") from None
    if response.status_code >= 400:
        body = " ".join(response.text.split())[:200]
        hint = (
            ": use a token with the drift:write scope (FEDSTACK_BRIDGE_TOKEN)"
            if response.status_code in (401, 403)
            else ""
        )
        raise FedstackError(
            f"the bridge at {url} refused the unmanaged run: HTTP {response.status_code} {body}{hint}"
        )
    answer = response.json()
    return answer if isinstance(answer, dict) else {}
