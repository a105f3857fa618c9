"""Deliver drift changes to the configured webhook: one JSON POST per run that changed something.

Runs after the run is committed (a background task after the answer is sent), with a short
timeout and a bounded number of attempts; a failure is logged, never raised. The webhook URL
may hold a secret (chat hooks carry one in the path), so logs name only its host.
Must not import the web framework.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

from fedstack.bridge.store import DriftEvent

__all__ = ["ATTEMPTS", "TIMEOUT_SECONDS", "deliver", "webhook_body"]

ATTEMPTS = 3
"""Tries per delivery: the first and two retries."""

TIMEOUT_SECONDS = 5.0
"""Per-attempt timeout: a slow receiver cannot hold a worker for more than ~ATTEMPTS times this."""

_BACKOFF_SECONDS = (0.5, 2.0)
_log = logging.getLogger("fedstack.bridge.webhook")


def webhook_body(
    project: str, run: int, run_id: str, run_url: str, events: list[DriftEvent]
) -> dict[str, Any]:
    """The JSON the webhook receives for one run."""
    return {
        "event": "drift.changed",
        "project": project,
        "run": run,
        "run_id": run_id,
        "run_url": run_url,
        "drifted": sum(1 for e in events if e.change == "drifted"),
        "resolved": sum(1 for e in events if e.change == "resolved"),
        "changes": [e.as_json() for e in events],
    }


def deliver(url: str, body: dict[str, Any]) -> bool:
    """POST `body` to `url`, retrying on errors and 5xx; True when the receiver took it."""
    import httpx

    host = urlsplit(url).netloc
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = httpx.post(url, json=body, timeout=TIMEOUT_SECONDS)
        except httpx.HTTPError as exc:
            reason = type(exc).__name__
        else:
            if response.status_code < 300:
                return True
            reason = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                break  # the receiver refuses this body: sending it again will not help
        _log.warning("webhook to %s failed (attempt %d of %d): %s", host, attempt, ATTEMPTS, reason)
        if attempt < ATTEMPTS:
            time.sleep(_BACKOFF_SECONDS[min(attempt - 1, len(_BACKOFF_SECONDS) - 1)])
    _log.error("webhook to %s not delivered for run %s; giving up", host, body.get("run_id"))
    return False
